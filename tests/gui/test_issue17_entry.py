"""Issue 17: nothing typed is lost, nothing changes by accident.

Every test drives real widgets as a person would and ends on the one rule: what the window shows
is what the case holds, or the field says in words why not (and closing asks)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from desktop_app.case.models import Case, LabValue
from desktop_app.storage import recovery
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.panels.labs import LabsPanel
from desktop_app.ui.panels.patient import PatientPanel
from desktop_app.ui.panels.symptoms import SymptomsPanel
from desktop_app.ui.plan_panel import PlanPanel
from desktop_app.ui.widgets import EditTracker

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


# --- helpers: act like a user ----------------------------------------------------------------
def make(qtbot, cls, case: Case | None = None):
    doc = CaseDocument(case)
    panel = cls(doc)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    panel.activateWindow()
    qtbot.waitActive(panel)
    return doc, panel


def focus(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(lambda: widget.hasFocus())


def pick_in_popup(qtbot, combo: QComboBox, text: str) -> None:
    """Open the combo with a click and click the entry in its popup list (a real mouse path)."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # the opening click must not pair with ours
    row = combo.findText(text)
    assert row >= 0
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def wheel(widget: QWidget, notches: int = -1) -> None:
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def drop_text(widget: QWidget, text: str) -> None:
    mime = QMimeData()
    mime.setText(text)
    event = QDropEvent(QPointF(widget.width() - 2, widget.height() / 2), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    widget.dropEvent(event)


def example(name: str) -> Case:
    return Case.model_validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


# --- 1. a lab value typed before its unit ------------------------------------------------------
def test_value_then_unit_through_the_popup_list_is_stored(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["hemoglobin"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "11.9")
    qtbot.keyClick(row.value_edit, Qt.Key.Key_Tab)  # into the unit box: still in the row
    assert row.error() == "" and row.value_edit.text() == "11.9"
    pick_in_popup(qtbot, row.unit, "g/dL")
    assert doc.case.labs.hemoglobin == LabValue(value=11.9, unit="g/dL")
    assert row.error() == "" and row.value_edit.text() == "11.9" and row.unit.currentText() == "g/dL"


def test_value_then_unit_with_the_arrow_keys_is_stored(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "8")
    qtbot.keyClick(row.value_edit, Qt.Key.Key_Tab)
    assert row.unit.hasFocus()
    qtbot.keyClick(row.unit, Qt.Key.Key_Down)  # "– unit –" → mg/L
    assert doc.case.labs.crp == LabValue(value=8, unit="mg/L")
    assert row.value_edit.text() == "8" and row.unit.currentText() == "mg/L"


def test_value_enter_then_a_click_on_the_popup_list_is_stored(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["crp"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "8")
    qtbot.keyClick(row.value_edit, Qt.Key.Key_Return)  # the value waits for its unit
    assert row.error() == "" and row._pending and "choose the unit" in row.message.text()
    pick_in_popup(qtbot, row.unit, "mg/dL")  # the click moves the focus into the popup window
    assert doc.case.labs.crp == LabValue(value=8, unit="mg/dL")


def test_value_without_unit_stops_save_and_says_why(window, prompter, tmp_path, qtbot):
    window.show()
    window.path = tmp_path / "c.crmo"
    labs = window.tabs.findChildren(LabsPanel)[0]
    row = labs.rows["crp"]
    window.tabs.setCurrentIndex(window.tabs.indexOf(labs.parentWidget()))
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "8")
    assert window.save() is False  # stopped, and said so
    assert not window.path.exists()
    assert prompter.called("info") and "not accepted" in prompter.called("info")[0][1]
    assert "unit" in row.error() and doc_labs(window).crp is None and row.value_edit.text() == ""


def doc_labs(window):
    return window.doc.case.labs


# --- 2. every action finishes every pending edit ------------------------------------------------
def test_save_mid_edit_stores_the_typed_weight(window, tmp_path, qtbot):
    window.show()
    path = tmp_path / "c.crmo"
    window.path = path
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    qtbot.keyClicks(patient.weight, "34")  # focus still in the field
    assert window.save()
    assert json.loads(path.read_text(encoding="utf-8"))["patient"]["weight_kg"] == 34


def test_export_mid_edit_refused_weight_stops_and_says_why(window, prompter, tmp_path, qtbot):
    window.show()
    prompter.pdf_answer = tmp_path / "note.pdf"
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    qtbot.keyClicks(patient.weight, "34kg")
    assert window.export_pdf() is False
    assert not (tmp_path / "note.pdf").exists() and not prompter.called("pdf_path")
    assert "“34kg” not accepted" in patient.weight.error() and patient.weight.text() == ""
    assert window.doc.case.patient.weight_kg is None


def test_close_with_a_refused_entry_asks_first(window, prompter, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    qtbot.keyClicks(patient.weight, "34kg")
    window.doc.mark_saved()
    window.close()
    asked = prompter.called("confirm_drop_entries")
    assert asked and "34kg" in asked[0][1]
    assert window.isVisible()  # "Go back to them" (the fake's answer)
    assert patient.weight.hasFocus()
    prompter.drop_entries_answer = "discard"
    window.close()
    assert not window.isVisible()


def test_tab_switch_with_a_value_waiting_for_its_unit_keeps_the_tab(window, qtbot):
    window.show()
    labs = window.tabs.findChildren(LabsPanel)[0]
    labs_index = window.tabs.indexOf(labs.parentWidget())
    window.tabs.setCurrentIndex(labs_index)
    row = labs.rows["crp"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "8")
    bar = window.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.tabs.currentIndex() == labs_index  # the refused entry stays in view
    assert "“8” not accepted" in row.error() and row.value_edit.text() == ""
    assert "not accepted" in window.statusBar().currentMessage()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
    assert window.tabs.currentIndex() == 0  # seen once: the next click switches


def test_plan_wording_draft_is_saved_with_the_case(window, tmp_path, qtbot):
    window.show()
    path = tmp_path / "typical.crmo"
    path.write_bytes((EXAMPLES / "typical-multifocal.crmo").read_bytes())
    assert window.open_file(path)
    plan = window.tabs.findChildren(PlanPanel)[0]
    window.tabs.setCurrentIndex(window.tabs.indexOf(plan.parentWidget()))
    line_id, w = next((i, w) for i, w in plan.line_widgets.items() if not w.edit_btn.isHidden())
    qtbot.mouseClick(w.edit_btn, Qt.MouseButton.LeftButton)
    editor = plan.line_widgets[line_id].editor
    editor.selectAll()
    qtbot.keyClicks(editor, "Naproxen as agreed with the family")
    assert window.doc.dirty is False  # only a draft so far
    assert window.save()  # finishes the draft: Save wording is implied
    saved = json.loads(path.read_text(encoding="utf-8"))["plan_edits"][line_id]
    assert (saved["decision"], saved["text"]) == ("edited", "Naproxen as agreed with the family")
    shown = plan.line_widgets[line_id]
    assert shown.text_label.text() == "Naproxen as agreed with the family" and not shown.dose_labels


# --- 3. autosave holds edits in progress ------------------------------------------------------
def test_a_kill_after_an_edit_in_progress_recovers_it(window, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.name)
    qtbot.keyClicks(patient.name, "Zoe Example")
    qtbot.keyClick(patient.name, Qt.Key.Key_Tab)  # one committed edit
    focus(qtbot, patient.mrn)
    qtbot.keyClicks(patient.mrn, "MRN-0042")  # still typing: nothing committed
    assert window.doc.case.patient.mrn == ""
    assert window.autosave.timer.isActive()
    window.autosave.timer.timeout.emit()  # the 30 s autosave fires with the focus in the field
    assert patient.mrn.hasFocus() and patient.mrn.text() == "MRN-0042"  # typing not disturbed
    # Simulated SIGKILL: nothing else runs; the next start reads the recovery copy.
    entries = recovery.list_recoveries()
    assert len(entries) == 1
    recovered = recovery.load_recovery(entries[0])
    assert (recovered.patient.name, recovered.patient.mrn) == ("Zoe Example", "MRN-0042")


def test_autosave_runs_for_a_draft_alone(window, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    qtbot.keyClicks(patient.weight, "32.4")
    assert window.autosave.timer.isActive() and not window.doc.dirty
    window.autosave.timer.timeout.emit()
    assert recovery.load_recovery(recovery.list_recoveries()[0]).patient.weight_kg == 32.4


# --- 4. numbers: the one comma rule -----------------------------------------------------------
def test_ldh_with_a_thousands_comma_is_refused_in_place(qtbot):
    doc, panel = make(qtbot, LabsPanel)
    row = panel.rows["ldh"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "1,250")
    qtbot.keyClick(row.value_edit, Qt.Key.Key_Tab)
    assert doc.case.labs.ldh is None and row.value_edit.text() == ""
    assert "use no thousands separator: 1250" in row.error()


def test_weight_and_temperature_follow_the_same_comma_rule(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    focus(qtbot, panel.weight)
    qtbot.keyClicks(panel.weight, "1,250")
    qtbot.keyClick(panel.weight, Qt.Key.Key_Tab)
    assert doc.case.patient.weight_kg is None and "use no thousands separator: 1250" in panel.weight.error()
    focus(qtbot, panel.weight)
    qtbot.keyClicks(panel.weight, "32,4")
    qtbot.keyClick(panel.weight, Qt.Key.Key_Tab)
    assert doc.case.patient.weight_kg == 32.4 and panel.weight.text() == "32.4"


# --- 5. wheel, PageUp/PageDown, drop, paste ----------------------------------------------------
def test_wheel_over_an_unfocused_unit_box_changes_nothing(qtbot):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate({"labs": {"crp": {"value": 8, "unit": "mg/L"}}}))
    row = panel.rows["crp"]
    focus(qtbot, panel.rows["esr"].value_edit)
    wheel(row.unit)
    assert doc.case.labs.crp.unit == "mg/L" and row.unit.currentText() == "mg/L"


def test_wheel_over_an_unfocused_tristate_or_date_changes_nothing(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    malaise = panel.fields["symptoms.malaise"]
    wheel(malaise)
    wheel(malaise, 1)
    assert doc.case.symptoms.malaise is None and malaise.value() is None


def test_wheel_on_a_focused_combo_changes_nothing_either(qtbot):
    # Issue 23 (defect 9): a focused combo scrolled past changed a lesion's status; the wheel
    # never answers, focused or not.
    doc, panel = make(qtbot, SymptomsPanel)
    malaise = panel.fields["symptoms.malaise"]
    focus(qtbot, malaise)
    wheel(malaise)
    wheel(malaise, 1)
    assert malaise.value() is None and doc.case.symptoms.malaise is None


def test_wheel_over_an_unfocused_date_of_birth_changes_nothing(qtbot):
    doc, panel = make(qtbot, PatientPanel, Case.model_validate({"patient": {"date_of_birth": "2015-03-01"}}))
    focus(qtbot, panel.weight)
    wheel(panel.dob.edit)
    assert doc.case.patient.date_of_birth == dt.date(2015, 3, 1)
    assert panel.dob.edit.date().toPython() == dt.date(2015, 3, 1)


def test_page_down_on_a_combo_does_not_answer(qtbot):
    doc, panel = make(qtbot, SymptomsPanel)
    malaise = panel.fields["symptoms.malaise"]
    focus(qtbot, malaise)
    qtbot.keyClick(malaise, Qt.Key.Key_PageDown)
    qtbot.keyClick(malaise, Qt.Key.Key_PageUp)
    assert doc.case.symptoms.malaise is None and malaise.value() is None


def test_dropped_text_is_stored(qtbot):
    doc, panel = make(qtbot, PatientPanel, Case.model_validate({"patient": {"weight_kg": 3.4}}))
    drop_text(panel.weight, "2")  # dropped after the last digit, no focus, no Tab
    assert panel.weight.text() == "3.42" and doc.case.patient.weight_kg == 3.42
    drop_text(panel.name, "Zoë")
    assert doc.case.patient.name == panel.name.text() == "Zoë"


def test_pasted_text_is_stored(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    QApplication.clipboard().setText("45")
    focus(qtbot, panel.weight)
    qtbot.keyClick(panel.weight, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.weight, Qt.Key.Key_Tab)
    assert doc.case.patient.weight_kg == 45 and panel.weight.text() == "45"


# --- 9. "Recorded" opens the date, stores nothing ----------------------------------------------
def test_recorded_tick_opens_the_date_and_stores_nothing(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    focus(qtbot, panel.name)
    qtbot.mouseClick(panel.dob.check, Qt.MouseButton.LeftButton)
    assert doc.case.patient.date_of_birth is None and panel.dob.value() is None
    assert panel.dob.edit.hasFocus() and "type the date" in panel.dob.message.text()
    qtbot.keyClicks(panel.dob.edit, "20150301")
    qtbot.keyClick(panel.dob.edit, Qt.Key.Key_Return)
    assert doc.case.patient.date_of_birth == dt.date(2015, 3, 1)
    assert not panel.dob.message.isVisible() or "type the date" not in panel.dob.message.text()


def test_recorded_tick_then_leaving_goes_back_to_not_recorded(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    focus(qtbot, panel.name)
    qtbot.mouseClick(panel.dob.check, Qt.MouseButton.LeftButton)
    focus(qtbot, panel.weight)
    qtbot.waitUntil(lambda: not panel.dob.check.isChecked())
    assert doc.case.patient.date_of_birth is None and panel.dob.value() is None


def test_recorded_tick_then_enter_keeps_the_date_shown(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    focus(qtbot, panel.name)
    qtbot.mouseClick(panel.dob.check, Qt.MouseButton.LeftButton)
    qtbot.keyClick(panel.dob.edit, Qt.Key.Key_Return)
    assert doc.case.patient.date_of_birth == panel.dob.edit.date().toPython()


# --- tracker: one rule in the shared binding ---------------------------------------------------
def test_the_tracker_knows_every_bound_input_of_a_new_panel(qtbot):
    doc, panel = make(qtbot, PatientPanel)
    tracker = EditTracker.of(doc)
    focus(qtbot, panel.height)
    qtbot.keyClicks(panel.height, "140")
    assert tracker.has_pending()
    assert tracker.finish() == [] and doc.case.patient.height_cm == 140
    assert not tracker.has_pending()


# --- 8. skeleton map: the keyboard cursor follows the click; letters and pages jump -------------
def test_map_click_then_enter_acts_on_the_clicked_bone(qtbot):
    from desktop_app.case import skeleton_layout as layout
    from desktop_app.ui.panels.imaging import ImagingPanel

    doc, panel = make(qtbot, ImagingPanel)
    x, y = layout.anchor("femur", "left", None)
    point = panel.map.to_widget(x, y)
    qtbot.mouseClick(panel.map, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))
    assert panel.map.key_bone() == ("femur", "left", None)
    qtbot.keyClick(panel.map, Qt.Key.Key_Return)  # issue 23: no duplicate right after the click
    assert [(l.bone, l.side) for l in doc.case.imaging.lesions] == [("femur", "left")]
    qtbot.keyClick(panel.map, Qt.Key.Key_Return)  # a second Enter adds on the clicked bone, not the skull
    assert [(l.bone, l.side) for l in doc.case.imaging.lesions] == [("femur", "left"), ("femur", "left")]


def test_map_letters_and_page_keys_jump_between_bones(qtbot):
    from desktop_app.ui.panels.imaging import ImagingPanel

    doc, panel = make(qtbot, ImagingPanel)
    focus(qtbot, panel.map)
    presses = 0
    while panel.map.key_bone() != ("tibia", "left", None) and presses < 5:
        qtbot.keyClick(panel.map, Qt.Key.Key_T)
        presses += 1
    assert panel.map.key_bone() == ("tibia", "left", None) and presses <= 4
    start = panel.map.key_bone()[0]
    qtbot.keyClick(panel.map, Qt.Key.Key_PageDown)
    assert panel.map.key_bone()[0] != start
    assert doc.case.imaging.lesions == []  # moving the cursor adds nothing


# --- 6. the preview follows the case; its Print prints the current case --------------------------
@pytest.mark.allow_dialogs
def test_preview_follows_the_case_and_prints_the_current_one(window, prompter, qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter

    window.show()
    window.doc.set("patient.weight_kg", 32.4)
    window.preview_note()
    preview = window._preview
    assert preview is not None and preview.generation == 1
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    patient.weight.selectAll()
    qtbot.keyClicks(patient.weight, "45")  # still in the field when Print… is pressed
    out = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    prompter.printer = printer
    assert preview.print_() > 0
    assert window.doc.case.patient.weight_kg == 45 and not preview.stale and preview.generation == 2
    # The printed pages are images of the note: check the note the preview holds instead.
    text = "".join(preview.document.getAllText(i).text() for i in range(preview.page_count()))
    assert "45 kg" in text and "32.4 kg" not in text
    window.doc.set("patient.weight_kg", 50)
    assert preview.stale and "updating" in preview.status.text()
    qtbot.waitUntil(lambda: not preview.stale)
    text = "".join(preview.document.getAllText(i).text() for i in range(preview.page_count()))
    assert "50 kg" in text
    preview.close()


# --- 7. Plan tab: the focus stays on the line acted on; held-back lines; edited lines ------------
def _plan_window(window, tmp_path):
    window.show()
    path = tmp_path / "typical.crmo"
    path.write_bytes((EXAMPLES / "typical-multifocal.crmo").read_bytes())
    assert window.open_file(path)
    plan = window.tabs.findChildren(PlanPanel)[0]
    window.tabs.setCurrentIndex(window.tabs.indexOf(plan.parentWidget()))
    return plan


@pytest.mark.parametrize("buttons", [("remove_btn", "restore_btn"), ("accept_btn", "restore_btn"),
                                     ("edit_btn", "save_btn"), ("edit_btn", "cancel_btn")])
def test_space_on_a_plan_button_keeps_the_focus_on_that_line(window, qtbot, tmp_path, buttons):
    plan = _plan_window(window, tmp_path)
    line_id = next(i for i, w in plan.line_widgets.items() if w.line.status == "proposed")
    for name in buttons:
        button = getattr(plan.line_widgets[line_id], name)
        focus(qtbot, button)
        qtbot.keyClick(button, Qt.Key.Key_Space)
        focused = QApplication.focusWidget()
        assert focused is not None and plan.line_widgets[line_id].isAncestorOf(focused), name


def test_held_back_lines_offer_remove_but_not_accept(window, tmp_path):
    plan = _plan_window(window, tmp_path)
    held = [w for w in plan.line_widgets.values() if w.line.status == "not_proposed"]
    assert held, "the typical example holds a line back"
    for w in held:
        assert w.accept_btn.isHidden() and not w.remove_btn.isHidden()
    proposed = [w for w in plan.line_widgets.values() if w.line.status == "proposed"]
    assert all(not w.accept_btn.isHidden() for w in proposed)


def test_an_edited_line_shows_the_clinicians_wording_without_the_original_doses(window, qtbot, tmp_path):
    plan = _plan_window(window, tmp_path)
    line_id, w = next((i, w) for i, w in plan.line_widgets.items() if w.line.doses and w.line.status == "proposed")
    assert w.dose_labels
    qtbot.mouseClick(w.edit_btn, Qt.MouseButton.LeftButton)
    editor = plan.line_widgets[line_id].editor
    editor.selectAll()
    qtbot.keyClicks(editor, "Ibuprofen 10 mg/kg three times daily")
    qtbot.mouseClick(plan.line_widgets[line_id].save_btn, Qt.MouseButton.LeftButton)
    edited = plan.line_widgets[line_id]
    assert edited.text_label.text() == "Ibuprofen 10 mg/kg three times daily"
    assert edited.dose_labels == [] and edited.check_labels == []


def test_a_lab_dated_after_the_encounter_says_so_under_its_row(qtbot):
    doc, panel = make(qtbot, LabsPanel, Case.model_validate({
        "encounter": {"date": "2026-11-20"}, "labs": {"crp": {"value": 8, "unit": "mg/L", "date": "2026-11-25"}}}))
    row = panel.rows["crp"]
    assert row.message.isVisible() and "after the encounter" in row.message.text()


# --- 10. the impression: a multi-line input with the plan notes ---------------------------------
def test_impression_is_typed_saved_and_shown_again(window, qtbot, tmp_path):
    plan = _plan_window(window, tmp_path)
    edit = plan.impression_edit
    focus(qtbot, edit)
    qtbot.keyClicks(edit, "Probable CNO")
    qtbot.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(edit, "multifocal")
    assert window.save()  # focus still in the box: Save finishes it
    saved = json.loads(window.path.read_text(encoding="utf-8"))["impression"]
    assert saved == edit.toPlainText() and saved.startswith("Probable CNO") and saved.endswith("multifocal")
    window.doc.set("impression", "Changed by undo test")
    window.doc.undo_stack.undo()
    assert edit.toPlainText() == saved == window.doc.case.impression


def test_impression_in_a_file_is_shown(qtbot):
    doc, panel = make(qtbot, PlanPanel, Case.model_validate({"impression": "CNO, right tibia"}))
    assert panel.impression_edit.toPlainText() == "CNO, right tibia"


# --- 11. keyboard: the form before the pane, F6 into the pane with a ring, F1 for the reference ---
def test_tab_from_the_tab_bar_reaches_the_first_field_not_the_pane(window, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    window.tabs.setCurrentIndex(window.tabs.indexOf(patient.parentWidget()))
    focus(qtbot, window.tabs.tabBar())
    seen = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert patient.name in seen
    assert not any(window.pane.isAncestorOf(w) for w in seen)


def test_f6_moves_into_the_pane_with_a_ring_and_back(window, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.weight)
    qtbot.keyClick(patient.weight, Qt.Key.Key_F6)
    assert window.pane.isAncestorOf(QApplication.focusWidget())
    assert "border" in window.pane.styleSheet()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
    assert QApplication.focusWidget() is patient.weight and window.pane.styleSheet() == ""


def test_f1_opens_the_reference_tab(window, qtbot):
    window.show()
    patient = window.tabs.findChildren(PatientPanel)[0]
    focus(qtbot, patient.name)
    qtbot.keyClick(patient.name, Qt.Key.Key_F1)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Reference"


# --- 12. layout: 1024×700 fits; tables show their rows ------------------------------------------
def test_the_window_fits_1024_by_700_with_every_tab_in_view(window, qtbot):
    window.show()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.minimumSizeHint().width() <= 1024
    bar = window.tabs.tabBar()
    assert all(bar.tabRect(i).right() <= bar.width() for i in range(bar.count()))
    assert window.tabs.tabToolTip(5) == "Biopsy & cultures" and window.tabs.tabText(5) == "Biopsy"
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    assert window.tabs.tabText(5).replace("&&", "&") == "Biopsy & cultures"


def test_the_lesion_table_has_room_for_four_rows(qtbot):
    from desktop_app.ui.panels.imaging import ImagingPanel

    doc, panel = make(qtbot, ImagingPanel, Case.model_validate({"imaging": {"lesions": [
        {"id": f"#{i}", "bone": "tibia", "side": "left", "modalities": ["radiograph", "mri", "whole_body_mri"], "lytic": True, "sclerosis": True, "marrow_edema": True}
        for i in range(1, 6)]}}))
    table = panel.lesions.table
    assert all(table.rowHeight(r) <= table.row_cap() for r in range(table.rowCount()))
    assert table.minimumHeight() >= table.horizontalHeader().height() + 4 * table.row_cap() - 4
