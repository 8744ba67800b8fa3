"""Subcommands: query (see the module docstring of the code they call)."""

from __future__ import annotations

from graph.cli import app  # noqa: F401
