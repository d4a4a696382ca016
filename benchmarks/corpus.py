"""Deterministic synthetic sites in the content layout, in several shapes, for timing builds.

`python -m benchmarks.corpus N DEST [--shape NAME]` writes DEST/content (N page folders x 4
languages) and copies the real templates/, assets/, site.yaml and strings.yaml, so the corpus
exercises the same templates as the real site. `--list` names the shapes.

A shape is a set of parameters (`Shape`); the named ones are in SHAPES:

- `baseline`: the shape this file always made. Short plain sentences, one link a paragraph,
  one list and one table a page; every partner has a website and a founding year; an initiative
  names 1 cluster and 3 partners.
- `markup`: most sentences carry emphasis, a link or inline code; blockquotes, nested lists and
  a table in every part of the text. Same data as baseline.
- `sparse`: baseline text, but no partner has `website` or `founded` and initiatives name no
  clusters or partners (so the footer's "official websites" finds nothing to show).
- `deep`: every section but clusters is three folders deep (section/group/subgroup/page) and
  relation lists are long (an initiative names 3 clusters and 20 partners, a partner 4
  clusters, a timeline item 8 related pages).
- `outside`: markup-rich text and sparse data at once, the corpus issue 13 describes.
- `short`: baseline data, but one heading of text a page (120-420 words, median 190 against
  900 for baseline), so what every page costs whatever its text (templates, menus, footer,
  writing a file) weighs most.

On depth: site.yaml `sections:` maps a top-level folder to a page kind, and every folder below
it is a page of that kind (`page_kind` looks at the first folder only); there is no way to
declare a section inside a section. So "three levels deep" here is three folder levels below
the section folder, the intermediate folders being pages of the section's kind (a partner
group is a partner page with partner pages below it; a timeline group is a news item with a
year). `sitegen check` accepts that.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "nl", "fr", "de")
WORDS = (
    "research innovation campus partner cluster university hospital region talent investment "
    "laboratory startup spin-off network science technology health semiconductor design data "
    "biotech city council programme international company growth engineering knowledge market "
    "collaboration infrastructure funding patent incubator student graduate industry export "
    "medical device software platform energy materials climate mobility policy strategy"
).split()
CODE = ("data.yaml", "pip install", "--no-search", "site.yaml", "make test", "build/", "v2.1")
# Share of the N folders that go to each section; the rest are news items.
SHARES = (("clusters", 0.05), ("partners", 0.40), ("initiatives", 0.25))
FIXED = ("", "clusters", "partners", "initiatives", "timeline", "leuven-inside", "invest")


@dataclass(frozen=True, slots=True)
class Shape:
    """What a corpus looks like, apart from its size."""

    name: str
    about: str
    words: tuple[int, int] = (600, 900)  # body length range
    markup: float = 0.0  # share of sentences with emphasis, a link or inline code
    quotes: bool = False  # a blockquote in every part of the text
    nested_lists: bool = False  # lists two and three levels deep instead of one flat list
    tables: str = "once"  # "once": one table a page; "every": one in every part of the text
    website: float = 1.0  # share of partners with a website
    founded: float = 1.0  # share of partners with a founding year
    partner_clusters: int = 2
    initiative_clusters: int = 1
    initiative_partners: int = 3
    timeline_related: int = 1
    depth: int = 1  # folder levels below a section (clusters stay at 1)
    fanout: tuple[int, ...] = field(default=(4, 4))  # groups at each level above the pages


SHAPES: dict[str, Shape] = {
    s.name: s
    for s in (
        Shape("baseline", "today's corpus: plain text, full data, one level"),
        Shape(
            "markup",
            "markup-rich text: emphasis, links, code in most sentences; quotes, nested lists, "
            "tables",
            markup=0.8,
            quotes=True,
            nested_lists=True,
            tables="every",
        ),
        Shape(
            "sparse",
            "partners without website or founded; initiatives without relations",
            website=0.0,
            founded=0.0,
            initiative_clusters=0,
            initiative_partners=0,
        ),
        Shape(
            "deep",
            "sections three folders deep; long relation lists",
            partner_clusters=4,
            initiative_clusters=3,
            initiative_partners=20,
            timeline_related=8,
            depth=3,
        ),
        Shape(
            "outside",
            "markup-rich text and sparse data together (issue 13's outside corpus)",
            markup=0.8,
            quotes=True,
            nested_lists=True,
            tables="every",
            website=0.0,
            founded=0.0,
            initiative_clusters=0,
            initiative_partners=0,
        ),
        Shape(
            "short", "short pages: one heading of plain text (median 190 words)", words=(60, 150)
        ),
    )
}


@dataclass(frozen=True, slots=True)
class Corpus:
    """Where each generated page lives, so run.py can edit one of each kind."""

    root: Path
    shape: Shape
    pages: tuple[str, ...]
    partner: str  # a partner page for body edits
    renamed: str  # a partner no site-wide element shows (no website, ordered last)
    template: str


def _words(rng: random.Random, lo: int, hi: int) -> list[str]:
    return [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]


def _sentence(rng: random.Random, lo: int = 8, hi: int = 18) -> str:
    words = _words(rng, lo, hi)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _marked(rng: random.Random, targets: list[str], share: float) -> str:
    """A sentence; with probability `share` one to three words carry inline markup."""
    words = _words(rng, 8, 18)
    if rng.random() < share:
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(1, len(words))
            kind = rng.randrange(5)
            if kind == 0:
                words[i] = f"*{words[i]}*"
            elif kind == 1:
                words[i] = f"**{words[i]}**"
            elif kind == 2:
                words[i] = f"`{rng.choice(CODE)}`"
            elif kind == 3:
                words[i] = f"[{words[i]}](/{rng.choice(targets)})"
            else:
                words[i] = f"[{words[i]}](https://{rng.choice(WORDS)}.example/{i})"
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _list(rng: random.Random, nested: bool) -> str:
    if not nested:
        return "\n".join(f"- {_sentence(rng, 4, 8)}" for _ in range(5))
    lines = []
    for i in range(4):
        lines.append(f"{i + 1}. {_sentence(rng, 4, 8)}")
        for _ in range(rng.randint(1, 3)):
            lines.append(f"    - {_sentence(rng, 3, 7)}")
            if rng.random() < 0.5:
                lines += [f"        - {_sentence(rng, 3, 6)}" for _ in range(2)]
    return "\n".join(lines)


def _table(rng: random.Random) -> str:
    rows = ["| Year | Staff | Funding |", "| --- | ---: | ---: |"]
    rows += [
        f"| {2000 + i} | {rng.randint(10, 5000)} | {rng.randint(1, 900)} M |" for i in range(5)
    ]
    return "\n".join(rows)


def _body(rng: random.Random, targets: list[str], lang: str, shape: Shape) -> str:
    """Paragraphs under headings, a list, links by content path, tables, as the shape says."""
    goal = rng.randint(*shape.words)
    parts: list[str] = []
    count = 0
    section = 0
    while count < goal:
        section += 1
        parts.append(f"## {lang.upper()} section {section}: {_sentence(rng, 2, 4)[:-1]}")
        for _ in range(rng.randint(2, 3)):
            if shape.markup:
                sentences = [_marked(rng, targets, shape.markup) for _ in range(rng.randint(3, 5))]
            else:
                sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
            link = rng.choice(targets)
            sentences.insert(1, f"See [{link.rsplit('/', 1)[-1]}](/{link}) for details.")
            paragraph = " ".join(sentences)
            count += len(paragraph.split())
            parts.append(paragraph)
        if shape.quotes:
            quote = [_marked(rng, targets, shape.markup) for _ in range(rng.randint(2, 3))]
            parts.append("> " + " ".join(quote[:-1]) + "\n>\n> " + quote[-1])
            count += sum(len(q.split()) for q in quote)
        if section == 1 or (shape.nested_lists and section % 2 == 1):
            parts.append(_list(rng, shape.nested_lists))
            count += 60 if shape.nested_lists else 30
        if section == 2 or (shape.tables == "every" and section > 2):
            parts.append(_table(rng))
            count += 20
    return "\n\n".join(parts) + "\n"


def _page(path: Path, title: str, lang: str, body: str) -> None:
    front = (
        f"---\ntitle: {title} ({lang})\ndescription: {title}, a synthetic page in {lang}.\n---\n"
    )
    (path / f"{lang}.md").write_text(front + body, encoding="utf-8")


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def _groups(section: str, shape: Shape) -> list[str]:
    """The intermediate folders of one section, parents before children ([] when flat)."""
    if shape.depth <= 1 or section == "clusters":
        return []
    found: list[str] = []
    level = [section]
    for fan in shape.fanout[: shape.depth - 1]:
        level = [f"{parent}/g{i + 1:02d}" for parent in level for i in range(fan)]
        found += level
    return found


def generate(
    n: int, dest: Path, seed: int = 1, shape: Shape | str = "baseline", base: Path = REPO
) -> Corpus:
    """Write the corpus into dest (replacing it); the same n, seed and shape give the same
    bytes. templates/, assets/, content/site.yaml and content/strings.yaml come from base
    (the checkout, or a copy of the commit being timed)."""
    shape = SHAPES[shape] if isinstance(shape, str) else shape
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    content = dest / "content"
    content.mkdir(parents=True)
    shutil.copytree(base / "templates", dest / "templates")
    shutil.copytree(base / "assets", dest / "assets")
    shutil.copy(base / "content" / "site.yaml", content / "site.yaml")
    shutil.copy(base / "content" / "strings.yaml", content / "strings.yaml")
    counts = {name: max(1, int(n * share)) for name, share in SHARES}
    counts["timeline"] = max(1, n - sum(counts.values()))
    groups = {section: _groups(section, shape) for section in counts}
    names: dict[str, list[str]] = {}
    for section, count in counts.items():
        leaves = max(1, count - len(groups[section]))
        bottom = [g for g in groups[section] if g.count("/") == shape.depth - 1] or [section]
        stem = {"timeline": "item"}.get(section, section[:-1])
        names[section] = [f"{bottom[i % len(bottom)]}/{stem}-{i:05d}" for i in range(leaves)]
    leaves = [p for section in names.values() for p in section]
    inner = [g for section in groups.values() for g in section]
    renamed = names["partners"][-1]
    for path in list(FIXED) + inner + leaves:
        folder = content / path
        folder.mkdir(parents=True, exist_ok=True)
        data = [f"weight: {999 if path == renamed else rng.randint(1, 100)}"]
        slug = path.rsplit("/", 1)[-1]
        section = path.split("/", 1)[0]
        if path in leaves and section == "partners":
            picks = rng.sample(names["clusters"], min(shape.partner_clusters, counts["clusters"]))
            if path != renamed and rng.random() < shape.website:
                data.append(f"website: https://{slug}.example")
            if rng.random() < shape.founded:
                data.append(f'founded: "{rng.randint(1425, 2024)}"')
            if picks:
                data.append("clusters: " + _yaml_list([p.split("/")[1] for p in picks]))
        elif path in leaves and section == "initiatives":
            clusters = rng.sample(
                names["clusters"], min(shape.initiative_clusters, counts["clusters"])
            )
            partners = rng.sample(
                names["partners"], min(shape.initiative_partners, len(names["partners"]))
            )
            if clusters:
                data.append("clusters: " + _yaml_list([p.split("/")[1] for p in clusters]))
            if partners:
                data.append("partners: " + _yaml_list([p.split("/", 1)[1] for p in partners]))
        elif section == "timeline" and path != "timeline":
            i = int(slug.rsplit("-", 1)[-1]) if path in leaves else len(path)
            data = [f"date: {2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}"]
            if path in leaves:
                related = rng.sample(
                    names["partners"], min(shape.timeline_related, len(names["partners"]))
                )
                data.append("related: " + _yaml_list(related))
        data += [
            "sources:",
            f'  - title: "Source for {slug or "home"}"',
            f'    url: "https://source.example/{slug or "home"}"',
            "    figures: []",
        ]
        (folder / "data.yaml").write_text("\n".join(data) + "\n", encoding="utf-8")
        title = slug.replace("-", " ").capitalize() if slug else "Home"
        targets = rng.sample(leaves, min(6, len(leaves))) + ["clusters", "partners"]
        for lang in LANGS:
            _page(folder, title, lang, _body(rng, targets, lang, shape))
    return Corpus(
        dest,
        shape,
        tuple(list(FIXED) + inner + leaves),
        names["partners"][0],
        renamed,
        "partner.html",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, nargs="?", help="number of page folders")
    parser.add_argument("dest", type=Path, nargs="?", help="site folder to create (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="baseline")
    parser.add_argument("--list", action="store_true", help="name the shapes and stop")
    args = parser.parse_args()
    if args.list or args.n is None or args.dest is None:
        for shape in SHAPES.values():
            print(f"{shape.name:10} {shape.about}")
        return
    corpus = generate(args.n, args.dest, args.seed, args.shape)
    print(
        f"wrote {len(corpus.pages)} page folders x {len(LANGS)} languages "
        f"({corpus.shape.name}) into {args.dest}"
    )


if __name__ == "__main__":
    main()
