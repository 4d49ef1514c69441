"""Issue 23 on the Labs tab: a lab date can be recorded; unit and range are checked together; a
number impossible in its unit is refused with its likely meaning. Real clicks, popups and keys."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.case.models import Case
from desktop_app.course.meaning import CALCIUM_DEFAULT_LOW as LOW_CALCIUM_MMOL_L
from desktop_app.ui.panels.labs import LabsPanel
from tests.gui.popups import pick_in_popup, wait_past_double_click
from tests.gui.test_issue17_entry import focus, make

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
SIZES = [(1024, 700), (1280, 800)]


def labs_tab(window):
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(titles.index("Labs"))
    return window.tabs.currentWidget().panel


def type_into(qtbot, edit, text: str) -> None:
    focus(qtbot, edit)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_lab_date_is_ticked_typed_saved_and_reopened(window, qtbot, tmp_path, size):
    shutil.copy(EXAMPLES / "typical-multifocal.crmo", tmp_path / "case.crmo")
    window.resize(*size)
    window.show()
    window.activateWindow()
    assert window.open_file(tmp_path / "case.crmo", ask=False)
    panel = labs_tab(window)
    qtbot.waitUntil(panel.isVisible)
    row = panel.rows["wbc"]
    assert window.doc.case.labs.wbc is not None and window.doc.case.labs.wbc.date is None
    row.value_edit.window().activateWindow()
    wait_past_double_click(qtbot)
    qtbot.mouseClick(row.date.check, Qt.MouseButton.LeftButton)
    assert row.date.check.isChecked() and row.date.edit.hasFocus()
    assert row.message.isVisible() and row.message.window() is window  # under the row, not a window
    assert "type the date" in row.message.text()
    qtbot.wait(50)  # the tick stays: it does not undo itself once the events have run
    assert row.date.check.isChecked()
    qtbot.keyClicks(row.date.edit, "2026-11-20")
    qtbot.keyClick(row.date.edit, Qt.Key.Key_Tab)
    assert window.doc.case.labs.wbc.date == dt.date(2026, 11, 20)
    assert window.save_to(tmp_path / "case.crmo")
    window.doc.mark_saved()
    assert window.open_file(tmp_path / "case.crmo", ask=False)
    assert window.doc.case.labs.wbc.date == dt.date(2026, 11, 20)
    assert labs_tab(window).rows["wbc"].date.edit.lineEdit().text() == "2026-11-20"


def test_a_unit_change_converts_the_lab_range_and_says_so(qtbot):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate(
        {"labs": {"creatinine": {"value": 48, "unit": "umol/L", "ref_low": 30, "ref_high": 70}}}))
    row = panel.rows["creatinine"]
    type_into(qtbot, row.value_edit, "1.5")
    pick_in_popup(qtbot, row.unit, "mg/dL")
    lab = doc.case.labs.creatinine
    assert (lab.value, lab.unit) == (1.5, "mg/dL")
    assert (lab.ref_low, lab.ref_high) == (0.339, 0.792)  # 30 and 70 µmol/L ÷ 88.4
    assert row.message.isVisible() and "Range converted" in row.message.text()
    assert "30–70 µmol/L" in row.message.text() and "0.339–0.792 mg/dL" in row.message.text()
    assert panel.flags["creatinine"].text() == "High"  # the alert's reading, not "Low" against 30–70 mg/dL


@pytest.mark.parametrize("analyte, unit, typed, words", [
    ("hemoglobin", "g/dL", "95", "95 g/dL is not possible: 95 g/L?"),
    ("creatinine", "umol/L", "1.5", "1.5 µmol/L is not possible: 1.5 mg/dL?"),
    ("esr", "mm/h", "250", "250 mm/h is refused as a likely typing error (the entry check allows at most "
                           "200 mm/h: a limit for typing errors, not a clinical threshold)"),
])
def test_a_number_impossible_in_its_unit_is_refused_with_its_likely_meaning(qtbot, analyte, unit, typed, words):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate({"labs": {analyte: {"value": 10, "unit": unit}}}))
    row = panel.rows[analyte]
    type_into(qtbot, row.value_edit, typed)
    assert getattr(doc.case.labs, analyte).value == 10
    assert row.message.isVisible() and words in row.message.text(), row.message.text()


@pytest.mark.parametrize("analyte, unit", [("alt", "U/L"), ("ldh", "U/L"), ("platelets", "10^9/L")])
def test_a_point_with_three_digits_is_refused_where_results_are_whole(qtbot, analyte, unit):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate({"labs": {analyte: {"value": 30, "unit": unit}}}))
    row = panel.rows[analyte]
    type_into(qtbot, row.value_edit, "1.250")
    assert getattr(doc.case.labs, analyte).value == 30
    assert "type 1250 if that is meant" in row.message.text()
    type_into(qtbot, row.value_edit, "0.5" if analyte != "platelets" else "450")
    assert getattr(doc.case.labs, analyte).value == (0.5 if analyte != "platelets" else 450)


def test_calcium_and_vitamin_d_rows_name_the_alert_limit(qtbot):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate(
        {"labs": {"calcium": {"value": 2.0, "unit": "mmol/L"}, "vitamin_d_25oh": {"value": 12, "unit": "ng/mL"}}}))
    assert f"below {LOW_CALCIUM_MMOL_L:g} mmol/L" in panel.ranges["calcium"].text()
    assert "below 50 nmol/L (20.0 ng/mL)" in panel.ranges["vitamin_d_25oh"].text()
