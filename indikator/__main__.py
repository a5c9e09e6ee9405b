"""`python -m indikator` runs the command line."""

from .cli import main

main()
