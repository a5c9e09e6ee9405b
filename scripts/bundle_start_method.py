"""PyInstaller runtime hook of the bundled program (scripts/indikator.spec).

Test-only: with INDIKATOR_START_METHOD=spawn the program starts its chart workers and
the PDF compiler as Windows does (a fresh copy of the program each), so that
`python scripts/build_app.py --check` tries the frozen spawn path on Linux. Unset, it
does nothing.
"""

import multiprocessing
import os

_method = os.environ.get("INDIKATOR_START_METHOD", "")
if _method in multiprocessing.get_all_start_methods():
    multiprocessing.set_start_method(_method, force=True)
