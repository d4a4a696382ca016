"""Which template files a page's template uses, so editing one re-renders only its pages.

A template's digest covers its own source and that of every template it extends, includes or
imports, followed to the end. A reference Jinja cannot resolve before rendering (a name made
from a variable) makes the template depend on all of them.
"""

from __future__ import annotations

import hashlib

from jinja2 import Environment, TemplateSyntaxError, meta


def template_digests(env: Environment) -> dict[str, str]:
    """Each template's name with a digest of everything it may load while rendering."""
    if env.loader is None:
        return {}
    names = sorted(env.list_templates())
    sources: dict[str, str] = {}
    refs: dict[str, list[str | None]] = {}
    for name in names:
        source = env.loader.get_source(env, name)[0]
        sources[name] = source
        try:
            refs[name] = list(meta.find_referenced_templates(env.parse(source)))
        except TemplateSyntaxError:  # reported when a page renders; depend on everything
            refs[name] = [None]
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
