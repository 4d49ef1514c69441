"""Issue 23 defect 21: a click on the skeleton map adds a lesion, and the Enter the status line invites
next must not add a duplicate. Real clicks and keys, on the Imaging tab of the window, at 1024×700 and
1280×800."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.test_panels_lists import click_bone

SIZES = [(1024, 700), (1280, 800)]


def imaging_tab(win, size):
    win.resize(*size)
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    index = next(i for i, t in enumerate(titles) if t.startswith("Imaging"))
    QTest.mouseClick(win.tabs.tabBar(), Qt.MouseButton.LeftButton, pos=win.tabs.tabBar().tabRect(index).center())
    return win.tabs.currentWidget().panel


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("enter", [Qt.Key.Key_Enter, Qt.Key.Key_Return])
def test_enter_after_a_map_click_adds_no_duplicate(win, qtbot, size, enter):
    panel = imaging_tab(win, size)
    qtbot.waitUntil(panel.map.isVisible)
    click_bone(qtbot, panel, "fibula", "left")
    lesions = win.doc.case.imaging.lesions
    assert [(l.bone, l.side) for l in lesions] == [("fibula", "left")]
    panel.map.setFocus()
    QTest.keyClick(panel.map, enter)
    assert len(win.doc.case.imaging.lesions) == 1  # no duplicate left fibula
    assert "already" in panel.lesions.message.text()
    # A click on the lesion (selects it), then Enter: still one.
    click_bone(qtbot, panel, "fibula", "left")
    QTest.keyClick(panel.map, enter)
    assert len(win.doc.case.imaging.lesions) == 1
    # A deliberate second Enter, or Enter after moving the cursor, does add.
    QTest.keyClick(panel.map, enter)
    assert len(win.doc.case.imaging.lesions) == 2
    QTest.keyClick(panel.map, Qt.Key.Key_Right)
    QTest.keyClick(panel.map, enter)
    assert len(win.doc.case.imaging.lesions) == 3
