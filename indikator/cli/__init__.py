"""The command line: options mapped to the library's calls (main), help and messages in
Swedish (help_text), the progress bar."""

import os

# One OpenBLAS thread, set before numpy loads it: the program runs a worker process a
# core, and the few matrix products it makes are small, so OpenBLAS's own threads only
# spun, waiting for work, on cores the workers needed (1 % of a nation's CPU time). A
# value the user set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
