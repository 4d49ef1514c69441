"""Issue 23, defect 4: a lab row checks its unit and its range together. The range is typed, the
unit changed through the real popup list; where a factor exists the range is converted, where none
does ("– unit –") it is cleared, and either way the row says so in words."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.case.models import Case
from desktop_app.ui.panels.labs import CHOOSE_UNIT, LabsPanel
from tests.gui.popups import pick_in_popup
from tests.gui.test_issue17_entry import focus, make

pytestmark = pytest.mark.gui
SIZES = [(1024, 700), (1280, 800)]
CLEARED = ("Range 0–5 mg/L cleared: without a unit it cannot be converted; enter the lab report's range "
           "in the unit you choose.")


def crp_row_with_a_typed_range(qtbot, size):
    """CRP 8 mg/L, then the lab report's range 0–5 typed into the row and left by Tab."""
    doc, panel = make(qtbot, LabsPanel, Case.model_validate({"labs": {"crp": {"value": 8, "unit": "mg/L"}}}))
    panel.resize(*size)
    row = panel.rows["crp"]
    for edit, text in ((row.ref_low, "0"), (row.ref_high, "5")):
        focus(qtbot, edit)
        qtbot.keyClicks(edit, text)
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
    lab = doc.case.labs.crp
    assert (lab.value, lab.unit, lab.ref_low, lab.ref_high) == (8, "mg/L", 0, 5)
    return doc, panel, row


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_unit_clears_the_range_and_the_row_says_so(qtbot, size):
    doc, panel, row = crp_row_with_a_typed_range(qtbot, size)
    pick_in_popup(qtbot, row.unit, CHOOSE_UNIT)
    assert (row.ref_low.text(), row.ref_high.text()) == ("", "")
    assert row.message.isVisible()
    assert row.message.text() == f"{CLEARED} Now choose the unit of 8 in the unit list."
    # Nothing is stored without a unit: the case still holds 8 mg/L and its range.
    lab = doc.case.labs.crp
    assert (lab.unit, lab.ref_low, lab.ref_high) == ("mg/L", 0, 5)
    # A unit chosen next: the number is stored in it, without the range, and the row still says why.
    pick_in_popup(qtbot, row.unit, "mg/dL")
    lab = doc.case.labs.crp
    assert (lab.value, lab.unit, lab.ref_low, lab.ref_high) == (8, "mg/dL", None, None)
    assert row.message.isVisible() and row.message.text() == CLEARED


def test_leaving_with_no_unit_keeps_the_case_value_and_its_range(qtbot):
    doc, panel, row = crp_row_with_a_typed_range(qtbot, (1280, 800))
    pick_in_popup(qtbot, row.unit, CHOOSE_UNIT)
    focus(qtbot, panel.rows["esr"].value_edit)  # left the row
    lab = doc.case.labs.crp
    assert (lab.value, lab.unit, lab.ref_low, lab.ref_high) == (8, "mg/L", 0, 5)
    assert (row.unit.currentText(), row.ref_low.text(), row.ref_high.text()) == ("mg/L", "0", "5")
    assert row.message.text() == "“8” not accepted: no unit was chosen (mg/L or mg/dL); kept 8 mg/L."


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_unit_change_converts_the_range_and_the_row_says_so(qtbot, size):
    doc, panel, row = crp_row_with_a_typed_range(qtbot, size)
    pick_in_popup(qtbot, row.unit, "mg/dL")
    lab = doc.case.labs.crp
    assert (lab.value, lab.unit, lab.ref_low, lab.ref_high) == (8, "mg/dL", 0, 0.5)
    assert (row.ref_low.text(), row.ref_high.text()) == ("0", "0.5")
    assert row.message.isVisible()
    assert row.message.text() == ("Range converted with the unit: 0–5 mg/L is 0–0.5 mg/dL "
                                  "(3 significant figures).")
    assert panel.flags["crp"].text() == "High"  # 8 mg/dL against 0–0.5 mg/dL, not against 0–5
