"""Responsive images: raster files offered in a few widths, as WebP plus their own format.

A visitor on a phone should not download a 4000-pixel photo. Each raster image a page shows is
planned here in a few widths (never wider than the original); `<picture>` lets the browser
pick. Planning needs only the size and hash that loading read (source/pictures.py): no file
is opened while pages render. The output stage encodes what was planned (output/images.py).
"""

from __future__ import annotations

import copy
import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.diagnostics.diagnostic import Diagnostic, error
from sitegen.source.pictures import ORIENTATION, RASTER, Picture

__all__ = ["ORIENTATION", "RASTER", "ImageProcessor", "ImageSet", "Variant", "Wanted"]

# Bump when encoding settings change: new cache keys and new file names for browsers.
VERSION = 1
WIDTHS = (480, 960, 1600)
# The text column is at most about 48rem wide; wider screens still get that width.
SIZES = "(min-width: 48rem) 48rem, 100vw"
EXTENSION = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
MIME = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
OUT_DIR = "assets/img/"


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
class Wanted:
    """One file the output stage is to encode: which source, its hash, and the variant."""

    path: Path
    label: str
    digest: str
    variant: Variant


def widths_for(original: int) -> tuple[int, ...]:
    """The widths to write: the standard ones that downscale noticeably, plus the largest."""
    chosen = {w for w in WIDTHS if w <= original * 0.9}
    chosen.add(min(original, WIDTHS[-1]))
    return tuple(sorted(chosen))


def _slug(stem: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug or "image"


class ImageProcessor:
    """The images of one build, planned while pages render from what loading read of them."""

    def __init__(self, pictures: Mapping[Path, Picture], url_prefix: str) -> None:
        self.pictures = pictures
        self.url_prefix = url_prefix
        self._sets: dict[Path, ImageSet | None] = {}
        self._wanted: dict[str, Wanted] = {}
        self._problems: dict[str, tuple[str, Diagnostic]] = {}  # by label: (path, problem)
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
        picture = self.pictures.get(path) or Picture(0, 0, "", "the file was not there")
        if picture.problem:
            self._problems[label] = (
                str(path),
                error(
                    label,
                    1,
                    1,
                    f"cannot read the image: {picture.problem}",
                    "save it again as PNG, JPEG or WebP, at most 60 million pixels",
                ),
            )
        else:
            result = self._plan(path, label, picture)
        self._sets[path] = result
        return result

    def _plan(self, path: Path, label: str, picture: Picture) -> ImageSet:
        own = RASTER[path.suffix.lower()]
        name = hashlib.sha256(f"v{VERSION}:{picture.digest}".encode()).hexdigest()[:10]
        stem = _slug(path.stem)
        formats = ("WEBP",) if own == "WEBP" else ("WEBP", own)
        made: dict[str, list[Variant]] = {fmt: [] for fmt in formats}
        for fmt in formats:
            for w in widths_for(picture.width):
                out = f"{OUT_DIR}{stem}.{name}.{w}.{EXTENSION[fmt]}"
                variant = Variant(out, self.url_prefix + out, w, fmt)
                made[fmt].append(variant)
                self._wanted.setdefault(out, Wanted(path, label, picture.digest, variant))
        top = made["WEBP"][-1].width
        return ImageSet(
            width=top,
            height=max(1, round(picture.height * top / picture.width)),
            webp=tuple(made["WEBP"]),
            fallback=tuple(made[own]) if own != "WEBP" else (),
        )

    def wanted(self, diags: list[Diagnostic], only: set[str] | None = None) -> list[Wanted]:
        """Every planned file, by output name; the images that could not be read go to diags.
        `only`: the files of these source images (by path), for the pages serve re-rendered."""
        diags.extend(d for path, d in self._problems.values() if only is None or path in only)
        wanted = [self._wanted[out] for out in sorted(self._wanted)]
        return wanted if only is None else [w for w in wanted if str(w.path) in only]

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
        _size_svg(img, self.pictures.get(path), eager=True)
        return etree.tostring(img, encoding="unicode", method="html")

    def rewrite(self, root: etree.Element, found: list[tuple[etree.Element, Path, str]]) -> None:
        """Turn the Markdown images found in one text into <picture>s; the first loads eagerly."""
        parents = {child: parent for parent in root.iter() for child in parent}
        for index, (img, path, label) in enumerate(found):
            eager = index == 0
            if path.suffix.lower() == ".svg":
                _size_svg(img, self.pictures.get(path), eager)
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


def _size_svg(img: etree.Element, size: Picture | None, eager: bool) -> None:
    if size is not None and size.width > 0 and not {"width", "height"} & set(img.attrib):
        img.set("width", str(size.width))
        img.set("height", str(size.height))
    if not eager:
        img.set("loading", "lazy")
    img.set("decoding", "async")
