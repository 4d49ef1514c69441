"""Issue 23, the date box: a click in its text never changes a date; only the calendar or typing
does; a whole date typed is read whole; one Tab leaves. Real clicks and keys, at 1024×700 and
1280×800, on the date of birth (every date box is the same GuardedDateEdit)."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QCalendarWidget, QTableView, QToolButton

from desktop_app.case.models import Case
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.panels.patient import PatientPanel
from tests.gui.popups import wait_past_double_click

SIZES = [(1024, 700), (1280, 800)]
DOB = dt.date(2014, 9, 2)


@pytest.fixture(params=SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def patient(request, qtbot):
    doc = CaseDocument(Case.model_validate({"patient": {"date_of_birth": DOB.isoformat()}}))
    panel = PatientPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(*request.param)
    panel.show()
    panel.activateWindow()
    qtbot.waitActive(panel)
    return doc, panel


def text_points(edit):
    """Three points of the date's text: on the year, the month and the day (2014-09-02)."""
    line = edit.lineEdit()
    metrics = line.fontMetrics()
    start = line.cursorRect().center().x() if line.text() == "" else 0
    margin = (line.width() - metrics.horizontalAdvance(line.text())) if line.alignment() & Qt.AlignmentFlag.AlignRight \
        else line.textMargins().left() + 2 + start
    return [line.mapTo(edit, QPoint(margin + metrics.horizontalAdvance(line.text()[:chars]), line.height() // 2))
            for chars in (2, 6, 9)]


def test_clicks_in_the_text_place_the_cursor_and_change_nothing(patient, qtbot):
    doc, panel = patient
    edit = panel.dob.edit
    for point in text_points(edit):
        wait_past_double_click(qtbot)
        QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)
        assert edit.hasFocus()
        assert edit.date().toPython() == DOB and doc.case.patient.date_of_birth == DOB
    assert not doc.undo_stack.canUndo()  # nothing was recorded as an edit
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert doc.case.patient.date_of_birth == DOB


def test_wheel_up_down_and_page_keys_never_step_the_date(patient, qtbot):
    doc, panel = patient
    edit = panel.dob.edit
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, text_points(edit)[2])
    for key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
        qtbot.keyClick(edit, key)
    from tests.gui.test_issue17_entry import wheel
    for notches in (1, -1, -1):
        wheel(edit, notches)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert doc.case.patient.date_of_birth == DOB and edit.date().toPython() == DOB


@pytest.mark.parametrize("typed", ["20150415", "2015-04-15", "15/04/2015", "15.04.2015", "2015/4/15"])
def test_a_whole_date_typed_after_shift_tab_is_kept_whole(patient, qtbot, typed):
    doc, panel = patient
    edit = panel.dob.edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # one Tab leaves the date box
    after = QApplication.focusWidget()
    assert after is not edit and not edit.isAncestorOf(after)
    qtbot.keyClick(after, Qt.Key.Key_Backtab)  # and one Shift+Tab comes back
    edit = panel.dob.edit
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # one Tab stores it and leaves
    assert doc.case.patient.date_of_birth == dt.date(2015, 4, 15)
    assert not edit.hasFocus()
    assert edit.lineEdit().text() == "2015-04-15"


@pytest.mark.parametrize("typed, words", [("2015-02-30", "there is no day"),
                                          ("04/05/2015", "could be 4 May or 5 April"),
                                          ("15/04/15", "year in full"),
                                          ("yesterday", "year-month-day")])
def test_a_text_that_is_not_one_date_is_refused_in_words(patient, qtbot, typed, words):
    doc, panel = patient
    edit = panel.dob.edit
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, text_points(edit)[0])
    edit.lineEdit().selectAll()
    qtbot.keyClicks(edit, typed)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert doc.case.patient.date_of_birth == DOB and edit.lineEdit().text() == DOB.isoformat()
    message = panel.dob.message
    assert message.isVisible() and words in message.text() and f"“{typed}” not accepted" in message.text()
    assert "kept 2014-09-02" in message.text()


def test_the_arrow_opens_the_calendar_and_a_picked_day_is_stored(patient, qtbot):
    doc, panel = patient
    edit = panel.dob.edit
    arrow = QPoint(edit.width() - 6, edit.height() // 2)  # the calendar button, right of the text
    assert not edit.lineEdit().geometry().contains(arrow)
    QTest.mouseClick(edit, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, arrow)
    calendar: QCalendarWidget = edit.calendarWidget()
    qtbot.waitUntil(lambda: calendar.isVisible())
    assert doc.case.patient.date_of_birth == DOB  # opening is not a change
    nav = calendar.findChild(QToolButton, "qt_calendar_nextmonth")
    wait_past_double_click(qtbot)
    qtbot.mouseClick(nav, Qt.MouseButton.LeftButton)  # page to October 2014
    assert (calendar.yearShown(), calendar.monthShown()) == (2014, 10)
    view = calendar.findChild(QTableView)
    model = view.model()
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            if model.data(model.index(r, c)) == 15 and r < 4:
                rect = view.visualRect(model.index(r, c))
                wait_past_double_click(qtbot)
                QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                                 rect.center())
                break
        else:
            continue
        break
    qtbot.waitUntil(lambda: doc.case.patient.date_of_birth == dt.date(2014, 10, 15))
