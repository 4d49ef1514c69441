"""The course chart widget: paints the geometry offscreen, follows the palette, speaks to screen readers."""
from __future__ import annotations

import dataclasses

from PySide6.QtGui import QAccessible, QColor, QPalette

from desktop_app.course import chart
from desktop_app.ui.course_chart import MIN_HEIGHT, CourseChartWidget
from tests.course.chart_examples import many_visits, twelve_visits, two_visits


def _shown(qtbot, data, size=(1000, 520)) -> CourseChartWidget:
    w = CourseChartWidget()
    qtbot.addWidget(w)
    w.set_input(data)
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    return w


def _pixel(image, x: float, y: float) -> QColor:
    return image.pixelColor(round(x), round(y))


def _close(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a.getRgb()[:3], b.getRgb()[:3]))


def test_the_widget_paints_each_filled_marker_where_the_geometry_puts_it(qtbot):
    w = _shown(qtbot, two_visits())
    image = w.grab().toImage()
    g = w.geometry_now()
    assert (g.width, g.height) == (w.width(), w.height())  # the chart fills the widget
    drawn = [p for p in g.primitives if isinstance(p, chart.Marker) and p.date is not None]
    filled = [p for p in drawn if p.filled]
    assert len(filled) == 3 + 3 + 3 + 2  # pain, physician global, CRP, MRI-active (one MRI missing)
    checked = 0
    for i, m in enumerate(drawn):
        covered = any(abs(o.x - m.x) + abs(o.y - m.y) < m.radius + o.radius for o in drawn[i + 1:])
        if m.filled and not covered:  # a marker drawn later on top would hide its centre
            assert _close(_pixel(image, m.x, m.y), QColor(m.colour)), (m.series, m.date)
            checked += 1
    assert checked >= 6
    # Between two markers of a series on a solid line, the line is painted too.
    pain = [m for m in filled if m.series == "pain"]
    mid_x, mid_y = (pain[0].x + pain[1].x) / 2, (pain[0].y + pain[1].y) / 2
    assert any(_close(_pixel(image, mid_x, mid_y + dy), QColor(pain[0].colour), 80) for dy in (-1, 0, 1))


def test_text_and_axes_follow_a_dark_palette(qtbot):
    w = CourseChartWidget()
    qtbot.addWidget(w)
    palette = w.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    w.setPalette(palette)
    w.set_input(twelve_visits())
    w.resize(1000, 500)
    image = w.grab().toImage()
    assert _close(image.pixelColor(2, 2), QColor("#202124"), 4)  # the background is the palette's
    frame = w.geometry_now().panel("scores")  # the panel frame is drawn in the palette's text colour
    # (a thin antialiased line: the brightest of the pixels around it; black ink would be darker
    # than the background)
    x = (frame.left + frame.right) / 2
    assert max(_pixel(image, x, frame.top + dy).lightness() for dy in (-1, 0, 1)) > 0x80


def test_no_input_paints_a_message_and_says_so(qtbot, tmp_path):
    w = _shown(qtbot, None, (600, 400))
    assert w.geometry_now() is None
    assert w.accessibleName() == "Course chart"
    assert w.accessibleDescription() == "Course chart: no visit to show."
    path = tmp_path / "empty.png"
    assert w.grab().save(str(path)) and path.stat().st_size > 0


def test_screen_readers_get_the_latest_value_of_every_series(qtbot):
    w = _shown(qtbot, two_visits())
    interface = QAccessible.queryAccessibleInterface(w)
    description = interface.text(QAccessible.Text.Description)
    assert interface.text(QAccessible.Text.Name) == "Course chart"
    for words in ("pain 1 on 2027-04-12", "physician global 0 on 2027-04-12", "CHAQ 0 on 2027-04-12",
                  "CRP 2 mg/L on 2027-04-12", "ESR 8 mm/h on 2027-04-12", "MRI-active lesions 2 on 2027-01-11",
                  "naproxen from 2026-10-05, ongoing"):
        assert words in description
    # A new input replaces the words (and the picture).
    data = dataclasses.replace(two_visits(), points=two_visits().points[:1])
    w.set_input(data)
    assert "1 point from 2026-10-05" in w.accessibleDescription()
    assert len([p for p in w.geometry_now().primitives if isinstance(p, chart.Marker) and p.series == "pain"
                and p.date is not None]) == 1


def test_forty_visits_fit_the_visits_tab_at_1280_by_800(qtbot, tmp_path):
    w = _shown(qtbot, many_visits(40), (1240, MIN_HEIGHT))
    g = w.geometry_now()
    assert g.height <= MIN_HEIGHT + 0.5  # the panels shrink to the widget, nothing spills below
    assert all(p.bottom - p.top >= 20 for p in g.panels)
    assert w.sizeHint().height() >= MIN_HEIGHT and MIN_HEIGHT <= 800 // 2
    assert w.grab().save(str(tmp_path / "forty.png"))
