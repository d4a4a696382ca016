"""Photos are resized at build time into WebP plus their own format, cached, byte-stable."""

from __future__ import annotations

import io
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from sitegen import pipeline
from sitegen.output import images as encoding
from sitegen.render import images
from sitegen.render.environment import LangTools
from sitegen.render.views import page_view
from sitegen.source import pictures
from tests.conftest import Run, tree_bytes, write

PAGE = "content/partners/imec"


def make_image(path: Path, size: tuple[int, int], fmt: str, orientation: int | None = None) -> Path:
    """A small picture with some structure, so encoders have real work to do."""
    image = Image.new("RGB", size, (200, 40, 40))
    for x in range(0, size[0], 16):
        for y in range(0, size[1], 16):
            image.putpixel((x, y), (x % 255, y % 255, 90))
    path.parent.mkdir(parents=True, exist_ok=True)
    extra: dict[str, object] = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[images.ORIENTATION] = orientation
        extra["exif"] = exif.tobytes()
    image.save(path, fmt, **extra)
    return path


def with_body(site: Path, body: str) -> None:
    write(
        site / PAGE / "en.md",
        f"---\ntitle: imec\ndescription: Research centre for nanoelectronics.\n---\n{body}\n",
    )


def build(run: Run, site: Path, out: Path | None = None) -> Path:
    out = out or site / "build"
    code, _, err = run("build", "--site", site, "--out", out, "--no-search")
    assert code == 0, err
    return out


def html_of(out: Path) -> str:
    return (out / "en/partners/imec/index.html").read_text()


class _Tags(HTMLParser):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == self.name:
            self.found.append({k: v or "" for k, v in attrs})


def tags(html: str, name: str) -> list[dict[str, str]]:
    """Every <name> tag's attributes, whatever order they were written in."""
    parser = _Tags(name)
    parser.feed(html)
    return parser.found


def generated(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_bytes(out / "assets/img").items()}


def test_photo_becomes_a_picture_with_webp_and_jpeg_in_three_widths(run: Run, site: Path) -> None:
    make_image(site / PAGE / "lab.jpg", (2000, 1000), "JPEG")
    with_body(site, "![The imec cleanroom](lab.jpg)")
    out = build(run, site)
    picture = re.search(r"<picture>.*?</picture>", html_of(out), re.S)
    assert picture
    [source] = tags(picture[0], "source")
    assert source["type"] == "image/webp"
    assert re.findall(r" (\d+)w", source["srcset"]) == ["480", "960", "1600"]
    assert source["sizes"] == images.SIZES
    [img] = tags(picture[0], "img")
    assert img["alt"] == "The imec cleanroom"
    assert (img["width"], img["height"]) == ("1600", "800")
    assert img["decoding"] == "async"
    assert re.fullmatch(r"/assets/img/lab\.\w{10}\.960\.jpg", img["src"])
    assert re.findall(r"\.(\d+)\.jpg (\d+)w", img["srcset"]) == [
        ("480", "480"),
        ("960", "960"),
        ("1600", "1600"),
    ]
    for name, data in generated(out).items():
        width = int(name.split(".")[-2])
        with Image.open(io.BytesIO(data)) as made:
            assert made.width == width
            assert made.height == width // 2
            assert made.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    assert len(generated(out)) == 6


def test_small_image_is_never_upscaled(run: Run, site: Path) -> None:
    make_image(site / PAGE / "logo.png", (300, 200), "PNG")
    with_body(site, "![imec logo](logo.png)")
    out = build(run, site)
    assert sorted(n.split(".", 2)[2] for n in generated(out)) == ["300.png", "300.webp"]
    [img] = tags(html_of(out), "img")
    assert (img["width"], img["height"]) == ("300", "200")


def test_only_the_first_image_of_a_page_loads_eagerly(run: Run, site: Path) -> None:
    make_image(site / PAGE / "a.jpg", (600, 400), "JPEG")
    make_image(site / PAGE / "b.webp", (600, 400), "WEBP")
    with_body(site, "![First](a.jpg)\n\nText.\n\n![Second](b.webp)")
    imgs = tags(html_of(build(run, site)), "img")
    assert len(imgs) == 2
    assert "loading" not in imgs[0]
    assert imgs[1]["loading"] == "lazy"
    assert re.match(r"/assets/img/b\.\w+\.480\.webp 480w", imgs[1]["srcset"])


def test_photo_turned_by_its_camera_gets_its_upright_size(run: Run, site: Path) -> None:
    make_image(site / PAGE / "turned.jpg", (400, 200), "JPEG", orientation=6)
    with_body(site, "![Portrait](turned.jpg)")
    out = build(run, site)
    [img] = tags(html_of(out), "img")
    assert (img["width"], img["height"]) == ("200", "400")
    for data in generated(out).values():
        with Image.open(io.BytesIO(data)) as made:
            assert made.height > made.width
            assert not made.getexif()


def test_unchanged_image_is_not_processed_again(
    run: Run, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_image(site / PAGE / "lab.jpg", (1200, 800), "JPEG")
    with_body(site, "![Lab](lab.jpg)")
    first = generated(build(run, site))

    def refuse(*args: object) -> bytes:
        raise AssertionError("an unchanged image was encoded again")

    monkeypatch.setattr(encoding, "encode", refuse)
    assert generated(build(run, site)) == first


def test_damaged_cache_entry_is_rebuilt_not_published(run: Run, site: Path) -> None:
    make_image(site / PAGE / "lab.png", (1000, 500), "PNG")
    with_body(site, "![Lab](lab.png)")
    first = generated(build(run, site))
    entries = sorted((site / ".sitegen-cache/images").glob("*.bin"))
    assert entries
    entries[0].write_bytes(entries[0].read_bytes()[:100])
    entries[1].write_bytes(b"not an image")
    assert generated(build(run, site)) == first
    assert not list((site / ".sitegen-cache/images").glob(".tmp-*"))


def test_images_are_the_same_bytes_on_every_build(run: Run, site: Path, tmp_path: Path) -> None:
    make_image(site / PAGE / "lab.jpg", (1100, 700), "JPEG")
    make_image(site / PAGE / "chart.png", (600, 400), "PNG")
    with_body(site, "![Lab](lab.jpg) ![Chart](chart.png)")
    first = tree_bytes(build(run, site))
    shutil.rmtree(site / ".sitegen-cache")
    assert tree_bytes(build(run, site, tmp_path / "again")) == first


def test_svg_is_published_as_is_with_the_size_it_declares(run: Run, site: Path) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60" stroke-width="3"/>'
    write(site / PAGE / "mark.svg", svg)
    with_body(site, "![The mark](mark.svg)")
    out = build(run, site)
    [img] = tags(html_of(out), "img")
    assert img["src"] == "/en/partners/imec/mark.svg"
    assert (img["width"], img["height"]) == ("120", "60")
    assert (out / "en/partners/imec/mark.svg").read_text() == svg


def test_svg_without_size_takes_it_from_its_viewbox(tmp_path: Path) -> None:
    svg = write(tmp_path / "a.svg", '<?xml version="1.0"?>\n<svg viewBox="0 0 48 32.4"></svg>')
    assert pictures.svg_size(svg) == (48, 32)


def test_unreadable_image_fails_the_build_naming_the_file(run: Run, site: Path) -> None:
    write(site / PAGE / "broken.jpg", "this is not a JPEG")
    with_body(site, "![Broken](broken.jpg)")
    code, _, err = run("build", "--site", site, "--no-search")
    assert code == 1
    assert f"{PAGE}/broken.jpg:1:1: error: cannot read the image" in err


def test_data_yaml_image_is_offered_to_templates_as_a_picture(site: Path) -> None:
    make_image(site / PAGE / "hero.jpg", (1800, 900), "JPEG")
    data = site / PAGE / "data.yaml"
    data.write_text(data.read_text() + "image: hero.jpg\n")
    loaded, inputs, diags = pipeline.load_site(site)
    assert loaded is not None and inputs is not None, diags
    version = loaded.versions[("partners/imec", "nl")]
    strings = {k: dict(v) for k, v in loaded.strings.items()}
    tools = LangTools("nl", "nl_BE", strings)
    view = page_view(loaded, version, "", tools, images=inputs.images)
    assert view.picture.startswith('<picture><source type="image/webp"')
    assert 'width="1600" height="800"' in view.picture
    assert "loading=" not in view.picture
