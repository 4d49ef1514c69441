"""Walking a library folder: which files are case files, and duplicate MRNs among them.

Only `*.crmo` files count. Temporary files (`*.crmo-tmp`) and `.bak-v*` copies do not end in `.crmo`;
recovery copies (a `.crmo` beside its `crmo-consult/recovery` sidecar) are skipped. Symbolic links are
listed but never followed into folders (a loop cannot make the walk endless); a link to a file that
cannot be reached becomes a row that says why.
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from pathlib import Path
from typing import Iterator

from desktop_app.library.summary import Row
from desktop_app.storage.recovery import SIDECAR_KIND

CASE_SUFFIX = ".crmo"
_SIDECAR_BYTES = 64 * 1024


class LibraryError(Exception):
    """The folder itself cannot be used (not a folder, unreadable): one line for the user."""


def check_folder(folder: Path) -> Path:
    """The resolved folder, or LibraryError saying why it is not a readable folder."""
    from desktop_app.storage.errors import shown

    if not folder.is_dir():
        raise LibraryError(f"{shown(str(folder))}: is not a folder (or no longer exists).")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise LibraryError(f"{shown(str(folder))}: permission denied; you may not read this folder.")
    return folder.resolve()


def case_files(folder: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to the folder with '/' separators, full path) of every case file, in name order.
    Plain strings while walking: a refresh of thousands of files is mostly this walk."""
    root = str(folder)
    for top, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        names = set(files)
        rel_top = os.path.relpath(top, root).replace(os.sep, "/")
        prefix = "" if rel_top == "." else rel_top + "/"
        for name in sorted(files):
            if not name.lower().endswith(CASE_SUFFIX):
                continue
            full = os.path.join(top, name)
            if name[:-len(CASE_SUFFIX)] + ".json" in names and _is_recovery_copy(Path(full)):
                continue
            yield prefix + name, Path(full)


def _is_recovery_copy(path: Path) -> bool:
    sidecar = path.with_suffix(".json")
    if not sidecar.is_file():
        return False
    try:
        with open(sidecar, "rb") as f:
            data = json.loads(f.read(_SIDECAR_BYTES).decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("format") == SIDECAR_KIND


def mark_duplicate_mrns(rows: list[Row]) -> None:
    """Each readable row whose MRN another row also has lists the other files (same MRN as …)."""
    by_mrn: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        r.duplicate_mrn_of = []
        if r.error is None and r.mrn.strip():
            by_mrn[r.mrn.strip().casefold()].append(r)
    for group in by_mrn.values():
        if len(group) > 1:
            for r in group:
                r.duplicate_mrn_of = [o.file for o in group if o is not r]
