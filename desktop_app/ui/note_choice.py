"""Which note Preview, Export PDF and Print make when the case has visits (clinical-rules.md §13.6):
the follow-up note of a visit, or the first consultation's consult note (§12).

One list of choices for the three actions, in one wording: "Visit of <date> (<id>)" for each visit,
latest first (and preselected: §13.6 "the latest by default"), then "First consultation (<date>)". A
case without visits has no choice: the actions make the consult note, as before issue 18.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from desktop_app.case.models import Case
from desktop_app.case.visits import ordered_visits

NOTE_FOR = "Note for:"  # the label of the choice, in the preview's toolbar and before Export/Print
NOTE_FOR_NAME = "Note for"  # its accessible name
NOTE_CHOICE_HELP = "This case has follow-up visits: a visit's follow-up note, or the first consultation's note?"


@dataclass(frozen=True)
class NoteOption:
    label: str
    visit_id: Optional[str]  # None: the first consultation's note


def note_options(case: Case) -> list[NoteOption]:
    """The choices, latest visit first; [] when the case has no visits (no choice is shown)."""
    visits = ordered_visits(case)
    if not visits:
        return []
    out = [NoteOption(f"Visit of {v.date.isoformat()} ({v.id})", v.id) for v in reversed(visits)]
    first = case.encounter.date
    out.append(NoteOption(f"First consultation ({first.isoformat() if first else 'date not recorded'})", None))
    return out


class NoteChoiceCombo(QComboBox):
    """The choice as a combo box; `visit_id()` is the chosen note's visit (None: first consultation)."""

    def __init__(self, options: Sequence[NoteOption] = (), parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setAccessibleName(NOTE_FOR_NAME)
        self.setToolTip("A visit's follow-up note, or the first consultation's note")
        self.set_options(options)

    def set_options(self, options: Sequence[NoteOption], keep: bool = True) -> None:
        """Replace the choices; the chosen visit stays chosen while it is one of them (`keep`),
        otherwise the latest visit is chosen."""
        was = self.visit_id() if keep and self.count() else "latest"
        self.blockSignals(True)
        try:
            self.clear()
            for o in options:
                self.addItem(o.label, o.visit_id)
            ids = [o.visit_id for o in options]
            self.setCurrentIndex(ids.index(was) if was in ids else 0)
        finally:
            self.blockSignals(False)

    def visit_id(self) -> Optional[str]:
        return self.currentData()

    def select(self, visit_id: Optional[str]) -> None:
        self.setCurrentIndex(self.findData(visit_id))


class NoteChoiceDialog(QDialog):
    """The small question before Export PDF… and Print… of a case with visits: "Note for:" and the
    choices (the latest visit preselected), OK/Cancel. Shown through the Prompter only."""

    def __init__(self, action: str, options: Sequence[NoteOption], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle(action)
        self.combo = NoteChoiceCombo(options, self)
        label = QLabel(f"&{NOTE_FOR}", self)
        label.setBuddy(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(NOTE_CHOICE_HELP, self))
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(buttons)
        self.combo.setFocus()

    def chosen(self) -> Optional[int]:
        """The chosen option's index, or None when the dialog was cancelled."""
        return self.combo.currentIndex() if self.result() == QDialog.DialogCode.Accepted else None
