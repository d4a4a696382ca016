"""Small immutable values shared by the validate, model and render stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Source:
    """Where a page's facts come from; shown on the page."""

    title: str
    url: str
    figures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, month or day, as its source gives it."""

    year: int
    month: int | None = None
    day: int | None = None

    def key(self) -> tuple[int, int, int]:
        """Sort key: a year-only date sorts before any day in that year."""
        return (self.year, self.month or 0, self.day or 0)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    def iso(self) -> str:
        if self.day and self.month:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def as_date(value: object) -> PartialDate | None:
    return value if isinstance(value, PartialDate) else None


def as_refs(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def as_sources(value: object) -> tuple[Source, ...]:
    if isinstance(value, tuple):
        return tuple(v for v in value if isinstance(v, Source))
    return ()
