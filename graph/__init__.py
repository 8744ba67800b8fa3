"""servicegraph's graph package: card reading and parsing, RDF building, store, analysis, CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("servicegraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
