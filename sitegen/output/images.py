"""Encode the image files rendering planned: each width in WebP and the original's format.

Encoding is slow, so every result is kept in the store keyed by the source's hash, and an
unchanged image costs nothing on the next build. Output bytes are the same on every build.
The hash was taken when the sources were read; a file saved again since then is reported,
never encoded from other bytes than the ones the pages were planned with.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.render.images import VERSION, Wanted
from sitegen.source.pictures import open_image, plain_problem, unreadable

if TYPE_CHECKING:
    from PIL import Image


class Blobs(Protocol):
    """Where encoded images are kept between builds (the speed layer's store)."""

    def load_bytes(self, name: str) -> bytes | None: ...
    def save_bytes(self, name: str, payload: bytes) -> object: ...


def blob_name(digest: str, width: int, fmt: str) -> str:
    return f"images/{digest}-{width}-{fmt.lower()}-v{VERSION}.bin"


def _normalise(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """Upright, in RGB(A), without metadata; keeps the colour profile unless converted."""
    from PIL import ImageOps

    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA"):
        alpha = "A" in upright.mode or "transparency" in upright.info
        if upright.mode == "CMYK":
            icc = None
        upright = upright.convert("RGBA" if alpha else "RGB")
    upright.info = {}
    return upright, icc if isinstance(icc, bytes) else None


def encode(image: Image.Image, icc: bytes | None, width: int, fmt: str) -> bytes:
    from PIL import Image

    height = max(1, round(image.height * width / image.width))
    sized = (
        image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
    )
    sized.info = {}
    buffer = io.BytesIO()
    extra: dict[str, object] = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        flat = sized.convert("RGB") if sized.mode != "RGB" else sized
        flat.save(buffer, "JPEG", quality=82, optimize=True, progressive=True, **extra)
    elif fmt == "PNG":
        sized.save(buffer, "PNG", optimize=True, **extra)
    else:
        sized.save(buffer, "WEBP", quality=80, method=4, **extra)
    return buffer.getvalue()


def encode_images(
    wanted: list[Wanted], blobs: Blobs | None, diags: list[Diagnostic]
) -> Iterator[tuple[str, bytes]]:
    """Every wanted file, from the store when it has it; problems go to diags."""
    by_source: dict[Path, list[Wanted]] = {}
    for item in wanted:
        by_source.setdefault(item.path, []).append(item)
    for items in by_source.values():
        yield from _encode_one(items, blobs, diags)


def _encode_one(
    items: list[Wanted], blobs: Blobs | None, diags: list[Diagnostic]
) -> Iterator[tuple[str, bytes]]:
    """The files of one source image: the cached ones, then one decode for the rest."""
    missing: list[Wanted] = []
    for item in items:
        name = blob_name(item.digest, item.variant.width, item.variant.format)
        cached = blobs.load_bytes(name) if blobs is not None else None
        if cached is None:
            missing.append(item)
        else:
            yield item.variant.out, cached
    if not missing:
        return
    first = missing[0]
    try:
        data = first.path.read_bytes()
        if hashlib.sha256(data).hexdigest() != first.digest:
            diags.append(
                error(
                    first.label,
                    1,
                    1,
                    "the image changed while the site was being built",
                    "build again; the last build was left as it was",
                )
            )
            return
        with open_image(data) as image:
            upright, icc = _normalise(image)
            for item in missing:
                variant = item.variant
                payload = encode(upright, icc, variant.width, variant.format)
                if blobs is not None:
                    blobs.save_bytes(blob_name(item.digest, variant.width, variant.format), payload)
                yield variant.out, payload
    except unreadable() as exc:
        diags.append(
            error(
                first.label,
                1,
                1,
                f"cannot convert the image: {plain_problem(exc)}",
                "save it again as PNG, JPEG or WebP",
            )
        )
