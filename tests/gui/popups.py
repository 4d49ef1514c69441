"""Choosing in a combo as a person does: a click opens its popup list, a click on the entry chooses it."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox


def wait_past_double_click(qtbot) -> None:
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # the opening click must not pair with ours


def pick_in_popup(qtbot, combo: QComboBox, text: str, refused: bool = False) -> None:
    """Open the combo with a click and click the entry in its popup list (a real mouse path);
    `refused`: the combo must not take the entry (an entry check turned it down)."""
    combo.window().activateWindow()
    wait_past_double_click(qtbot)
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    wait_past_double_click(qtbot)
    row = combo.findText(text)
    assert row >= 0, f"{text!r} is not in {combo.accessibleName()}"
    view.scrollTo(view.model().index(row, 0))
    rect = view.visualRect(view.model().index(row, 0))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())
    assert (combo.currentText() != text) if refused else (combo.currentText() == text)
