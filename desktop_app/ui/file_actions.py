"""Recent files and autosave: the window's file bookkeeping, kept out of main_window.py.

Recent files live in QSettings (the storage layer is Qt-free and doesn't know about them).
Autosave writes a recovery copy 30 s after the first unsaved change (storage/recovery.py), so a
crash or power cut loses at most half a minute; the copy is removed after a clean save or when the
user chooses to discard the changes.
"""
from __future__ import annotations

import traceback
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
        if not self._doc.dirty:
            return None
        try:
            path = Path(_recovery().write_recovery(self._doc.case, self._original_path()))
        except Exception:
            traceback.print_exc()
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
        except Exception:
            traceback.print_exc()
