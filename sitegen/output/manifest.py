"""The list of published files and their hashes, kept beside the build folder.

A deploy compares it with the list of what is online and uploads only the files whose hash
changed, then deletes the ones that are gone. It lives outside the build folder so that it is
never published itself.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

MANIFEST_VERSION = 1


class ManifestError(Exception):
    """A manifest file is missing or not one sitegen wrote; carries a message for the user."""


def manifest_path(out: Path) -> Path:
    """`build/` -> `build.manifest.json`, in the same parent folder."""
    return out.parent / f"{out.name}.manifest.json"


def render_manifest(
    files: Mapping[str, str], base_url: str, redirects: Mapping[str, str] | None = None
) -> bytes:
    """One file a line, sorted, so two manifests diff well.

    `redirects` maps the page file at each old address to where it redirects, so a deploy
    guard can tell a moved page from a removed one.
    """
    doc: dict[str, object] = {
        "version": MANIFEST_VERSION,
        "base_url": base_url,
        "files": dict(sorted(files.items())),
        "redirects": dict(sorted((redirects or {}).items())),
    }
    return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def stage_manifest(path: Path, data: bytes) -> Path:
    """Write the new manifest beside the old one, so swapping it in is a single rename.

    Written before the build is swapped in: a full disk then fails the build, not the manifest.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def read_manifest(path: Path) -> dict[str, str]:
    """The files a manifest lists, by path, with their sha256."""
    files = _load(path)["files"]
    assert isinstance(files, dict)
    return {str(name): str(digest) for name, digest in files.items()}


def read_redirects(path: Path) -> dict[str, str]:
    """The page files at old addresses and where they redirect; {} from older manifests."""
    redirects = _load(path).get("redirects")
    if not isinstance(redirects, dict):
        return {}
    return {str(old): str(new) for old, new in redirects.items()}


def _load(path: Path) -> dict[str, object]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ManifestError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(doc, dict):
        doc = {}
    files = doc.get("files")
    if doc.get("version") != MANIFEST_VERSION or not isinstance(files, dict):
        raise ManifestError(f"{path} is not a sitegen manifest (version {MANIFEST_VERSION})")
    return doc


def plan_deploy(online: Mapping[str, str], built: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(files to upload, files to delete) to turn what is online into what was built."""
    upload = sorted(name for name, digest in built.items() if online.get(name) != digest)
    delete = sorted(name for name in online if name not in built)
    return upload, delete
