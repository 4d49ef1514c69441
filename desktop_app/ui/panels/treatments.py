"""The "Treatment history" tab: past and current courses, antibiotic courses included.

The response to a course is what the criteria read: an antibiotic course's response enters the
classic criteria and the EULAR/ACR exclusions, and an NSAID course with no or partial response is
the step the CARRA consensus treatment plans start from.
"""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.case import labels
from desktop_app.case.models import Treatment
from desktop_app.case.sources import source
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.list_editor import ListEditor
from desktop_app.ui.widgets import ChoiceCombo, OptionalDateEdit, TextLine, hint_label


def why_response_matters() -> str:
    """What the criteria and the plan read from a course's response (clinical-rules.md §1, §5, §8)."""
    return (
        "The response is what the criteria read. Antibiotic course: no response meets the classic "
        f"criteria's \u201cno response to antibiotics\u201d ({source('orthobullets').short}); a complete "
        f"response counts as infection and excludes CNO ({source('zhao2025').short}). NSAID course: "
        "at least 4 weeks (start and end dates) with no or partial response is the active-disease "
        f"step of eligibility for a CARRA consensus treatment plan ({source('zhao2018').short}).")


def _date(d) -> str:
    return d.isoformat() if d else "—"


class TreatmentsPanel(QWidget):
    title = "Treatment history"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        columns = [
            ("Drug", lambda t: t.drug or "—"),
            ("Class", lambda t: "—" if t.drug_class is None else labels.value_label("drug_class", t.drug_class)),
            ("Start", lambda t: _date(t.start_date)),
            ("End", lambda t: _date(t.end_date)),
            ("Dose", lambda t: t.dose or "—"),
            ("Response", lambda t: "—" if t.response is None else labels.value_label("response", t.response)),
        ]
        self.list = ListEditor(doc, "treatments", Treatment, columns, "course")
        lbl = lambda name: labels.field_label(f"treatment.{name}")  # noqa: E731
        self.list.add_field("drug", lbl("drug"), TextLine("e.g. naproxen, cefalexin, pamidronate"))
        self.list.add_field("drug_class", lbl("drug_class"), ChoiceCombo(labels.choices("drug_class")))
        self.list.add_field("start_date", lbl("start_date"), OptionalDateEdit())
        self.list.add_field("end_date", lbl("end_date"), OptionalDateEdit())
        self.list.add_field("dose", lbl("dose") + " (as given)", TextLine("e.g. 10 mg/kg twice daily"))
        self.list.add_field("response", lbl("response"), ChoiceCombo(labels.choices("response")))
        self.list.form.addRow(hint_label(why_response_matters()))
        self.list.refresh()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
