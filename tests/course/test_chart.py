"""The course chart's geometry (course/chart.py): where things land, what breaks a line, the legend,
the treatment bars, the date axis of a long course, and a case without visits."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop_app.course import chart
from desktop_app.course.chart import ChartInput, ChartPoint, ChartTreatment, chart_geometry

from .chart_examples import D, many_visits, twelve_visits, two_visits

WIDTH = 600.0


def of(geometry: chart.ChartGeometry, kind: type, **match) -> list:
    return [p for p in geometry.primitives if isinstance(p, kind)
            and all(getattr(p, k) == v for k, v in match.items())]


def markers(geometry, series: str) -> list[chart.Marker]:
    return of(geometry, chart.Marker, series=series)


def series_markers(geometry, series: str) -> list[chart.Marker]:
    return [m for m in markers(geometry, series) if m.date is not None]  # not the legend's sample


def test_points_are_placed_left_to_right_by_date_whatever_their_order_in_the_input():
    data = two_visits()
    shuffled = dataclasses.replace(data, points=(data.points[2], data.points[0], data.points[1]))
    g = chart_geometry(shuffled, WIDTH)
    pain = series_markers(g, "pain")
    assert [m.date for m in pain] == [D("2026-10-05"), D("2027-01-11"), D("2027-04-12")]
    xs = [m.x for m in pain]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert g.plot_left < xs[0] and xs[-1] < g.plot_right  # the padding keeps markers off the frame
    # Every series puts a point at the same x.
    assert [m.x for m in series_markers(g, "crp_mg_l")] == xs


def test_two_points_on_one_date_share_their_x():
    base = D("2027-01-11")
    data = ChartInput(points=(ChartPoint(D("2026-10-05"), "First consultation", pain=6),
                              ChartPoint(base, "Visit A", pain=4), ChartPoint(base, "Visit B", pain=3)),
                      reference_date=base)
    g = chart_geometry(data, WIDTH)
    pain = series_markers(g, "pain")
    assert pain[1].x == pain[2].x == g.x(base)
    assert [pain[1].y, pain[2].y] == [g.panel("scores").y(4), g.panel("scores").y(3)]  # file order kept


def test_a_missing_value_splits_the_line_and_a_lone_value_keeps_its_marker():
    pts = [ChartPoint(D("2026-01-05") + dt.timedelta(days=30 * i), f"P{i}", pain=v)
           for i, v in enumerate([5, 4, None, 3, None, 2, 1])]
    g = chart_geometry(ChartInput(points=tuple(pts), reference_date=pts[-1].date), WIDTH)
    lines = of(g, chart.Polyline, series="pain")
    assert [len(line.points) for line in lines] == [2, 2]  # 5-4 | (3 alone) | 2-1: never across a gap
    # No segment spans the missing dates.
    gaps = {g.x(pts[2].date), g.x(pts[4].date)}
    for line in lines:
        (x1, _), (x2, _) = line.points[0], line.points[-1]
        assert not any(x1 < x < x2 for x in gaps)
    lone = [m for m in series_markers(g, "pain") if m.date == pts[3].date]
    assert len(lone) == 1
    assert len(series_markers(g, "pain")) == 5


def test_every_series_has_its_own_dash_and_marker_pair():
    pairs = [(s.dash, s.shape) for s in chart.SERIES]
    assert len(set(pairs)) == len(pairs) == 8
    g = chart_geometry(two_visits(), WIDTH)
    drawn = {(line.stroke.dash, series_markers(g, line.series)[0].shape) for line in of(g, chart.Polyline)}
    assert len(drawn) == len({line.series for line in of(g, chart.Polyline)}) == 8
    # Within a panel no two lines share a dash pattern (they read apart without their markers).
    for panel in ("scores", "labs", "lesions"):
        dashes = [s.dash for s in chart.SERIES if s.panel == panel]
        assert len(set(dashes)) == len(dashes)


def test_the_legend_names_every_shown_series_and_only_those():
    g = chart_geometry(two_visits(), WIDTH)
    assert [e.series for e in g.legend] == [s.key for s in chart.SERIES]
    words = {t.text for t in of(g, chart.Text, role="legend")}
    assert words == {s.words for s in chart.SERIES}
    assert "CHAQ (0–3, right axis)" in words
    for entry in g.legend:  # the sample shows the same dash and marker as the line
        line = of(g, chart.Polyline, series=entry.series)[0]
        assert entry.stroke == line.stroke and entry.shape == series_markers(g, entry.series)[0].shape

    only_pain = ChartInput(points=(ChartPoint(D("2027-01-11"), "First consultation", pain=4),),
                           reference_date=D("2027-01-11"))
    g = chart_geometry(only_pain, WIDTH)
    assert [e.series for e in g.legend] == ["pain"]
    notes = {t.text for t in of(g, chart.Text, role="note")}
    assert {"No CRP or ESR recorded", "No lesion count recorded", "No treatment recorded"} <= notes


def test_values_0_and_10_sit_on_the_bottom_and_top_of_their_panel():
    data = ChartInput(points=(ChartPoint(D("2026-10-05"), "First consultation", pain=0, physician_global=10, chaq=3),
                              ChartPoint(D("2027-01-11"), "Visit", pain=10, physician_global=0, chaq=0)),
                      reference_date=D("2027-01-11"))
    g = chart_geometry(data, WIDTH)
    scores = g.panel("scores")
    pain = series_markers(g, "pain")
    assert pain[0].y == pytest.approx(scores.bottom) and pain[1].y == pytest.approx(scores.top)
    physician = series_markers(g, "physician_global")
    assert physician[0].y == pytest.approx(scores.top) and physician[1].y == pytest.approx(scores.bottom)
    chaq = series_markers(g, "chaq")  # CHAQ 3 (its maximum) reaches the top of the 0–10 panel
    assert chaq[0].y == pytest.approx(scores.top) and chaq[1].y == pytest.approx(scores.bottom)
    assert [t.text for t in of(g, chart.Text, role="tick_chaq")] == ["0", "1", "2", "3"]


def test_labs_and_lesion_axes_are_scaled_to_nice_ticks():
    g = chart_geometry(two_visits(), WIDTH)
    labs, lesions = g.panel("labs"), g.panel("lesions")
    assert labs.y_max == 40  # ESR 35 → 0–40
    assert lesions.y_max == 3  # 3 lesions → 0–3, whole numbers
    esr = series_markers(g, "esr_mm_h")
    assert esr[0].y == pytest.approx(labs.y(35)) and labs.top < esr[0].y < labs.bottom
    tick_y = [t.text for t in of(g, chart.Text, role="tick_y")]
    assert all("." not in t for t in tick_y[tick_y.index("0", 6):])  # the lesion axis: integers only
    assert chart.nice_axis(0.4, True, 2.0) == (2, 1)
    assert chart.nice_axis(132.0, False, 10.0) == (150, 50)


def test_treatment_bars_run_from_start_to_stop_or_to_the_reference_date():
    data = twelve_visits()
    g = chart_geometry(data, WIDTH)
    bars = {r.label: r for r in of(g, chart.Rect, role="bar")}
    assert set(bars) == {"naproxen", "methotrexate", "pamidronate"}
    mtx = bars["methotrexate"]  # ongoing: to the reference date, with an arrow onwards
    assert mtx.x == pytest.approx(g.x(D("2025-07-10")))
    assert mtx.x + mtx.w == pytest.approx(g.x(data.reference_date))
    assert len(of(g, chart.Polygon, role="ongoing")) == 1
    pam = bars["pamidronate"]  # stopped: to its end date, with a stop cap there
    assert pam.x == pytest.approx(g.x(D("2026-01-05")))
    assert pam.x + pam.w == pytest.approx(g.x(D("2026-06-20")))
    caps = of(g, chart.Line, role="stop")
    assert sorted(c.x1 for c in caps) == pytest.approx(sorted([g.x(D("2025-09-01")), g.x(D("2026-06-20"))]))
    nap = bars["naproxen"]  # started before the chart: clipped to the axis, an arrow into the past
    assert nap.x == pytest.approx(g.plot_left)
    assert len(of(g, chart.Polygon, role="earlier")) == 1
    labels = {t.text for t in of(g, chart.Text, role="bar_label")}
    assert labels == {"naproxen: 2025-01-20 – stopped 2025-09-01", "methotrexate: 2025-07-10 – ongoing",
                      "pamidronate: 2026-01-05 – stopped 2026-06-20"}
    # The bars lie beneath the last panel.
    assert min(r.y for r in bars.values()) > g.panel("lesions").bottom


def test_a_treatment_ending_after_the_reference_date_is_ongoing_there():
    data = dataclasses.replace(two_visits(), treatments=(ChartTreatment("naproxen", D("2026-10-05"),
                                                                        D("2027-06-01")),))
    g = chart_geometry(data, WIDTH)
    bar = of(g, chart.Rect, role="bar")[0]
    assert bar.x + bar.w == pytest.approx(g.x(D("2027-04-12")))
    assert [t.text for t in of(g, chart.Text, role="bar_label")] == ["naproxen: 2026-10-05 – ongoing"]


def test_a_case_without_visits_draws_one_point_in_the_middle_of_a_month():
    data = ChartInput(points=(two_visits().points[0],), treatments=two_visits().treatments,
                      reference_date=D("2026-10-05"))
    g = chart_geometry(data, WIDTH)
    pain = series_markers(g, "pain")
    assert len(pain) == 1 and of(g, chart.Polyline) == []
    assert pain[0].x == pytest.approx((g.plot_left + g.plot_right) / 2)
    assert len(of(g, chart.Text, role="tick_x")) >= 2  # the axis still says when
    assert len(of(g, chart.Line, role="visit")) == 4  # through the three panels and the bars
    assert of(g, chart.Rect, role="bar")[0].w > 0
    assert g.height > 0 and all(p.bottom > p.top for p in g.panels)


def test_no_point_at_all_never_raises():
    g = chart_geometry(ChartInput(points=(), reference_date=D("2027-01-11")), WIDTH)
    assert g.legend == () and of(g, chart.Marker) == []
    assert chart.chart_summary(ChartInput(points=(), reference_date=D("2027-01-11"))).startswith("Course chart: no")


def _no_overlap(texts: list[chart.Text], gap: float = 0.0) -> bool:
    boxes = sorted((t.x - chart.text_width(t.text, t.size) / 2, t.x + chart.text_width(t.text, t.size) / 2)
                   for t in texts)
    return all(b[0] - a[1] >= gap for a, b in zip(boxes, boxes[1:]))


@pytest.mark.parametrize("width", [300.0, 504.0, 1200.0])
def test_forty_visits_give_date_labels_that_do_not_overlap(width):
    g = chart_geometry(many_visits(40), width, text_size=7.0)
    ticks = of(g, chart.Text, role="tick_x")
    assert len(ticks) >= 3
    assert _no_overlap(ticks, gap=1.0)
    assert all(0 <= t.x - chart.text_width(t.text, t.size) / 2 and t.x + chart.text_width(t.text, t.size) / 2 <= width
               for t in ticks)
    xs = [t.x for t in ticks]
    assert xs == sorted(xs)
    # 40 markers per series, all inside the plot, neighbours never overlapping (they shrink to fit).
    pain = series_markers(g, "pain")
    assert len(pain) == 40 and all(g.plot_left < m.x < g.plot_right for m in pain)
    assert min(b.x - a.x for a, b in zip(pain, pain[1:])) > 2 * pain[0].radius
    if width == 300.0:
        assert pain[0].radius < series_markers(chart_geometry(two_visits(), width, text_size=7.0), "pain")[0].radius


def test_date_labels_read_as_month_and_year_for_a_course_of_months():
    g = chart_geometry(two_visits(), WIDTH)
    labels = [t.text for t in of(g, chart.Text, role="tick_x")]
    assert labels == ["Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027", "Mar 2027", "Apr 2027"]
    wide = chart_geometry(two_visits(), 1400.0)  # more room: still months, not weeks
    assert [t.text for t in of(wide, chart.Text, role="tick_x")] == labels
    narrow = chart_geometry(two_visits(), 300.0)  # less room: every other month
    assert [t.text for t in of(narrow, chart.Text, role="tick_x")] == ["Nov 2026", "Jan 2027", "Mar 2027"]
    long = chart_geometry(many_visits(40), 1400.0)  # five years: at most 12 labels
    assert 4 <= len(of(long, chart.Text, role="tick_x")) <= chart.MAX_DATE_TICKS


def test_a_given_height_is_filled_and_panels_do_not_overlap():
    data = twelve_visits()
    natural = chart.preferred_height(data, WIDTH)
    for height in (natural * 0.6, natural, natural * 1.5):
        g = chart_geometry(data, WIDTH, height)
        assert g.height >= height - 1e-6
        tops = [(p.top, p.bottom) for p in g.panels]
        assert all(a[1] < b[0] for a, b in zip(tops, tops[1:]))
        bars = of(g, chart.Rect, role="bar")
        assert max(r.y + r.h for r in bars) <= g.height


def test_the_highlighted_visit_is_a_dark_line_named_this_visit():
    data = twelve_visits()
    g = chart_geometry(data, WIDTH)
    lines = of(g, chart.Line, role="highlight")
    assert len(lines) == 4 and all(ln.x1 == ln.x2 == pytest.approx(g.x(data.highlight)) for ln in lines)
    assert [t.text for t in of(g, chart.Text, role="highlight")] == ["this visit"]
    assert of(chart_geometry(dataclasses.replace(data, highlight=None), WIDTH), chart.Line, role="highlight") == []


def test_the_summary_gives_each_series_latest_value_in_words():
    text = chart.chart_summary(two_visits())
    assert "3 points from 2026-10-05 to 2027-04-12" in text
    assert "pain 1 on 2027-04-12" in text
    assert "CRP 2 mg/L on 2027-04-12" in text
    assert "MRI-active lesions 2 on 2027-01-11" in text  # the latest recorded, not the missing last one
    assert "naproxen from 2026-10-05, ongoing" in text
