"""A deterministic synthetic site in the content layout, for timing builds at any size.

`python -m benchmarks.corpus N DEST` writes DEST/content (N page folders x 4 languages) and
copies the real templates/, assets/, site.yaml and strings.yaml, so the corpus exercises
the same templates as the real site.
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
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
# Share of the N folders that go to each section; the rest are news items.
SHARES = (("clusters", 0.05), ("partners", 0.40), ("initiatives", 0.25))


@dataclass(frozen=True, slots=True)
class Corpus:
    """Where each generated page lives, so run.py can edit one of each kind."""

    root: Path
    pages: tuple[str, ...]
    partner: str
    template: str


def _sentence(rng: random.Random, lo: int = 8, hi: int = 18) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _body(rng: random.Random, targets: list[str], lang: str) -> str:
    """600-900 words: paragraphs under headings, a list, links by content path, a table."""
    goal = rng.randint(600, 900)
    parts: list[str] = []
    count = 0
    section = 0
    while count < goal:
        section += 1
        parts.append(f"## {lang.upper()} section {section}: {_sentence(rng, 2, 4)[:-1]}")
        for _ in range(rng.randint(2, 3)):
            sentences = [_sentence(rng) for _ in range(rng.randint(3, 5))]
            link = rng.choice(targets)
            sentences.insert(1, f"See [{link.rsplit('/', 1)[-1]}](/{link}) for details.")
            paragraph = " ".join(sentences)
            count += len(paragraph.split())
            parts.append(paragraph)
        if section == 1:
            items = [f"- {_sentence(rng, 4, 8)}" for _ in range(5)]
            parts.append("\n".join(items))
            count += 30
        if section == 2:
            rows = ["| Year | Staff | Funding |", "| --- | ---: | ---: |"]
            rows += [
                f"| {2000 + i} | {rng.randint(10, 5000)} | {rng.randint(1, 900)} M |"
                for i in range(5)
            ]
            parts.append("\n".join(rows))
            count += 20
    return "\n\n".join(parts) + "\n"


def _page(path: Path, title: str, lang: str, body: str) -> None:
    front = (
        f"---\ntitle: {title} ({lang})\ndescription: {title}, a synthetic page in {lang}.\n---\n"
    )
    (path / f"{lang}.md").write_text(front + body, encoding="utf-8")


def _yaml_list(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def generate(n: int, dest: Path, seed: int = 1) -> Corpus:
    """Write the corpus into dest (replacing it); the same n and seed give the same bytes."""
    rng = random.Random(seed)
    if dest.exists():
        shutil.rmtree(dest)
    content = dest / "content"
    content.mkdir(parents=True)
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "assets", dest / "assets")
    shutil.copy(REPO / "content" / "site.yaml", content / "site.yaml")
    shutil.copy(REPO / "content" / "strings.yaml", content / "strings.yaml")
    counts = {name: max(1, int(n * share)) for name, share in SHARES}
    counts["timeline"] = max(1, n - sum(counts.values()))
    names = {
        section: [
            f"{section}/{section[:-1] if section != 'timeline' else 'news'}-{i:05d}"
            for i in range(count)
        ]
        for section, count in counts.items()
    }
    names["timeline"] = [
        f"timeline/{2000 + i % 25}-item-{i:05d}" for i in range(counts["timeline"])
    ]
    leaves = [p for section in names.values() for p in section]
    fixed = ["", "clusters", "partners", "initiatives", "timeline", "leuven-inside", "invest"]
    for path in fixed + leaves:
        folder = content / path
        folder.mkdir(parents=True, exist_ok=True)
        data = [f"weight: {rng.randint(1, 100)}"]
        slug = path.rsplit("/", 1)[-1]
        section = path.split("/", 1)[0]
        if path in leaves and section == "partners":
            picks = rng.sample(names["clusters"], min(2, len(names["clusters"])))
            data += [
                f"website: https://{slug}.example",
                f'founded: "{rng.randint(1425, 2024)}"',
                "clusters: " + _yaml_list([p.split("/")[1] for p in picks]),
            ]
        elif path in leaves and section == "initiatives":
            clusters = rng.sample(names["clusters"], 1)
            partners = rng.sample(names["partners"], min(3, len(names["partners"])))
            data += [
                "clusters: " + _yaml_list([p.split("/")[1] for p in clusters]),
                "partners: " + _yaml_list([p.split("/")[1] for p in partners]),
            ]
        elif path in leaves and section == "timeline":
            i = int(slug.rsplit("-", 1)[-1])
            data = [
                f"date: {2000 + i % 25}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "related: " + _yaml_list([rng.choice(names["partners"])]),
            ]
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
            _page(folder, title, lang, _body(rng, targets, lang))
    return Corpus(dest, tuple(fixed + leaves), names["partners"][0], "partner.html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of page folders")
    parser.add_argument("dest", type=Path, help="site folder to create (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    corpus = generate(args.n, args.dest, args.seed)
    print(f"wrote {len(corpus.pages)} page folders x {len(LANGS)} languages into {args.dest}")


if __name__ == "__main__":
    main()
