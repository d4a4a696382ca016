"""Jinja's compiled templates, kept between runs in the one cache.

Compiling the templates a page renders with took 0.04 s of a 0.8 s one-page edit: for the
one page that changed, every template was compiled again from its source. Jinja checks each
compiled template against its source's checksum and its own and Python's versions, so an
edited template, or another Jinja, compiles afresh.
"""

from __future__ import annotations

from jinja2 import BytecodeCache, Environment, TemplateError
from jinja2.bccache import Bucket

from sitegen.incremental.store import Store

NAME = "templates.pickle"


class TemplateCode(BytecodeCache):
    """Held in memory while pages render (rendering opens no file): read from the store
    before, written back after (`save`) when a template was compiled."""

    def __init__(self, store: Store) -> None:
        self.store = store
        saved = store.load(NAME)
        code, refs = saved if isinstance(saved, tuple) and len(saved) == 2 else ({}, {})
        self.code: dict[str, tuple[str | None, bytes]] = code
        # The templates each template source names (render/templatedeps.py), by source.
        self.refs: dict[str, list[str | None]] = refs
        self.saved_refs = len(refs)
        self.changed = False
        # The compiled templates this run asked for: every template of the site, since a
        # build compiles them all first (compile_all); the others were deleted or renamed.
        self.asked: set[str] = set()

    def load_bytecode(self, bucket: Bucket) -> None:
        self.asked.add(bucket.key)
        found = self.code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.bytecode_from_string(found[1])  # Jinja refuses it if its versions differ

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())
        self.changed = True

    def save(self, sources: set[str]) -> None:
        """Keep what was compiled and parsed for today's templates: compiled code only for
        those asked for, references only for today's `sources`."""
        gone = self.code.keys() - self.asked if self.asked else set()
        for key in gone:
            del self.code[key]
        if self.changed or gone or len(self.refs) != self.saved_refs:
            self.refs = {src: refs for src, refs in self.refs.items() if src in sources}
            self.store.save(NAME, (self.code, self.refs))
            self.changed, self.saved_refs = False, len(self.refs)


def compile_all(env: Environment) -> None:
    """Compile every template now, in the main process, before the workers fork: they
    inherit them instead of compiling each their own, and the next run finds them saved.
    A template that does not compile is left for the page that uses it to report."""
    assert env.loader is not None
    for name in env.loader.list_templates():
        try:
            env.get_template(name)
        except TemplateError:
            pass
