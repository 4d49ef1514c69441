"""Issue 23 speed: one edit computes the assessment, the plan and the course once, and the pane, its
follow-up summary, the Visits list, the chart and the Plan tab share them (ui/results.py). Shared results
must never be stale: after an edit, an Undo, a Redo (by keys) and another file, every view shows what the
pure functions give for the case as it is now."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app.course import course
from desktop_app.course.chart_input import chart_input
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan
from desktop_app.plan.visit_summary import visit_summary
from tests.gui.test_issue23_visit_speed import forty_visits
from tests.gui.test_issue23_visits_list import row_of
from tests.gui.test_visits_tab import EXAMPLES, type_text, visits_panel

pytestmark = pytest.mark.gui

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def press(key, modifiers) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)


def assert_every_view_is_current(win, panel) -> None:
    """Each view against the pure functions run afresh on the case as it is now (nothing remembered)."""
    case = win.doc.case
    fresh = course(case)
    assert win.pane.assessment == assess(case)
    assert win.pane.followup_words == visit_summary(case)
    assert panel._course == fresh
    assert panel.chart.chart_input() == chart_input(case, fresh, panel._highlight())
    latest = max(case.visits, key=lambda v: v.date)
    pain = latest.measures.pain
    assert panel.table.item(row_of(panel, latest.id), 2).text() == ("—" if pain is None else f"{pain:g}")
    plan_tab = next(win.tabs.widget(i) for i in range(win.tabs.count()) if win.tabs.tabText(i).replace("&", "") == "Plan")
    win.tabs.setCurrentWidget(plan_tab)  # the Plan tab catches up when shown
    assert plan_tab.panel.plan == plan(case, assess(case))
    visits_panel(win)  # the Visits tab in front again


def test_edit_undo_redo_and_another_file_leave_no_view_stale(win, qtbot, tmp_path):
    panel = forty_visits(win, tmp_path, (1280, 800))
    qtbot.waitUntil(lambda: win.pane.followup_words is not None, timeout=5000)  # the plan's warm-up
    assert_every_view_is_current(win, panel)
    before = win.pane.followup_words

    temperature = panel.editor.fields["max_temperature_c"]
    type_text(qtbot, temperature, "39.6")  # a fever at the latest visit: the summary's words change
    type_text(qtbot, panel.editor.fields["measures.pain"], "9")
    assert panel.vdoc.visit().max_temperature_c == 39.6
    assert_every_view_is_current(win, panel)
    edited = win.pane.followup_words
    assert panel.table.item(row_of(panel, "V40"), 2).text() == "9"

    press(Qt.Key.Key_Z, CTRL)
    press(Qt.Key.Key_Z, CTRL)
    assert win.pane.followup_words == before and panel.table.item(row_of(panel, "V40"), 2).text() != "9"
    assert_every_view_is_current(win, panel)

    press(Qt.Key.Key_Z, CTRL | SHIFT)
    press(Qt.Key.Key_Y, CTRL)
    assert win.pane.followup_words == edited and panel.table.item(row_of(panel, "V40"), 2).text() == "9"
    assert_every_view_is_current(win, panel)

    win.doc.mark_saved()
    assert win.open_file(EXAMPLES / "followup-two-visits.crmo", ask=False)  # another file: nothing carried over
    panel = visits_panel(win)
    assert_every_view_is_current(win, panel)
