"""The ``servicegraph`` command line, composed above every package it drives.

The packages stand in floors (``ontology`` → ``shapes`` → ``graph`` → ``api``/``viz``); the
command line drives all of them, so its one composition module, :mod:`servicegraph.cli`,
stands on top and nothing below imports it.
"""
