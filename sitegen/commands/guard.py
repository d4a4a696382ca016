"""The deploy guard: a build that would unpublish much of the site needs a confirmation.

An editor who deletes or moves a section folder by mistake still gets a green build; this is
the check between that build and the live site. It compares the manifest of what is online
with the new one: a page whose old address now redirects (`moved_from:`) was moved, not
removed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# More than this share of the HTML pages online gone needs a confirmation.
MAX_REMOVED_SHARE = 0.10
CONFIRM_FLAG = "--allow-removals"


@dataclass(frozen=True, slots=True)
class Removals:
    """What a deploy would take offline: pages, and whole folders among them."""

    online: int
    pages: tuple[str, ...]
    # ('fr/', 80): a language folder or a top-level section that loses every page.
    whole: tuple[tuple[str, int], ...]

    @property
    def share(self) -> float:
        return len(self.pages) / self.online if self.online else 0.0

    @property
    def refused(self) -> bool:
        return bool(self.whole) or self.share > MAX_REMOVED_SHARE


def html_pages(files: Mapping[str, str], redirects: Mapping[str, str]) -> set[str]:
    """The HTML pages of a manifest; the redirect pages at old addresses are not pages."""
    return {name for name in files if name.endswith(".html") and name not in redirects}


def _groups(page: str) -> list[str]:
    """'en/partners/imec/index.html' -> ['en/', 'en/partners/']: its language and section."""
    parts = page.split("/")[:-1]
    return ["/".join(parts[:depth]) + "/" for depth in (1, 2) if len(parts) >= depth]


def find_removals(
    online: Mapping[str, str],
    online_redirects: Mapping[str, str],
    built: Mapping[str, str],
    built_redirects: Mapping[str, str],
) -> Removals:
    """Pages online that the build neither has nor redirects, and folders that lose all."""
    before = html_pages(online, online_redirects)
    kept = html_pages(built, built_redirects) | set(built_redirects)
    gone = sorted(before - kept)
    counts: dict[str, list[int]] = {}
    for page in before:
        for group in _groups(page):
            counts.setdefault(group, [0, 0])[0] += 1
    for page in gone:
        for group in _groups(page):
            counts[group][1] += 1
    emptied = sorted(g for g, (total, lost) in counts.items() if total == lost)
    # A section inside a language that goes as a whole is not worth its own line.
    whole = tuple(
        (g, counts[g][0])
        for g in emptied
        if not any(g != other and g.startswith(other) for other in emptied)
    )
    return Removals(len(before), tuple(gone), whole)


def _address(page: str) -> str:
    return page.removesuffix("index.html") or "/"


def describe(removals: Removals, limit: int = 50) -> list[str]:
    """The lines that say what would disappear: whole folders, the share, then the pages."""
    lines = []
    for group, count in removals.whole:
        what = "language folder" if group.count("/") == 1 else "section"
        lines.append(f"  the whole {what} {group} ({count} pages)")
    lines.append(
        f"  {len(removals.pages)} of {removals.online} pages online "
        f"({removals.share:.1%}; the limit is {MAX_REMOVED_SHARE:.0%})"
    )
    if removals.pages:
        lines.append("pages that would disappear:")
        lines += [f"  {_address(page)}" for page in removals.pages[:limit]]
        if len(removals.pages) > limit:
            lines.append(f"  ... and {len(removals.pages) - limit} more")
    return lines


def refusal(removals: Removals) -> str:
    """The message when the guard stops a deploy: what would go, and how to let it through."""
    return "\n".join(
        [
            "sitegen: error: refusing to deploy: this build unpublishes pages that are online",
            *describe(removals),
            "  hint: if a page moved, add its old folder to 'moved_from:' in its data.yaml; "
            f"if the removal is intended, run again with {CONFIRM_FLAG} (in CI: the label "
            "'allow-removals' or the workflow's 'allow_removals' input)",
        ]
    )
