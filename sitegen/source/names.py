"""File and folder names that work on every checkout and every server.

A site is edited on Linux, macOS and Windows: a name that one of them cannot store, or two
names that only differ in case, break a checkout somewhere else. Folder names are URLs too.
"""

from __future__ import annotations

import re
import unicodedata

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
MAX_NAME = 100


def suggest_slug(name: str) -> str:
    """The name an editor most likely meant: accents dropped, lower case, hyphens."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    return slug or "page"


def _suggest_file(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip(". "):
        return suggest_slug(name)
    return f"{suggest_slug(stem)}.{suggest_slug(ext)}"


def _windows_problem(name: str) -> str | None:
    if name.endswith((".", " ")):
        return f"the name '{name}' ends in a dot or space, which Windows cannot store"
    if name.split(".", 1)[0].lower().rstrip(" ") in WINDOWS_RESERVED:
        return f"the name '{name}' is reserved on Windows (CON, PRN, AUX, NUL, COM1, LPT1...)"
    return None


def folder_problem(name: str) -> tuple[str, str] | None:
    """(message, hint) when a page folder name cannot serve as a URL on every system."""
    windows = _windows_problem(name)
    if windows:
        return windows, f"rename the folder, e.g. to '{suggest_slug(name)}-page'"
    if len(name) > MAX_NAME:
        return f"the folder name is longer than {MAX_NAME} characters", "use a shorter name"
    if not SLUG.match(name):
        return (
            f"the folder name '{name}' may only hold a-z, 0-9 and single hyphens "
            "(it is part of the page address)",
            f"rename the folder to '{suggest_slug(name)}'",
        )
    return None


def file_problem(name: str) -> tuple[str, str] | None:
    """(message, hint) when a file name would not survive a checkout or a URL everywhere."""
    windows = _windows_problem(name)
    if windows:
        return windows, f"rename the file, e.g. to '{_suggest_file(name)}'"
    if len(name) > MAX_NAME:
        return f"the file name is longer than {MAX_NAME} characters", "use a shorter name"
    if not FILE_NAME.match(name):
        return (
            f"the file name '{name}' may only hold letters a-z, digits, '-', '_' and '.'",
            f"rename the file to '{_suggest_file(name)}'",
        )
    return None


def case_key(name: str) -> str:
    """Names that macOS and Windows treat as one: same letters in any case or composition."""
    return unicodedata.normalize("NFC", name).casefold()
