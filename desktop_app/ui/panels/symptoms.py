"""The "Symptoms & exam" tab: history, examination and associated conditions.

Every yes/no answer is tri-state (Yes / No / Not recorded): "No" means recorded absent and is never
the default. The temperature is stored in °C; °F is accepted when typed with its unit ("101.3 F")
and converted by `parse_temperature`, the one place that conversion happens in the UI.
"""
from __future__ import annotations

import re

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from desktop_app.case import labels
from desktop_app.case.models import Associated, Symptoms
from desktop_app.criteria.derived import symptom_weeks
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.measures import measures_box, whole_number
from desktop_app.ui.widgets import (ChoiceCombo, NumberEdit, OptionalDateEdit, TriStateCombo, bind,
                                    field_bounds, hint_label, scrolled_column, share_label_column,
                                    with_message, with_unit)

# Tri-state fields in the order a clinician takes the history, then examines.
HISTORY = ("bone_pain", "night_pain", "localized_swelling", "malaise", "weight_loss")
EXAMINATION = ("focal_tenderness", "warmth_erythema", "hepatosplenomegaly", "lymphadenopathy",
               "gingival_bleeding", "petechiae")  # the last two: signs of scurvy, a CNO mimic
ASSOCIATED = tuple(Associated.model_fields)

# A number or a date keeps a width that fits it (as the measures do), not the width of a 1920 px window.
NUMBER_WIDTH = 110
DATE_WIDTH = 260

_TEMPERATURE = re.compile(r"^\s*(-?\d+(?:[.,]\d+)?)\s*°?\s*([cCfF]?)\s*$")


def parse_temperature(text: str) -> float:
    """°C from "38.2", "38.2 C", "38.2°C", "101.3 F" or "101.3°F". A bare number is °C (the unit
    the field shows). Rounded to 0.01 °C: finer than any thermometer, and never rounded across the
    38.0 °C fever threshold."""
    match = _TEMPERATURE.match(text)
    if not match:
        raise ValueError("Type a temperature such as 38.2 (°C) or 101.3 F")
    value = float(match.group(1).replace(",", "."))
    if match.group(2).lower() == "f":
        value = (value - 32) * 5 / 9
    return round(value, 2)


class SymptomsPanel(QWidget):
    title = "Symptoms & exam"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.fields: dict[str, QWidget] = {}  # case path -> input, for tests and focus
        # One column: the tab shares the window with the assessment pane, so it is ~750 px wide.
        # The first consultation's measures (rules v3 §13.2) follow the examination they score.
        boxes = (self._history_box(), self._examination_box(), self._measures_box(), self._course_box(),
                 self._associated_box())
        # One label column for the whole tab, so every input starts at one x; a choice keeps its own
        # width instead of stretching across a wide window.
        share_label_column(*(box.layout() for box in boxes))
        for box in boxes:
            box.layout().setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        scrolled_column(self, *boxes)
        doc.changed.connect(self._refresh_duration)
        self._refresh_duration("")

    # --- sections --------------------------------------------------------------------------
    def _history_box(self) -> QGroupBox:
        return self._tristate_box("History", "symptoms", HISTORY)

    def _examination_box(self) -> QGroupBox:
        return self._tristate_box("Examination", "symptoms", EXAMINATION)

    def _measures_box(self) -> QGroupBox:
        box = measures_box(self.doc, "first consultation", self.fields)
        # In this tab the measures share the tab's label column: a long scale hint wraps beside its
        # input rather than dropping the input under its label, out of line with the others.
        box.layout().setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for label in box.findChildren(QLabel):
            label.setWordWrap(True)
        return box

    def _associated_box(self) -> QGroupBox:
        box = self._tristate_box("Associated conditions", "associated", ASSOCIATED)
        box.layout().addRow(hint_label("Family history counts a first-degree relative only."))
        return box

    def _course_box(self) -> QGroupBox:
        box = QGroupBox("Fever and course")
        form = QFormLayout(box)
        low, high = field_bounds(Symptoms, "max_temperature_c")
        temp = NumberEdit(f"{low:g}–{high:g} °C", parse=parse_temperature)
        self._bind("symptoms.max_temperature_c", temp, "Highest temperature in °C")
        form.addRow(labels.field_label("symptoms.max_temperature_c"),
                    with_unit(temp, "°C", "or type °F, e.g. 101.3 F", NUMBER_WIDTH))
        pattern = ChoiceCombo(labels.choices("fever_pattern"))
        self._bind("symptoms.fever_pattern", pattern, "Fever pattern")
        form.addRow(labels.field_label("symptoms.fever_pattern"), pattern)
        first = OptionalDateEdit()
        first.setMaximumWidth(DATE_WIDTH)
        self._bind("symptoms.first_symptom_date", first, "First symptom date")
        self.duration = QLabel()
        self.duration.setAccessibleName("Symptom duration")
        form.addRow(labels.field_label("symptoms.first_symptom_date"), with_message(first, first))
        form.addRow("Symptom duration", self.duration)
        low, high = field_bounds(Symptoms, "onset_age_years")
        onset = NumberEdit(f"{low:g}–{high:g} years")
        self._bind("symptoms.onset_age_years", onset, "Age at onset in years")
        form.addRow(labels.field_label("symptoms.onset_age_years"),
                    with_unit(onset, "years", "when the first-symptom date is not known", NUMBER_WIDTH))
        episodes = NumberEdit("1 or more", parse=whole_number)
        self._bind("symptoms.episodes", episodes, "Number of episodes")
        form.addRow(labels.field_label("symptoms.episodes"),
                    with_unit(episodes, "", "flares so far; 2 or more = recurrent", NUMBER_WIDTH))
        return box

    def _tristate_box(self, title: str, group: str, names: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for name in names:
            path = f"{group}.{name}"
            combo = TriStateCombo()
            text = labels.field_label(path)
            self._bind(path, combo, text)
            form.addRow(text, combo)
        return box

    # --- helpers ---------------------------------------------------------------------------
    def _bind(self, path: str, widget: QWidget, name: str) -> None:
        widget.setAccessibleName(name)
        bind(self.doc, path, widget)
        self.fields[path] = widget

    def _refresh_duration(self, path: str) -> None:
        if path and not path.startswith(("symptoms", "encounter")):
            return
        case = self.doc.case
        if case.symptoms.first_symptom_date is None:
            self.duration.setText("")
            return
        weeks, when = symptom_weeks(case), case.encounter.date
        if weeks is not None:
            self.duration.setText(f"{weeks:.1f} weeks before the encounter")
        elif when is None:
            self.duration.setText("duration unknown: record the encounter date")
        else:
            self.duration.setText("first symptom is after the encounter date: check both")
