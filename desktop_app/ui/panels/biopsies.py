"""The "Biopsy & cultures" tab: each bone biopsy with the lesion sampled, histology and culture.

The lesion combo lists the case's lesions by id ("#2 · Left tibia"); a link to a lesion that is no
longer in the list is kept and shown as such rather than silently dropped.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtWidgets import QVBoxLayout, QWidget

from desktop_app.case import labels
from desktop_app.case.lesion_ids import lesion_display_id
from desktop_app.case.models import Biopsy
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.lesion_editor import lesion_title
from desktop_app.ui.list_editor import ListEditor, yes_no
from desktop_app.ui.widgets import ChoiceCombo, OptionalDateEdit, TextLine, TriStateCombo, hint_label

NOT_LINKED = "Not linked to a lesion"


class LesionCombo(ChoiceCombo):
    """The lesion a biopsy sampled, chosen among the case's lesions (by id)."""

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__([], none_label=NOT_LINKED, parent=parent)
        self.doc = doc

    def setValue(self, value: Any) -> None:
        # Rebuilt on every load: the lesion list may have changed on the Imaging tab.
        while self.count() > 1:
            self.removeItem(1)
        for lesion in self.doc.case.imaging.lesions:
            if lesion.id:
                self.addItem(lesion_title(lesion), lesion.id)
        if value is not None and self.findData(value) < 0:
            self.addItem(f"{lesion_display_id(value)} · not in the lesion list", value)
        super().setValue(value)


def lesion_text(doc: CaseDocument, lesion_id: Optional[str]) -> str:
    if not lesion_id:
        return "—"
    for lesion in doc.case.imaging.lesions:
        if lesion.id == lesion_id:
            return lesion_title(lesion)
    return f"{lesion_display_id(lesion_id)} (not in the lesion list)"


class BiopsiesPanel(QWidget):
    title = "Biopsy & cultures"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        date_text = lambda b: b.date.isoformat() if b.date else "—"  # noqa: E731
        columns = [
            ("Date", date_text),
            ("Lesion sampled", lambda b: lesion_text(doc, b.lesion_id)),
            ("Histology", lambda b: "—" if b.histology is None else labels.value_label("histology", b.histology)),
            ("Bone culture", lambda b: "—" if b.culture is None else labels.value_label("culture", b.culture)),
            ("Mycobacterial culture", lambda b: "—" if b.mycobacterial_culture is None
             else labels.value_label("culture", b.mycobacterial_culture)),
            ("On antibiotics", lambda b: yes_no(b.on_antibiotics_at_biopsy)),
            ("Notes", lambda b: b.notes or ""),
        ]
        self.list = ListEditor(doc, "biopsies", Biopsy, columns, "biopsy")
        lbl = lambda name: labels.field_label(f"biopsy.{name}")  # noqa: E731
        self.list.add_field("date", lbl("date"), OptionalDateEdit())
        self.list.add_field("lesion_id", lbl("lesion_id"), LesionCombo(doc))
        self.list.add_field("histology", lbl("histology"), ChoiceCombo(labels.choices("histology")))
        self.list.add_field("culture", lbl("culture"), ChoiceCombo(labels.choices("culture")))
        self.list.add_field("mycobacterial_culture", lbl("mycobacterial_culture"),
                            ChoiceCombo(labels.choices("culture")))
        self.list.add_field("on_antibiotics_at_biopsy", lbl("on_antibiotics_at_biopsy"), TriStateCombo())
        self.list.add_field("notes", "Notes", TextLine("free text"))
        self.list.form.addRow(hint_label(
            "A culture taken while on antibiotics cannot prove the absence of infection. The mycobacterial "
            "(tuberculosis) culture of the sample is recorded separately from the bone culture. "
            "The blood culture is recorded on the Labs tab."))
        self.list.refresh()
        # Lesion labels in the table follow edits on the Imaging tab.
        doc.changed.connect(lambda path: path.startswith("imaging") and self.list.refresh())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
