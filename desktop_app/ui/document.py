"""The open case as a Qt document: one Case, edited through undoable commands.

Every panel writes through `CaseDocument.set(path, value)` and re-reads `doc.case` when
`changed` fires; nothing else mutates the case. That keeps one source of truth, gives undo/redo
for free and lets the assessment pane recompute from the same object.

Paths are dotted attribute names into the Case, e.g. "labs.crp", "symptoms.bone_pain",
"imaging.lesions" (lists are replaced whole: simple to undo, and cheap at clinical sizes).

The values in the case are treated as immutable: an edit replaces the objects along its path with
changed copies and never changes one in place. So the undo stack keeps the old and new values
themselves, shared with the case, not deep copies: deep-copying a 40-visit case's `visits` on every
edit took most of the edit → repaint time (issue 23).
"""
from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.case.entry_checks import EntryCheck, checks_by_path
from desktop_app.case.labels import field_label
from desktop_app.case.models import Case
from desktop_app.ui.results import CaseResults


def edit_label(path: str) -> str:
    """What an edit of `path` is called in Edit › Undo: "weight", "CRP", "date of birth".

    The field's label without its unit ("Weight (kg)" → "weight"); acronyms keep their capitals."""
    text = re.sub(r"\s*\(.*\)$", "", field_label(path)).strip()
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first[1:2].isupper() else text[:1].lower() + text[1:]


def get_path(case: Case, path: str) -> Any:
    obj: Any = case
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _set_path(case: Case, path: str, value: Any) -> None:
    """Put `value` at `path`: the root case is changed, every object below it on the path is
    replaced by a copy (never changed in place: undo commands and earlier values may share it)."""
    head, *rest = path.split(".")
    setattr(case, head, _replaced(getattr(case, head), rest, value) if rest else value)


def _replaced(obj: Any, parts: list[str], value: Any) -> Any:
    """A shallow copy of `obj` with `value` at `parts` (validate_assignment checks it)."""
    head, *rest = parts
    changed = obj.model_copy()
    setattr(changed, head, _replaced(getattr(obj, head), rest, value) if rest else value)
    return changed


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
    checksChanged = Signal()  # the cross-field entry checks differ from before (see checks())

    def __init__(self, case: Case | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.case: Case = case or Case()
        self.undo_stack = QUndoStack(self)
        self._checks: dict[str, list[EntryCheck]] = checks_by_path(self.case)
        # The assessment, plan and course of the case, shared by every view (remembered by value).
        self.results = CaseResults()

    # --- editing -------------------------------------------------------------------------
    def set(self, path: str, value: Any, label: str | None = None) -> None:
        """Set one field; a no-op when unchanged. Raises pydantic.ValidationError (before
        anything changes) when the value is invalid, so the caller can flag the input."""
        *parents, leaf = path.split(".")
        trial = get_path(self.case, ".".join(parents)) if parents else self.case
        trial = trial.model_copy()
        setattr(trial, leaf, value)  # validates and coerces, on a copy
        value = getattr(trial, leaf)
        old = get_path(self.case, path)  # shared, not copied: nothing changes it in place
        if old == value:
            return
        self.undo_stack.push(_SetField(self, path, old, value, label or edit_label(path)))

    def get(self, path: str) -> Any:
        return get_path(self.case, path)

    def replace_case(self, case: Case) -> None:
        """Load another case (open/new): clears undo history and marks the document clean."""
        self.case = case
        self.results.clear()  # another file: nothing remembered from the last one
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self._update_checks()
        self.changed.emit("")

    def _apply(self, path: str, value: Any) -> None:
        _set_path(self.case, path, value)
        self._update_checks()
        self.changed.emit(path)

    # --- cross-field checks (desktop_app/case/entry_checks.py) ---------------------------------
    def checks(self, path: str | None = None) -> list[EntryCheck] | dict[str, list[EntryCheck]]:
        """The checks shown beside `path` (a list), or all of them by path (a dict)."""
        return self._checks if path is None else self._checks.get(path, [])

    def _update_checks(self) -> None:
        # Computed once per change for every field (a few comparisons), announced only on a change.
        new = checks_by_path(self.case)
        if new != self._checks:
            self._checks = new
            self.checksChanged.emit()

    # --- saved state ---------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()
