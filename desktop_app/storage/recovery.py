"""Autosave and crash recovery: copies of unsaved work in the per-user data folder.

The window autosaves the open case here every few seconds while it has unsaved changes, and deletes
the copy once the case is saved or closed on purpose. Whatever is still here at the next start-up
is work a crash or power cut would otherwise have lost, and the window offers to restore it.

Each recovery is two files in `<data dir>/recovery/`:
  <slot>.crmo   a normal case file (it opens with load_case like any other)
  <slot>.json   a small sidecar: which original file it belongs to, when it was written
so that the case model needs no recovery-only fields. Pure Python: no Qt here.

Recovery copies hold patient data: the folders are owner-only (0700, also fixed on an existing
folder), the files 0600 (storage/atomic.py), and listing the copies at start-up also removes the
temp files a crash left behind mid-autosave.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from desktop_app.case.models import Case
from desktop_app.storage.atomic import atomic_write_bytes, remove_stale_temps
from desktop_app.storage.case_file import MAX_CASE_BYTES, case_to_bytes, load_case
from desktop_app.storage.errors import CaseFileError
from desktop_app.storage.files import read_regular_file

APP_DIR_NAME = "CRMO Consult"
DATA_DIR_ENV = "CRMO_CONSULT_DATA_DIR"  # tests and portable installs point this elsewhere
SIDECAR_KIND = "crmo-consult/recovery"


@dataclass(frozen=True)
class RecoveryEntry:
    path: Path  # the recovery case file
    original: Path | None  # the file it is unsaved work for; None for a never-saved case
    saved_at: dt.datetime  # when the recovery copy was written (UTC)
    patient_name: str  # "" when the case has no name or could not be read


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The per-user data folder: the argument, else $CRMO_CONSULT_DATA_DIR, else the OS default."""
    if override is not None:
        return Path(override)
    env = os.environ.get(DATA_DIR_ENV)
    if env:
        return Path(env)
    import platformdirs  # lazy: only needed when the OS default is used

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))


def recovery_dir(override: str | os.PathLike[str] | None = None) -> Path:
    return data_dir(override) / "recovery"


def private_dir(folder: Path) -> Path:
    """Create `folder` (and the missing folders above it) owner-only; fix an existing one's mode."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)  # mode is masked by the umask, hence _make_private too
        _make_private(p)
    _make_private(folder)
    return folder


def _make_private(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows: the per-user profile folder is already private to its user
    try:
        if (folder.stat().st_mode & 0o777) != 0o700:
            os.chmod(folder, 0o700)
    except OSError:
        pass  # not ours to change (e.g. a shared folder): writing still works or fails clearly


def slot_for(original: str | os.PathLike[str] | None) -> str:
    """A stable file stem per original file, so repeated autosaves overwrite one copy.

    A never-saved case gets one slot per running app (its process id).
    """
    if original is None:
        return f"untitled-{os.getpid()}"
    resolved = str(Path(original).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:12]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(original).stem)[:40] or "case"
    return f"{stem}-{digest}"


def write_recovery(
    case: Case,
    original_path: str | os.PathLike[str] | None,
    *,
    directory: str | os.PathLike[str] | None = None,
) -> Path:
    """Write (or overwrite) the recovery copy of `case`; return the recovery case file's path."""
    folder = private_dir(recovery_dir(directory))
    slot = slot_for(original_path)
    target = folder / f"{slot}.crmo"
    atomic_write_bytes(target, case_to_bytes(case))
    sidecar = {
        "format": SIDECAR_KIND,
        "original": str(Path(original_path).resolve()) if original_path is not None else None,
        "written_at": _utc_now().isoformat(),
    }
    atomic_write_bytes(target.with_suffix(".json"), json.dumps(sidecar, ensure_ascii=False, indent=2).encode("utf-8"))
    return target


def list_recoveries(*, directory: str | os.PathLike[str] | None = None) -> list[RecoveryEntry]:
    """Every recovery copy in the data folder, newest first. Never raises on a damaged copy."""
    folder = recovery_dir(directory)
    if not folder.is_dir():
        return []
    _make_private(folder)  # a folder made by an older version (or by hand) may be 0755
    remove_stale_temps(folder)
    entries = [_entry(p) for p in folder.glob("*.crmo") if p.is_file()]
    return sorted(entries, key=lambda e: e.saved_at, reverse=True)


def recovery_for(
    original_path: str | os.PathLike[str] | None, *, directory: str | os.PathLike[str] | None = None
) -> RecoveryEntry | None:
    """The recovery copy for one original file (or this app's untitled case), if there is one."""
    path = recovery_dir(directory) / f"{slot_for(original_path)}.crmo"
    return _entry(path) if path.is_file() else None


def load_recovery(entry: RecoveryEntry) -> Case:
    """Open a recovery copy; raises CaseFileError like any damaged case file."""
    return load_case(entry.path)


def discard_recovery(entry: RecoveryEntry) -> None:
    """Delete a recovery copy and its sidecar (already gone is fine)."""
    for p in (entry.path, entry.path.with_suffix(".json")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def _entry(path: Path) -> RecoveryEntry:
    side = _read_json(path.with_suffix(".json"))
    original = side.get("original") if side.get("format") == SIDECAR_KIND else None
    saved_at = _parse_time(side.get("written_at")) or dt.datetime.fromtimestamp(
        path.stat().st_mtime, dt.timezone.utc
    )
    patient = _read_json(path).get("patient")
    name = patient.get("name") if isinstance(patient, dict) else None
    return RecoveryEntry(
        path=path,
        original=Path(original) if isinstance(original, str) and original else None,
        saved_at=saved_at,
        patient_name=name if isinstance(name, str) else "",
    )


def _read_json(path: Path) -> dict:
    # Listing must survive a half-written or hand-edited copy: unreadable → empty.
    try:
        data = json.loads(read_regular_file(path, MAX_CASE_BYTES).decode("utf-8-sig"))
    except (CaseFileError, ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _parse_time(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
