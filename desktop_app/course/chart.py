"""The course chart (issue 18 item 5, clinical-rules.md §13.3/§13.6) as one geometry, drawn twice.

`chart_geometry(data, width)` lays the chart out in abstract units (origin top-left, y downwards) as
a list of primitives — lines, polylines, markers, text, rectangles, polygons — that the Visits tab
(ui/course_chart.py, QPainter) and the follow-up note (report/course_chart.py, ReportLab) draw
one for one, so the window and the paper show the same chart. Pure: no Qt, no ReportLab, no I/O,
never raises on incomplete data.

Layout, top to bottom on one shared date axis: the 0–10 scores (CHAQ, 0–3, is drawn on the same
panel scaled ×10/3 and read on its own right-hand axis 0–3), CRP and ESR (own auto-scaled axis),
the MRI-active and clinically active lesion counts (integer axis), the treatments as bars, then the
date labels. Every series has its own dash pattern AND marker shape, so the chart reads in
black-and-white print; colour only helps. A missing value breaks a series' line (no interpolation
across it); a value with no neighbour shows its marker alone. Visits are light vertical lines; the
visit the note is about (`highlight`) is a dark line labelled "this visit".

Colour fields hold a hex string or one of the tokens INK / MUTED / BACKGROUND, which each toolkit
resolves (the window to its palette's text and base colours, so the chart follows a dark theme).
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence, Union

INK = "ink"  # the toolkit's text colour
MUTED = "muted"  # secondary text: tick labels, notes
BACKGROUND = "background"  # the toolkit's background (white on paper)
GRID = "#c9cfd6"
VISIT = "#9aa3ad"
CHAR_WIDTH = 0.62  # a conservative average advance of DejaVu Sans, in em (digits are 0.636 em)

# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    """One point of the course (§13.3): the first consultation or a visit, with its values."""

    date: dt.date
    label: str  # "First consultation", "Visit 2027-01-11"
    pain: Optional[float] = None
    patient_global: Optional[float] = None
    physician_global: Optional[float] = None
    chaq: Optional[float] = None
    crp_mg_l: Optional[float] = None
    esr_mm_h: Optional[float] = None
    mri_active_lesions: Optional[int] = None
    clinically_active_lesions: Optional[int] = None


@dataclass(frozen=True)
class ChartTreatment:
    label: str  # the drug as the clinician reads it
    start: dt.date
    end: Optional[dt.date] = None  # None: ongoing at the reference date


@dataclass(frozen=True)
class ChartInput:
    points: tuple[ChartPoint, ...]
    reference_date: dt.date
    treatments: tuple[ChartTreatment, ...] = ()
    highlight: Optional[dt.date] = None  # the visit the note is about


# --- series: one definition of each line's words and look --------------------------------------

CIRCLE, SQUARE, TRIANGLE, DIAMOND = "circle", "square", "triangle", "diamond"
# Dash patterns in em (scaled by the text size): on, off, ...; () is a solid line.
SOLID: tuple[float, ...] = ()
DASHED = (0.55, 0.3)
DOTTED = (0.12, 0.28)
DASH_DOT = (0.6, 0.25, 0.12, 0.25)
CHAQ_SCALE = 10 / 3  # CHAQ 0–3 is drawn on the 0–10 panel: 3 reaches the top


@dataclass(frozen=True)
class Series:
    key: str  # the ChartPoint field
    panel: str
    words: str  # the legend's words
    short: str  # the accessible summary's words
    unit: str
    colour: str
    dash: tuple[float, ...]
    shape: str
    filled: bool


SERIES: tuple[Series, ...] = (
    Series("pain", "scores", "Pain", "pain", "", "#d55e00", SOLID, CIRCLE, True),
    Series("patient_global", "scores", "Patient global", "patient global", "", "#0072b2", DASHED, SQUARE, False),
    Series("physician_global", "scores", "Physician global", "physician global", "", "#009e73", DOTTED,
           TRIANGLE, True),
    Series("chaq", "scores", "CHAQ (0–3, right axis)", "CHAQ", "", "#8e44ad", DASH_DOT, DIAMOND, False),
    Series("crp_mg_l", "labs", "CRP (mg/L)", "CRP", " mg/L", "#a15c00", SOLID, SQUARE, True),
    Series("esr_mm_h", "labs", "ESR (mm/h)", "ESR", " mm/h", "#0072b2", DASHED, CIRCLE, False),
    Series("mri_active_lesions", "lesions", "MRI-active lesions", "MRI-active lesions", "", "#7a3e9d", SOLID,
           DIAMOND, True),
    Series("clinically_active_lesions", "lesions", "Clinically active lesions", "clinically active lesions", "",
           "#d55e00", DASHED, TRIANGLE, False),
)
PANELS: tuple[tuple[str, str, float], ...] = (  # id, title, share of the height
    ("scores", "Scores 0–10 (0 = best)", 9.0),
    ("labs", "Inflammation markers", 7.0),
    ("lesions", "Active lesions (count)", 5.5),
)
TREATMENT_FILLS = ("#dfe7f1", "#f3e3cf", "#e2efe0", "#eee0ef", "#f6f0c8")

# --- output primitives -------------------------------------------------------------------------

Pt = tuple[float, float]


@dataclass(frozen=True)
class Stroke:
    colour: str
    width: float
    dash: tuple[float, ...] = ()  # on/off lengths in units; () is solid


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: Stroke
    role: str  # "axis", "tick", "grid", "visit", "highlight", "stop", "legend"


@dataclass(frozen=True)
class Polyline:
    series: str
    points: tuple[Pt, ...]
    stroke: Stroke


@dataclass(frozen=True)
class Marker:
    series: str
    x: float
    y: float
    shape: str
    radius: float
    colour: str
    filled: bool
    date: Optional[dt.date] = None  # None for the legend's sample


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    anchor: str = "start"  # "start", "middle", "end"
    colour: str = INK
    bold: bool = False
    role: str = ""  # "title", "legend", "tick_x", "tick_y", "bar_label", "note", "highlight"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: Optional[str]
    stroke: Optional[Stroke]
    role: str = ""  # "bar", "frame"
    label: str = ""  # a bar's treatment


@dataclass(frozen=True)
class Polygon:
    points: tuple[Pt, ...]
    fill: Optional[str]
    stroke: Optional[Stroke]
    role: str = ""  # "ongoing", "earlier"


Primitive = Union[Line, Polyline, Marker, Text, Rect, Polygon]


@dataclass(frozen=True)
class LegendEntry:
    series: str
    words: str
    stroke: Stroke
    shape: str
    colour: str
    filled: bool


@dataclass(frozen=True)
class Panel:
    id: str
    left: float
    top: float
    right: float
    bottom: float
    y_min: float
    y_max: float

    def y(self, value: float) -> float:
        """The panel's y of a value on its own axis, clamped to the panel."""
        span = (self.y_max - self.y_min) or 1.0
        frac = min(1.0, max(0.0, (value - self.y_min) / span))
        return self.bottom - frac * (self.bottom - self.top)


@dataclass(frozen=True)
class ChartGeometry:
    width: float
    height: float
    start: dt.date  # the date axis' domain
    end: dt.date
    plot_left: float
    plot_right: float
    panels: tuple[Panel, ...]
    legend: tuple[LegendEntry, ...]
    primitives: tuple[Primitive, ...] = field(repr=False)

    def x(self, date: dt.date) -> float:
        span = max(1, (self.end - self.start).days)
        return self.plot_left + (date - self.start).days / span * (self.plot_right - self.plot_left)

    def panel(self, panel_id: str) -> Panel:
        return next(p for p in self.panels if p.id == panel_id)


# --- helpers -----------------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """A conservative estimate of a label's width (both toolkits draw DejaVu Sans or narrower)."""
    return len(text) * size * CHAR_WIDTH


def marker_outline(shape: str, x: float, y: float, r: float) -> tuple[Pt, ...]:
    """The polygon of a square, triangle or diamond marker (y downwards); a circle has none."""
    if shape == SQUARE:
        s = r * 0.85
        return ((x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s))
    if shape == TRIANGLE:
        return ((x, y - r * 1.15), (x + r * 1.05, y + r * 0.75), (x - r * 1.05, y + r * 0.75))
    if shape == DIAMOND:
        return ((x, y - r * 1.2), (x + r * 1.05, y), (x, y + r * 1.2), (x - r * 1.05, y))
    return ()


def number_text(value: float) -> str:
    """7.0 → "7", 2.5 → "2.5", 0.125 → "0.13" (tick labels and the summary)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def nice_axis(max_value: Optional[float], integer: bool, floor: float) -> tuple[float, float]:
    """(top, step) of an axis from 0: a 1-2-5 step giving at most 5 intervals, top ≥ floor."""
    top_needed = max(floor, max_value or 0.0)
    magnitude = 10 ** math.floor(math.log10(top_needed / 5)) if top_needed > 0 else 1
    for m in (1, 2, 5, 10):
        step = m * magnitude
        if integer:
            step = max(1, round(step))
        if top_needed / step <= 5:
            return step * math.ceil(top_needed / step - 1e-9), step
    return top_needed, top_needed / 5


def _add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _date_ticks(start: dt.date, end: dt.date, kind: str, step: int) -> list[tuple[dt.date, str]]:
    ticks = []
    if kind == "days":
        d = start + dt.timedelta(days=(7 - start.weekday()) % 7)  # Mondays
        while d <= end:
            ticks.append((d, f"{d.day} {MONTHS[d.month - 1]} {d.year}"))
            d += dt.timedelta(days=step)
        return ticks
    d = _add_months(start, 0 if start.day == 1 else 1)
    while (d.month - 1) % step:
        d = _add_months(d, 1)
    while d <= end:
        ticks.append((d, str(d.year) if step >= 12 else f"{MONTHS[d.month - 1]} {d.year}"))
        d = _add_months(d, step)
    return ticks


MAX_DATE_TICKS = 12  # more labels than this read as noise, however wide the chart
TICK_CANDIDATES = (("days", 7), ("days", 14), ("months", 1), ("months", 2), ("months", 3), ("months", 6),
                   ("months", 12), ("months", 24), ("months", 60), ("months", 120))


def choose_date_ticks(start: dt.date, end: dt.date, x_of, size: float, left: float, right: float
                      ) -> list[tuple[float, str]]:
    """The finest tick set (at most MAX_DATE_TICKS) whose labels neither overlap nor leave
    [left, right]: weeks for a course of weeks, then months, 2 or 3 months, half-years, years."""
    gap = size * 0.8
    for kind, step in TICK_CANDIDATES:
        if kind == "days" and (end - start).days > 75:
            continue  # weeks only for a course shorter than about two months
        ticks = [(x_of(d), label) for d, label in _date_ticks(start, end, kind, step)]
        ticks = [(x, label) for x, label in ticks
                 if x - text_width(label, size) / 2 >= left and x + text_width(label, size) / 2 <= right]
        if (kind == "days" and len(ticks) < 2) or len(ticks) > MAX_DATE_TICKS:
            continue
        fits = all(b[0] - a[0] >= (text_width(a[1], size) + text_width(b[1], size)) / 2 + gap
                   for a, b in zip(ticks, ticks[1:]))
        if fits and len(ticks) >= 1:
            return ticks
    return []


def _domain(data: ChartInput) -> tuple[dt.date, dt.date]:
    """The date axis: from the first point to the later of the last point and the reference date,
    padded so the end markers do not sit on the frame; a single date gets a month around it."""
    dates = [p.date for p in data.points] + [data.reference_date]
    if data.highlight:
        dates.append(data.highlight)
    first, last = min(dates), max(dates)
    pad = max(7, round((last - first).days * 0.03))
    if first == last:
        pad = 15
    return first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)


def _value(point: ChartPoint, series: Series) -> Optional[float]:
    value = getattr(point, series.key)
    if value is None:
        return None
    return value * CHAQ_SCALE if series.key == "chaq" else float(value)


def shown_series(data: ChartInput) -> tuple[Series, ...]:
    """The series with at least one value: only these are drawn and named in the legend."""
    return tuple(s for s in SERIES if any(getattr(p, s.key) is not None for p in data.points))


def runs(values: Sequence[Optional[float]]) -> list[list[int]]:
    """Indices of the consecutive non-missing values: a missing value ends a line."""
    out: list[list[int]] = []
    current: list[int] = []
    for i, v in enumerate(values):
        if v is None:
            if current:
                out.append(current)
            current = []
        else:
            current.append(i)
    if current:
        out.append(current)
    return out


def sorted_points(data: ChartInput) -> list[ChartPoint]:
    """By date; two points on one date keep their order (§13.1)."""
    return sorted(data.points, key=lambda p: p.date)


# --- layout ------------------------------------------------------------------------------------


def preferred_height(data: ChartInput, width: float, text_size: float = 10.0, margin: float = 0.0) -> float:
    return chart_geometry(data, width, None, text_size, margin).height


def chart_geometry(data: ChartInput, width: float, height: Optional[float] = None,
                   text_size: float = 10.0, margin: float = 0.0) -> ChartGeometry:
    """The chart in `width` × `height` units (height None: the chart's natural height); text is
    `text_size` units high, and nothing is drawn within `margin` of the left and right edges."""
    ts = text_size
    small = ts * 0.85
    points = sorted_points(data)
    series = shown_series(data)
    by_panel = {pid: [s for s in series if s.panel == pid] for pid, _, _ in PANELS}
    has_chaq = any(s.key == "chaq" for s in series)
    start, end = _domain(data)

    # (top, step) of each panel's axis: scores fixed 0–10; labs from 0 to at least 10; lesions whole numbers.
    labs = [v for p in points for v in (p.crp_mg_l, p.esr_mm_h) if v is not None]
    lesions = [v for p in points for v in (p.mri_active_lesions, p.clinically_active_lesions) if v is not None]
    axes = {"scores": (10.0, 2.0), "labs": nice_axis(max(labs) if labs else None, False, 10.0),
            "lesions": nice_axis(max(lesions) if lesions else None, True, 2.0)}

    left = margin + text_width("100.5", small) + ts * 0.9
    right_gutter = (text_width("3", small) + ts * 1.2) if has_chaq else ts * 1.0
    plot_left, plot_right = left, max(left + ts * 4, width - margin - right_gutter)
    # The legend stops short of the right axis' "CHAQ" title.
    legend_right = width - margin - right_gutter - (ts * 1.2 if has_chaq else 0.0)
    prims: list[Primitive] = []
    back: list[Primitive] = []  # grid and visit lines, drawn under everything else

    # Headers (title + legend entries, wrapping) have fixed heights; panels share what is left.
    headers: dict[str, list[list[tuple[str, Optional[Series]]]]] = {}
    for pid, title, _ in PANELS:
        lines: list[list[tuple[str, Optional[Series]]]] = [[(title, None)]]
        used = margin + text_width(title, ts) + ts * 1.2
        for s in by_panel[pid]:
            need = ts * 2.6 + text_width(s.words, small) + ts * 1.0
            if used + need > legend_right and lines[-1]:
                lines.append([])
                used = margin
            lines[-1].append((s.words, s))
            used += need
        headers[pid] = lines
    line_h = ts * 1.45
    top_strip = ts * 1.9 if data.highlight else ts * 0.4
    treat_rows = max(1, len(data.treatments))
    row_h = ts * 2.4
    treat_h = ts * 1.6 + treat_rows * row_h
    axis_h = ts * 1.9
    gap = ts * 0.9
    fixed = top_strip + sum(len(h) * line_h + ts * 0.45 for h in headers.values()) + gap * 3 + treat_h + axis_h
    shares = sum(share for _, _, share in PANELS)
    natural = {pid: ts * share * 1.25 for pid, _, share in PANELS}
    if height is None:
        panel_h = natural
        height = fixed + sum(natural.values())
    else:
        room = max(height - fixed, ts * 3 * len(PANELS))
        panel_h = {pid: max(ts * 3, room * share / shares) for pid, _, share in PANELS}
        height = max(height, fixed + sum(panel_h.values()))

    span = max(1, (end - start).days)

    def x_of(d: dt.date) -> float:
        return plot_left + (d - start).days / span * (plot_right - plot_left)

    ticks = choose_date_ticks(start, end, x_of, small, margin, width - margin)
    n = max(1, len(points))
    radius = min(ts * 0.34, max(ts * 0.2, (plot_right - plot_left) / n * 0.22))
    line_w = ts * 0.15
    axis_stroke = Stroke(INK, ts * 0.07)
    grid_stroke = Stroke(GRID, ts * 0.05)

    y = top_strip
    panels: list[Panel] = []
    legend: list[LegendEntry] = []
    for pid, title, _ in PANELS:
        for line in headers[pid]:
            cx = margin
            base = y + line_h * 0.72
            for words, s in line:
                if s is None:
                    prims.append(Text(cx, base, words, ts, bold=True, role="title"))
                    cx += text_width(words, ts) + ts * 1.2
                    continue
                stroke = Stroke(s.colour, line_w, tuple(d * ts for d in s.dash))
                mid = base - small * 0.35
                prims.append(Line(cx, mid, cx + ts * 2.2, mid, stroke, "legend"))
                prims.append(Marker(s.key, cx + ts * 1.1, mid, s.shape, ts * 0.32, s.colour, s.filled))
                prims.append(Text(cx + ts * 2.6, base, s.words, small, role="legend"))
                legend.append(LegendEntry(s.key, s.words, stroke, s.shape, s.colour, s.filled))
                cx += ts * 2.6 + text_width(s.words, small) + ts * 1.0
            y += line_h
        y += ts * 0.45  # room for the top tick label under the header
        y_max, step = axes[pid]
        panel = Panel(pid, plot_left, y, plot_right, y + panel_h[pid], 0.0, y_max)
        panels.append(panel)
        _draw_panel(panel, step, prims, back, axis_stroke, grid_stroke, small, ts, ticks)
        if pid == "scores" and has_chaq:
            for chaq in (0, 1, 2, 3):
                yy = panel.y(chaq * CHAQ_SCALE)
                prims.append(Line(plot_right, yy, plot_right + ts * 0.3, yy, axis_stroke, "tick"))
                prims.append(Text(plot_right + ts * 0.45, yy + small * 0.35, str(chaq), small, colour=MUTED,
                                  role="tick_chaq"))
            prims.append(Line(plot_right, panel.top, plot_right, panel.bottom, axis_stroke, "axis"))
            prims.append(Text(width - margin, panel.top - ts * 0.45 - line_h * 0.28, "CHAQ", small, "end", MUTED,
                              role="axis_title"))  # on the legend's baseline
        if not by_panel[pid]:
            cx, cy = (plot_left + plot_right) / 2, (panel.top + panel.bottom) / 2
            w = text_width(_NONE_RECORDED[pid], small) * 0.92
            # On a patch of background, so the visit lines behind do not run through the words.
            prims.append(Rect(cx - w / 2 - ts * 0.2, cy - small * 0.7, w + ts * 0.4, small * 1.4, BACKGROUND, None,
                              "label_background"))
            prims.append(Text(cx, cy + small * 0.35, _NONE_RECORDED[pid], small, "middle", MUTED, role="note"))
        for s in by_panel[pid]:
            _draw_series(s, points, panel, x_of, radius, line_w, ts, prims)
        y = panel.bottom + gap

    # Treatments beneath, on the same date axis.
    treat_top = y
    prims.append(Text(margin, y + ts * 1.0, "Treatments", ts, bold=True, role="title"))
    y += ts * 1.6
    if not data.treatments:
        prims.append(Text(plot_left, y + ts * 1.2, "No treatment recorded", small, colour=MUTED, role="note"))
    for i, t in enumerate(data.treatments):
        _draw_treatment(t, i, y + i * row_h, start, end, data.reference_date, x_of, plot_left, plot_right,
                        small, ts, prims)
    bottom = treat_top + treat_h
    for x, _ in ticks:  # the grid runs through the bars too
        back.append(Line(x, treat_top, x, bottom, grid_stroke, "grid"))
    prims.append(Line(plot_left, bottom, plot_right, bottom, axis_stroke, "axis"))
    for x, label in ticks:
        prims.append(Line(x, bottom, x, bottom + ts * 0.35, axis_stroke, "tick"))
        prims.append(Text(x, bottom + ts * 0.35 + small, label, small, "middle", MUTED, role="tick_x"))

    # The visits: a light line each through every panel and the bars (not across the headers'
    # words); the visit the note is about, a dark line named above the chart.
    spans = [(p.top, p.bottom) for p in panels] + [(treat_top + ts * 1.6, bottom)]
    for d in sorted({p.date for p in points}):
        for y1, y2 in spans:
            back.append(Line(x_of(d), y1, x_of(d), y2, Stroke(VISIT, ts * 0.06, (ts * 0.25, ts * 0.3)), "visit"))
    if data.highlight:
        hx = x_of(data.highlight)
        for y1, y2 in spans:
            back.append(Line(hx, y1, hx, y2, Stroke(INK, ts * 0.12), "highlight"))
        words = "this visit"
        half = text_width(words, small) / 2
        tip = top_strip - ts * 0.05  # a small arrow under the words, pointing down at the line
        arrow = ((hx - ts * 0.28, tip - ts * 0.35), (hx + ts * 0.28, tip - ts * 0.35), (hx, tip))
        prims.append(Polygon(arrow, INK, None, "highlight"))
        label_x = min(max(hx, margin + half), width - margin - half)
        if abs(label_x - hx) > ts * 0.3:
            # Pushed aside at an edge: the words go beside the arrow, anchored at the side that faces
            # it, so a bold run wider than the estimate grows away from the arrow, never over it.
            beside = "end" if hx > width / 2 else "start"
            prims.append(Text(hx - ts * 0.5 if beside == "end" else hx + ts * 0.5, tip - ts * 0.05, words, small,
                              beside, bold=True, role="highlight"))
        else:
            prims.append(Text(hx, top_strip - ts * 0.7, words, small, "middle", bold=True, role="highlight"))

    return ChartGeometry(width, height, start, end, plot_left, plot_right, tuple(panels), tuple(legend),
                         tuple(back + prims))


_NONE_RECORDED = {
    "scores": "No pain, global or CHAQ score recorded",
    "labs": "No CRP or ESR recorded",
    "lesions": "No lesion count recorded",
}


def _draw_panel(panel: Panel, step: float, prims: list, back: list, axis: Stroke, grid: Stroke,
                small: float, ts: float, ticks: list[tuple[float, str]]) -> None:
    height = panel.bottom - panel.top
    # Fewer y ticks when the panel is short: never closer than 1.3 text lines.
    while step < panel.y_max and height * step / (panel.y_max or 1) < small * 1.3:
        step *= 2
    value = 0.0
    while value <= panel.y_max + 1e-9:
        yy = panel.y(value)
        if 0 < value < panel.y_max:
            back.append(Line(panel.left, yy, panel.right, yy, grid, "grid"))
        prims.append(Line(panel.left - ts * 0.3, yy, panel.left, yy, axis, "tick"))
        prims.append(Text(panel.left - ts * 0.45, yy + small * 0.35, number_text(value), small, "end", MUTED,
                          role="tick_y"))
        value += step
    for x, _ in ticks:
        back.append(Line(x, panel.top, x, panel.bottom, grid, "grid"))
    prims.append(Rect(panel.left, panel.top, panel.right - panel.left, height, None, axis, "frame"))


def _draw_series(s: Series, points: list[ChartPoint], panel: Panel, x_of, radius: float, line_w: float,
                 ts: float, prims: list) -> None:
    values = [_value(p, s) for p in points]
    stroke = Stroke(s.colour, line_w, tuple(d * ts for d in s.dash))
    for run in runs(values):
        if len(run) > 1:
            prims.append(Polyline(s.key, tuple((x_of(points[i].date), panel.y(values[i])) for i in run), stroke))
    for p, v in zip(points, values):
        if v is not None:
            prims.append(Marker(s.key, x_of(p.date), panel.y(v), s.shape, radius, s.colour, s.filled, p.date))


def _draw_treatment(t: ChartTreatment, i: int, row_top: float, start: dt.date, end: dt.date,
                    reference: dt.date, x_of, plot_left: float, plot_right: float, small: float, ts: float,
                    prims: list) -> None:
    stopped = t.end is not None and t.end <= reference
    last = t.end if stopped else reference
    words = f"{t.label}: {t.start.isoformat()} – " + (f"stopped {t.end.isoformat()}" if stopped else "ongoing")
    bar_top, bar_h = row_top + small * 1.35, ts * 0.75
    x1, x2 = max(plot_left, x_of(t.start)), min(plot_right, x_of(last))
    label_x, anchor = max(plot_left, x1), "start"
    if label_x + text_width(words, small) > plot_right:
        label_x, anchor = plot_right, "end"
    # On a patch of background, so the visit lines behind do not run through the words.
    w = text_width(words, small) * 0.92
    prims.append(Rect(label_x - (w if anchor == "end" else 0) - ts * 0.1, row_top + small * 0.15, w + ts * 0.2,
                      small * 1.15, BACKGROUND, None, "label_background"))
    prims.append(Text(label_x, row_top + small * 1.05, words, small, anchor, role="bar_label"))
    if t.start > end or last < start or x2 < x1:
        return  # outside the chart's dates: the words say when
    outline = Stroke(INK, ts * 0.07)
    fill = TREATMENT_FILLS[i % len(TREATMENT_FILLS)]
    prims.append(Rect(x1, bar_top, max(x2 - x1, ts * 0.15), bar_h, fill, outline, "bar", t.label))
    mid = bar_top + bar_h / 2
    if x_of(t.start) < plot_left:  # started before the chart: an arrow into the past
        prims.append(Polygon(((x1, bar_top), (x1, bar_top + bar_h), (x1 - ts * 0.5, mid)), INK, None, "earlier"))
    if stopped:  # a stop: a heavy end cap
        prims.append(Line(x2, bar_top - ts * 0.2, x2, bar_top + bar_h + ts * 0.2, Stroke(INK, ts * 0.2), "stop"))
    else:  # ongoing at the reference date: an arrow onwards
        prims.append(Polygon(((x2, bar_top - ts * 0.15), (x2, bar_top + bar_h + ts * 0.15), (x2 + ts * 0.55, mid)),
                             INK, None, "ongoing"))


# --- words for screen readers ------------------------------------------------------------------


def chart_summary(data: Optional[ChartInput]) -> str:
    """What the chart shows, in words: the span, each series' latest value, the treatments."""
    if data is None or not data.points:
        return "Course chart: no visit to show."
    points = sorted_points(data)
    parts = [f"Course chart, {len(points)} point{'s' if len(points) != 1 else ''} from "
             f"{points[0].date.isoformat()} to {points[-1].date.isoformat()}."]
    latest = []
    missing = []
    for s in SERIES:
        dated = [(p.date, getattr(p, s.key)) for p in points if getattr(p, s.key) is not None]
        if dated:
            d, v = dated[-1]
            latest.append(f"{s.short} {number_text(v)}{s.unit} on {d.isoformat()}")
        else:
            missing.append(s.short)
    if latest:
        parts.append("Latest values: " + "; ".join(latest) + ".")
    if missing:
        parts.append("Not recorded: " + ", ".join(missing) + ".")
    if data.treatments:
        parts.append("Treatments: " + "; ".join(
            f"{t.label} from {t.start.isoformat()}"
            + (f", stopped {t.end.isoformat()}" if t.end and t.end <= data.reference_date else ", ongoing")
            for t in data.treatments) + ".")
    return " ".join(parts)
