"""The open case as a Qt document: one Case, edited through undoable commands.

Every panel writes through `CaseDocument.set(path, value)` and re-reads `doc.case` when
`changed` fires; nothing else mutates the case. That keeps one source of truth, gives undo/redo
for free and lets the assessment pane recompute from the same object.

Paths are dotted attribute names into the Case, e.g. "labs.crp", "symptoms.bone_pain",
"imaging.lesions" (lists are replaced whole: simple to undo, and cheap at clinical sizes).
"""
from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.case.models import Case


def get_path(case: Case, path: str) -> Any:
    obj: Any = case
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _set_path(case: Case, path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    obj: Any = case
    for part in parents:
        obj = getattr(obj, part)
    setattr(obj, leaf, value)  # validate_assignment=True: pydantic checks the value


class _SetField(QUndoCommand):
    def __init__(self, doc: "CaseDocument", path: str, old: Any, new: Any, text: str):
        super().__init__(text)
        self._doc, self._path, self._old, self._new = doc, path, old, new

    def redo(self) -> None:
        self._doc._apply(self._path, self._new)

    def undo(self) -> None:
        self._doc._apply(self._path, self._old)


class CaseDocument(QObject):
    """Holds the open case, its undo stack and whether it differs from the file on disk."""

    changed = Signal(str)  # the path that changed ("" after a whole-case replace)

    def __init__(self, case: Case | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.case: Case = case or Case()
        self.undo_stack = QUndoStack(self)

    # --- editing -------------------------------------------------------------------------
    def set(self, path: str, value: Any, label: str | None = None) -> None:
        """Set one field; a no-op when unchanged. Raises pydantic.ValidationError (before
        anything changes) when the value is invalid, so the caller can flag the input."""
        *parents, leaf = path.split(".")
        trial = get_path(self.case, ".".join(parents)) if parents else self.case
        trial = trial.model_copy()
        setattr(trial, leaf, value)  # validates and coerces, on a copy
        value = getattr(trial, leaf)
        old = copy.deepcopy(get_path(self.case, path))
        if old == value:
            return
        self.undo_stack.push(_SetField(self, path, old, copy.deepcopy(value), label or f"Edit {path}"))

    def get(self, path: str) -> Any:
        return get_path(self.case, path)

    def replace_case(self, case: Case) -> None:
        """Load another case (open/new): clears undo history and marks the document clean."""
        self.case = case
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.changed.emit("")

    def _apply(self, path: str, value: Any) -> None:
        _set_path(self.case, path, copy.deepcopy(value))
        self.changed.emit(path)

    # --- saved state ---------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()
