"""`python -m stconfig`."""

from stconfig.cli import main

main()
