"""The course chart in the Visits tab: `course/chart.py`'s geometry painted with QPainter.

The note draws the same primitives with ReportLab (report/course_chart.py), so the window and the
paper agree. Text and axes take the palette's text colour (a dark theme stays readable); series
colours are the geometry's. Screen readers get the chart in words (`chart_summary`).
"""
from __future__ import annotations

import math
from typing import Optional

from PySide6.QtCore import QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from desktop_app.course import chart

TEXT_PX = 11.0  # the chart's text size in pixels; the geometry scales every length with it
MARGIN_PX = 8.0
FIT_TEXT_PX = (TEXT_PX, 10.0, 9.0)  # the text sizes tried, largest first, until the chart fits its height
MIN_HEIGHT = 360  # fits under the Visits list at 1280×800; the panels shrink to fit, never overlap


class CourseChartWidget(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._data: Optional[chart.ChartInput] = None
        self._geometry: Optional[chart.ChartGeometry] = None
        self._geometry_size = (0, 0)  # the widget size the cached geometry was made for
        self._hint: tuple[int, int] = (0, 0)  # (width, height) of the last sizeHint for this data
        self._least: tuple[int, int] = (0, 0)  # (width, least height) for this data
        self.setMinimumSize(420, MIN_HEIGHT)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        policy.setHeightForWidth(True)  # a scroll area around it keeps it at least least_height() tall
        self.setSizePolicy(policy)
        self.setAccessibleName("Course chart")
        self.setAccessibleDescription(chart.chart_summary(None))

    def set_input(self, data: Optional[chart.ChartInput]) -> None:
        if data == self._data:
            # Most edits at a visit (a note, a temperature) leave the chart as it was: no new
            # geometry, layout or paint (issue 23: edit → repaint on a 40-visit case).
            return
        self._data = data
        self._geometry = None
        self._hint = self._least = (0, 0)
        self.setAccessibleDescription(chart.chart_summary(data))
        self.setToolTip("")
        self.updateGeometry()
        self.update()

    def chart_input(self) -> Optional[chart.ChartInput]:
        return self._data

    def sizeHint(self) -> QSize:
        width = max(self.width(), 800)
        if self._data is None:
            return QSize(width, MIN_HEIGHT)
        if self._hint[0] != width:  # layouts ask several times per change: the geometry once
            self._hint = (width, max(MIN_HEIGHT, int(chart.preferred_height(self._data, width, TEXT_PX, MARGIN_PX))))
        return QSize(*self._hint)

    def least_height(self, width: int) -> int:
        """The least height at which the chart fits `width` whole: its smallest text, its panels at their
        least. Shorter, a row would be cut off (the third treatment at 1024×700, issue 23): the Visits tab
        scrolls the chart instead."""
        if self._data is None:
            return 0
        if self._least[0] != width:
            # Given a height, the panels share what the headers leave, none below its least: the least
            # height is where asking for it gives it back (two or three steps from the smallest).
            height = 1
            for _ in range(8):
                need = math.ceil(chart.chart_geometry(self._data, width, height, FIT_TEXT_PX[-1], MARGIN_PX).height - 0.5)
                if need <= height:
                    break
                height = need
            self._least = (width, height)
        return self._least[1]

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt naming)
        return max(self.minimumHeight(), self.least_height(width))

    def geometry_now(self) -> Optional[chart.ChartGeometry]:
        """The geometry for the widget's current size (cached until the size or the data changes)."""
        if self._data is None:
            return None
        g = self._geometry
        if g is None or self._geometry_size != (self.width(), self.height()):
            # Short of room (1024×700 gives the editor the height): smaller text before a clipped panel.
            for text_px in FIT_TEXT_PX:
                g = chart.chart_geometry(self._data, self.width(), self.height(), text_px, MARGIN_PX)
                if g.height <= self.height() + 0.5:
                    break
            self._geometry, self._geometry_size = g, (self.width(), self.height())
        return g

    # --- painting ------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt naming)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        palette = self.palette()
        p.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        ink = palette.color(QPalette.ColorRole.Text)
        muted = QColor(ink)
        muted.setAlphaF(0.72)
        colours = {chart.INK: ink, chart.MUTED: muted, chart.BACKGROUND: palette.color(QPalette.ColorRole.Base)}
        geometry = self.geometry_now()
        if geometry is None:
            p.setPen(muted)
            p.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, "No course to show")
            p.end()
            return
        for item in geometry.primitives:
            self._paint(p, item, colours)
        p.end()

    def _colour(self, value: Optional[str], colours: dict) -> QColor:
        return colours.get(value) or QColor(value)

    def _pen(self, stroke: Optional[chart.Stroke], colours: dict) -> QPen:
        if stroke is None:
            return QPen(Qt.PenStyle.NoPen)
        pen = QPen(self._colour(stroke.colour, colours), stroke.width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if stroke.dash:  # Qt measures dashes in pen widths; the geometry in units
            pen.setDashPattern([max(0.1, d / stroke.width) for d in stroke.dash])
        return pen

    def _paint(self, p: QPainter, item, colours: dict) -> None:
        if isinstance(item, chart.Line):
            p.setPen(self._pen(item.stroke, colours))
            p.drawLine(QPointF(item.x1, item.y1), QPointF(item.x2, item.y2))
        elif isinstance(item, chart.Polyline):
            # Segments, not drawPolyline: an antialiased wide polyline goes through Qt's path
            # stroker (about 4 ms for 40 points, per series, per paint); separate flat-capped
            # segments take 0.2 ms, and the markers cover the joints.
            p.setPen(self._pen(item.stroke, colours))
            pts = [QPointF(x, y) for x, y in item.points]
            p.drawLines([QLineF(a, b) for a, b in zip(pts, pts[1:])])
        elif isinstance(item, chart.Rect):
            p.setPen(self._pen(item.stroke, colours))
            p.setBrush(self._colour(item.fill, colours) if item.fill else Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(item.x, item.y, item.w, item.h))
        elif isinstance(item, chart.Polygon):
            p.setPen(self._pen(item.stroke, colours))
            p.setBrush(self._colour(item.fill, colours) if item.fill else Qt.BrushStyle.NoBrush)
            p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in item.points]))
        elif isinstance(item, chart.Marker):
            colour = self._colour(item.colour, colours)
            p.setPen(QPen(colour, max(1.0, item.radius * 0.35)))
            # An open marker is filled with the background, so a line under it does not show through.
            p.setBrush(colour if item.filled else self.palette().color(QPalette.ColorRole.Base))
            if item.shape == chart.CIRCLE:
                p.drawEllipse(QPointF(item.x, item.y), item.radius, item.radius)
            else:
                p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in chart.marker_outline(item.shape, item.x, item.y,
                                                                                          item.radius)]))
        elif isinstance(item, chart.Text):
            font = QFont(self.font())
            font.setPixelSize(max(6, round(item.size)))
            font.setBold(item.bold)
            p.setFont(font)
            p.setPen(self._colour(item.colour, colours))
            advance = QFontMetricsF(font).horizontalAdvance(item.text)
            x = item.x - {"start": 0.0, "middle": advance / 2, "end": advance}.get(item.anchor, 0.0)
            p.drawText(QPointF(x, item.y), item.text)
