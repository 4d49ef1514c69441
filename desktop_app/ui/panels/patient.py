"""The "Patient & encounter" tab: who the patient is and when/why they are seen.

Every field is optional. The age beside the date of birth is computed by the criteria engine (the
same function the assessment uses), so the tab never shows an age the criteria would not use.
"""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from desktop_app.case import labels
from desktop_app.case.models import Patient
from desktop_app.case.reference_ranges import age_years
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.widgets import (ChoiceCombo, NumberEdit, OptionalDateEdit, TextLine, bind,
                                    field_bounds, hint_label, scrolled_column, side_by_side, with_message,
                                    with_unit)


def _range_hint(field: str, unit: str) -> str:
    low, high = field_bounds(Patient, field)
    return f"{low:g}–{high:g} {unit}"


class PatientPanel(QWidget):
    title = "Patient & encounter"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        scrolled_column(self, self._patient_box(), self._encounter_box())
        doc.changed.connect(self._refresh_age)
        self._refresh_age("")

    # --- sections --------------------------------------------------------------------------
    def _patient_box(self) -> QGroupBox:
        box = QGroupBox("Patient")
        form = QFormLayout(box)
        self.name = self._text("patient.name", "Name")
        self.mrn = self._text("patient.mrn", "MRN")
        self.dob = OptionalDateEdit()
        self._bind("patient.date_of_birth", self.dob, "Date of birth")
        self.age_label = QLabel()
        self.age_label.setAccessibleName("Computed age")
        self.age_years = NumberEdit(_range_hint("age_years", "years"))
        self._bind("patient.age_years", self.age_years, "Age in years")
        self.age_hint = hint_label(wrap=False)
        self.sex = ChoiceCombo(labels.choices("sex"))
        self._bind("patient.sex", self.sex, "Sex")
        self.weight = NumberEdit(_range_hint("weight_kg", "kg"))
        self._bind("patient.weight_kg", self.weight, "Weight in kg")
        self.height = NumberEdit(_range_hint("height_cm", "cm"))
        self._bind("patient.height_cm", self.height, "Height in cm")

        form.addRow("Name", self.name)
        form.addRow("MRN", self.mrn)
        form.addRow("Date of birth", side_by_side(self.dob, self.age_label))
        form.addRow("Age (without date of birth)", side_by_side(with_unit(self.age_years, "years"), self.age_hint))
        form.addRow("Sex", self.sex)
        form.addRow("Weight", with_unit(self.weight, "kg", "needed for doses"))
        form.addRow("Height", with_unit(self.height, "cm", "needed for body-surface-area doses"))
        return box

    def _encounter_box(self) -> QGroupBox:
        box = QGroupBox("Encounter")
        form = QFormLayout(box)
        self.encounter_date = OptionalDateEdit()
        self._bind("encounter.date", self.encounter_date, "Encounter date")
        self.clinician = self._text("encounter.clinician", "Clinician")
        self.service = self._text("encounter.service", "Service")
        self.referring = self._text("encounter.referring_clinician", "Referring clinician")
        self.reason = self._text("encounter.reason", "Reason for referral")
        self.next_review = OptionalDateEdit()
        self._bind("encounter.next_review_date", self.next_review, labels.field_label("encounter.next_review_date"))
        form.addRow("Encounter date", with_unit(self.encounter_date, "", "reference date for ages and durations"))
        form.addRow("Clinician", self.clinician)
        form.addRow("Service", self.service)
        form.addRow("Referring clinician", self.referring)
        form.addRow("Reason", self.reason)
        form.addRow(labels.field_label("encounter.next_review_date"), with_message(self.next_review, self.next_review))
        return box

    # --- helpers ---------------------------------------------------------------------------
    def _bind(self, path: str, widget: QWidget, name: str) -> None:
        widget.setAccessibleName(name)
        bind(self.doc, path, widget)

    def _text(self, path: str, name: str) -> TextLine:
        widget = TextLine()
        self._bind(path, widget, name)
        return widget

    def _refresh_age(self, path: str) -> None:
        if path and not path.startswith(("patient", "encounter")):
            return
        case = self.doc.case
        age, dob, when = age_years(case), case.patient.date_of_birth, case.encounter.date
        if dob is None:
            self.age_label.setText("")
            self.age_hint.setText("used only when the date of birth is not recorded")
            return
        self.age_hint.setText("ignored while the date of birth and encounter date are recorded")
        if when is None:
            self.age_label.setText("Age at the encounter: record the encounter date")
        elif when < dob:
            self.age_label.setText("")  # the entry check under the date says why (entry_checks.py)
        else:
            self.age_label.setText(f"Age {age:.1f} years at {when.isoformat()}")
