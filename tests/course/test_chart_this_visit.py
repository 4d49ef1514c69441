"""Issue 23 cosmetic 22: the chart's "this visit" words never sit under its arrow, at any width,
wherever the highlighted visit falls (an edge pushes the words beside the arrow)."""
from __future__ import annotations

import dataclasses

import pytest

from desktop_app.course import chart
from desktop_app.course.chart import chart_geometry, text_width

from .chart_examples import twelve_visits


@pytest.mark.parametrize("width", [300.0, 413.0, 600.0, 1053.0])
@pytest.mark.parametrize("which", ["last", "first", "middle"])
def test_this_visit_words_clear_the_arrow(width, which):
    data = twelve_visits()
    dates = sorted(p.date for p in data.points)
    highlight = {"last": dates[-1], "first": dates[0], "middle": dates[len(dates) // 2]}[which]
    g = chart_geometry(dataclasses.replace(data, highlight=highlight), width)
    [arrow] = [p for p in g.primitives if isinstance(p, chart.Polygon) and p.role == "highlight"]
    [words] = [p for p in g.primitives if isinstance(p, chart.Text) and p.role == "highlight"]
    xs = [x for x, _ in arrow.points]
    wide = text_width(words.text, words.size) * 1.15  # a bold run is wider than the estimate
    left = {"start": words.x, "middle": words.x - wide / 2, "end": words.x - wide}[words.anchor]
    right = left + wide
    arrow_top = min(y for _, y in arrow.points)
    overlaps_x = left < max(xs) and right > min(xs)
    assert not overlaps_x or words.y <= arrow_top, (words, arrow)
