"""Stable codes of the diagnostics that programs (and tests) decide on.

A message can be reworded for editors at any time; a code cannot. Decisions (exit codes,
which messages replace which) look at `Diagnostic.code`, never at the message text.
"""

from __future__ import annotations

UNKNOWN_KIND = "unknown-kind"  # a page kind sitegen does not know (usage error in `new`)
UNKNOWN_LANGUAGE = "unknown-language"  # --to or --lang names a language site.yaml lacks (usage)
BROKEN_LINK = "broken-link"  # a link to a page or file that does not exist
DRAFT_LINK = "draft-link"  # a link to a page that is not published
DUPLICATE_OUTPUT = "duplicate-output"  # two pages would be written to the same address
TEMPLATE_ERROR = "template-error"  # a template failed on content (not a bug in sitegen)
BAD_MOVED_FROM = "bad-moved-from"  # a 'moved_from' value that is not a content path
MOVED_FROM_LIVE = "moved-from-live"  # a 'moved_from' path (or its address) is a live page
MOVED_FROM_TWICE = "moved-from-twice"  # two pages (or one, twice) claim the same old path
SECOND_MAIN_HEADING = "second-main-heading"  # a '# heading' in a text: the title is the h1
SCAFFOLD_TEXT = "scaffold-text"  # a published page still holds the placeholder `sitegen new` wrote
MISSING_PAGE = "missing-page"  # links (in texts or data.yaml) to a page that does not exist
DEAD_EXTERNAL_LINK = "dead-external-link"  # a source, website or link outside the site is gone
BAD_RECORD = "bad-translation-record"  # a translations.yaml that sitegen cannot read
XLIFF_REFUSED = "xliff-refused"  # `translate import` refused a file; nothing was written
