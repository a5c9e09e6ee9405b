"""The data flows one way: a lower stage never imports a higher one."""

from __future__ import annotations

import subprocess
import sys


def _loaded_after(module: str) -> set[str]:
    code = (f"import sys, {module}; "
            "print('\\n'.join(m for m in sys.modules if m.startswith('indikator')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return set(out.split())


def test_reading_does_not_import_importing():
    assert not any(m.startswith("indikator.importing") for m in _loaded_after(
        "indikator.reading"))


def test_the_version_is_the_installed_distributions():
    from importlib.metadata import version

    import indikator

    assert indikator.__version__ == version("indikator")
