"""One follow-up visit of the open case, edited as if it were a document of its own.

The visit editor's inputs use the shared binding (`widgets.bind`) exactly as the other tabs do, with
paths inside the visit ("measures.pain", "labs.crp", "mri_date"). `VisitDocument` gives them the
interface of `CaseDocument` (get, set, changed, checks, the undo stack) and writes every edit into
the case's `visits` list through the case's own document, so there is still one case, one undo
history and one set of loader rules:

- an edit that would make the file unopenable (a lesion `new` at two visits, a status dated before
  the lesion's first visit) is refused in place with the loader's sentence (case/visits.py);
- the visit's inputs have their own EditTracker, joined to the case's by a small bridge, so Save,
  Export, a tab switch, Undo and the autosave finish and see what is being typed in the visit too.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Optional

from PySide6.QtCore import QObject, Signal

from desktop_app.case.labels import field_label
from desktop_app.case.models import Visit
from desktop_app.case.visits import visit_problems
from desktop_app.ui.document import CaseDocument, get_path
from desktop_app.ui.widgets import EditTracker, set_path

# Shown (disabled) while no visit is selected; never written anywhere.
_NO_VISIT = Visit(date=dt.date(1900, 1, 1))


def visit_path_label(path: str) -> str:
    """A visit field's label without its unit, for Edit › Undo: "pain", "CRP", "visit date"."""
    text = re.sub(r"\s*\(.*\)$", "", field_label(f"visits[0].{path}")).strip()
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first[1:2].isupper() else text[:1].lower() + text[1:]


class VisitDocument(QObject):
    """The selected visit of `doc.case.visits`, with the CaseDocument interface `bind` needs."""

    changed = Signal(str)  # a path inside the visit; "" when another visit is shown
    checksChanged = Signal()

    def __init__(self, doc: CaseDocument, parent: QObject | None = None):
        # Not a child of `doc`: the case's EditTracker is found by searching the document's
        # children, and this document's tracker must not be mistaken for it.
        super().__init__(parent)
        self.main = doc
        self.visit_id: Optional[str] = None
        self._shown: dict[str, Any] = _NO_VISIT.model_dump()
        doc.changed.connect(self._main_changed)
        doc.checksChanged.connect(self.checksChanged)
        self.bridge = _VisitEdits(self)
        EditTracker.of(doc).add(self.bridge, "visits", self.bridge.pending)
        EditTracker.of(self).draftEdited.connect(EditTracker.of(doc).draftEdited)

    # --- the CaseDocument interface --------------------------------------------------------------
    @property
    def undo_stack(self):
        return self.main.undo_stack

    @property
    def case(self) -> Visit:
        """The visit being edited (EditTracker.case_with_pending copies it)."""
        return self.visit() or _NO_VISIT

    def visit(self) -> Optional[Visit]:
        return next((v for v in self.main.case.visits if v.id == self.visit_id), None) \
            if self.visit_id is not None else None

    def index(self) -> int:
        """The visit's position in the file (entry checks are keyed by it); -1 without one."""
        return next((i for i, v in enumerate(self.main.case.visits) if v.id == self.visit_id), -1)

    def get(self, path: str) -> Any:
        return get_path(self.case, path)

    def set(self, path: str, value: Any, label: str | None = None) -> None:
        """Write one field of the visit as one undoable edit of the case. Raises (before anything
        changes) pydantic.ValidationError for a value out of range, and ValueError with the loader's
        sentence for an edit that would break the rules between visits."""
        visit = self.visit()
        if visit is None:
            return
        trial = visit.model_copy(deep=True)
        set_path(trial, path, value)  # validate_assignment: pydantic checks and coerces
        if trial == visit:
            return
        visits = [trial if v.id == visit.id else v for v in self.main.case.visits]
        before = set(visit_problems(self.main.case))
        after = visit_problems(self.main.case.model_copy(update={"visits": visits}))
        new_problems = [p for p in after if p not in before]
        if new_problems:
            raise ValueError(new_problems[0])
        self.main.set("visits", visits, label or f"{visit_path_label(path)} at visit {visit.date.isoformat()}")

    def checks(self, path: str | None = None):
        i = self.index()
        if path is None:
            prefix = f"visits[{i}]."
            return {k[len(prefix):]: v for k, v in self.main.checks().items() if k.startswith(prefix)}
        return self.main.checks(f"visits[{i}].{path}") if i >= 0 else []

    # --- which visit -------------------------------------------------------------------------------
    def show_visit(self, visit_id: Optional[str]) -> None:
        """Edit another visit (None: none). Pending entries of the one shown are finished first."""
        if visit_id == self.visit_id:
            return
        self.bridge.commit_edit()
        self.visit_id = visit_id
        self._shown = self.case.model_dump()
        self.changed.emit("")
        self.checksChanged.emit()  # the checks under the inputs are the newly shown visit's

    def _main_changed(self, path: str) -> None:
        if path and path != "visits" and not path.startswith("visits."):
            return
        if self.visit_id is not None and self.visit() is None:  # deleted, undone or another file
            self.visit_id = None
        now = self.case.model_dump()
        old, self._shown = self._shown, now
        if not path:
            self.changed.emit("")
            return
        for changed in _differences(old, now):
            self.changed.emit(changed)


def _differences(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    """The paths whose values differ, down to a field of `measures` or an analyte of `labs`."""
    out = []
    for key in new:
        if old.get(key) == new[key]:
            continue
        if key in ("measures", "labs") and not prefix and isinstance(new[key], dict):
            out += _differences(old.get(key) or {}, new[key], f"{key}.")
        else:
            out.append(prefix + key)
    return out


class _VisitEdits(QObject):
    """The visit's inputs as one entry of the case's EditTracker: finishing it finishes them, its
    refusals are theirs, and its pending edit is the visit as the editor shows it."""

    def __init__(self, vdoc: VisitDocument):
        super().__init__(vdoc)
        self.vdoc = vdoc
        self.setProperty("case_path", "visits")

    def commit_edit(self) -> None:
        case_tracker = EditTracker.of(self.vdoc.main)
        for item, message in EditTracker.of(self.vdoc).finish():
            case_tracker.refused(item, message)

    def error(self) -> str:
        from desktop_app.ui.widgets import item_name

        return "; ".join(f"{item_name(item)}: {text}" for item, text in EditTracker.of(self.vdoc).standing())

    def pending(self, case: Any) -> None:
        if self.vdoc.visit() is None:
            return
        shown = EditTracker.of(self.vdoc).case_with_pending()
        case.visits = [shown if v.id == shown.id else v for v in case.visits]
