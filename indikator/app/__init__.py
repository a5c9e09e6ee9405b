"""`indikator app`: the same library as the command line, behind a local web page."""
