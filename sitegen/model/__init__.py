"""Stage 3: the immutable site model (pages, translations, relations, URLs)."""
