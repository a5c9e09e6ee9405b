"""`python -m indikator` runs the command line."""

from indikator.cli.main import main

main()
