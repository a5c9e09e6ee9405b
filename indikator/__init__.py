"""indikator: NNS indicator surveys of a samordningsförbund, from export files to report charts.

The data flows one way: questionnaires → reading → importing → stats → charts →
pack/outputs → cli.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("indikator")
except PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+okänd"
