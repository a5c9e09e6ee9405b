"""indikator: NNS indicator surveys of a samordningsförbund, from export files to report charts.

The data flows one way: questionnaires → reading → importing → stats → charts →
pack/outputs → cli.
"""

__version__ = "0.1.0"
