"""What a save changed in the model, and which pages read it: serve's dependency index.

Each page recorded the model keys it read when it was rendered (incremental/renderer.py);
after a save, the keys whose value changed name the pages to render again.
"""

from __future__ import annotations

from sitegen.incremental.recording import EVERY_KEY, EVERYTHING, Dep
from sitegen.incremental.renderer import shown
from sitegen.model.site import Site
from sitegen.render.views import footers


def model_changes(old: Site, new: Site) -> tuple[set[Dep], set[tuple[str, str]]]:
    """(the model keys whose value another page may have read, the versions that changed)."""
    keys: set[Dep] = set()
    if list(old.pages) != list(new.pages):
        keys.add(("p", EVERY_KEY))
    if list(old.versions) != list(new.versions):
        keys.add(("v", EVERY_KEY))
    for path in old.pages.keys() | new.pages.keys():
        if old.pages.get(path) != new.pages.get(path):
            keys.add(("p", path))
    own: set[tuple[str, str]] = set()
    for key in old.versions.keys() | new.versions.keys():
        before, after = old.versions.get(key), new.versions.get(key)
        if before != after:
            own.add(key)
            if before is None or after is None or shown(before) != shown(after):
                keys.add(("v", key))
    if keys:  # the site-wide views (footer) only change when another page's shown value does
        footer_before, footer_after = footers(old), footers(new)
        for lang in footer_before.keys() | footer_after.keys():
            if footer_before.get(lang) != footer_after.get(lang):
                keys.add(("w", lang))
    return keys, own


class DepIndex:
    """Which pages read which model key when they were last rendered."""

    def __init__(self) -> None:
        self.deps: dict[str, tuple[Dep, ...] | None] = {}
        self.readers: dict[Dep, set[str]] = {}

    def record(self, out: str, deps: tuple[Dep, ...] | None) -> None:
        for dep in self.deps.get(out) or ():
            self.readers[dep].discard(out)
        self.deps[out] = deps
        for dep in deps or ():
            self.readers.setdefault(dep, set()).add(out)

    def drop(self, out: str) -> None:
        self.record(out, ())
        del self.deps[out]

    def touched(self, keys: set[Dep]) -> set[str]:
        """Pages that read one of keys, read everything, or were not recorded (had a problem)."""
        found = {out for out, deps in self.deps.items() if deps is None}
        for key in keys | ({EVERYTHING} if keys else set()):
            found |= self.readers.get(key, set())
        return found
