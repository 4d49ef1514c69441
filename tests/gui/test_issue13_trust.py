"""Issue 13: what the window shows is what the app uses — driven through the real window.

Bad entries in every field type, cross-field checks, undo from a focused field, Tab out of every
table, a focus-chain walk of every tab (no trap, no nameless input), the skeleton map by keyboard,
the schema-3 inputs through save/reopen, lesion ids, the lab range in the chosen unit, and the
plan line kept in view.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QLineEdit, QPlainTextEdit, QTextBrowser, QWidget)

from desktop_app.case.lesion_ids import lesion_display_id, next_lesion_id
from desktop_app.case.models import Case, Lesion
from desktop_app.storage.case_file import load_case

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def example(name: str) -> Case:
    return Case.model_validate(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))


def shown_window(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def field(window, path: str) -> QWidget:
    return next(w for w in window.tabs.findChildren(QWidget) if w.property("case_path") == path)


def open_tab(window, title: str) -> QWidget:
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i).replace("&&", "&") == title:
            window.tabs.setCurrentIndex(i)
            return window.tabs.widget(i).build()
    raise AssertionError(title)


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def type_text(qtbot, edit: QLineEdit, text: str, finish=Qt.Key.Key_Return) -> None:
    focus(qtbot, edit)
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    if finish is not None:
        qtbot.keyClick(edit, finish)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    target = combo.findText(text)
    assert target >= 0, text
    focus(qtbot, combo)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        qtbot.keyClick(combo, key)


def save_and_reopen(window, prompter, tmp_path) -> Case:
    prompter.save_answer = tmp_path / "case.crmo"
    assert window.save()
    return load_case(tmp_path / "case.crmo")


# --- one rule for a refused entry -------------------------------------------------------------
@pytest.mark.parametrize("tab, path, bad, fragment", [
    ("Patient & encounter", "patient.weight_kg", "500", "≤ 300"),
    ("Patient & encounter", "patient.height_cm", "abc", "type a number"),
    ("Symptoms & exam", "symptoms.max_temperature_c", "46", "≤ 45"),
    ("Symptoms & exam", "symptoms.episodes", "2.5", "whole number"),
    ("Symptoms & exam", "symptoms.onset_age_years", "-1", "≥ 0"),
])
def test_a_refused_entry_never_differs_from_what_is_saved(window, prompter, qtbot, tmp_path,
                                                          tab, path, bad, fragment):
    shown_window(qtbot, window)
    open_tab(window, tab)
    edit = field(window, path)
    before = window.doc.get(path)
    type_text(qtbot, edit, bad)
    assert window.doc.get(path) == before
    assert edit.text() == ""  # back to the case's value (not recorded) at once
    assert edit.message.isVisible() and f"“{bad}” not accepted" in edit.message.text()
    assert fragment in edit.message.text()
    saved = save_and_reopen(window, prompter, tmp_path)
    obj = saved
    for part in path.split("."):
        obj = getattr(obj, part)
    assert obj is None and edit.text() == ""


def test_a_bad_entry_still_in_the_field_at_save_time_is_refused_first(window, prompter, qtbot, tmp_path):
    # The report: 500 typed, Ctrl+S pressed without leaving the field.
    shown_window(qtbot, window)
    weight = field(window, "patient.weight_kg")
    type_text(qtbot, weight, "42")
    type_text(qtbot, weight, "500", finish=None)  # still typing
    prompter.save_answer = tmp_path / "case.crmo"
    qtbot.keyClick(weight, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # Issue 17: the refusal stops the save and says so; the field shows the case's value.
    assert not (tmp_path / "case.crmo").exists() and prompter.called("info")
    assert weight.text() == "42" and "“500” not accepted" in weight.message.text()
    qtbot.keyClick(weight, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # seen: save what is shown
    assert load_case(tmp_path / "case.crmo").patient.weight_kg == 42
    assert not window.isWindowModified()


@pytest.mark.parametrize("typed, fragment", [("12,5 mg", "type a number"), ("-3", "≥ 0")])
def test_a_refused_lab_value_is_neither_shown_nor_saved_nor_exported(window, prompter, qtbot, tmp_path,
                                                                     typed, fragment):
    shown_window(qtbot, window)
    open_tab(window, "Labs")
    row = window.tabs.currentWidget().build().rows["crp"]
    choose(qtbot, row.unit, "mg/L")
    type_text(qtbot, row.value_edit, typed)
    assert window.doc.case.labs.crp is None and row.value_edit.text() == ""
    assert row.message.isVisible() and fragment in row.message.text()
    assert save_and_reopen(window, prompter, tmp_path).labs.crp is None


def test_a_date_change_is_a_valid_entry_and_a_combo_cannot_hold_a_bad_one(window, prompter, qtbot, tmp_path):
    # Date and choice inputs cannot hold an unreadable value: what they show is what is saved.
    shown_window(qtbot, window)
    choose(qtbot, field(window, "patient.sex"), "Female")
    dob = field(window, "patient.date_of_birth")
    qtbot.mouseClick(dob.check, Qt.MouseButton.LeftButton)
    saved = save_and_reopen(window, prompter, tmp_path)
    assert saved.patient.sex == "female" and saved.patient.date_of_birth == dob.value()


# --- cross-field checks --------------------------------------------------------------------------
def test_date_of_birth_after_the_encounter_is_a_check_not_missing(window, qtbot):
    shown_window(qtbot, window)
    window.doc.set("encounter.date", dt.date(2024, 1, 10))
    window.doc.set("patient.date_of_birth", dt.date(2025, 3, 1))
    dob = field(window, "patient.date_of_birth")
    assert dob.message.isVisible() and "after the encounter" in dob.message.text()
    checks = window.pane.checks
    assert checks.isVisible() and "Check these entries" in checks.text() and "Date of birth" in checks.text()
    cards = " ".join(window.pane.card_text(k) for k in window.pane._cards)
    assert ">Date of birth</a> to decide" not in cards  # never listed as missing
    window.doc.set("patient.date_of_birth", dt.date(2014, 3, 1))
    assert not dob.message.isVisible() and not checks.isVisible()


def test_a_rare_temperature_is_kept_with_a_warning_beside_it(window, qtbot):
    shown_window(qtbot, window)
    open_tab(window, "Symptoms & exam")
    temp = field(window, "symptoms.max_temperature_c")
    type_text(qtbot, temp, "44.5")
    assert window.doc.case.symptoms.max_temperature_c == 44.5 and temp.text() == "44.5"
    assert temp.message.isVisible() and "rarely real" in temp.message.text()


# --- undo ----------------------------------------------------------------------------------------
def test_ctrl_z_in_a_focused_line_edit_undoes_the_case(window, qtbot):
    shown_window(qtbot, window)
    weight = field(window, "patient.weight_kg")
    toolbar_texts = [a.text() for a in window.toolbar.actions()]
    type_text(qtbot, weight, "30")
    type_text(qtbot, weight, "31")
    assert window.act_undo.text() == "&Undo weight"
    assert [a.text() for a in window.toolbar.actions()] == toolbar_texts  # the toolbar does not move
    assert QApplication.focusWidget() is weight
    qtbot.keyClick(weight, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.case.patient.weight_kg == 30 and weight.text() == "30"
    qtbot.keyClick(weight, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.doc.case.patient.weight_kg == 31 and weight.text() == "31"
    # Half-typed text is finished first, so Ctrl+Z undoes it as one step.
    type_text(qtbot, weight, "55", finish=None)
    qtbot.keyClick(weight, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.case.patient.weight_kg == 31 and weight.text() == "31"


def test_ctrl_z_in_a_lesion_form_undoes_the_case(window, qtbot):
    shown_window(qtbot, window)
    panel = open_tab(window, "Imaging")
    qtbot.mouseClick(panel.lesions.add_button, Qt.MouseButton.LeftButton)
    notes = panel.lesions.fields["notes"]
    type_text(qtbot, notes, "sclerotic rim")
    assert window.doc.case.imaging.lesions[0].notes == "sclerotic rim"
    qtbot.keyClick(notes, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.doc.case.imaging.lesions[0].notes == "" and notes.text() == ""


# --- keyboard ------------------------------------------------------------------------------------
@pytest.mark.parametrize("tab, attr", [("Imaging", "lesions"), ("Biopsy & cultures", "list"),
                                       ("Treatment history", "list")])
def test_tab_leaves_a_table_with_rows(window, qtbot, tab, attr):
    window.doc.replace_case(example("typical-multifocal.crmo"))
    shown_window(qtbot, window)
    editor = getattr(open_tab(window, tab), attr)
    if editor.table.rowCount() == 0:
        qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    focus(qtbot, editor.table)
    qtbot.keyClick(editor.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not editor.table
    focus(qtbot, editor.table)
    qtbot.keyClick(editor.table, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is not editor.table


INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QPlainTextEdit, QTextBrowser, QAbstractItemView)


def _named(w: QWidget) -> bool:
    return bool(w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))


@pytest.mark.parametrize("index", range(9))
def test_the_focus_chain_of_every_tab_has_no_trap_and_no_nameless_input(window, qtbot, index):
    window.doc.replace_case(example("typical-multifocal.crmo"))
    shown_window(qtbot, window)
    window.tabs.setCurrentIndex(index)
    panel = window.tabs.currentWidget().build()
    bar = window.tabs.tabBar()
    focus(qtbot, bar)
    visited: list[QWidget] = []
    for _ in range(400):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        w = QApplication.focusWidget()
        if w is bar:
            break
        visited.append(w)
    else:
        raise AssertionError(f"Tab never came back to the tab bar: trapped in {visited[-3:]}")
    mine = [w for w in visited if panel.isAncestorOf(w)]
    assert mine, "no input of the tab was reached by Tab"
    nameless = [w for w in mine if isinstance(w, INPUTS) and not _named(w)]
    assert not nameless, nameless
    # Everything focusable in the tab is reached (nothing skipped or cut off from the keyboard).
    reachable = {w for w in panel.findChildren(QWidget)
                 if w.isVisibleTo(panel) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                 and isinstance(w, INPUTS) and w.focusProxy() is None}
    missed = [w.accessibleName() or type(w).__name__ for w in reachable - set(mine)
              if not isinstance(w.parent(), QComboBox)]
    assert not missed, missed


def test_the_skeleton_map_adds_a_lesion_from_the_keyboard(window, qtbot):
    shown_window(qtbot, window)
    panel = open_tab(window, "Imaging")
    focus(qtbot, panel.map)
    while panel.map.key_bone() != ("femur", "left", None):
        qtbot.keyClick(panel.map, Qt.Key.Key_Right)
    assert panel.map_status.text().startswith("Left femur")
    qtbot.keyClick(panel.map, Qt.Key.Key_Return)
    qtbot.keyClick(panel.map, Qt.Key.Key_Left)
    qtbot.keyClick(panel.map, Qt.Key.Key_Return)
    lesions = window.doc.case.imaging.lesions
    assert [(les.id, les.bone) for les in lesions][0] == ("#1", "femur") and len(lesions) == 2
    assert panel.lesions.current_row() == 1


# --- schema 3 inputs -----------------------------------------------------------------------------
def test_every_schema_3_input_writes_the_case_and_survives_save_and_reopen(window, prompter, qtbot, tmp_path):
    shown_window(qtbot, window)
    open_tab(window, "Patient & encounter")
    review = field(window, "encounter.next_review_date")
    assert review.accessibleName() == "Next review date"
    qtbot.mouseClick(review.check, Qt.MouseButton.LeftButton)  # opens the date (issue 17)
    qtbot.keyClick(review.edit, Qt.Key.Key_Return)  # Enter keeps the date shown
    open_tab(window, "Symptoms & exam")
    type_text(qtbot, field(window, "symptoms.onset_age_years"), "2.5")
    for path in ("symptoms.gingival_bleeding", "symptoms.petechiae", "associated.restricted_diet",
                 "associated.neurodevelopmental_disorder", "associated.malabsorption", "associated.hla_b27"):
        combo = field(window, path)
        assert combo.accessibleName(), path
        choose(qtbot, combo, "Yes")
    choose(qtbot, field(window, "symptoms.fever_pattern"), "Reported (pattern and maximum not recorded)")
    panel = open_tab(window, "Imaging")
    qtbot.mouseClick(panel.lesions.add_button, Qt.MouseButton.LeftButton)
    for name in ("permeative_destruction", "aggressive_periosteal_reaction"):
        assert panel.lesions.fields[name].accessibleName()
        choose(qtbot, panel.lesions.fields[name], "No")

    saved = save_and_reopen(window, prompter, tmp_path)
    assert saved.encounter.next_review_date == review.value() is not None
    s, a = saved.symptoms, saved.associated
    assert (s.onset_age_years, s.gingival_bleeding, s.petechiae, s.fever_pattern) == (2.5, True, True, "reported")
    assert (a.restricted_diet, a.neurodevelopmental_disorder, a.malabsorption, a.hla_b27) == (True,) * 4
    les = saved.imaging.lesions[0]
    assert (les.permeative_destruction, les.aggressive_periosteal_reaction) == (False, False)

    window.doc.mark_saved()
    assert window.open_file(tmp_path / "case.crmo")
    assert field(window, "symptoms.onset_age_years").text() == "2.5"
    assert field(window, "associated.hla_b27").currentText() == "Yes"


# --- lesion ids, labs, plan ----------------------------------------------------------------------
def test_lesion_ids_cannot_read_as_vertebral_levels():
    old = [Lesion(id="L1", bone="femur"), Lesion(id="L3", bone="tibia")]
    assert next_lesion_id(old) == "#4"
    assert [lesion_display_id(x) for x in ("L3", "#3", "T8", "")] == ["#3", "#3", "#T8", ""]


def test_haemoglobin_range_is_shown_in_the_unit_chosen(window, qtbot):
    window.doc.replace_case(example("crp-mg-dl-biopsy.crmo"))  # haemoglobin 13.0 g/dL
    panel = open_tab(window, "Labs")
    text = panel.ranges["hemoglobin"].text()
    assert text.startswith("Range used: ≥ 12 g/dL (≥ 120 g/L, default")  # 12.8 y


def test_the_plan_line_stays_in_view_with_the_focus_after_save_wording(window, qtbot):
    window.doc.replace_case(example("typical-multifocal.crmo"))
    window.resize(1280, 800)
    shown_window(qtbot, window)
    panel = open_tab(window, "Plan")
    line_id = list(panel.line_widgets)[-1]
    w = panel.line_widgets[line_id]
    panel.scroll.ensureWidgetVisible(w)
    qtbot.mouseClick(w.edit_btn, Qt.MouseButton.LeftButton)
    w.editor.selectAll()
    qtbot.keyClicks(w.editor, "Letter for school about activity limits")
    qtbot.mouseClick(w.save_btn, Qt.MouseButton.LeftButton)
    new = panel.line_widgets[line_id]
    assert new.text_label.text() == "Letter for school about activity limits"
    viewport = panel.scroll.viewport()
    top = new.mapTo(viewport, new.rect().topLeft()).y()
    assert 0 <= top < viewport.height(), "the edited line is out of view"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and new.isAncestorOf(QApplication.focusWidget()))
