"""The course chart in the follow-up note: `course/chart.py`'s geometry drawn as a ReportLab Drawing.

The geometry is laid out y-down in points; ReportLab's y goes up, so every y is flipped here and
nothing else is decided here: the window (ui/course_chart.py) draws the same primitives.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

from reportlab import rl_config
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Polygon, Rect, String
from reportlab.lib import colors

from desktop_app.course import chart
from desktop_app.report import palette
from desktop_app.report.fonts import BOLD
from desktop_app.report.styles import FONT, INK_HEX

TEXT_SIZE = 7.0  # points: the note's body is 9 pt, its small print 7.5 pt


@lru_cache(maxsize=64)
def _colour(value: Optional[str]):
    if value is None:
        return None
    tokens = {chart.INK: INK_HEX, chart.MUTED: palette.MUTED, chart.BACKGROUND: "#ffffff"}  # paper is white
    return colors.HexColor(tokens.get(value, value))


def _stroke(stroke: Optional[chart.Stroke]) -> dict:
    if stroke is None:
        return {"strokeColor": None}
    return {"strokeColor": _colour(stroke.colour), "strokeWidth": stroke.width,
            "strokeDashArray": list(stroke.dash) or None}


def course_chart_drawing(data: chart.ChartInput, width: float, height: Optional[float] = None) -> Drawing:
    """The chart `width` points wide (height: the chart's natural height unless given)."""
    geometry = chart.chart_geometry(data, width, height, TEXT_SIZE)
    # ReportLab validates every attribute of every shape as it is set (rl_config.shapeChecking):
    # about 0.15 ms a shape, 100 ms for a 40-visit chart. The geometry's values are already typed
    # numbers and colours, so the checks are switched off while this drawing is built.
    checking = rl_config.shapeChecking
    rl_config.shapeChecking = 0
    try:
        return _build(geometry, width)
    finally:
        rl_config.shapeChecking = checking


def _build(geometry: chart.ChartGeometry, width: float) -> Drawing:
    h = geometry.height
    drawing = Drawing(width, h)

    def flip(points) -> list[float]:
        return [c for x, y in points for c in (x, h - y)]

    for p in geometry.primitives:
        if isinstance(p, chart.Line):
            drawing.add(Line(p.x1, h - p.y1, p.x2, h - p.y2, strokeLineCap=0, **_stroke(p.stroke)))
        elif isinstance(p, chart.Polyline):
            drawing.add(PolyLine(flip(p.points), strokeLineJoin=1, **_stroke(p.stroke)))
        elif isinstance(p, chart.Rect):
            drawing.add(Rect(p.x, h - p.y - p.h, p.w, p.h, fillColor=_colour(p.fill), **_stroke(p.stroke)))
        elif isinstance(p, chart.Polygon):
            drawing.add(Polygon(flip(p.points), fillColor=_colour(p.fill), **_stroke(p.stroke)))
        elif isinstance(p, chart.Marker):
            _marker(drawing, p, h)
        elif isinstance(p, chart.Text):
            drawing.add(String(p.x, h - p.y, p.text, fontName=BOLD if p.bold else FONT, fontSize=p.size,
                               fillColor=_colour(p.colour), textAnchor=p.anchor))
    return drawing


def _marker(drawing: Drawing, m: chart.Marker, h: float) -> None:
    colour = _colour(m.colour)
    # An open marker is white inside, so a line under it does not show through.
    style = {"fillColor": colour if m.filled else colors.white, "strokeColor": colour,
             "strokeWidth": max(0.6, m.radius * 0.35)}
    if m.shape == chart.CIRCLE:
        drawing.add(Circle(m.x, h - m.y, m.radius, **style))
    else:
        drawing.add(Polygon([c for x, y in chart.marker_outline(m.shape, m.x, m.y, m.radius) for c in (x, h - y)],
                            **style))
