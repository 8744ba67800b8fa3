"""``python -m servicegraph``: the same as the ``servicegraph`` console script."""

from servicegraph.cli import main

main()
