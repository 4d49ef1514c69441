"""Recent files and autosave: the window's file bookkeeping, kept out of main_window.py.

Recent files live in QSettings (the storage layer is Qt-free and doesn't know about them).
Autosave writes a recovery copy 30 s after the first unsaved change (storage/recovery.py), so a
crash or power cut loses at most half a minute; the copy is removed after a clean save or when the
user chooses to discard the changes.

The recent-files list names patients' case files: the settings file is kept owner-only (0600, in a
0700 folder when the app creates it), like every file the app writes.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from PySide6.QtCore import QObject, QSettings, QTimer

if TYPE_CHECKING:  # the window's first frame is drawn before the case model is imported
    from desktop_app.ui.document import CaseDocument

RECENT_KEY = "recent_files"
MAX_RECENT = 8
AUTOSAVE_MS = 30_000


class RecentFiles:
    """Most-recent-first list of case paths, persisted in QSettings."""

    def __init__(self, settings: QSettings):
        self._settings = settings
        make_settings_private(settings)

    def paths(self) -> list[Path]:
        raw = self._settings.value(RECENT_KEY, [])
        if isinstance(raw, str):  # QSettings returns a bare string for a one-item list
            raw = [raw]
        return [Path(p) for p in (raw or [])]

    def add(self, path: Path) -> None:
        path = Path(path).resolve()
        items = [path] + [p for p in self.paths() if p != path]
        self._store(items[:MAX_RECENT])

    def remove(self, path: Path) -> None:
        self._store([p for p in self.paths() if p != Path(path).resolve()])

    def _store(self, items: list[Path]) -> None:
        self._settings.setValue(RECENT_KEY, [str(p) for p in items])
        self._settings.sync()
        make_settings_private(self._settings)


def make_settings_private(settings: QSettings) -> None:
    """Owner-only settings file (POSIX): created 0600 before Qt first writes it (Qt keeps an existing
    file's mode when it rewrites it), and fixed if it exists with another mode. Never raises."""
    path = settings.fileName()
    if os.name != "posix" or not os.path.isabs(path):
        return  # Windows keeps settings in the user's own registry hive
    folder = os.path.dirname(path)
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)  # makedirs' mode is masked by the umask
        elif os.path.basename(folder) == settings.organizationName() != "":
            os.chmod(folder, 0o700)  # our own folder (~/.config/CRMO Consult), not a shared parent
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600))
        if os.stat(path).st_mode & 0o777 != 0o600:
            os.chmod(path, 0o600)
    except OSError:
        pass  # settings are a convenience; the app works without them


def _recovery():
    from desktop_app.storage import recovery  # imported when first needed: keeps start-up lean

    return recovery


class Autosave(QObject):
    """Writes a recovery copy of a dirty document `interval_ms` after its first unsaved change."""

    def __init__(self, doc: CaseDocument, original_path: Callable[[], Optional[Path]],
                 interval_ms: int = AUTOSAVE_MS, parent: QObject | None = None):
        super().__init__(parent)
        self._doc = doc
        self._original_path = original_path
        self.recovery_path: Optional[Path] = None  # the copy this session wrote (or adopted)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.write_now)
        # The undo stack, not doc.changed: during `changed` the stack has not yet counted the edit.
        doc.undo_stack.indexChanged.connect(self._on_change)
        doc.undo_stack.cleanChanged.connect(self._on_change)
        # Text still being typed counts too (issue 17): the copy holds the case as the window
        # shows it (EditTracker.case_with_pending), without committing the field under the cursor.
        from desktop_app.ui.widgets import EditTracker  # here: the first frame does without it

        self._tracker = EditTracker.of(doc)
        self._tracker.draftEdited.connect(self._on_draft)

    def _on_draft(self, *_args) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def _on_change(self, *_args) -> None:
        # Start counting at the first unsaved change; later edits don't push the deadline back.
        try:
            dirty = self._doc.dirty
        except RuntimeError:  # the stack signals while it is being destroyed with the window
            return
        if dirty and not self.timer.isActive():
            self.timer.start()

    def write_now(self) -> Optional[Path]:
        """Write the recovery copy now (when there is something unsaved). Never raises: a failed
        autosave must not interrupt the clinician; it is retried at the next change."""
        self.timer.stop()
        try:
            case = self._tracker.case_with_pending()
            if not self._doc.dirty and case.model_dump() == self._doc.case.model_dump():
                return None
            path = Path(_recovery().write_recovery(case, self._original_path()))
        except Exception as exc:  # noqa: BLE001 - retried at the next change; one line for the log
            _log_one_line("autosave failed", exc)
            return None
        if self.recovery_path is not None and self.recovery_path != path:
            self._discard_file(self.recovery_path)
        self.recovery_path = path
        return path

    def adopt(self, path: Optional[Path]) -> None:
        """Take over a recovery copy restored at start-up, so it is removed after the next save."""
        self.recovery_path = Path(path) if path else None

    def discard(self) -> None:
        """The document is saved or its changes were deliberately dropped: remove our copy."""
        self.timer.stop()
        if self.recovery_path is not None:
            self._discard_file(self.recovery_path)
            self.recovery_path = None

    @staticmethod
    def _discard_file(path: Path) -> None:
        try:
            recovery = _recovery()
            for entry in recovery.list_recoveries():
                if Path(entry.path) == path:
                    recovery.discard_recovery(entry)
                    return
        except Exception as exc:  # noqa: BLE001 - a copy left behind is offered again, not lost
            _log_one_line("could not remove the autosaved copy", exc)


def export_fhir(window, visit_id: Optional[str]) -> bool:
    """Ask where, then write the note for `visit_id` (None: the first consultation's) as a FHIR
    document bundle with its PDF (desktop_app/fhir, imported only here: never at start-up)."""
    stem = window.path.stem if window.path else Path(window._suggested_name()).stem
    name = f"{stem}-{visit_id}.json" if visit_id else f"{stem}.json"  # a visit's note says which
    suggested = window.path.with_name(name) if window.path else Path.home() / name
    path = window.prompter.fhir_path(str(suggested))
    if not path:
        return False
    if window.path is not None and Path(path).resolve() == Path(window.path).resolve():
        window.prompter.error("Could not export the FHIR bundle", f"{path.name}: is the open case; choose another name")
        return False
    try:
        from desktop_app.fhir.bundle import write_bundle

        write_bundle(window.doc.case, str(path), visit_id)
    except Exception as exc:  # noqa: BLE001 - reported in one line; the case is unaffected
        window.prompter.error("Could not export the FHIR bundle", str(exc))
        return False
    what = "Consult note" if visit_id is None else f"Follow-up note of visit {visit_id}"
    window.statusBar().showMessage(f"{what} written as a FHIR bundle to {path}")
    return True


def _log_one_line(what: str, exc: BaseException) -> None:
    from desktop_app.storage.errors import one_line

    print(f"crmo-consult: {what}: {one_line(exc)}", file=sys.stderr)
