"""Issue 23 at the Visits tab, driven as a person would: the list obeys the tabs' rule for a refused
or unit-less entry (defect 1), sorts by date with the first consultation in its place (defect 12),
shows visit ids as typed (23), selects a restored visit on Undo (15); a visit's weight, height and
temperature get the first consultation's checks under the field and in the pane (6, §13.3 v4); its
dates are checked (11); Add a new lesion needs a bone (8). At 1024×700 and 1280×800."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.popups import pick_in_popup
from tests.gui.test_visits_tab import EXAMPLES, type_text, visits_panel

SIZES = [(1024, 700), (1280, 800)]


def open_example(win, tmp_path, size, edit=None):
    from desktop_app.storage.case_file import load_case, save_case

    path = tmp_path / "followup.crmo"
    shutil.copy(EXAMPLES / "followup-two-visits.crmo", path)
    if edit is not None:
        case = load_case(path)
        edit(case)
        save_case(case, path)
    win.resize(*size)
    assert win.open_file(path, ask=False)
    return visits_panel(win)


def row_of(panel, visit_id):
    return next(r for r, p in enumerate(panel._points) if p.visit == visit_id)


def click_row(qtbot, panel, row: int) -> None:
    table = panel.table
    table.scrollToItem(table.item(row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     table.visualItemRect(table.item(row, 0)).center())


def list_dates(panel) -> list[str]:
    return [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]


@pytest.mark.parametrize("size", SIZES)
def test_a_unit_less_calcium_blocks_the_switch_to_another_visit_and_says_why(win, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    calcium = panel.editor.lab_rows["calcium"]
    panel.editor_area.ensureWidgetVisible(calcium.value_edit)
    QTest.mouseClick(calcium.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(calcium.value_edit, "2.3")
    click_row(qtbot, panel, row_of(panel, "V1"))
    assert panel.selected_visit_id() == "V2"  # not switched
    assert panel.table.selectionModel().selectedRows()[0].row() == row_of(panel, "V2")
    assert panel.switch_message.isVisible()
    assert panel.switch_message.text().startswith("Visit not changed: ")
    assert "unit" in panel.switch_message.text().lower()
    assert "“2.3”" in panel.switch_message.text()
    assert calcium.message.isVisible() and "“2.3” not accepted" in calcium.message.text()  # under the row too
    assert win.doc.case.visits[1].labs.calcium is None
    # finished as the message asks: the value with its unit; then the switch goes through
    QTest.mouseClick(calcium.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(calcium.value_edit, "2.3")
    pick_in_popup(qtbot, calcium.unit, "mmol/L")
    assert win.doc.case.visits[1].labs.calcium.value == 2.3
    click_row(qtbot, panel, row_of(panel, "V1"))
    assert panel.selected_visit_id() == "V1"
    assert not panel.switch_message.isVisible()
    panel.select_visit("V2")
    assert panel.editor.lab_rows["calcium"].value_edit.text() == "2.3"


def test_a_second_click_leaves_a_refused_entry_as_kept(win, qtbot, tmp_path):
    panel = open_example(win, tmp_path, (1280, 800))
    panel.select_visit("V2")
    calcium = panel.editor.lab_rows["calcium"]
    panel.editor_area.ensureWidgetVisible(calcium.value_edit)
    QTest.mouseClick(calcium.value_edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(calcium.value_edit, "2.3")
    click_row(qtbot, panel, row_of(panel, "V1"))
    assert panel.selected_visit_id() == "V2" and "choose the row again" in panel.switch_message.text()
    click_row(qtbot, panel, row_of(panel, "V1"))  # told once: no trap
    assert panel.selected_visit_id() == "V1"
    assert win.doc.case.visits[1].labs.calcium is None


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_weight_blocks_the_switch(win, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    weight = panel.editor.weight
    panel.editor_area.ensureWidgetVisible(weight)
    QTest.mouseClick(weight, Qt.MouseButton.LeftButton)
    QTest.keyClick(weight, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(weight, "34,5kg")
    click_row(qtbot, panel, row_of(panel, None))  # the first consultation's row
    assert panel.selected_visit_id() == "V2"
    assert "Visit not changed" in panel.switch_message.text() and "34,5kg" in panel.switch_message.text()
    assert "34,5kg" in win.statusBar().currentMessage()
    assert win.doc.case.visits[1].weight_kg == 34  # unchanged, and said under the field
    assert "“34,5kg” not accepted" in weight.message.text() and weight.message.isVisible()


@pytest.mark.parametrize("size", SIZES)
def test_a_visit_weight_height_and_temperature_are_checked_where_typed_and_in_the_pane(win, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    editor = panel.editor
    panel.editor_area.ensureWidgetVisible(editor.weight)
    type_text(qtbot, editor.weight, "3.4")
    assert win.doc.case.visits[1].weight_kg == 3.4
    message = editor.weight.message
    assert message.isVisible()
    assert "APLS estimate" in message.text() and "check the weight" in message.text()
    assert "differs by 90 % from 33.5 kg on 2027-01-11 (91 days before)" not in message.text()  # > 90 days
    type_text(qtbot, editor.fields["max_temperature_c"], "42.5")
    assert "42.5 °C is rarely real" in editor.fields["max_temperature_c"].message.text()
    type_text(qtbot, editor.fields["height_cm"], "100")
    assert "check the height" in editor.fields["height_cm"].message.text()
    pane = win.pane.checks.accessibleDescription() or win.pane.checks.text()
    for words in ("Weight (kg) at the visit of 2027-04-12 (V2): 3.4 kg is unusual", "42.5 °C is rarely real",
                  "check the height"):
        assert words in pane
    type_text(qtbot, editor.weight, "34")
    assert not editor.weight.message.isVisible()


def test_a_visit_before_the_first_consultation_is_listed_above_it_with_its_check(win, qtbot, tmp_path):
    def early(case):
        case.visits[1] = case.visits[1].model_copy(update={"date": dt.date(2026, 8, 20)})
    panel = open_example(win, tmp_path, (1280, 800), early)
    dates = list_dates(panel)
    assert dates[0].startswith("2026-08-20\nVisit V2\ncheck the date")
    assert dates[1] == "2026-10-05\nFirst consultation"
    assert dates[2].startswith("2027-01-11\nVisit V1")
    assert "before the first consultation" in panel.table.item(0, 0).toolTip()


def test_a_future_visit_next_review_and_mri_are_checked(win, qtbot, tmp_path):
    def dates(case):
        case.visits[1] = case.visits[1].model_copy(update={
            "date": dt.date.today() + dt.timedelta(days=30), "mri_date": dt.date.today() + dt.timedelta(days=31),
            "next_review_date": dt.date.today()})
    panel = open_example(win, tmp_path, (1280, 800), dates)
    panel.select_visit("V2")
    f = panel.editor.fields
    assert "in the future" in f["date"].message.text() and f["date"].message.isVisible()
    assert "MRI is after this visit" in f["mri_date"].message.text()
    assert "next review is before this visit" in f["next_review_date"].message.text()
    assert list_dates(panel)[-1].endswith("check the date")


@pytest.mark.parametrize("size", SIZES)
def test_ids_as_typed_and_undo_of_a_delete_selects_the_restored_visit(win, prompter, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    assert [d.split("\n")[1] for d in list_dates(panel)] == ["First consultation", "Visit V1", "Visit V2"]
    click_row(qtbot, panel, row_of(panel, "V1"))
    prompter.delete_answer = True
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert [v.id for v in win.doc.case.visits] == ["V2"]
    win.undo()
    assert panel.selected_visit_id() == "V1"
    assert panel.editor_title.text().startswith("Visit V1 of 2027-01-11")
    assert panel.table.selectionModel().selectedRows()[0].row() == row_of(panel, "V1")


@pytest.mark.parametrize("size", SIZES)
def test_add_a_new_lesion_needs_a_bone(win, qtbot, tmp_path, size):
    panel = open_example(win, tmp_path, size)
    panel.select_visit("V2")
    editor = panel.editor
    panel.editor_area.ensureWidgetVisible(editor.add_lesion)
    before = len(win.doc.case.imaging.lesions)
    assert editor.new_bone.currentText() == "Choose the bone…"
    assert not editor.add_lesion.isEnabled()
    qtbot.mouseClick(editor.add_lesion, Qt.MouseButton.LeftButton)
    assert len(win.doc.case.imaging.lesions) == before
    pick_in_popup(qtbot, editor.new_bone, "Femur")
    assert editor.add_lesion.isEnabled()
    pick_in_popup(qtbot, editor.new_side, "Right")
    qtbot.mouseClick(editor.add_lesion, Qt.MouseButton.LeftButton)
    added = win.doc.case.imaging.lesions[-1]
    assert (added.bone, added.side) == ("femur", "right")
    assert win.doc.case.visits[1].lesion_status[added.id] == "new"
    assert editor.new_bone.currentText() == "Choose the bone…" and not editor.add_lesion.isEnabled()
    # "New" only for the lesion added here, not for one of the first consultation
    assert editor.status_combos[added.id].findText("New") >= 0
    first = win.doc.case.imaging.lesions[0].id
    assert editor.status_combos[first].findText("New") < 0
