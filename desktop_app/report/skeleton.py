"""The front-view skeleton figure with the recorded lesions marked (a ReportLab Drawing).

Shapes and marker positions come from `case/skeleton_layout.py`, the same table the window's
lesion map draws, so the two figures agree. The patient's right is on the viewer's left.
Lesions that cannot be placed (paired bone without a side, vertebra without a level, "other")
are marked in the "Other / unplaced" tray. Marker colours and the legend are the window's.
"""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.graphics.shapes import Circle, Drawing, Polygon, String
from reportlab.lib import colors

from desktop_app.case import skeleton_layout as layout
from desktop_app.case.lesion_ids import lesion_display_id
from desktop_app.case.models import Lesion
from desktop_app.report import palette
from desktop_app.report.styles import FONT

BONE_FILL = colors.HexColor("#eef1f4")
BONE_LINE = colors.HexColor("#8c96a0")
LESION_RED = colors.HexColor(palette.LESION_MARKER)
LESION_SILENT = colors.HexColor(palette.LESION_SILENT)
LESION_UNKNOWN = colors.HexColor(palette.LESION_UNKNOWN)
MAX_LABELS = 12  # more lesion labels than this only clutter a small figure


LEGEND_BAND = 9.0  # pt, the legend's row under the figure


def marker_colours(symptomatic: bool | None) -> tuple:
    """(fill, ring) of a marker: the window's colours (skeleton_map.marker_style)."""
    if symptomatic is True:
        return LESION_RED, LESION_RED
    if symptomatic is False:
        return colors.white, LESION_SILENT
    return LESION_UNKNOWN, LESION_UNKNOWN


def lesion_anchor(lesion: Lesion) -> tuple[float, float] | None:
    """Normalised (x, y) of the lesion's marker, or None when it goes to the tray."""
    return layout.anchor(lesion.bone, lesion.side, lesion.level)


def skeleton_drawing(lesions: list[Lesion], height: float) -> Drawing:
    width = height * layout.ASPECT
    # The legend has its own band under the figure: at the top left it covered the skull.
    drawing = Drawing(width, height + LEGEND_BAND)

    def pt(p: tuple[float, float]) -> tuple[float, float]:  # layout is y-down; ReportLab is y-up
        return p[0] * width, LEGEND_BAND + height * (1 - p[1])

    def poly(points, fill, stroke=BONE_LINE, line=0.35) -> Polygon:
        flat = [c for p in points for c in pt(p)]
        return Polygon(flat, fillColor=fill, strokeColor=stroke, strokeWidth=line)

    for region in layout.REGIONS:
        if region.bone == "other":
            continue
        for part in region.parts:
            drawing.add(poly(part, BONE_FILL))
        if region.label:
            x, y = pt(region.anchor)
            drawing.add(String(x, y - 1.6, region.label, fontName=FONT, fontSize=3.6,
                               fillColor=BONE_LINE, textAnchor="middle"))
    for part in layout.DECOR:
        drawing.add(poly(part, None))
    tray = layout.TRAY
    for part in tray.parts:
        drawing.add(poly(part, colors.white))
    x, y = pt(tray.anchor)
    drawing.add(String(x, y - 1.5, tray.label, fontName=FONT, fontSize=4, fillColor=BONE_LINE, textAnchor="middle"))
    x, y = pt(layout.LADDER_TITLE_AT)
    drawing.add(String(x, y, "Spine", fontName=FONT, fontSize=4.5, fillColor=BONE_LINE, textAnchor="middle"))
    top = LEGEND_BAND + height
    drawing.add(String(2, top - 8, "R", fontName=FONT, fontSize=7, fillColor=BONE_LINE))
    drawing.add(String(width * 0.72, top - 8, "L", fontName=FONT, fontSize=7, fillColor=BONE_LINE))

    # The legend, in one row under the figure: colour is explained, and the word is printed.
    lx, ly = 4.0, LEGEND_BAND / 2
    for value, text in palette.LESION_LEGEND:
        fill, ring = marker_colours(value)
        drawing.add(Circle(lx, ly, 2.2, fillColor=fill, strokeColor=ring, strokeWidth=0.8))
        drawing.add(String(lx + 4, ly - 1.6, text, fontName=FONT, fontSize=4.8, fillColor=colors.black))
        lx += 4 + stringWidth(text, FONT, 4.8) + 7

    show_labels = len(lesions) <= MAX_LABELS
    # The window's positions (segment of a long bone, fanned out when several share a place).
    for lesion, where in zip(lesions, layout.marker_positions(lesions)):
        x, y = pt(where)
        fill, ring = marker_colours(lesion.symptomatic)
        drawing.add(Circle(x, y, 2.4, fillColor=fill, strokeColor=ring, strokeWidth=0.9))
        if show_labels and lesion.id:
            drawing.add(String(x + 2.8, y + 1.2, lesion_display_id(lesion.id)[:6], fontName=FONT, fontSize=4.5,
                               fillColor=colors.black))
    return drawing
