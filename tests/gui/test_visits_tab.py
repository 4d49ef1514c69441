"""Issue 18 item 4: the Visits tab, driven as a person would — the mouse on popup lists and calendars,
or the keyboard alone — then saved, closed and reopened through the window's own paths, and every
shown value compared with the file."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLabel, QTableView, QToolButton, QWidget

from desktop_app.case.models import Case, Lesion
from desktop_app.ui.panels.imaging import ImagingPanel
from desktop_app.ui.panels.symptoms import SymptomsPanel
from desktop_app.ui.panels.visits import COLUMNS, VisitsPanel
from tests.gui.popups import pick_in_popup, wait_past_double_click

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
D = dt.date.fromisoformat


# --- acting like a user ---------------------------------------------------------------------------


def pick_in_calendar(qtbot, edit: QDateEdit, when: dt.date) -> None:
    """Open the date's calendar with a click on its arrow, page to the month with the calendar's own
    arrows, and click the day (days 14–22 appear once on any month's page)."""
    assert 14 <= when.day <= 22
    edit.window().activateWindow()
    wait_past_double_click(qtbot)  # a click just before (Add visit) must not make this one a double click
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(edit.width() - 8, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    wait_past_double_click(qtbot)
    while (calendar.yearShown(), calendar.monthShown()) != (when.year, when.month):
        later = (calendar.yearShown(), calendar.monthShown()) < (when.year, when.month)
        arrow = calendar.findChild(QToolButton, "qt_calendar_nextmonth" if later else "qt_calendar_prevmonth")
        QTest.mouseClick(arrow, Qt.MouseButton.LeftButton)
    view = calendar.findChild(QTableView, "qt_calendar_calendarview")
    model = view.model()
    cells = [model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
             if str(model.data(model.index(r, c))) == str(when.day)]
    assert len(cells) == 1
    wait_past_double_click(qtbot)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     view.visualRect(cells[0]).center())
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert edit.date().toPython() == when


def pick_optional_date(qtbot, widget, when: dt.date) -> None:
    qtbot.mouseClick(widget.check, Qt.MouseButton.LeftButton)  # "Recorded" opens the date for entry
    pick_in_calendar(qtbot, widget.edit, when)


def click_into(qtbot, widget: QWidget) -> None:
    widget.window().activateWindow()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(widget.hasFocus)


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Click into the field, select what is there, type, and leave with Tab."""
    click_into(qtbot, widget)
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Tab)


def tab_to(qtbot, target: QWidget, limit: int = 200) -> int:
    """Press Tab until `target` has the focus (the Tab order reaches it); the number of presses."""
    for presses in range(1, limit + 1):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is target:
            return presses
    raise AssertionError(f"{target.accessibleName()} is not reachable by Tab")


def keys(qtbot, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def key(k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), k, modifier)


def choose_with_keys(qtbot, combo: QComboBox, text: str) -> None:
    """Keyboard alone: open the focused combo's popup (Alt+Down), arrow to the entry, Enter."""
    assert QApplication.focusWidget() is combo
    key(Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(combo.view().isVisible)
    target = combo.findText(text)
    assert target >= 0
    for _ in range(abs(target - combo.view().currentIndex().row())):
        key(Qt.Key.Key_Down if target > combo.view().currentIndex().row() else Qt.Key.Key_Up)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not combo.view().isVisible())
    assert combo.currentText() == text


def base_case() -> Case:
    case = Case()
    case.patient.name = "Visit Test"
    case.patient.date_of_birth = D("2015-04-02")
    case.patient.weight_kg = 30.5
    case.encounter.date = D("2026-06-15")
    case.encounter.clinician = "Dr Keys"
    case.imaging.lesions = [Lesion(id="#1", bone="tibia", side="left", modalities=["mri"], marrow_edema=True),
                            Lesion(id="#2", bone="clavicle", side="right", modalities=["mri"], marrow_edema=True)]
    return case


def open_case(win, tmp_path, case: Case) -> None:
    path = tmp_path / "start.crmo"
    path.write_text(case.model_dump_json(), encoding="utf-8")
    assert win.open_file(path, ask=False)


def visits_panel(win) -> VisitsPanel:
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win.tabs.setCurrentIndex(titles.index("Visits"))
    return win.tabs.currentWidget().panel


def reopen(win, prompter, qtbot, tmp_path) -> tuple[object, dict]:
    """Save through Save As (the prompter names the file), close, and open it in a new window."""
    from desktop_app.ui.main_window import MainWindow

    saved = tmp_path / "visits.crmo"
    prompter.save_answer = saved
    assert win.save_as()
    assert win.close()
    prompter.open_answer = saved
    again = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(again)
    again.resize(1280, 800)
    again.show()
    assert again.open_dialog()
    return again, json.loads(saved.read_text(encoding="utf-8"))


def shown_values(panel: VisitsPanel) -> dict:
    """What the editor shows for the selected visit, as the file spells it."""
    f = panel.editor.fields

    def number(path):
        text = f[path].text().strip()
        return None if not text else float(text)

    labs = {}
    for analyte, row in panel.editor.lab_rows.items():
        if row.value_edit.text().strip():
            labs[analyte] = {"value": float(row.value_edit.text()), "unit": row.unit.currentData(),
                             "date": row.date.value().isoformat() if row.date.value() else None}
    return {
        "date": f["date"].value().isoformat(),
        "clinician": f["clinician"].text(),
        "weight_kg": number("weight_kg"), "height_cm": number("height_cm"),
        "max_temperature_c": number("max_temperature_c"),
        "measures": {k.split(".")[1]: number(k) for k in f if k.startswith("measures.")},
        "labs": labs,
        "blasts": f["labs.peripheral_smear_blasts"].value(),
        "mri_date": f["mri_date"].value().isoformat() if f["mri_date"].value() else None,
        "whole_body_mri": f["whole_body_mri"].value(),
        "lesion_status": {k: c.value() for k, c in panel.editor.status_combos.items() if c.value() is not None},
        "adverse_events": f["adverse_events"].toPlainText(),
        "notes": f["notes"].toPlainText(),
        "next_review_date": f["next_review_date"].value().isoformat() if f["next_review_date"].value() else None,
    }


def in_file(visit: dict) -> dict:
    measures = {k: (None if visit.get("measures", {}).get(k) is None else float(visit["measures"][k]))
                for k in ("pain", "patient_global", "physician_global", "chaq", "clinically_active_lesions")}
    labs = {a: {"value": float(v["value"]), "unit": v["unit"], "date": v.get("date")}
            for a, v in visit.get("labs", {}).items() if isinstance(v, dict)}
    return {
        "date": visit["date"], "clinician": visit.get("clinician", ""),
        "weight_kg": visit.get("weight_kg"), "height_cm": visit.get("height_cm"),
        "max_temperature_c": visit.get("max_temperature_c"),
        "measures": measures, "labs": labs,
        "blasts": visit.get("labs", {}).get("peripheral_smear_blasts"),
        "mri_date": visit.get("mri_date"), "whole_body_mri": visit.get("whole_body_mri"),
        "lesion_status": visit.get("lesion_status", {}),
        "adverse_events": visit.get("adverse_events", ""), "notes": visit.get("notes", ""),
        "next_review_date": visit.get("next_review_date"),
    }


def assert_shown_equals_file(window, data: dict) -> None:
    panel = visits_panel(window)
    assert [panel.table.item(r, 0).text().split("\n")[0] for r in range(panel.table.rowCount())] == \
        [data["encounter"]["date"]] + sorted(v["date"] for v in data["visits"])
    for visit in data["visits"]:
        panel.select_visit(visit["id"])
        assert shown_values(panel) == in_file(visit), visit["id"]
        row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text().split("\n")[1] == f"Visit {visit['id']}")
        pain = visit.get("measures", {}).get("pain")
        assert panel.table.item(row, 2).text() == ("not recorded" if pain is None else f"{pain:g}")


# --- the tests --------------------------------------------------------------------------------------
def test_two_visits_with_the_mouse_survive_save_and_reopen(win, prompter, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text().endswith("First consultation")
    plans = [
        dict(date=D("2026-09-14"), clinician="Dr Mouse", weight="31.2", height="139", temp="37.1",
             measures=("5", "4", "4", "0.5", "2"), crp="12", crp_unit="mg/L", alt="25", creat="48",
             mri=D("2026-09-16"), whole="Yes", statuses={"#1": "Improved", "#2": "Unchanged"},
             new_lesion=("Femur", "Right"), adverse="nausea", notes="better", review=D("2026-12-15")),
        dict(date=D("2026-11-16"), clinician="Dr Mouse", weight="", height="", temp="",
             measures=("2", "1", "1", "0.125", "0"), crp="0.4", crp_unit="mg/dL", alt="", creat="",
             mri=D("2026-11-18"), whole="No", statuses={"#1": "Resolved (no bone oedema left)", "#2": "Improved", "#3": "Worse"},
             new_lesion=None, adverse="", notes="well", review=D("2027-02-15")),
    ]
    for n, plan in enumerate(plans):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        editor = panel.editor
        f = editor.fields
        assert QApplication.focusWidget() is f["measures.pain"]  # the first measure, ready to type
        # Today, and the clinician of the last visit (else the first consultation's).
        assert f["date"].value() == dt.date.today() and f["clinician"].text() == ("Dr Keys", "Dr Mouse")[n]
        last = ("30.5 kg", "31.2 kg")[n]
        assert f"last {last}" in editor.weight.placeholderText() and editor.weight.text() == ""  # offered, not copied
        pick_in_calendar(qtbot, f["date"], plan["date"])
        type_text(qtbot, f["clinician"], plan["clinician"])
        if plan["weight"]:
            type_text(qtbot, editor.weight, plan["weight"])
            type_text(qtbot, f["height_cm"], plan["height"])
            type_text(qtbot, f["max_temperature_c"], plan["temp"])
        for name, value in zip(("pain", "patient_global", "physician_global", "chaq", "clinically_active_lesions"),
                               plan["measures"]):
            type_text(qtbot, f[f"measures.{name}"], value)
        crp = editor.lab_rows["crp"]
        type_text(qtbot, crp.value_edit, plan["crp"])  # the value before its unit (issue 17)
        pick_in_popup(qtbot, crp.unit, plan["crp_unit"])
        if plan["alt"]:
            type_text(qtbot, editor.lab_rows["alt"].value_edit, plan["alt"])
            creat = editor.lab_rows["creatinine"]
            type_text(qtbot, creat.value_edit, plan["creat"])
            pick_in_popup(qtbot, creat.unit, "µmol/L")
        pick_in_popup(qtbot, f["labs.peripheral_smear_blasts"], "No")
        pick_optional_date(qtbot, f["mri_date"], plan["mri"])
        pick_in_popup(qtbot, f["whole_body_mri"], plan["whole"])
        if plan["new_lesion"]:
            pick_in_popup(qtbot, editor.new_bone, plan["new_lesion"][0])
            pick_in_popup(qtbot, editor.new_side, plan["new_lesion"][1])
            qtbot.mouseClick(editor.add_lesion, Qt.MouseButton.LeftButton)
            assert editor.status_combos["#3"].currentText() == "New"
        for lesion_id, status in plan["statuses"].items():
            pick_in_popup(qtbot, editor.status_combos[lesion_id], status)
        if plan["adverse"]:
            type_text(qtbot, f["adverse_events"], plan["adverse"])
        type_text(qtbot, f["notes"], plan["notes"])
        pick_optional_date(qtbot, f["next_review_date"], plan["review"])

    case = win.doc.case
    assert [v.date for v in case.visits] == [D("2026-09-14"), D("2026-11-16")]
    v1, v2 = case.visits
    assert v1.weight_kg == 31.2 and v1.measures.chaq == 0.5 and v1.measures.clinically_active_lesions == 2
    assert v1.labs.crp.value == 12 and v1.labs.crp.unit == "mg/L" and v1.labs.creatinine.unit == "umol/L"
    assert v1.lesion_status == {"#1": "improved", "#2": "unchanged", "#3": "new"}
    assert case.imaging.lesions[-1].bone == "femur" and case.imaging.lesions[-1].side == "right"
    assert v2.labs.crp.unit == "mg/dL" and v2.weight_kg is None
    assert v2.lesion_status == {"#1": "resolved", "#2": "improved", "#3": "worse"}
    assert panel.table.rowCount() == 3

    again, data = reopen(win, prompter, qtbot, tmp_path)
    assert len(data["visits"]) == 2
    assert_shown_equals_file(again, data)
    again.doc.mark_saved()


def test_a_visit_with_the_keyboard_alone(win, prompter, qtbot, tmp_path):
    case = base_case()
    open_case(win, tmp_path, case)
    panel = visits_panel(win)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    editor = panel.editor
    f = editor.fields
    for visit_date, pain, status in ((D("2026-09-14"), "6", "Improved"), (D("2026-11-16"), "3", "Resolved (no bone oedema left)")):
        panel.table.setFocus()
        assert tab_to(qtbot, panel.add_button) == 1  # the list, then Add visit
        key(Qt.Key.Key_Space)
        assert QApplication.focusWidget() is f["measures.pain"]
        keys(qtbot, pain)
        key(Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is f["measures.patient_global"]
        keys(qtbot, "2")
        key(Qt.Key.Key_Tab)
        keys(qtbot, "3")  # physician global
        # Back up to the date with Shift+Tab and type it (Qt's date boxes open their calendar with the
        # mouse only); keyboard tracking is off, so the date is stored when Tab leaves it.
        while QApplication.focusWidget() is not f["date"]:
            key(Qt.Key.Key_Backtab)
        # issue 23: Shift+Tab selects the whole date, so the typed date replaces all of it
        keys(qtbot, visit_date.isoformat())
        key(Qt.Key.Key_Tab)
        assert f["date"].value() == visit_date
        tab_to(qtbot, editor.lab_rows["crp"].value_edit)
        keys(qtbot, "9")
        key(Qt.Key.Key_Tab)  # into the unit box: the value waits for its unit
        choose_with_keys(qtbot, editor.lab_rows["crp"].unit, "mg/L")
        tab_to(qtbot, f["whole_body_mri"])
        choose_with_keys(qtbot, f["whole_body_mri"], "Yes")
        tab_to(qtbot, editor.status_combos["#1"])
        choose_with_keys(qtbot, editor.status_combos["#1"], status)
        tab_to(qtbot, f["notes"])
        keys(qtbot, f"seen {pain}")
        key(Qt.Key.Key_Tab)
    visits = win.doc.case.visits
    assert [(v.date, v.measures.pain, v.measures.physician_global, v.labs.crp.value, v.labs.crp.unit,
             v.whole_body_mri, v.lesion_status, v.notes) for v in visits] == [
        (D("2026-09-14"), 6, 3, 9, "mg/L", True, {"#1": "improved"}, "seen 6"),
        (D("2026-11-16"), 3, 3, 9, "mg/L", True, {"#1": "resolved"}, "seen 3")]
    again, data = reopen(win, prompter, qtbot, tmp_path)
    assert_shown_equals_file(again, data)
    again.doc.mark_saved()


def test_undo_reverts_a_status_change_then_the_added_visit(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    combo = panel.editor.status_combos["#1"]
    pick_in_popup(qtbot, combo, "Worse")
    assert win.doc.case.visits[0].lesion_status == {"#1": "worse"}
    win.undo()
    assert win.doc.case.visits[0].lesion_status == {}
    assert panel.editor.status_combos["#1"].currentText() == "Not assessed"
    win.undo()
    assert win.doc.case.visits == [] and panel.table.rowCount() == 1
    win.redo()
    assert len(win.doc.case.visits) == 1 and panel.table.rowCount() == 2


def test_new_is_offered_only_for_a_lesion_added_at_that_visit(win, qtbot, tmp_path):
    """Issue 23 item 7: "New" for a first-consultation lesion rewrote that consultation's count; a
    lesion is new only where it was added, so "New" at two visits cannot be chosen either."""
    case = base_case()
    open_case(win, tmp_path, case)
    panel = visits_panel(win)
    for _ in range(2):
        qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
        panel.editor.fields["date"].setFocus()
    panel.select_visit("V1")
    editor = panel.editor
    assert editor.status_combos["#2"].findText("New") < 0  # a lesion of the first consultation
    pick_in_popup(qtbot, editor.new_bone, "Humerus")
    pick_in_popup(qtbot, editor.new_side, "Left")
    qtbot.mouseClick(editor.add_lesion, Qt.MouseButton.LeftButton)
    assert editor.status_combos["#3"].currentText() == "New"
    panel.select_visit("V2")
    assert panel.editor.status_combos["#3"].findText("New") < 0  # new at V1, not again at V2
    pick_in_popup(qtbot, panel.editor.status_combos["#3"], "Improved")
    assert win.doc.case.visits[1].lesion_status == {"#3": "improved"}


def test_deleting_a_visit_asks_and_undo_brings_it_back(win, prompter, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    prompter.delete_answer = False
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert prompter.called("confirm_delete") and len(win.doc.case.visits) == 1
    prompter.delete_answer = True
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    assert win.doc.case.visits == []
    win.undo()
    assert len(win.doc.case.visits) == 1


def test_deleting_a_referenced_lesion_removes_its_statuses_in_one_undo_step(win, prompter, qtbot, tmp_path):
    case = base_case()
    open_case(win, tmp_path, case)
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    pick_in_popup(qtbot, panel.editor.status_combos["#1"], "Improved")
    pick_in_popup(qtbot, panel.editor.status_combos["#2"], "Unchanged")
    imaging = win.tabs.findChildren(ImagingPanel)[0]
    win.tabs.setCurrentIndex(win.tabs.indexOf(imaging.parentWidget()))
    imaging.lesions.select(0)
    prompter.delete_answer = True
    qtbot.mouseClick(imaging.lesions.remove_button, Qt.MouseButton.LeftButton)
    said = prompter.called("confirm_delete")[-1][1]
    assert "has a status at the visit of" in said and "also removes" in said
    assert [les.id for les in win.doc.case.imaging.lesions] == ["#2"]
    assert win.doc.case.visits[0].lesion_status == {"#2": "unchanged"}
    win.undo()  # one step brings back the lesion and its status
    assert [les.id for les in win.doc.case.imaging.lesions] == ["#1", "#2"]
    assert win.doc.case.visits[0].lesion_status == {"#1": "improved", "#2": "unchanged"}


def test_declining_keeps_the_lesion_and_its_status(win, prompter, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    pick_in_popup(qtbot, panel.editor.status_combos["#1"], "Improved")
    imaging = win.tabs.findChildren(ImagingPanel)[0]
    imaging.lesions.select(0)
    prompter.delete_answer = False
    qtbot.mouseClick(imaging.lesions.remove_button, Qt.MouseButton.LeftButton)
    assert len(win.doc.case.imaging.lesions) == 2 and win.doc.case.visits[0].lesion_status == {"#1": "improved"}


def test_save_finishes_a_measure_being_typed_in_a_visit(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.editor.fields["measures.pain"], "7")  # focus still in the field
    win.path = tmp_path / "mid.crmo"
    assert win.save()
    data = json.loads((tmp_path / "mid.crmo").read_text(encoding="utf-8"))
    assert data["visits"][0]["measures"]["pain"] == 7


def test_save_stops_on_a_refused_visit_entry_and_says_why(win, prompter, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.editor.fields["measures.pain"], "11")
    win.path = tmp_path / "refused.crmo"
    assert not win.save()
    assert "Pain" in prompter.called("info")[-1][1] and "“11” not accepted" in prompter.called("info")[-1][1]
    assert win.doc.case.visits[0].measures.pain is None


def test_the_autosave_copy_holds_a_visit_value_being_typed(win, qtbot, tmp_path):
    from desktop_app.ui.widgets import EditTracker

    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.editor.fields["measures.physician_global"], "4")
    assert EditTracker.of(win.doc).case_with_pending().visits[0].measures.physician_global == 4
    assert win.doc.case.visits[0].measures.physician_global is None


def test_the_wheel_over_an_unfocused_status_changes_nothing(win, qtbot, tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent

    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    combo = panel.editor.status_combos["#1"]
    pos = QPointF(combo.width() / 2, combo.height() / 2)
    QApplication.sendEvent(combo, QWheelEvent(pos, combo.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -120),
                                              Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                                              Qt.ScrollPhase.NoScrollPhase, False))
    assert win.doc.case.visits[0].lesion_status == {} and combo.currentText() == "Not assessed"


def test_first_consultation_measures_are_in_symptoms_and_exam(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    symptoms = win.tabs.findChildren(SymptomsPanel)[0]
    win.tabs.setCurrentIndex(win.tabs.indexOf(symptoms.parentWidget()))
    pain = symptoms.fields["measures.pain"]
    symptoms.parentWidget()  # built
    type_text(qtbot, pain, "8")
    type_text(qtbot, symptoms.fields["measures.clinically_active_lesions"], "2.5")
    assert win.doc.case.measures.pain == 8 and win.doc.case.measures.clinically_active_lesions is None
    assert "whole number" in symptoms.fields["measures.clinically_active_lesions"].error()
    assert pain.accessibleDescription() == "0 = no pain … 10 = very severe"
    panel = visits_panel(win)
    assert panel.table.item(0, 2).text() == "8"


def test_every_visit_input_has_a_name_for_screen_readers(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    unnamed = [type(w).__name__ for w in panel.editor.tab_chain() + [panel.table, panel.add_button, panel.delete_button]
               if not w.accessibleName()]
    assert unnamed == []


def test_the_example_opens_on_its_latest_visit(win, qtbot, tmp_path):
    assert win.open_file(EXAMPLES / "followup-two-visits.crmo", ask=False)
    panel = visits_panel(win)
    data = json.loads((EXAMPLES / "followup-two-visits.crmo").read_text(encoding="utf-8"))
    latest = max(data["visits"], key=lambda v: v["date"])
    assert panel.selected_visit_id() == latest["id"]
    assert_shown_equals_file(win, data)
    assert panel.chart.chart_input() is not None and len(panel.chart.chart_input().points) == 3


def test_jump_to_a_visit_field_shows_that_visit(win, qtbot, tmp_path):
    assert win.open_file(EXAMPLES / "followup-two-visits.crmo", ask=False)
    first = win.doc.case.visits[0]
    assert win.jump_to("visits[0].mri_date")
    panel = visits_panel(win)
    assert panel.selected_visit_id() == first.id
    assert panel.editor.fields["mri_date"].isAncestorOf(QApplication.focusWidget()) \
        or QApplication.focusWidget() is panel.editor.fields["mri_date"]


def test_the_visits_tab_is_built_only_when_first_shown(window, qtbot):
    from PySide6.QtWidgets import QTabWidget

    window.show()
    tabs = window.findChild(QTabWidget)
    page = tabs.widget([tabs.tabText(i) for i in range(tabs.count())].index("Visits"))
    assert page.panel is None  # start-up builds the first tab only
    tabs.setCurrentWidget(page)
    assert isinstance(page.panel, VisitsPanel)


def test_a_visit_dated_before_the_first_consultation_is_flagged_in_place(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    date = panel.editor.fields["date"]
    pick_in_calendar(qtbot, date, D("2026-05-18"))  # the encounter is 2026-06-15
    assert win.doc.case.visits[0].date == D("2026-05-18")
    assert "before the first consultation" in date.message.text() and date.message.isVisible()
    pick_in_calendar(qtbot, date, D("2026-07-20"))
    assert not date.message.isVisible()


def test_the_status_table_says_where_each_lesion_was_first_seen(win, qtbot, tmp_path):
    open_case(win, tmp_path, base_case())
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    editor = panel.editor
    pick_in_popup(qtbot, editor.new_bone, "Femur")
    qtbot.mouseClick(editor.add_lesion, Qt.MouseButton.LeftButton)
    texts = [editor.status_grid.itemAt(i).widget().text() for i in range(editor.status_grid.count())
             if isinstance(editor.status_grid.itemAt(i).widget(), QLabel)]
    assert "first seen: first consultation" in texts
    assert f"first seen: visit of {dt.date.today().isoformat()}" in texts
    win.undo()  # one step: the lesion and its status go together
    assert len(win.doc.case.imaging.lesions) == 2 and win.doc.case.visits[0].lesion_status == {}


def test_the_hidden_visits_tab_recomputes_only_when_shown_again(win, qtbot, monkeypatch):
    """Edits made in another tab do not rebuild the course, list and chart behind it (issue 18 speed);
    the tab shows them as soon as it is in front again."""
    assert win.open_file(EXAMPLES / "followup-two-visits.crmo", ask=False)
    panel = visits_panel(win)
    calls = []
    real = panel._refresh  # the course read, the list refilled, the chart redrawn
    monkeypatch.setattr(panel, "_refresh", lambda path: calls.append(1) or real(path))
    win.tabs.setCurrentIndex(0)  # Patient & encounter in front
    assert not panel.isVisible()
    win.doc.set("measures.pain", 2)
    win.doc.set("measures.patient_global", 3)
    assert calls == []
    visits_panel(win)
    assert len(calls) == 1
    assert panel.table.item(0, COLUMNS.index("Pain")).text() == "2"
