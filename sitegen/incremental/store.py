"""Files in the cache folder: written whole or not at all, and checked when read back.

Every file is written to a temporary name and renamed into place, and carries a checksum;
a file that is truncated, corrupt or from another sitegen is ignored, never trusted.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

MAGIC = b"sitegen-cache-2\n"


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside path, then rename: readers see old or new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_object(path: Path, value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    atomic_write(path, MAGIC + hashlib.sha256(payload).digest() + payload)


def load_object(path: Path) -> object | None:
    """The saved value, or None when the file is missing, truncated or corrupt."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC)
    if raw[:head] != MAGIC or len(raw) < head + 32:
        return None
    payload = raw[head + 32 :]
    if hashlib.sha256(payload).digest() != raw[head : head + 32]:
        return None
    try:
        value: object = pickle.loads(payload)  # noqa: S301 - our own file, checksum verified
        return value
    except Exception:  # noqa: BLE001 - an unreadable cache is only a slower build
        return None
