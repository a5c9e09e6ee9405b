"""`python -m indikator` runs the command line (and is the bundled program's entry)."""

from indikator.cli.main import main

if __name__ == "__main__":  # a spawned worker that imports this module starts no second run
    main()
