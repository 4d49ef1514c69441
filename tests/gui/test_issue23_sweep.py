"""Issue 23: nothing but a deliberate entry changes the case, and no label floats in its own window.

The sweep: on every tab of the main window (the Visits tab's editor included), on the follow-up
example, every visible input gets a click at three points of its text, three wheel notches and
PageUp/PageDown; the case saved afterwards is byte-identical to the case saved before (the time of
saving aside)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QScrollArea, QWidget)

from desktop_app.ui.widgets import FieldMessage

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
SIZES = [(1024, 700), (1280, 800)]


def shown(window, size, tmp_path):
    shutil.copy(EXAMPLES / "followup-two-visits.crmo", tmp_path / "case.crmo")
    window.resize(*size)
    window.show()
    window.activateWindow()
    assert window.open_file(tmp_path / "case.crmo", ask=False)
    return tmp_path / "case.crmo"


def every_tab(window, qtbot):
    """Each tab in turn (built on first show), the window's current tab page given back."""
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        qtbot.waitUntil(lambda: window.tabs.currentWidget() is not None and window.tabs.currentWidget().isVisible())
        yield window.tabs.currentWidget()


def inputs(page: QWidget) -> list[QWidget]:
    """The visible, enabled inputs of a page (a date box once, not its inner line edit)."""
    found = []
    for w in page.findChildren(QWidget):
        if not (w.isVisibleTo(page) and w.isEnabled()):
            continue
        if isinstance(w, (QComboBox, QAbstractSpinBox)):
            found.append(w)
        elif isinstance(w, QLineEdit) and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox)) \
                and not w.isReadOnly():
            found.append(w)
    return found


def wheel(widget: QWidget, notches: int) -> None:
    pos = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(pos, widget.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def bring_into_view(widget: QWidget) -> None:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parent()


def saved_bytes(window, path: Path) -> bytes:
    assert window.save_to(path)
    return re.sub(rb'"saved_at":\s*"[^"]*"', b'"saved_at": ""', path.read_bytes())


def touch(widget: QWidget, qtbot) -> None:
    bring_into_view(widget)
    if not widget.isVisible():
        return
    y = widget.height() // 2
    for x in (widget.width() // 5, widget.width() // 2, widget.width() * 3 // 5):  # the text, not an arrow
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        popup = widget.view() if isinstance(widget, QComboBox) else None
        if popup is not None and popup.isVisible():
            QTest.keyClick(popup, Qt.Key.Key_Escape)  # the list opened; closed without a choice
    for notches in (-1, -1, 1):
        wheel(widget, notches)
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
        target = QApplication.focusWidget() or widget
        QTest.keyClick(target, key)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_clicks_wheel_and_page_keys_on_every_input_leave_the_case_byte_identical(window, qtbot, tmp_path, size):
    path = shown(window, size, tmp_path)
    before = saved_bytes(window, path)
    touched = 0
    for page in every_tab(window, qtbot):
        for widget in inputs(page):
            touch(widget, qtbot)
            touched += 1
    assert touched > 100  # every panel's inputs, the visit editor's included
    assert window.commit_pending()
    assert saved_bytes(window, path) == before
    assert not window.doc.undo_stack.canUndo()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_label_or_input_is_its_own_window(window, qtbot, tmp_path, size):
    already = set(map(id, QApplication.allWidgets()))
    shown(window, size, tmp_path)
    for page in every_tab(window, qtbot):
        stray = [w for w in QApplication.topLevelWidgets()
                 if w.isVisible() and w is not window and not (w.windowFlags() & Qt.WindowType.Popup)
                 and w.windowType() != Qt.WindowType.ToolTip]
        assert stray == [], f"{page.objectName() or type(page).__name__}: {[type(w).__name__ for w in stray]}"
    orphans = [w for w in QApplication.allWidgets()
               if id(w) not in already and isinstance(w, FieldMessage) and w.parent() is None]
    assert orphans == [], [w.accessibleName() for w in orphans]
