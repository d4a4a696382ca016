"""Stage 4: render the site model to {output path: content}."""
