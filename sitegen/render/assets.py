"""Content-hash fingerprints for assets, so they can be cached forever."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable

CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def _fingerprint(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{digest}.{ext}" if dot and stem else f"{name}.{digest}"


def fingerprint_assets(
    assets: Iterable[tuple[str, bytes]],
) -> tuple[dict[str, str], dict[str, bytes]]:
    """Return (asset name -> fingerprinted name, fingerprinted name -> bytes).

    CSS is done last so its url() references point at the fingerprinted files.
    """
    names: dict[str, str] = {}
    files: dict[str, bytes] = {}
    items = sorted(assets, key=lambda item: (item[0].endswith(".css"), item[0]))
    for name, data in items:
        if name.endswith(".css"):
            data = _rewrite_css(name, data, names)
        hashed = _fingerprint(name, data)
        names[name] = hashed
        files[hashed] = data
    return names, files


def _rewrite_css(name: str, data: bytes, names: dict[str, str]) -> bytes:
    base = posixpath.dirname(name)

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "http:", "https:", "/", "#")):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(base, ref.split("#")[0].split("?")[0]))
        if target not in names:
            return match.group(0)
        rel = posixpath.relpath(names[target], base or ".")
        return f'url("{rel}")'

    return CSS_URL.sub(replace, data.decode("utf-8")).encode("utf-8")
