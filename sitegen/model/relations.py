"""References between pages in data.yaml, resolved in both directions in one pass."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from sitegen.schema.kinds import data_fields
from sitegen.schema.validate import CheckedPage
from sitegen.schema.values import as_refs


def resolve_relations(
    pages: Mapping[str, CheckedPage],
) -> tuple[dict[str, dict[str, tuple[str, ...]]], dict[str, dict[str, tuple[str, ...]]]]:
    """Return outgoing (page -> field -> paths) and incoming (page -> referrer kind -> paths).

    Linear in the number of references: each is visited once and indexed both ways.
    """
    outgoing: dict[str, dict[str, tuple[str, ...]]] = {}
    incoming: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(pages):
        page = pages[path]
        fields: dict[str, tuple[str, ...]] = {}
        for f in data_fields(page.kind):
            refs = as_refs(page.data.get(f.name))
            if f.type != "refs" or not refs:
                continue
            full = tuple(
                r if f.target is None or r.startswith(f.target + "/") else f"{f.target}/{r}"
                for r in refs
            )
            resolved = tuple(dict.fromkeys(p for p in full if p in pages))
            fields[f.name] = resolved
            for target in resolved:
                incoming[target][page.kind].append(path)
        outgoing[path] = fields
    frozen_in = {
        target: {kind: tuple(paths) for kind, paths in sorted(by_kind.items())}
        for target, by_kind in incoming.items()
    }
    return outgoing, frozen_in
