"""The Plan tab: the proposed treatment lines with Accept / Edit / Remove, CTP eligibility,
prognosis, follow-up and the clinician's own plan notes.

A thin view over `plan(case, assess(case))`, recomputed whenever the document changes. The
clinician's decisions are written as one `plan_edits` dict through `doc.set` (validated, undoable,
saved in the case file); nothing here decides clinical content. Editing happens inline in the
line's own frame — never in a modal dialog — so tests and keyboard users are never blocked.
"""
from __future__ import annotations

from html import escape
from typing import Optional

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (QApplication, QFrame, QGroupBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from desktop_app.case.labels import field_label
from desktop_app.case.models import PlanLineEdit
from desktop_app.plan.types import AMOUNT_CHECK_LEAD, Plan, PlanLine
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.widgets import WARNING_COLOUR, EditTracker, bind

STATUS_MARK = {"met": "✔ met", "not_met": "✘ not met", "unknown": "? unknown"}
DECISION_NOTE = {"accepted": "Accepted", "edited": "Edited by the clinician", "removed": "Removed"}


def _label(text: str, rich: bool = False, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if name:
        label.setObjectName(name)
    return label


class NotesEdit(QPlainTextEdit):
    """Free text with the value()/setValue()/valueEdited interface of `widgets.bind`.

    Emits after a short pause in typing or on focus-out, so one pause = one undo step."""

    valueEdited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._timer = QTimer(self, singleShot=True, interval=600)
        self._timer.timeout.connect(self.commit)
        self.textChanged.connect(self._timer.start)

    def value(self) -> str:
        return self.toPlainText()

    def setValue(self, value: Optional[str]) -> None:
        if self.toPlainText() != (value or ""):  # don't reset the cursor on our own echo
            self.setPlainText(value or "")

    def commit(self) -> None:
        self._timer.stop()
        self.valueEdited.emit(self.value())

    commit_edit = commit  # Save/Export/Undo finish the typing first (widgets.commit_pending)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.commit()
        super().focusOutEvent(event)


class PlanLineWidget(QFrame):
    """One proposed line: what it says, why, its doses, and the clinician's decision buttons."""

    def __init__(self, panel: "PlanPanel", line: PlanLine, draft: Optional[str]):
        super().__init__()
        self.line = line
        self.setObjectName(f"plan_line:{line.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        removed = line.decision == "removed"
        layout = QVBoxLayout(self)
        layout.addWidget(_label(f"<b>{escape(line.step)}</b>"
                                + (f" — <i>{DECISION_NOTE[line.decision]}</i>" if line.decision in DECISION_NOTE else "")
                                + (f" — <b>{line.status_words}</b>" if line.status != "proposed" else ""),
                                rich=True))
        shown = line.edited_text if line.decision == "edited" else line.text
        self.text_label = _label(f"<s>{escape(shown)}</s>" if removed else escape(shown), rich=True, name="text")
        layout.addWidget(self.text_label)
        if line.decision == "edited":
            layout.addWidget(_label(f"Proposed: {line.text}"))
        if line.reason and not removed:
            layout.addWidget(_label(line.shown_reason, name="reason"))
        if line.source and not removed:
            layout.addWidget(_label(f"Source: {line.source}"))
        # An edited line is the clinician's wording alone: the proposal's doses are not theirs
        # (issue 17 item 11); the proposal stays readable above, marked "Proposed:".
        own_words = removed or line.decision == "edited"
        self.dose_labels, self.amount_check_labels = [], []
        for d in [] if own_words else line.doses:
            self.dose_labels.append(_label(d.one_line(), name="dose"))
            self.dose_labels[-1].setIndent(16)
            layout.addWidget(self.dose_labels[-1])
            if d.check_line():  # the weight's checks (§8 v3, §13.3 v4), right under the amount they concern
                check = _label(f'<span style="color:{WARNING_COLOUR}"><b>{escape(AMOUNT_CHECK_LEAD)}:</b></span> '
                               f"{escape(d.amount_check())}.", rich=True, name="amount_check")
                check.setIndent(32)
                check.setAccessibleName(d.check_line())
                self.amount_check_labels.append(check)
                layout.addWidget(check)
        self.check_labels = [] if own_words else [
            _label(f"Before starting {d.drug.lower()}: {'; '.join(d.before_starting)}"
                   + (f" ({d.before_starting_source})" if d.before_starting_source else ""), name="before_starting")
            for d in line.doses if d.before_starting]
        for label in self.check_labels:
            label.setIndent(32)
            layout.addWidget(label)

        buttons = QHBoxLayout()
        self.accept_btn = QPushButton("Accept")
        self.edit_btn = QPushButton("Edit…")
        self.remove_btn = QPushButton("Remove")
        self.restore_btn = QPushButton("Restore" if removed else "Reset to proposed")
        for b in (self.accept_btn, self.edit_btn, self.remove_btn, self.restore_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        # A held-back line cannot be accepted ("Accepted — not proposed" contradicts itself):
        # the clinician may remove it or write their own wording.
        self.accept_btn.setVisible(line.decision != "accepted" and not removed and line.status == "proposed")
        self.edit_btn.setVisible(not removed)
        self.remove_btn.setVisible(not removed)
        self.restore_btn.setVisible(line.decision != "proposed")

        # Inline editor: hidden until Edit… is pressed.
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("editor")
        self.editor.setAccessibleName(f"Wording of the plan line: {line.step}")
        self.editor.setTabChangesFocus(True)  # Tab reaches Save wording; no tab characters in a plan
        self.editor.setMaximumHeight(120)
        self.save_btn = QPushButton("Save wording")
        self.cancel_btn = QPushButton("Cancel")
        for b in (self.accept_btn, self.edit_btn, self.remove_btn, self.restore_btn, self.save_btn, self.cancel_btn):
            b.setAccessibleName(f"{b.text().rstrip('…')}: {line.step}")  # which line a button acts on
        self.edit_box = QWidget()
        box = QVBoxLayout(self.edit_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.editor)
        row = QHBoxLayout()
        row.addWidget(self.save_btn)
        row.addWidget(self.cancel_btn)
        row.addStretch(1)
        box.addLayout(row)
        layout.addWidget(self.edit_box)
        self.edit_box.setVisible(False)

        self.accept_btn.clicked.connect(lambda: panel.decide(line.id, "accepted"))
        self.remove_btn.clicked.connect(lambda: panel.decide(line.id, "removed"))
        self.restore_btn.clicked.connect(lambda: panel.decide(line.id, None))
        self.edit_btn.clicked.connect(lambda: self.open_editor(shown))
        self.save_btn.clicked.connect(lambda: panel.save_edit(line.id, self.editor.toPlainText()))
        self.cancel_btn.clicked.connect(lambda: panel.cancel_edit(line.id))
        self.editor.textChanged.connect(lambda: panel.remember_draft(line.id, self.editor.toPlainText()))
        self.editor.textChanged.connect(lambda: self.save_btn.setEnabled(bool(self.editor.toPlainText().strip())))
        if draft is not None:
            self.open_editor(draft)

    def open_editor(self, text: str) -> None:
        self.editor.setPlainText(text)
        self.edit_box.setVisible(True)
        self.edit_btn.setEnabled(False)
        self.editor.setFocus()

    def focus_target(self) -> QWidget:
        """Where the focus goes back to after this line was decided or rebuilt."""
        for b in (self.edit_btn, self.accept_btn, self.restore_btn):
            if not b.isHidden() and b.isEnabled():
                return b
        return self


class PlanPanel(QWidget):
    title = "Plan"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.plan: Optional[Plan] = None
        self._drafts: dict[str, str] = {}  # open inline editors survive a recompute
        self.line_widgets: dict[str, PlanLineWidget] = {}
        self._stale = False  # the document changed while the tab was hidden

        content = QWidget()
        outer = QVBoxLayout(content)
        outer.addWidget(_label("<h2>Proposed plan</h2><p>Accept, edit or remove each line; your decisions "
                               "are saved with the case. Doses: verify against your local formulary.</p>",
                               rich=True))
        # At follow-up (§13.1): the reference date and the weight the amounts were computed from.
        self.weight_label = _label("", name="weight_used")
        self.weight_label.setVisible(False)
        outer.addWidget(self.weight_label)
        self.workup_group, self._workup_box = self._group("Work-up first", outer)
        self._lines_box = QVBoxLayout()
        outer.addLayout(self._lines_box)
        self.eligibility_group, self._eligibility_box = self._group("CARRA CTP eligibility (Zhao 2018)", outer)
        self.prognosis_group, self._prognosis_box = self._group("Prognosis", outer)
        self.follow_up_group, self._follow_up_box = self._group("Follow-up", outer)
        self.notes_group, self._notes_box = self._group("Notes", outer)
        # The clinician's impression (case.impression): printed above the signature in the note.
        outer.addWidget(_label(f"<b>{field_label('impression')}</b>", rich=True))
        self.impression_edit = NotesEdit()
        self.impression_edit.setAccessibleName(field_label("impression"))
        self.impression_edit.setTabChangesFocus(True)
        self.impression_edit.setPlaceholderText("Your impression in a few lines: printed above the signature "
                                                "in the consult note.")
        self.impression_edit.setMaximumHeight(110)
        outer.addWidget(self.impression_edit)
        bind(doc, "impression", self.impression_edit)
        outer.addWidget(_label("<b>Your additions to the plan</b>", rich=True))
        self.notes_edit = NotesEdit()
        self.notes_edit.setAccessibleName("Your additions to the plan")
        self.notes_edit.setTabChangesFocus(True)
        self.notes_edit.setPlaceholderText("Free text: printed with the plan in the consult note.")
        outer.addWidget(self.notes_edit)
        outer.addStretch(1)
        bind(doc, "plan_notes", self.notes_edit)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.scroll = scroll
        self._keep_line: Optional[str] = None  # the line the user just acted on: kept in view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        doc.changed.connect(self._on_changed)
        # Wording typed in an open editor is an edit in progress like any field's (issue 17):
        # Save, Export, Close… finish it (commit_edit), and the autosave holds it (pending).
        self._tracker = EditTracker.of(doc)
        self._tracker.add(self, "plan_edits", self.pending)
        self.refresh()

    @staticmethod
    def _group(title: str, outer: QVBoxLayout) -> tuple[QGroupBox, QVBoxLayout]:
        group = QGroupBox(title)
        box = QVBoxLayout(group)
        outer.addWidget(group)
        return group, box

    # --- decisions (all through the document: undoable, saved) -------------------------------
    def decide(self, line_id: str, decision: Optional[str], text: str = "") -> None:
        self._keep_line = line_id
        edits = {k: v.model_copy() for k, v in self.doc.case.plan_edits.items()}
        if decision is None:
            edits.pop(line_id, None)
        else:
            edits[line_id] = PlanLineEdit(decision=decision, text=text)
        label = {"accepted": "Accept", "removed": "Remove", "edited": "Edit", None: "Restore"}[decision]
        self.doc.set("plan_edits", edits, label=f"{label} plan line")

    def save_edit(self, line_id: str, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self._drafts.pop(line_id, None)
        self.decide(line_id, "edited", text)
        self._keep_line = line_id  # the focus stays on this line after the second rebuild too
        self.refresh()  # closes the editor even when the wording was unchanged (no doc change)

    def cancel_edit(self, line_id: str) -> None:
        self._keep_line = line_id
        self._drafts.pop(line_id, None)
        self.refresh()

    def remember_draft(self, line_id: str, text: str) -> None:
        self._drafts[line_id] = text
        self._tracker.draftEdited.emit()

    def _unsaved_drafts(self) -> dict[str, str]:
        """Open editors whose wording differs from what the line shows (and is not empty)."""
        out = {}
        for line_id, text in self._drafts.items():
            w = self.line_widgets.get(line_id)
            if w is None or not text.strip():
                continue
            shown = w.line.edited_text if w.line.decision == "edited" else w.line.text
            if text.strip() != (shown or "").strip():
                out[line_id] = text.strip()
        return out

    def commit_edit(self) -> None:
        """Store every wording still in an open editor, as Save wording would."""
        for line_id, text in self._unsaved_drafts().items():
            self.save_edit(line_id, text)

    def pending(self, case) -> None:
        edits = dict(case.plan_edits)
        for line_id, text in self._unsaved_drafts().items():
            edits[line_id] = PlanLineEdit(decision="edited", text=text)
        case.plan_edits = edits

    # --- rendering --------------------------------------------------------------------------
    def _on_changed(self, path: str) -> None:
        if path in ("plan_notes", "impression"):  # free text does not change the proposal
            return
        # Rebuilding every line costs ~10 ms: while the tab is hidden, only note that the plan is
        # stale and rebuild once when it is shown, so edits on other tabs stay within a frame.
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def _focused_line(self) -> Optional[str]:
        focus = QApplication.focusWidget()
        for line_id, w in self.line_widgets.items():
            if focus is not None and (w is focus or w.isAncestorOf(focus)):
                return line_id
        return None

    def refresh(self) -> None:
        # The list is rebuilt: keep the scroll position, and the line acted on (or holding the
        # focus) in view with the focus on it, so the view does not jump.
        keep = self._keep_line or self._focused_line()
        self._keep_line = None
        scroll_value = self.scroll.verticalScrollBar().value()
        self._rebuild()
        self._restore_view(keep, scroll_value)

    def _restore_view(self, line_id: Optional[str], scroll_value: int) -> None:
        self.scroll.widget().layout().activate()  # geometry of the new lines, now
        self.scroll.verticalScrollBar().setValue(scroll_value)
        w = self.line_widgets.get(line_id) if line_id else None
        if w is None:
            if line_id and self.isVisible():
                # The line acted on is gone: the focus goes to the tab, not to whichever button
                # Qt would pick next (the last line's Accept, off screen: issue 17 item 8).
                self.scroll.setFocus()
            return
        self.scroll.ensureWidgetVisible(w, 0, 0)
        if w.edit_box.isVisible():
            w.editor.setFocus()
        else:
            w.focus_target().setFocus()

    def _rebuild(self) -> None:
        self._stale = False
        self.plan = self.doc.results.plan(self.doc.case)  # shared with the pane
        ids = {l.id for l in self.plan.lines}
        self._drafts = {k: v for k, v in self._drafts.items() if k in ids}
        # Modes workup / alternative diagnosis: the plan opens with the work-up (rules §8.0).
        self.workup_group.setTitle("Work-up still outstanding" if self.plan.mode == "cno" else
                                   "Work-up first: CNO treatment is not proposed until it is done")
        self._fill(self._workup_box, self.plan.workup)
        self.workup_group.setVisible(bool(self.plan.workup))
        self.weight_label.setText(self.plan.weight_words())
        self.weight_label.setVisible(bool(self.plan.weight_words()))
        self._clear(self._lines_box)
        self.line_widgets = {}
        for line in self.plan.lines:
            w = PlanLineWidget(self, line, self._drafts.get(line.id))
            self.line_widgets[line.id] = w
            self._lines_box.addWidget(w)
            w.setVisible(True)  # now, not on the layout's deferred show: state is testable at once
        self._fill(self._eligibility_box, [
            f"{STATUS_MARK[i.status]} — {i.label}. {i.evidence}"
            + (f" (would decide: {', '.join(field_label(p).lower() for p in i.missing)})" if i.missing else "")
            for i in self.plan.ctp_checklist()])
        self._fill(self._prognosis_box, [self._sourced(p.text, p.source) for p in self.plan.prognosis]
                   or ([self.plan.prognosis_withheld] if self.plan.prognosis_withheld else []))
        self._fill(self._follow_up_box, [self._sourced(p.text, p.source) for p in self.plan.follow_up])
        self._fill(self._notes_box, self.plan.notes)

    @staticmethod
    def _sourced(text: str, src: str) -> str:
        return f"{text} ({src})" if src else text

    @staticmethod
    def _clear(box: QVBoxLayout) -> None:
        while box.count():
            item = box.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
                item.widget().setParent(None)

    def _fill(self, box: QVBoxLayout, texts: list[str]) -> None:
        self._clear(box)
        for t in texts:
            box.addWidget(_label(t))
        group = box.parentWidget()
        if isinstance(group, QGroupBox):
            group.setVisible(bool(texts))  # an empty section (no checklist outside mode cno) is not shown

    def texts(self, box_name: str) -> list[str]:
        """The texts shown in a section ("eligibility", "prognosis", "follow_up", "notes")."""
        box = getattr(self, f"_{box_name}_box")
        return [box.itemAt(i).widget().text() for i in range(box.count())]
