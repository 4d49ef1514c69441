"""The "Mimics" tab: conditions that exclude CNO when confirmed (EULAR/ACR 2025 exclusions).

Each is Confirmed (True) / Excluded (False, tested and ruled out) / Not assessed (None). The line
under each says what the answer does to the EULAR/ACR 2025 classification (clinical-rules.md §5).
"""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop_app.case import labels
from desktop_app.case.models import Mimics
from desktop_app.case.sources import source
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.widgets import TriStateCombo, bind, hint_label, scrolled_column

# Other findings the criteria count as the same exclusion (clinical-rules.md §5).
_ALSO_EXCLUDED_BY = {
    "malignancy": "biopsy histology of malignancy or Langerhans cell histiocytosis",
    "infection": "a positive bone or blood culture, histology of acute osteomyelitis or granulomatous "
                 "inflammation, or a complete response to antibiotics",
}

NOT_ASSESSED = "Not assessed"
VISITS_NOTE = ("This case has follow-up visits: these are the first consultation's answers. An exclusion "
               "made since (e.g. a bone marrow after a new cytopenia) is recorded at its visit, on the Visits "
               "tab under “Re-assessed at this visit”: a finding first recorded at a visit is addressed only "
               "by an exclusion recorded at that visit or a later one.")


def explanation(name: str) -> str:
    """One line: what Confirmed / Excluded / Not assessed do to the EULAR/ACR exclusions."""
    if name == "monogenic":  # not a EULAR/ACR exclusion; answers the onset-before-3 caution (§6)
        return ("Confirmed = a pathogenic variant was found (e.g. LPIN2, IL1RN): an alternative diagnosis; "
                "Excluded = genetic testing negative, which addresses the onset-before-3-years caution. "
                "Not a EULAR/ACR exclusion.")
    also = f" (so does {_ALSO_EXCLUDED_BY[name]})" if name in _ALSO_EXCLUDED_BY else ""
    steroid = " and allows a glucocorticoid course to be proposed" if name == "malignancy" else ""
    return (f"Confirmed excludes CNO from the {source('zhao2025').short} classification{also}. "
            f"Excluded (tested and ruled out) addresses the red flags that point to it{steroid}; "
            "Not assessed leaves this mimic open, and treatment stays on hold while a flag points to it.")


class MimicsPanel(QWidget):
    title = "Mimics"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.fields: dict[str, TriStateCombo] = {}
        box = QGroupBox("Conditions that mimic CNO")
        form = QFormLayout(box)
        intro = QLabel("Confirmed = diagnosed in this patient; Excluded = tested and ruled out; "
                       "Not assessed = not yet investigated.")
        intro.setWordWrap(True)
        form.addRow(intro)
        # §13.1 v4 dated exclusions: once there is a visit, a later exclusion belongs to its visit.
        self.visits_note = hint_label(VISITS_NOTE)
        self.visits_note.setStyleSheet("font-weight: bold;")
        form.addRow(self.visits_note)
        doc.changed.connect(self._show_visits_note)
        self._show_visits_note("")
        for name in Mimics.model_fields:
            path = f"mimics.{name}"
            combo = TriStateCombo(yes="Confirmed", no="Excluded", none_label=NOT_ASSESSED)
            text = labels.field_label(path)
            combo.setAccessibleName(text)
            bind(doc, path, combo)
            self.fields[path] = combo
            combo.setMaximumWidth(240)
            note = hint_label(explanation(name))
            # Combo and its explanation stacked in one field: word-wrapped labels as separate
            # form rows get uneven spacing.
            cell = QWidget()
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 6)
            stack.addWidget(combo)
            stack.addWidget(note)
            cell.setFocusProxy(combo)
            form.addRow(text, cell)
        scrolled_column(self, box)

    def _show_visits_note(self, path: str) -> None:
        if not path or path.startswith("visits"):
            self.visits_note.setVisible(bool(self.doc.case.visits))
