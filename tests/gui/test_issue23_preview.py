"""Issue 23 at the note's preview, opened from the window's toolbar as a person does: it fits a small
screen (defect 19: it opened 980 px tall), and zooming in or out keeps the page in view (defect 20: +
on page 3 showed page 2)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from desktop_app.ui.pdf_preview import PdfPreviewDialog
from tests.gui.test_issue23_visit_speed import forty_visits

pytestmark = pytest.mark.allow_dialogs  # the preview is a non-modal dialog: it is what is tested


def open_preview(win, qtbot) -> PdfPreviewDialog:
    button = win.toolbar.widgetForAction(win.act_preview)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(win, "_preview", None), PdfPreviewDialog)
                    and win._preview.isVisible())
    dialog = win._preview
    qtbot.waitExposed(dialog)
    return dialog


def button(dialog, name: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.accessibleName() == name or b.text() == name)


def go_to_page_by_keys(qtbot, dialog, page: int) -> None:
    box = dialog.page_box
    dialog.activateWindow()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # in its text
    qtbot.waitUntil(box.hasFocus)
    QTest.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, str(page))
    QTest.keyClick(box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.current_page() == page)


def page_in_view(dialog) -> int:
    """The page under the middle of the view, as the view itself reports it after a scroll."""
    return dialog.current_page()


@pytest.mark.parametrize("screen", [(1024, 700), (1280, 800), (1366, 768)])
def test_the_preview_fits_the_screens_free_area(win, qtbot, tmp_path, monkeypatch, screen):
    area = QRect(0, 0, *screen)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(area))
    forty_visits(win, tmp_path, (min(1280, screen[0]), min(800, screen[1])))
    dialog = open_preview(win, qtbot)
    frame = dialog.frameGeometry()
    assert dialog.height() <= screen[1] - PdfPreviewDialog.FRAME_ALLOWANCE.height()  # room for a title bar
    assert area.contains(frame), (frame, area)
    assert dialog.view.height() > 200  # the page still has room to be read
    dialog.close()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_zoom_in_and_out_keeps_the_page_in_view(win, qtbot, tmp_path, size):
    forty_visits(win, tmp_path, size)
    dialog = open_preview(win, qtbot)
    assert dialog.page_count() >= 5
    fit = dialog.effective_zoom()
    go_to_page_by_keys(qtbot, dialog, 3)
    for _ in range(2):
        qtbot.mouseClick(button(dialog, "Zoom in"), Qt.MouseButton.LeftButton)
        assert page_in_view(dialog) == 3
    # + from Fit width zooms from what is seen, not from the view's stale custom factor.
    assert dialog.view.zoomFactor() == pytest.approx(fit * 1.25 ** 2, rel=0.01)
    for _ in range(4):
        qtbot.mouseClick(button(dialog, "Zoom out"), Qt.MouseButton.LeftButton)
        assert page_in_view(dialog) == 3
    assert dialog.view.zoomFactor() < fit
    go_to_page_by_keys(qtbot, dialog, 5)
    qtbot.mouseClick(button(dialog, "Zoom in"), Qt.MouseButton.LeftButton)
    assert page_in_view(dialog) == 5
    dialog.close()
