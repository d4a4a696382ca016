"""What a page needs to know of an image file, read once with the rest of the sources.

Rendering sizes `<img>` and names the resized files from these facts without opening the
file; only the output stage decodes an image, and only when its encoded files are not
cached. Pillow reads just the header here, so a large photo costs one read and one hash.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
MAX_PIXELS = 60_000_000
ORIENTATION = 0x0112  # the EXIF tag; 5 to 8 mean the photo is turned a quarter
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_NUMBER = r"""\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["']"""


@dataclass(frozen=True, slots=True)
class Picture:
    """An image file's upright size (0 when unknown) and hash, or why it cannot be read."""

    width: int
    height: int
    digest: str
    problem: str = ""


def is_picture(path: Path) -> bool:
    return path.suffix.lower() in RASTER or path.suffix.lower() == ".svg"


def unreadable() -> tuple[type[BaseException], ...]:
    """What decoding a damaged or oversized file raises (Pillow is imported only when needed)."""
    from PIL import Image

    return (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning)


def plain_problem(exc: BaseException) -> str:
    """What went wrong, in words an editor can act on. Pillow's own text names a memory
    address ("cannot identify image file <_io.BytesIO object at 0x...>"), which says nothing
    to an editor and would change from build to build."""
    from PIL import Image, UnidentifiedImageError

    if isinstance(exc, UnidentifiedImageError):
        return "it is not a PNG, JPEG or WebP image, or it is damaged"
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return f"it has more than {MAX_PIXELS:,} pixels"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()  # e.g. permission denied
    return str(exc) or "it is damaged"


def open_image(data: bytes) -> Image.Image:
    """Decode, refusing images so large that decoding them would exhaust memory."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(f"it has {image.width}×{image.height} pixels")
        return image


def read_picture(path: Path) -> Picture | None:
    """The facts of one image file; None when the file is not an image sitegen sizes."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        size = svg_size(path)
        return Picture(*(size or (0, 0)), "")
    if suffix not in RASTER:
        return None
    try:
        data = path.read_bytes()
        with open_image(data) as image:
            width, height = image.size
            if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):
                width, height = height, width
    except unreadable() as exc:
        return Picture(0, 0, "", plain_problem(exc))
    return Picture(width, height, hashlib.sha256(data).hexdigest())


def svg_size(path: Path) -> tuple[int, int] | None:
    """Width and height from the root <svg> tag (or its viewBox), without parsing the XML."""
    try:
        with path.open("rb") as file:
            head = file.read(16384).decode("utf-8", errors="replace")
    except OSError:
        return None
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    attrs = tag.group(0)
    width = re.search(r"(?<![\w-])width" + _NUMBER, attrs)
    height = re.search(r"(?<![\w-])height" + _NUMBER, attrs)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = re.search(r"""viewBox\s*=\s*["']([^"']+)["']""", attrs)
    if box:
        parts = box.group(1).replace(",", " ").split()
        if len(parts) == 4:
            try:
                w, h = float(parts[2]), float(parts[3])
            except ValueError:
                return None
            if w > 0 and h > 0:
                return round(w), round(h)
    return None
