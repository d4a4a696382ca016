"""sitegen: a static-site generator for multilingual content folders."""

__version__ = "0.1.0"
