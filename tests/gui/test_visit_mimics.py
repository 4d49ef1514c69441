"""Issue 22 item 1 / issue 23: a visit's own schema-5 fields through the real widgets — the mimics
re-assessed at a visit (§13.1 v4 dated exclusions), the temperature's date, a known lesion's findings
at a visit's MRI, and a biopsy's mycobacterial culture — saved, reopened, and shown as in the file."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from PySide6.QtCore import Qt

from desktop_app.ui.panels.biopsies import BiopsiesPanel
from tests.gui.popups import pick_in_popup
from tests.gui.test_visits_tab import EXAMPLES, pick_optional_date, reopen, visits_panel

SIZES = [(1024, 700), (1280, 800)]


def open_example(win, tmp_path, size):
    path = tmp_path / "followup.crmo"
    shutil.copy(EXAMPLES / "followup-two-visits.crmo", path)
    win.resize(*size)
    assert win.open_file(path, ask=False)
    return visits_panel(win)


@pytest.mark.parametrize("size", SIZES)
def test_malignancy_excluded_at_v2_through_the_popup_is_saved_and_shown_again(win, prompter, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    combo = panel.editor.fields["mimics.malignancy"]
    panel.editor_area.ensureWidgetVisible(combo)
    # the first consultation excluded it: the line beside says so, before anything is recorded here
    assert panel.editor.mimic_before["malignancy"].text() == "before this visit: excluded"
    assert combo.currentText() == "Not assessed"
    pick_in_popup(qtbot, combo, "Excluded")
    pick_in_popup(qtbot, panel.editor.fields["mimics.infection"], "Confirmed")
    assert win.doc.case.visits[1].mimics.malignancy is False

    again, data = reopen(win, prompter, qtbot, tmp_path)
    v2 = next(v for v in data["visits"] if v["id"] == "V2")
    assert v2["mimics"] == {"malignancy": False, "infection": True}
    v1 = next(v for v in data["visits"] if v["id"] == "V1")
    assert "mimics" not in v1 or not any(x is not None for x in v1["mimics"].values())
    shown = visits_panel(again)
    shown.select_visit("V2")
    assert shown.editor.fields["mimics.malignancy"].currentText() == "Excluded"
    assert shown.editor.fields["mimics.infection"].currentText() == "Confirmed"
    assert shown.editor.fields["mimics.hypophosphatasia"].currentText() == "Not assessed"
    shown.select_visit("V1")
    assert shown.editor.fields["mimics.malignancy"].currentText() == "Not assessed"
    assert shown.editor.mimic_before["infection"].text() == "before this visit: not assessed"


@pytest.mark.parametrize("size", SIZES)
def test_temperature_date_and_lesion_findings_at_a_visit_survive_reopen(win, prompter, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    editor = panel.editor
    temp_date = editor.fields["max_temperature_date"]
    panel.editor_area.ensureWidgetVisible(temp_date)
    pick_optional_date(qtbot, temp_date, dt.date(2027, 4, 20))  # after the visit: shown, not refused
    assert win.doc.case.visits[1].max_temperature_date == dt.date(2027, 4, 20)
    assert "temperature is dated after this visit" in temp_date.message.text()
    assert temp_date.message.isVisible()

    panel.editor_area.ensureWidgetVisible(editor.findings_lesion)
    first = editor.findings_lesion.itemText(1)
    pick_in_popup(qtbot, editor.findings_lesion, first)
    pick_in_popup(qtbot, editor.findings_combos["cortical_destruction"], "Yes")
    pick_in_popup(qtbot, editor.findings_combos["soft_tissue_mass"], "No")
    lesion_id = editor.findings_lesion.value()
    assert "cortical destruction; no soft-tissue mass" in editor.findings_summary.text()

    again, data = reopen(win, prompter, qtbot, tmp_path)
    v2 = next(v for v in data["visits"] if v["id"] == "V2")
    assert v2["max_temperature_date"] == "2027-04-20"
    assert {k: x for k, x in v2["lesion_findings"][lesion_id].items() if x is not None} == {
        "cortical_destruction": True, "soft_tissue_mass": False}
    shown = visits_panel(again)
    shown.select_visit("V2")
    assert shown.editor.fields["max_temperature_date"].value() == dt.date(2027, 4, 20)
    assert shown.editor.findings_lesion.value() == lesion_id  # the lesion with findings is shown first
    assert shown.editor.findings_combos["cortical_destruction"].currentText() == "Yes"
    assert shown.editor.findings_combos["soft_tissue_mass"].currentText() == "No"
    assert shown.editor.findings_combos["vertebral_collapse"].currentText() == "Not assessed"


def test_a_biopsys_mycobacterial_culture_is_recorded_on_the_biopsies_tab(win, prompter, qtbot, tmp_path):
    open_example(win, tmp_path, (1280, 800))
    panel = win.tabs.findChildren(BiopsiesPanel)[0]
    win.tabs.setCurrentIndex(win.tabs.indexOf(panel.parentWidget()))
    qtbot.mouseClick(panel.list.add_button, Qt.MouseButton.LeftButton)
    combo = panel.list.fields["mycobacterial_culture"]
    pick_in_popup(qtbot, combo, "Negative")
    assert win.doc.case.biopsies[-1].mycobacterial_culture == "negative"
    again, data = reopen(win, prompter, qtbot, tmp_path)
    assert data["biopsies"][-1]["mycobacterial_culture"] == "negative"
    shown = again.tabs.findChildren(BiopsiesPanel)[0]
    shown.list.select(len(data["biopsies"]) - 1)
    assert shown.list.fields["mycobacterial_culture"].currentText() == "Negative"
