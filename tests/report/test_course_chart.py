"""The course chart as a ReportLab Drawing: the same primitives, flipped, in a one-page PDF."""
from __future__ import annotations

import io

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Polygon, Rect, String
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from desktop_app.course import chart
from desktop_app.report.course_chart import TEXT_SIZE, course_chart_drawing
from desktop_app.report.fonts import BOLD, FAMILY
from desktop_app.report.template import CONTENT_W
from tests.course.chart_examples import many_visits, twelve_visits, two_visits

from .conftest import flat, pdf_pages


def _pdf(*drawings) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4)
    story = []
    for d in drawings:
        story += [d, Spacer(1, 12)]
    doc.build(story)
    return out.getvalue()


def _walk(drawing: Drawing):
    return list(drawing.getContents())


def test_the_drawing_is_the_geometry_flipped_upright():
    data = two_visits()
    drawing = course_chart_drawing(data, CONTENT_W)
    g = chart.chart_geometry(data, CONTENT_W, None, TEXT_SIZE)
    assert (drawing.width, drawing.height) == (CONTENT_W, g.height)
    items = _walk(drawing)
    assert len(items) == len(g.primitives)  # one shape per primitive, in the same order
    pain = next(p for p in g.primitives if isinstance(p, chart.Marker) and p.series == "pain" and p.date)
    circle = items[g.primitives.index(pain)]
    assert isinstance(circle, Circle) and (circle.cx, circle.cy) == (pain.x, g.height - pain.y)
    dashed = [s for s in items if isinstance(s, PolyLine) and s.strokeDashArray]
    assert len(dashed) == 5  # patient global, physician global, CHAQ, ESR, clinically active lesions
    strings = [s for s in items if isinstance(s, String)]
    assert {s.fontName for s in strings} == {FAMILY, BOLD}  # the note's DejaVu Sans, never Helvetica
    bar = next(p for p in g.primitives if isinstance(p, chart.Rect) and p.role == "bar")  # naproxen, ongoing
    rect = items[g.primitives.index(bar)]
    assert isinstance(rect, Rect) and (rect.x, rect.y + rect.height) == (bar.x, g.height - bar.y)
    arrow = next(p for p in g.primitives if isinstance(p, chart.Polygon) and p.role == "ongoing")
    assert isinstance(items[g.primitives.index(arrow)], Polygon)


def test_the_example_and_a_twelve_visit_course_print_on_one_page_with_their_words():
    pages = pdf_pages(_pdf(course_chart_drawing(two_visits(), CONTENT_W),
                           course_chart_drawing(twelve_visits(), CONTENT_W)))
    assert len(pages) == 1
    text = flat(pages[0])
    for words in ("Pain", "Patient global", "Physician global", "CHAQ (0–3, right axis)", "CRP (mg/L)",
                  "ESR (mm/h)", "MRI-active lesions", "Clinically active lesions", "Treatments", "this visit",
                  "naproxen: 2026-10-05 – ongoing", "methotrexate: 2025-07-10 – ongoing",
                  "pamidronate: 2026-01-05 – stopped 2026-06-20", "Oct 2026", "Jan 2027"):
        assert words in text, words


def test_a_forty_visit_course_still_fits_a_page():
    drawing = course_chart_drawing(many_visits(40), CONTENT_W)
    assert drawing.height < A4[1] / 2
    pages = pdf_pages(_pdf(drawing))
    assert len(pages) == 1 and "Jan 2021" in flat(pages[0])
