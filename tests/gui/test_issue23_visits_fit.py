"""Issue 23 at 1024×700 with the 40-visit case: the chart shows its last treatment row whole (it scrolls
rather than clip), and the visit editor's temperature hint is not cut at the right edge."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QLabel

from tests.gui.test_issue23_visit_speed import SIZES, forty_visits

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("size", SIZES)
def test_the_chart_is_never_cut_off_it_scrolls(win, qtbot, tmp_path, size):
    panel = forty_visits(win, tmp_path, size)
    chart = panel.chart
    qtbot.waitUntil(lambda: chart.geometry_now() is not None)
    assert len(chart.chart_input().treatments) == 3
    g = chart.geometry_now()
    assert g.height <= chart.height() + 0.5  # every row drawn inside the chart widget
    assert chart.height() >= chart.least_height(chart.width())
    # The chart's bottom is reachable: scrolled to the end, it is in the scroll area's view.
    bar = panel.chart_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    bottom = chart.mapTo(panel.chart_scroll.viewport(), QPoint(0, chart.height() - 1)).y()
    assert bottom <= panel.chart_scroll.viewport().height()


@pytest.mark.parametrize("size", SIZES)
def test_the_temperature_hint_is_whole_in_view(win, qtbot, tmp_path, size):
    panel = forty_visits(win, tmp_path, size)
    hint = next(w for w in panel.editor.findChildren(QLabel) if "101.3 F" in w.text())
    area = panel.editor_area
    area.ensureWidgetVisible(hint)
    right = hint.mapTo(area.viewport(), QPoint(hint.width(), 0)).x()
    assert right <= area.viewport().width()
    assert area.horizontalScrollBar().maximum() == 0  # no sideways scroll needed to read the editor
