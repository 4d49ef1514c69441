"""Issue 23: Redo by Ctrl+Shift+Z as well as Ctrl+Y (the platform's Redo keys plus the other
convention), pressed as a person does, in the field that has the focus after an edit."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from tests.gui.test_visits_tab import type_text

pytestmark = pytest.mark.gui

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def press(key, modifiers) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)


def test_ctrl_shift_z_and_ctrl_y_both_redo_what_ctrl_z_undid(win, qtbot):
    weight = next(w for w in win.tabs.currentWidget().findChildren(QLineEdit)
                  if w.property("case_path") == "patient.weight_kg")
    type_text(qtbot, weight, "34")
    type_text(qtbot, weight, "35")
    assert win.doc.case.patient.weight_kg == 35 and QApplication.focusWidget() is not weight

    press(Qt.Key.Key_Z, CTRL)
    assert win.doc.case.patient.weight_kg == 34 and weight.text() == "34"
    press(Qt.Key.Key_Z, CTRL | SHIFT)
    assert win.doc.case.patient.weight_kg == 35 and weight.text() == "35"
    press(Qt.Key.Key_Z, CTRL)
    assert win.doc.case.patient.weight_kg == 34
    press(Qt.Key.Key_Y, CTRL)
    assert win.doc.case.patient.weight_kg == 35 and weight.text() == "35"
    assert "Redo" in win.act_redo.text() and not win.act_redo.isEnabled()  # nothing left to redo


def test_the_edit_menu_shows_a_redo_key_and_both_keys_are_bound(win):
    keys = [k.toString() for k in win.act_redo.shortcuts()]
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys
