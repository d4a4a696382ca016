"""Precompressed `.br` and `.gz` siblings of text files, so a server sends them as they are.

The bytes depend only on the input (gzip without a timestamp or file name, fixed levels), so
two builds of the same site are identical and a deploy only uploads what really changed.
Brotli at its best level is slow (about 1 MB/s), so results are kept in a cache keyed by the
input's hash: a rebuild compresses only the files whose bytes changed.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
import zlib
from pathlib import Path

import brotli

# The text types worth compressing, with the Content-Type a server should send for each.
TEXT_TYPES: dict[str, str] = {
    "html": "text/html",
    "css": "text/css",
    "js": "text/javascript",
    "xml": "text/xml",
    "txt": "text/plain",
    "svg": "image/svg+xml",
    "json": "application/json",
}
BROTLI_QUALITY = 11
GZIP_LEVEL = 9


def is_text(path: Path) -> bool:
    return path.suffix[1:].lower() in TEXT_TYPES


def compress(data: bytes) -> tuple[bytes, bytes]:
    """Brotli and gzip forms of data, byte for byte the same on every run."""
    return (
        brotli.compress(data, quality=BROTLI_QUALITY),
        gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0),
    )


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cached(data: bytes, cache: Path | None, used: set[str]) -> tuple[bytes, bytes]:
    """compress(data), reusing an earlier result for the same bytes when one is cached."""
    if cache is None:
        return compress(data)
    key = hashlib.sha256(data).hexdigest()
    used.add(key)
    entry = cache / key[:2] / key
    br_file, gz_file = entry.with_suffix(".br"), entry.with_suffix(".gz")
    try:
        br, gz = br_file.read_bytes(), gz_file.read_bytes()
        # Unpacking is cheap next to packing; a damaged entry is never published.
        if brotli.decompress(br) == data and gzip.decompress(gz) == data:
            return br, gz
    except (OSError, EOFError, brotli.error, zlib.error, gzip.BadGzipFile):
        pass
    br, gz = compress(data)
    try:
        _atomic_write(br_file, br)
        _atomic_write(gz_file, gz)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    return br, gz


def compress_tree(folder: Path, cache: Path | None = None) -> int:
    """Write `name.br` and `name.gz` beside each text file under folder; returns how many.

    A form is left out when it would not be smaller than the file itself; servers then send
    the file as it is.
    """
    count = 0
    used: set[str] = set()
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or not is_text(path):
            continue
        data = path.read_bytes()
        br, gz = _cached(data, cache, used)
        for suffix, packed in ((".br", br), (".gz", gz)):
            if len(packed) < len(data):
                path.with_name(path.name + suffix).write_bytes(packed)
        count += 1
    if cache is not None:
        _prune(cache, used)
    return count


def _prune(cache: Path, used: set[str]) -> None:
    """Keep only what this build used, so the cache stays the size of one site."""
    try:
        for entry in cache.glob("*/*"):
            if entry.stem not in used:
                entry.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be cleaned only takes more room
