"""The command line: options mapped to the library's calls (main), help and messages in
Swedish (help_text), the progress bar."""

import os

# One OpenBLAS thread, set before numpy loads it: the program runs a worker process a
# core, and the few matrix products it makes are small, so OpenBLAS's own threads only
# spun, waiting for work, on cores the workers needed (1 % of a nation's CPU time). A
# number the user set for it (OpenBLAS reads these three) is kept.
if not {"OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"} & set(os.environ):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
