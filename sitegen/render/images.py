"""Responsive images: raster files resized at build time into WebP plus their own format.

A visitor on a phone should not download a 4000-pixel photo. Each raster image a page shows is
written in a few widths (never wider than the original); `<picture>` lets the browser pick.
Encoding is slow, so every result is kept in a cache keyed by the source bytes, and an
unchanged image costs one hash on the next build. Output bytes are the same on every build.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import warnings
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from PIL import Image, ImageOps

from sitegen.diagnostics.diagnostic import Diagnostic, error

# Bump when encoding settings change: new cache keys and new file names for browsers.
VERSION = 1
WIDTHS = (480, 960, 1600)
# The text column is at most about 48rem wide; wider screens still get that width.
SIZES = "(min-width: 48rem) 48rem, 100vw"
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP"}
EXTENSION = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_PIXELS = 60_000_000
ORIENTATION = 0x0112  # the EXIF tag; 5 to 8 mean the photo is turned a quarter
OUT_DIR = "assets/img/"
UNREADABLE = (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning)
_SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)
_NUMBER = r"""\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["']"""


@dataclass(frozen=True, slots=True)
class Variant:
    """One encoded file: a width of an image in one format."""

    out: str
    url: str
    width: int
    format: str


@dataclass(frozen=True, slots=True)
class ImageSet:
    """All the files of one source image, and its size after EXIF rotation."""

    width: int
    height: int
    webp: tuple[Variant, ...]
    fallback: tuple[Variant, ...]

    @property
    def img(self) -> tuple[Variant, ...]:
        """What <img> offers: the original's format, or WebP when that is the original."""
        return self.fallback or self.webp

    @property
    def src(self) -> Variant:
        """The plain `src`, for browsers without srcset: the widest up to 960 pixels."""
        fitting = [v for v in self.img if v.width <= 960]
        return fitting[-1] if fitting else self.img[0]


@dataclass(frozen=True, slots=True)
class _Source:
    path: Path
    label: str
    digest: str


def widths_for(original: int) -> tuple[int, ...]:
    """The widths to write: the standard ones that downscale noticeably, plus the largest."""
    chosen = {w for w in WIDTHS if w <= original * 0.9}
    chosen.add(min(original, WIDTHS[-1]))
    return tuple(sorted(chosen))


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "image"


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


def _open(data: bytes) -> Image.Image:
    """Decode, refusing images so large that decoding them would exhaust memory."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(f"it has {image.width}×{image.height} pixels")
        return image


def _normalise(image: Image.Image) -> tuple[Image.Image, bytes | None]:
    """Upright, in RGB(A), without metadata; keeps the colour profile unless converted."""
    icc = image.info.get("icc_profile")
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA"):
        alpha = "A" in upright.mode or "transparency" in upright.info
        if upright.mode == "CMYK":
            icc = None
        upright = upright.convert("RGBA" if alpha else "RGB")
    upright.info = {}
    return upright, icc if isinstance(icc, bytes) else None


def _encode(image: Image.Image, icc: bytes | None, width: int, fmt: str) -> bytes:
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


class Blobs(Protocol):
    """Where encoded images are kept between builds (the speed layer's store); rendering
    itself writes no file."""

    def load_bytes(self, name: str) -> bytes | None: ...
    def save_bytes(self, name: str, payload: bytes) -> None: ...


def _blob_name(digest: str, width: int, fmt: str) -> str:
    return f"images/{digest}-{width}-{fmt.lower()}-v{VERSION}.bin"


class ImageProcessor:
    """The images of one build: planned while pages render, encoded when outputs are written."""

    def __init__(self, blobs: Blobs | None, url_prefix: str) -> None:
        self.blobs = blobs
        self.url_prefix = url_prefix
        self.encoded = 0
        self._sets: dict[Path, ImageSet | None] = {}
        self._wanted: dict[str, tuple[_Source, Variant]] = {}
        self._problems: dict[str, Diagnostic] = {}
        # (path, label) of each image asked for since the last `take_asked`: what one page
        # wants, so a page rendered elsewhere (a worker, or the cache) can be replayed here.
        self._asked: list[tuple[str, str]] = []

    def fork(self) -> ImageProcessor:
        """A copy for another process: the same plans so far, its own list of what was asked."""
        other = copy.copy(self)
        other._asked = []
        return other

    def take_asked(self) -> tuple[tuple[str, str], ...]:
        """The images asked for since the last call, each once, in the order asked."""
        asked, self._asked = tuple(dict.fromkeys(self._asked)), []
        return asked

    def replay(self, asked: tuple[tuple[str, str], ...]) -> None:
        """Plan the images a page rendered elsewhere asked for, so they are written here."""
        for path, label in asked:
            self._image_set(Path(path), label)

    def image_set(self, path: Path, label: str) -> ImageSet | None:
        """The variants of one raster image; None (and a diagnostic) when it cannot be read."""
        self._asked.append((str(path), label))
        return self._image_set(path, label)

    def _image_set(self, path: Path, label: str) -> ImageSet | None:
        if path in self._sets:
            return self._sets[path]
        result: ImageSet | None = None
        try:
            data = path.read_bytes()
            with _open(data) as image:
                width, height = image.size
                if image.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8):
                    width, height = height, width
        except UNREADABLE as exc:
            self._problems[label] = error(
                label,
                1,
                1,
                f"cannot read the image: {exc}",
                "save it again as PNG, JPEG or WebP, at most 60 million pixels",
            )
        else:
            source = _Source(path, label, hashlib.sha256(data).hexdigest())
            result = self._plan(source, width, height)
        self._sets[path] = result
        return result

    def _plan(self, source: _Source, width: int, height: int) -> ImageSet:
        own = RASTER[source.path.suffix.lower()]
        name = hashlib.sha256(f"v{VERSION}:{source.digest}".encode()).hexdigest()[:10]
        stem = _slug(source.path.stem)
        formats = ("WEBP",) if own == "WEBP" else ("WEBP", own)
        made: dict[str, list[Variant]] = {fmt: [] for fmt in formats}
        for fmt in formats:
            for w in widths_for(width):
                out = f"{OUT_DIR}{stem}.{name}.{w}.{EXTENSION[fmt]}"
                variant = Variant(out, self.url_prefix + out, w, fmt)
                made[fmt].append(variant)
                self._wanted.setdefault(out, (source, variant))
        top = made["WEBP"][-1].width
        return ImageSet(
            width=top,
            height=max(1, round(height * top / width)),
            webp=tuple(made["WEBP"]),
            fallback=tuple(made[own]) if own != "WEBP" else (),
        )

    def outputs(self, diags: list[Diagnostic]) -> Iterator[tuple[str, bytes]]:
        """Every planned file, from the cache when it has it; problems go to diags."""
        diags.extend(self._problems.values())
        by_source: dict[Path, list[tuple[_Source, Variant]]] = {}
        for out in sorted(self._wanted):
            source, variant = self._wanted[out]
            by_source.setdefault(source.path, []).append((source, variant))
        for entries in by_source.values():
            yield from self._encode_all(entries, diags)

    def _encode_all(
        self, entries: list[tuple[_Source, Variant]], diags: list[Diagnostic]
    ) -> Iterator[tuple[str, bytes]]:
        missing: list[tuple[_Source, Variant]] = []
        for source, variant in entries:
            name = _blob_name(source.digest, variant.width, variant.format)
            cached = self.blobs.load_bytes(name) if self.blobs is not None else None
            if cached is None:
                missing.append((source, variant))
            else:
                yield variant.out, cached
        if not missing:
            return
        source = missing[0][0]
        try:
            with _open(source.path.read_bytes()) as image:
                upright, icc = _normalise(image)
                for _, variant in missing:
                    payload = _encode(upright, icc, variant.width, variant.format)
                    self.encoded += 1
                    if self.blobs is not None:
                        name = _blob_name(source.digest, variant.width, variant.format)
                        self.blobs.save_bytes(name, payload)
                    yield variant.out, payload
        except UNREADABLE as exc:
            diags.append(
                error(
                    source.label,
                    1,
                    1,
                    f"cannot convert the image: {exc}",
                    "save it again as PNG, JPEG or WebP",
                )
            )

    def picture(
        self, image: ImageSet, alt: str, eager: bool, attrs: dict[str, str] | None = None
    ) -> etree.Element:
        """<picture> with a WebP <source> and an <img> sized so the page does not shift."""
        img = etree.Element("img", dict(attrs or {}))
        img.set("src", image.src.url)
        img.set("srcset", _srcset(image.img))
        img.set("sizes", SIZES)
        img.set("alt", alt)
        img.attrib.setdefault("width", str(image.width))
        img.attrib.setdefault("height", str(image.height))
        if not eager:
            img.set("loading", "lazy")
        img.set("decoding", "async")
        if not image.fallback:
            return img
        picture = etree.Element("picture")
        etree.SubElement(
            picture, "source", {"type": MIME["WEBP"], "srcset": _srcset(image.webp), "sizes": SIZES}
        )
        picture.append(img)
        return picture

    def picture_html(self, path: Path, label: str, alt: str, eager: bool = True) -> str:
        """The same <picture> as HTML text, for templates (a page's data.yaml image)."""
        image = self.image_set(path, label)
        if image is None:
            return ""
        return etree.tostring(self.picture(image, alt, eager), encoding="unicode", method="html")

    def svg_html(self, path: Path, url: str, alt: str) -> str:
        """An SVG is published as it is; its <img> gets the size the file declares."""
        img = etree.Element("img", {"src": url, "alt": alt})
        _size_svg(img, path, eager=True)
        return etree.tostring(img, encoding="unicode", method="html")

    def rewrite(self, root: etree.Element, found: list[tuple[etree.Element, Path, str]]) -> None:
        """Turn the Markdown images found in one text into <picture>s; the first loads eagerly."""
        parents = {child: parent for parent in root.iter() for child in parent}
        for index, (img, path, label) in enumerate(found):
            eager = index == 0
            if path.suffix.lower() == ".svg":
                _size_svg(img, path, eager)
                continue
            if path.suffix.lower() not in RASTER:
                continue
            image = self.image_set(path, label)
            parent = parents.get(img)
            if image is None or parent is None:
                continue
            attrs = {k: v for k, v in img.attrib.items() if k not in ("src", "alt")}
            element = self.picture(image, img.get("alt", ""), eager, attrs)
            element.tail = img.tail
            parent[list(parent).index(img)] = element


def _srcset(variants: tuple[Variant, ...]) -> str:
    return ", ".join(f"{v.url} {v.width}w" for v in variants)


def _size_svg(img: etree.Element, path: Path, eager: bool) -> None:
    size = svg_size(path)
    if size is not None and "width" not in img.attrib and "height" not in img.attrib:
        img.set("width", str(size[0]))
        img.set("height", str(size[1]))
    if not eager:
        img.set("loading", "lazy")
    img.set("decoding", "async")
