"""The form panels (patient, symptoms, labs, mimics) driven through their real widgets.

Each test types or picks like a user (keyClicks + Enter, combo keyboard selection, check-box
clicks) and asserts what reached the case, what the widget shows, and what stays unchanged.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLineEdit, QWidget

from desktop_app.case.models import Case, LabValue
from desktop_app.report import palette
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.panels.labs import LabRow, LabsPanel
from desktop_app.ui.panels.mimics import MimicsPanel
from desktop_app.ui.panels.patient import PatientPanel
from desktop_app.ui.panels.symptoms import SymptomsPanel, parse_temperature
from desktop_app.ui.widgets import ChoiceCombo, NumberEdit, OptionalDateEdit, TextLine

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


# --- helpers: act like a user ---------------------------------------------------------------
def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)  # editingFinished


def focus(qtbot, widget: QWidget) -> None:
    """Give `widget` the keyboard focus as a click would (the window is made active first)."""
    widget.window().activateWindow()
    qtbot.waitActive(widget.window())
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def clear(qtbot, edit: QLineEdit) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Select an entry with the keyboard, which emits `activated` like a real choice."""
    target = combo.findText(text)
    assert target >= 0, f"{text!r} not in {[combo.itemText(i) for i in range(combo.count())]}"
    combo.setFocus()
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def set_date(qtbot, widget: OptionalDateEdit, iso: str) -> None:
    if not widget.check.isChecked():
        qtbot.mouseClick(widget.check, Qt.MouseButton.LeftButton)
    widget.edit.setFocus()
    widget.edit.lineEdit().selectAll()  # the whole date is replaced (issue 23: typed as text, read whole)
    qtbot.keyClicks(widget.edit, iso.replace("-", ""))
    qtbot.keyClick(widget.edit, Qt.Key.Key_Return)


def field(panel: QWidget, path: str) -> QWidget:
    """The input bound to `path`: the same lookup the main window's "jump to field" uses."""
    found = [w for w in panel.findChildren(QWidget) if w.property("case_path") == path]
    assert found, f"no widget carries case_path {path!r}"
    return found[0]


def make(qtbot, cls, case: Case | None = None):
    doc = CaseDocument(case)
    panel = cls(doc)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    return doc, panel


def example(name: str) -> Case:
    return Case.model_validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


# --- patient ---------------------------------------------------------------------------------
def test_out_of_range_weight_is_flagged_and_not_stored(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    weight = field(panel, "patient.weight_kg")
    type_into(qtbot, weight, "900")
    assert doc.case.patient.weight_kg is None
    assert weight.error() and "300" in weight.error() and "900" in weight.error()
    assert weight.text() == ""  # issue 13: the field goes back to the case's value at once
    assert weight.message.isVisible() and weight.message.text() == weight.error()  # in place, in words

    type_into(qtbot, weight, "34")
    assert doc.case.patient.weight_kg == 34.0
    assert weight.error() == ""


def test_opening_a_case_clears_a_stale_flag(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    weight = field(panel, "patient.weight_kg")
    type_into(qtbot, weight, "900")
    doc.replace_case(Case.model_validate({"patient": {"weight_kg": 45}}))
    assert (weight.text(), weight.error()) == ("45", "")


def test_text_fields_and_sex_reach_the_case(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    type_into(qtbot, field(panel, "patient.name"), "  Ana Ærø ")
    type_into(qtbot, field(panel, "encounter.reason"), "Recurrent bone pain")
    choose(qtbot, field(panel, "patient.sex"), "Female")
    assert doc.case.patient.name == "Ana Ærø"
    assert doc.case.encounter.reason == "Recurrent bone pain"
    assert doc.case.patient.sex == "female"
    choose(qtbot, field(panel, "patient.sex"), "Not recorded")
    assert doc.case.patient.sex is None


def test_date_of_birth_shows_age_at_the_encounter(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    set_date(qtbot, field(panel, "encounter.date"), "2026-11-20")
    set_date(qtbot, field(panel, "patient.date_of_birth"), "2015-04-02")
    assert doc.case.encounter.date == dt.date(2026, 11, 20)
    assert doc.case.patient.date_of_birth == dt.date(2015, 4, 2)
    assert "11.6 years" in panel.age_label.text()

    qtbot.mouseClick(field(panel, "patient.date_of_birth").check, Qt.MouseButton.LeftButton)
    assert doc.case.patient.date_of_birth is None  # unchecked = not recorded
    assert panel.age_label.text() == ""


# --- symptoms --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, celsius", [("38.2", 38.2), ("101.3 F", 38.5), ("100.4°F", 38.0),
                                           ("37,9 °C", 37.9)])
def test_parse_temperature(text, celsius):
    assert parse_temperature(text) == pytest.approx(celsius)


def test_fahrenheit_converts_and_out_of_range_is_flagged(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    temp = field(panel, "symptoms.max_temperature_c")
    type_into(qtbot, temp, "101.3 F")
    assert doc.case.symptoms.max_temperature_c == pytest.approx(38.5)
    assert temp.text() == "38.5"  # shown back in °C, the stored unit

    type_into(qtbot, temp, "120 F")  # 48.9 °C
    assert temp.error()
    assert doc.case.symptoms.max_temperature_c == pytest.approx(38.5)


def test_tristate_back_to_not_recorded_is_none_not_false(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    pain = field(panel, "symptoms.bone_pain")
    choose(qtbot, pain, "No")
    assert doc.case.symptoms.bone_pain is False
    choose(qtbot, pain, "Not recorded")
    assert doc.case.symptoms.bone_pain is None
    choose(qtbot, field(panel, "associated.psoriasis"), "Yes")
    assert doc.case.associated.psoriasis is True


def test_episodes_must_be_a_whole_number_from_one(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    episodes = field(panel, "symptoms.episodes")
    type_into(qtbot, episodes, "0")
    assert episodes.error() and doc.case.symptoms.episodes is None
    type_into(qtbot, episodes, "2")
    assert doc.case.symptoms.episodes == 2 and episodes.error() == ""


def test_undo_restores_value_and_widget(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    temp = field(panel, "symptoms.max_temperature_c")
    type_into(qtbot, temp, "37.5")
    type_into(qtbot, temp, "39")
    doc.undo_stack.undo()
    assert doc.case.symptoms.max_temperature_c == 37.5
    assert temp.text() == "37.5"
    doc.undo_stack.redo()
    assert temp.text() == "39"


# --- labs ------------------------------------------------------------------------------------
def test_crp_waits_for_its_unit_while_the_focus_is_in_the_row(qtbot):
    # issue 13: the value is not refused before the user can reach the unit box.
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    focus(qtbot, row.value_edit)
    type_into(qtbot, row.value_edit, "3.2")  # no unit chosen yet
    assert doc.case.labs.crp is None
    assert row.error() == "" and row.value_edit.text() == "3.2"
    assert row.message.isVisible() and "unit" in row.message.text()

    choose(qtbot, row.unit, "mg/dL")
    assert doc.case.labs.crp == LabValue(value=3.2, unit="mg/dL")
    assert row.error() == "" and not row.message.isVisible()


def test_a_value_without_unit_is_refused_when_the_row_is_left(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "5")
    focus(qtbot, panel.rows["esr"].value_edit)  # leaves the CRP row with no unit chosen
    assert doc.case.labs.crp is None
    assert row.value_edit.text() == ""  # the field shows what the case holds
    assert "“5” not accepted" in row.error() and "unit" in row.error()
    assert row.message.isVisible() and row.message.text() == row.error()


def test_crp_flag_and_the_range_used(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    choose(qtbot, row.unit, "mg/dL")
    type_into(qtbot, row.value_edit, "3.2")
    # §7 has no CRP default: normality unknown, and the tab says why.
    assert panel.flags["crp"].text() == "Normality unknown"
    assert palette.MUTED in panel.flags["crp"].styleSheet()
    assert "CRP" in panel.ranges["crp"].text()

    type_into(qtbot, row.ref_high, "0.5")  # the lab report's range, in mg/dL
    assert doc.case.labs.crp == LabValue(value=3.2, unit="mg/dL", ref_high=0.5)
    assert panel.flags["crp"].text() == "High"
    # The window's "look here" colour, not red: red is kept for red flags (palette.py).
    assert palette.ATTENTION in panel.flags["crp"].styleSheet() and "bold" in panel.flags["crp"].styleSheet()
    assert "5 mg/L" in panel.ranges["crp"].text() and "lab report" in panel.ranges["crp"].text()


def test_lab_report_range_overrides_default(qtbot):
    case = Case.model_validate({"patient": {"age_years": 10}})
    doc, panel = make(qtbot, LabsPanel, case)
    row = panel.rows["wbc"]
    type_into(qtbot, row.value_edit, "12")  # one unit choice: 10^9/L is pre-selected
    assert doc.case.labs.wbc == LabValue(value=12, unit="10^9/L")
    assert panel.flags["wbc"].text() == "Normal"
    assert palette.STATUS_COLOURS["met"] in panel.flags["wbc"].styleSheet()
    assert "default" in panel.ranges["wbc"].text()

    type_into(qtbot, row.ref_high, "11")
    assert panel.flags["wbc"].text() == "High"
    assert "lab report" in panel.ranges["wbc"].text()


def test_changing_unit_keeps_the_number(qtbot):
    # CRP: 12.6 is possible in both units (issue 23 refuses a value impossible in its unit, e.g. Hb 12.6 g/L)
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    choose(qtbot, row.unit, "mg/L")
    type_into(qtbot, row.value_edit, "12.6")
    choose(qtbot, row.unit, "mg/dL")
    assert doc.case.labs.crp == LabValue(value=12.6, unit="mg/dL")
    assert row.value_edit.text() == "12.6"


def test_clearing_a_lab_value_clears_the_analyte(qtbot):
    case = Case.model_validate({"labs": {"esr": {"value": 24, "unit": "mm/h", "ref_high": 20}}})
    doc, panel = make(qtbot, LabsPanel, case)
    row = panel.rows["esr"]
    assert row.ref_high.text() == "20" and row.ref_high.isEnabled()
    clear(qtbot, row.value_edit)
    assert doc.case.labs.esr is None
    assert row.ref_high.text() == "" and not row.ref_high.isEnabled()
    assert panel.flags["esr"].text() == ""


def test_blood_culture_and_blasts(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    choose(qtbot, field(panel, "labs.blood_culture"), "Not done")
    assert doc.case.labs.blood_culture == "not_done"
    choose(qtbot, field(panel, "labs.peripheral_smear_blasts"), "No")
    assert doc.case.labs.peripheral_smear_blasts is False


def test_age_change_refreshes_default_range_flag(qtbot):
    case = Case.model_validate({"labs": {"wbc": {"value": 16, "unit": "10^9/L"}}})
    doc, panel = make(qtbot, LabsPanel, case)
    assert panel.flags["wbc"].text() == "Normality unknown"  # age unknown: no default
    doc.set("patient.age_years", 10)
    assert panel.flags["wbc"].text() == "High"  # > 4 y: 4.5–13.5


# --- mimics ----------------------------------------------------------------------------------
def test_mimics_are_confirmed_excluded_or_not_assessed(qtbot):
    doc, panel = make(qtbot, MimicsPanel)
    malignancy = field(panel, "mimics.malignancy")
    assert malignancy.currentText() == "Not assessed"
    choose(qtbot, malignancy, "Excluded")
    assert doc.case.mimics.malignancy is False
    choose(qtbot, malignancy, "Confirmed")
    assert doc.case.mimics.malignancy is True
    choose(qtbot, malignancy, "Not assessed")
    assert doc.case.mimics.malignancy is None
    assert set(panel.fields) == {f"mimics.{n}" for n in ("malignancy", "infection",
                                                         "vitamin_c_deficiency", "hypophosphatasia", "monogenic")}


# --- whole-case replace ----------------------------------------------------------------------
BOUND = (ChoiceCombo, NumberEdit, TextLine, OptionalDateEdit, LabRow)


def shown(widget: QWidget):
    """What a bound widget displays, in case terms."""
    value = widget.value()
    return LabValue(**value) if isinstance(widget, LabRow) and value else value


@pytest.mark.parametrize("cls", [PatientPanel, SymptomsPanel, LabsPanel, MimicsPanel])
def test_every_input_has_a_case_path_and_an_accessible_name(qtbot, cls):
    _doc, panel = make(qtbot, cls)
    inputs = [w for w in panel.findChildren(QWidget)
              if isinstance(w, (QLineEdit, QComboBox, QDateEdit)) and w.isVisibleTo(panel)
              and not isinstance(w.parent(), (QComboBox, QDateEdit))]
    assert inputs
    for w in inputs:
        owner = w if w.property("case_path") else w.parent()
        assert owner.property("case_path") or (owner.parent() and owner.parent().property("case_path")), w
        assert w.accessibleName(), w


@pytest.mark.parametrize("cls", [PatientPanel, SymptomsPanel, LabsPanel, MimicsPanel])
def test_opening_another_case_refreshes_every_widget(qtbot, cls):
    doc, panel = make(qtbot, cls)
    # A lab row's inputs carry the analyte's path too (for "jump to field"); the row is the binding.
    rows = panel.findChildren(LabRow)
    row_paths = {r.property("case_path") for r in rows}
    bound = rows + [w for w in panel.findChildren(QWidget) if isinstance(w, BOUND)
                    and w.property("case_path") and w.property("case_path") not in row_paths]
    for w in bound:
        assert shown(w) in (None, ""), w.property("case_path")

    doc.replace_case(example("crp-mg-dl-biopsy.crmo"))
    for w in bound:
        assert shown(w) == doc.get(w.property("case_path")), w.property("case_path")
    if cls is LabsPanel:
        crp = panel.rows["crp"]
        assert (crp.value_edit.text(), crp.unit.currentData()) == ("3.2", "mg/dL")
        assert panel.flags["hemoglobin"].text() == "Normal"  # 13.0 g/dL at 12.8 y, female
    if cls is PatientPanel:
        assert field(panel, "patient.name").text() == "Example Patient"
        assert "12.8 years" in panel.age_label.text()
    if cls is SymptomsPanel:
        assert "weeks" in panel.duration.text()

    doc.replace_case(Case())
    for w in bound:
        assert shown(w) in (None, ""), w.property("case_path")


@pytest.mark.parametrize("cls", [PatientPanel, SymptomsPanel, LabsPanel, MimicsPanel])
def test_form_tabs_scroll_and_their_hints_share_one_grey(qtbot, cls):
    from PySide6.QtWidgets import QLabel, QScrollArea

    from desktop_app.report.palette import MUTED
    from desktop_app.ui.widgets import HINT_STYLE

    panel = cls(CaseDocument(Case()))
    qtbot.addWidget(panel)
    assert isinstance(panel.layout().itemAt(0).widget(), QScrollArea)  # usable at 1280×720
    styles = {label.styleSheet() for label in panel.findChildren(QLabel) if "color" in label.styleSheet()}
    greys = {s for s in styles if "#5" in s or "#6" in s}
    assert greys and all(s.startswith(HINT_STYLE) for s in greys) and MUTED in HINT_STYLE


def test_a_hint_shows_case_text_literally(qtbot):
    from desktop_app.ui.widgets import hint_label

    label = hint_label("<b>not bold</b>")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.PlainText and label.wordWrap()


def test_mimics_tab_says_what_excluded_does_under_rules_v2(qtbot):
    from desktop_app.ui.panels.mimics import explanation

    assert "addresses the red flags" in explanation("malignancy") and "glucocorticoid" in explanation("malignancy")
    assert "glucocorticoid" not in explanation("infection")
    assert "onset-before-3-years caution" in explanation("monogenic")
