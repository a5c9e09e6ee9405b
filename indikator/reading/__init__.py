"""Any export file -> raw grids of cells with the row numbers the user sees.

Nothing here knows about questionnaires: a grid is a list of rows, row 1 first,
exactly as Excel (or a text editor, for CSV) numbers them. Modules: `model` (the
sheet), `guards` (what is checked before a parser sees a file), `workbook`
(spreadsheets) and `delimited` (text); this one picks the reader by suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from indikator.reading.delimited import read_delimited
from indikator.reading.guards import check_container, read_regular_file
from indikator.reading.model import (
    EXCEL_SUFFIXES,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_UNPACKED_BYTES,
    SUFFIXES,
    TEXT_SUFFIXES,
    Cell,
    Sheet,
    unreadable,
)
from indikator.reading.workbook import read_workbook

__all__ = ["EXCEL_SUFFIXES", "MAX_CELLS", "MAX_FILE_BYTES", "MAX_UNPACKED_BYTES", "SUFFIXES",
           "TEXT_SUFFIXES", "Cell", "Sheet", "expand_paths", "read_file"]


def _read_spreadsheet(path: Path, data: bytes) -> list[Sheet]:
    return read_workbook(path, data, check_container(path, data))


READERS: dict[str, Callable[[Path, bytes], list[Sheet]]] = {
    **dict.fromkeys(EXCEL_SUFFIXES, _read_spreadsheet),
    **dict.fromkeys(TEXT_SUFFIXES, read_delimited),
}


def expand_paths(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The export files to read: folders give their spreadsheet and CSV files (sorted).

    Returns (files, skipped); skipped are Excel's lock files (~$name.xlsx), which
    exist while a workbook is open and are not exports, and hidden files in a folder
    (.name, macOS's ._name), which the caller names.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    for path in map(Path, paths):
        found = (sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
                 if path.is_dir() else [path])
        for f in found:
            hidden = path.is_dir() and f.name.startswith(".")
            (skipped if f.name.startswith("~$") or hidden else files).append(f)
    return files, skipped


def export_files(folder: Path, suffixes=SUFFIXES) -> list[Path]:
    """The export files directly in `folder`, sorted: not Excel's lock files (~$name) nor
    hidden ones (.name, macOS's ._name)."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file()
                  and p.suffix.lower() in suffixes and not p.name.startswith(("~$", ".")))


PACK_MARK = ".indikator-pack"  # output.folder.MANIFEST: a folder indikator wrote


def is_pack(folder: Path) -> bool:
    """A pack indikator wrote (its CSV tables are no exports), e.g. paket/ beside them."""
    return (Path(folder) / PACK_MARK).is_file()


def files_below(folder: Path, suffixes=SUFFIXES) -> list[Path]:
    """Export files in the folders below `folder` (not in it), at any depth: what reading
    the folder leaves out, to be said. A pack written there is not such a folder."""
    found = []
    for sub in sorted(p for p in Path(folder).iterdir() if p.is_dir()
                      and not p.name.startswith(".") and not is_pack(p)):
        found += export_files(sub, suffixes)
        found += files_below(sub, suffixes)
    return found


def hidden_below(folder: Path, suffixes=SUFFIXES) -> list[Path]:
    """Hidden folders ('.gammalt') below `folder` that hold export files, at any depth:
    they are not read, and that is said."""
    found = []
    for sub in sorted(p for p in Path(folder).iterdir() if p.is_dir() and not is_pack(p)):
        if sub.name.startswith("."):
            inside = [p for p in sub.rglob("*") if p.is_file() and p.suffix.lower() in suffixes]
            if inside:
                found.append(sub)
        else:
            found += hidden_below(sub, suffixes)
    return found


def _nearest_file(path: Path) -> str:
    """' Menade du svar_2025.xlsx?' for a misspelt name beside existing files, else ''."""
    import difflib

    folder = path.parent if str(path.parent) else Path(".")
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    except OSError:
        return ""
    close = difflib.get_close_matches(path.name, names, n=1, cutoff=0.6)
    if not close:
        return ""
    return f" Menade du {folder / close[0] if str(path.parent) != '.' else close[0]}?"


def read_file(path: Path) -> list[Sheet]:
    """Read every sheet of an export; an unreadable file raises with the reason."""
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise unreadable(path, "filen finns inte." + _nearest_file(path))
    reader = READERS.get(path.suffix.lower())
    if reader is None and not path.is_dir():
        raise unreadable(path, f"okänd filtyp '{path.suffix}'. Läser "
                               f"{', '.join(sorted(SUFFIXES))}.")
    data = read_regular_file(path)
    if not data.strip():
        raise unreadable(path, "filen är tom.")
    return reader(path, data)
