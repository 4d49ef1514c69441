"""The five measures of one point of the course (clinical-rules.md §13.2), as one group of inputs.

The same group sits in the Symptoms & exam tab (the first consultation's measures, `measures.*` of
the case) and in the Visits tab's editor (`measures.*` of the visit, through VisitDocument), so both
look, read and refuse the same way. Each input says its scale's anchors in words (case/labels.py).
"""
from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QWidget

from desktop_app.case import labels
from desktop_app.case.models import Measures
from desktop_app.course.build import NO_COMPOSITE_NOTE  # said once, where the measures are shown (§13.2)
from desktop_app.ui.widgets import NumberEdit, bind, field_bounds, hint_label, with_unit

MEASURES: tuple[str, ...] = tuple(Measures.model_fields)  # pain, globals, CHAQ, lesion count


def whole_number(text: str) -> int:
    """A count typed as text: "2" or "2.0", never "2.5"."""
    value = float(text)
    if value != int(value):
        raise ValueError("type a whole number")
    return int(value)


def measures_box(doc, owner: str, fields: dict[str, QWidget]) -> QGroupBox:
    """A "Measures" group bound to `measures.*` of `doc` (a CaseDocument or a VisitDocument).

    `owner` names the point in the inputs' accessible names ("first consultation", "this visit");
    each input is added to `fields` under its path."""
    box = QGroupBox("Measures (0 is the best value of each)")
    form = QFormLayout(box)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    for name in MEASURES:
        path = f"measures.{name}"
        low, high = field_bounds(Measures, name)
        count = name == "clinically_active_lesions"
        hint = f"{low:g}–{high:g}"
        edit = NumberEdit(hint, parse=whole_number) if count else NumberEdit(hint)
        label = labels.field_label(path)
        edit.setAccessibleName(f"{label}, {owner}")
        edit.setAccessibleDescription(labels.MEASURE_ANCHORS[name])
        edit.setMaximumWidth(110)
        bind(doc, path, edit)
        fields[path] = edit
        form.addRow(label, with_unit(edit, "", labels.MEASURE_ANCHORS[name]))
    form.addRow(hint_label(NO_COMPOSITE_NOTE))
    return box
