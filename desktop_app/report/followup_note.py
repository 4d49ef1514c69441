"""The follow-up note of a visit (clinical-rules.md §13.6): `followup_story(case, visit_id)`.

Renders the same objects as the window: the VisitSummary (plan/visit_summary.py), `course()` of the
case as of the visit, and the assessment and plan as of the visit (§13.1: an earlier visit reads the
case with the later visits left out). Nothing clinical is recomputed here.

Order: Summary and recommendations; the course (measures table with the change from the first
consultation, the chart); the lesion status at this visit; current treatments and adverse events;
the plan as of this visit; the diagnosis in one paragraph; references; impression and signature.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Optional

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Table, TableStyle

from desktop_app.case import labels
from desktop_app.case.entry_checks import HEADING as CHECKS_HEADING, EntryCheck, entry_checks, joined
from desktop_app.case.labels import field_label, lesion_label, lower_first
from desktop_app.case.lesion_ids import lesion_display_id
from desktop_app.case.models import Case, Visit
from desktop_app.case.units import fmt_number
from desktop_app.case.visits import ordered_visits, visit_by_id, visit_name
from desktop_app.course.timeline import drug_key
from desktop_app.course.build import NO_COMPOSITE_NOTE
from desktop_app.course.chart_input import chart_input
from desktop_app.course.types import CHANGE_KEYS, Course, Point
from desktop_app.course.words import MINUS, activity_words, change_words, fmt_measure
from desktop_app.criteria.summary import differential, set_line
from desktop_app.criteria.types import Assessment
from desktop_app.plan.types import Plan
from desktop_app.plan.visit_summary import (
    ALERTS_HEADING, CHANGES_HEADING, MONITORING_HEADING, NEXT_REVIEW_HEADING, NO_ALERT, NO_CHANGE, NO_MONITORING,
    CARE_HEADING, NO_RECOMMENDATION, RECOMMENDATIONS_HEADING, SUMMARY_HEADING, VisitSummary, alert_finding,
    visit_results,
)
from desktop_app.report import sections_plan as sp
from desktop_app.report.course_chart import course_chart_drawing
from desktop_app.report.fonts import BOLD
from desktop_app.report.labs import value_meaning
from desktop_app.report.palette import RED_FLAG
from desktop_app.report.references import Citations
from desktop_app.report.styles import (
    BODY, CELL, CELL_HEAD, FONT, H1, HEAD_BG, RULE, SMALL, esc, gap, heading, markup, para, table,
)
from desktop_app.report.template import CONTENT_W
from desktop_app.report.text import NOT_RECORDED, choice, date

# A wrapped item lines up under its first word, not under its bullet or number (as the first note's box).
ITEM = ParagraphStyle("fu_item", parent=CELL, leftIndent=12, bulletIndent=1)
NOT_ASSESSED = "not assessed"
CHART_CAPTION = "The measures over time, with the treatments as bars beneath."
NO_CHART = "No measure, CRP, ESR or lesion count recorded at any point: no chart."
COURSE_START_ROOM = 160  # points: the heading, the sentence, the table's header and its first rows
MIN_CHART_SHARE = 0.75  # below three quarters of its height the panels get hard to read
# The measures table's columns: short headings (the full names are the course's words).
COLUMN_HEADS = {"pain": "Pain (0–10)", "patient_global": "Patient global (0–10)",
                "physician_global": "Physician global (0–10)", "chaq": "CHAQ (0–3)",
                "clinically_active_lesions": "Clinically active lesions", "crp_mg_l": "CRP (mg/L)",
                "esr_mm_h": "ESR (mm/h)", "mri_active_lesions": "MRI-active lesions"}
assert set(COLUMN_HEADS) == set(CHANGE_KEYS)


@dataclass(frozen=True)
class FollowUp:
    """Everything the follow-up note renders, computed once."""

    case: Case  # the whole case (identity, treatments)
    at: Case  # the case as of the visit
    visit: Visit
    assessment: Assessment
    plan: Plan
    course: Course
    summary: VisitSummary


def follow_up(case: Case, visit_id: str) -> FollowUp:
    """Raises ValueError (one sentence) when no visit has `visit_id`."""
    r = visit_results(case, visit_id)
    assert r is not None  # a visit id given: visit_results raises ValueError when it names no visit
    visit = visit_by_id(case, r.summary.visit_id)
    assert visit is not None
    return FollowUp(case=case, at=r.at, visit=visit, assessment=r.assessment, plan=r.plan, course=r.course,
                    summary=r.summary)


# ---- page 1: Summary and recommendations -------------------------------------------------------------

def _list_part(title: str, items: list[str], empty: str, red: int = 0, red_heading: bool = False) -> list[Flowable]:
    """A part of the summary: its heading and items, or "heading: <empty words>"; the first `red` items
    (the urgent alerts) in the alert colour."""
    head = f'<font color="{RED_FLAG}"><b>{esc(title)}</b></font>' if red_heading else f"<b>{esc(title)}</b>"
    if not items:
        return [markup(f"{head}: {esc(empty)}", CELL)]
    return [markup(head, CELL), *[Paragraph(f'<font color="{RED_FLAG}">{esc(x)}</font>' if n < red else esc(x), ITEM,
                                            bulletText="•") for n, x in enumerate(items)]]


def _check_place(case: Optional[Case], path: str) -> str:
    """An entry check's field in words; a visit's field names its visit ("Visit date (the visit of …)")."""
    m = re.match(r"visits\[(\d+)\]", path)
    if case is not None and m and int(m.group(1)) < len(case.visits):
        return f"{field_label(path)} ({visit_name(case.visits[int(m.group(1))])})"
    return field_label(path)


def summary_box(s: VisitSummary, checks: list[EntryCheck] = (), case: Optional[Case] = None) -> Table:
    """One row per part, so a long summary breaks between parts, never inside a line (as §12's box)."""
    head_colour = RED_FLAG if s.urgent else "#1f3b5a"
    when = s.date.isoformat() if s.date else NOT_RECORDED
    parts: list[list[Flowable]] = [
        [markup(f"<b>{esc(SUMMARY_HEADING)}</b> — visit of {esc(when)}", CELL_HEAD)],
        [markup(f'<font color="{head_colour}"><b>{esc(s.headline)}</b></font>', BODY)],
    ]
    parts.append(_list_part(ALERTS_HEADING, s.alerts, NO_ALERT, s.urgent_alerts, s.urgent))
    parts.append(_list_part(MONITORING_HEADING, s.monitoring, NO_MONITORING))
    parts.append(_list_part(CHANGES_HEADING.format(previous=s.previous), s.plan_changes, NO_CHANGE))
    recs = [Paragraph(esc(r), ITEM, bulletText=f"{n}.") for n, r in enumerate(s.recommendations, start=1)]
    parts.append([markup(f"<b>{esc(RECOMMENDATIONS_HEADING)}</b>", CELL), *(recs or [para(NO_RECOMMENDATION, CELL)])])
    if s.care:  # §13.6 v4: beside the recommendations, not counted among the five
        parts.append(_list_part(CARE_HEADING, s.care, ""))
    if checks:  # the signer sees impossible or unusual entries first (as the first note does)
        items = joined([f"{_check_place(case, c.path)}: {c.message}" for c in checks])
        parts.append([markup(f'<font color="{RED_FLAG}"><b>{esc(CHECKS_HEADING)}:</b></font> {esc(items)}', CELL)])
    parts.append([markup(f"<b>{esc(NEXT_REVIEW_HEADING)}:</b> {esc(s.next_review)}", CELL)])
    box = Table([[p] for p in parts], colWidths=[CONTENT_W], hAlign="LEFT")
    style = [("BOX", (0, 0), (-1, -1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, -1), HEAD_BG),
             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    if s.urgent:  # marked by colour and a heavy rule, besides the words themselves
        style += [("LINEBEFORE", (0, 1), (0, 2), 3, colors.HexColor(RED_FLAG)),
                  ("BACKGROUND", (0, 1), (0, 2), colors.HexColor("#fbe9e7"))]
    box.setStyle(TableStyle(style))
    return box


# ---- the course ----------------------------------------------------------------------------------------

def point_name(p: Point) -> str:
    when = p.date.isoformat() if p.date else "date not recorded"
    return f"First consultation {when}" if p.visit is None else f"Visit {p.visit} {when}"


def _signed(x: float, places: Optional[int] = None) -> str:
    text = fmt_measure(abs(x)) if places is None else f"{abs(x):.{places}f}"
    return ("+" if x > 0 else MINUS if x < 0 else "") + text


CHANGE_SIZE = 6.5  # the change row's font size (points)


def _value(p: Point, key: str) -> str:
    v = p.value(key)
    return "—" if v is None else fmt_measure(v)


def _change(p: Point, key: str, width: float) -> str:
    """The change from the first consultation, "(−5, −71.4 %)", on two lines when one is too narrow.
    Plain text, not a Paragraph: a 40-visit table has hundreds of these cells, and plain strings are
    drawn without wrapping (the follow-up note's speed budget)."""
    change = (p.change_from_first or {}).get(key) if p.visit is not None else None
    if change is None:
        return ""
    pct = "" if change.percent is None else f"{_signed(change.percent, 1)}\u00a0%"
    one = f"({_signed(change.difference)}{', ' + pct if pct else ''})"
    if not pct or stringWidth(one, FONT, CHANGE_SIZE) <= width:
        return one
    return f"({_signed(change.difference)},\n{pct})"


def _column_widths() -> list[float]:
    """"First consultation" on one line, "MRI-active" unbroken; the other values share the rest."""
    pad = 6.5  # the table's left and right cell padding, and a little air
    first = stringWidth("First consultation", FONT, CELL.fontSize) + pad
    mri = stringWidth("MRI-active", BOLD, CELL_HEAD.fontSize) + pad
    rest = (CONTENT_W - first - mri) / (len(CHANGE_KEYS) - 1)
    return [first, *[mri if k == "mri_active_lesions" else rest for k in CHANGE_KEYS]]


def course_table(points: list[Point]) -> Table:
    """One row of values per point and, under a visit's, a smaller row of its changes from the first
    consultation; the point's name spans both, so a page never separates a value from its change."""
    widths = _column_widths()
    rows: list[list[object]] = [[para(h, CELL_HEAD) for h in ["Point", *[COLUMN_HEADS[k] for k in CHANGE_KEYS]]]]
    style = [("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
             ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG), ("FONT", (0, 1), (-1, -1), FONT, CELL.fontSize, CELL.leading)]
    for p in points:
        name = point_name(p).replace(f" {p.date.isoformat()}" if p.date else " date not recorded",
                                     "\n" + (p.date.isoformat() if p.date else "date not recorded"), 1)
        rows.append([name, *[_value(p, k) for k in CHANGE_KEYS]])
        changes = [_change(p, k, w - 6) for k, w in zip(CHANGE_KEYS, widths[1:])]
        if any(changes):
            r = len(rows)
            rows.append(["", *changes])
            style += [("SPAN", (0, r - 1), (0, r)), ("LINEABOVE", (1, r), (-1, r), 0, colors.white),
                      ("FONT", (1, r), (-1, r), FONT, CHANGE_SIZE, CHANGE_SIZE + 1.5),
                      ("TOPPADDING", (1, r), (-1, r), 0), ("TEXTCOLOR", (1, r), (-1, r), colors.HexColor("#444444"))]
    t = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(style))
    return t


def course_section(f: FollowUp) -> list[Flowable]:
    c = f.course
    head = [heading("Course")]
    t = course_table(c.points)
    this = c.points[-1]
    # The heading starts a page only when its table's header and first rows would not fit under it; a long
    # table then flows on, its header repeated (KeepTogether would push a 40-visit table to the next page).
    out: list[Flowable] = [CondPageBreak(COURSE_START_ROOM), *head, para(NO_COMPOSITE_NOTE, SMALL), gap(1), t,
                           para("In brackets: the change from the first consultation (difference, percent; no "
                                "percent from 0). — not recorded. Lower is better for every measure.", SMALL)]
    shown = [change_words(k, ch) for k, ch in (this.change_from_first or {}).items() if ch is not None]
    if shown:
        out.append(markup(f"<b>Since the first consultation:</b> {esc('; '.join(shown))}.", BODY))
    out.append(markup(f"<b>At this visit:</b> {esc(activity_words(this))}.", BODY))
    data = chart_input(f.at, c, highlight=f.visit.date)
    if not any(p.value(k) is not None for p in c.points for k in CHANGE_KEYS):
        out.append(para(NO_CHART, SMALL))  # empty panels would only repeat the table's dashes
    elif data is not None:
        out += [gap(2), FittedChart(data, CHART_CAPTION)]
    return out


class FittedChart(Flowable):
    """The course chart and its caption, at its natural height, or down to MIN_CHART_SHARE of it when
    that lets it finish the page it starts on (rather than leave half a page blank); never split."""

    def __init__(self, data, caption: str):
        super().__init__()
        self.data, self.caption = data, para(caption, SMALL)
        self.natural = course_chart_drawing(data, CONTENT_W).height
        self.drawing = None

    def wrap(self, aW, aH):
        _, cap_h = self.caption.wrap(aW, aH)
        room = aH - cap_h - 2
        height = self.natural if room >= self.natural or room < self.natural * MIN_CHART_SHARE else room
        self.drawing = course_chart_drawing(self.data, aW, None if height == self.natural else height)
        self.cap_h = cap_h
        self.width, self.height = aW, self.drawing.height + cap_h + 2
        return self.width, self.height

    def draw(self):
        self.drawing.drawOn(self.canv, 0, self.cap_h + 2)
        self.caption.drawOn(self.canv, 0, 0)


# ---- the visit's own results and growth (§13.6 v4) -------------------------------------------------------

def _previous_value(f: FollowUp, attr: str) -> Optional[tuple[float, str]]:
    """The latest value of a visit field (`weight_kg`, `height_cm`, `max_temperature_c`) recorded before
    this visit, with where: an earlier visit's, else the first consultation's."""
    for v in reversed(ordered_visits(f.at)):
        if v is f.visit or v.date > f.visit.date:
            continue
        if getattr(v, attr) is not None and v is not f.visit:
            return getattr(v, attr), f"the visit of {v.date.isoformat()}"
    first = {"weight_kg": f.at.patient.weight_kg, "height_cm": f.at.patient.height_cm,
             "max_temperature_c": f.at.symptoms.max_temperature_c}[attr]
    return None if first is None else (first, "the first consultation")


def _with_change(f: FollowUp, attr: str, unit: str, percent: bool = True) -> str:
    value = getattr(f.visit, attr)
    if value is None:
        return NOT_RECORDED
    text = f"{fmt_number(value)} {unit}"
    before = _previous_value(f, attr)
    if before is None:
        return f"{text} (no earlier value)"
    diff = value - before[0]
    pct = f", {_signed(diff / before[0] * 100, 1)} %" if before[0] and percent else ""
    return f"{text} ({_signed(round(diff, 3))}{pct} since {before[1]}: {fmt_number(before[0])} {unit})"


def results_section(f: FollowUp) -> list[Flowable]:
    """Every lab value recorded at this visit with the range used, where it came from, and its meaning;
    the temperature, weight and height with their change; the measures — whether or not an alert fired."""
    v = f.visit
    out: list[Flowable] = [heading("Results at this visit")]
    rows: list[list[object]] = [[para(h, CELL_HEAD) for h in ("Test", "Value", "Range used (source)", "Meaning")]]
    # A relative default (creatinine's 30 % rise, §13.4 v4) is decided by the alert: its words are the meaning.
    beyond = {"creatinine": al.evidence for al in f.course.alerts if al.id == "fu_raised_creatinine"}
    for analyte, info in labels.ANALYTES.items():
        lab = getattr(v.labs, analyte, None)
        if lab is None:
            continue
        when = lab.date if getattr(lab, "date", None) else v.date
        m = value_meaning(f.case, analyte, lab, when, beyond.get(analyte))
        rows.append([para(info.name, CELL), para(f"{fmt_number(lab.value)} {labels.unit_label(lab.unit)}", CELL),
                     para(m.range_text, CELL), para(m.words, CELL)])
    if len(rows) > 1:
        out += [table(rows, [CONTENT_W * w for w in (0.17, 0.15, 0.4, 0.28)]), gap(1)]
    else:
        out.append(para("No laboratory value recorded at this visit.", SMALL))
    temp = f"{fmt_number(v.max_temperature_c)} °C" if v.max_temperature_c is not None else NOT_RECORDED
    if v.max_temperature_c is not None:
        temp = _with_change(f, "max_temperature_c", "°C", percent=False)  # a percent of °C means nothing
        if v.max_temperature_date is not None:
            temp += f", measured {v.max_temperature_date.isoformat()}"
    measures = "; ".join(f"{labels.field_label(f'measures.{k}')}: {fmt_measure(x)}"
                         for k, x in v.measures.model_dump().items() if x is not None) or NOT_RECORDED
    for name, text in (("Highest temperature", temp), ("Weight", _with_change(f, "weight_kg", "kg")),
                       ("Height", _with_change(f, "height_cm", "cm")), ("Measures", measures)):
        out.append(markup(f"<b>{esc(name)}:</b> {esc(text)}", BODY))
    return [KeepTogether(out[:3]), *out[3:]]


def growth_section(f: FollowUp) -> list[Flowable]:
    """§13.6 v4: weight and height at every point of the course; the entry checks are on page 1."""
    rows: list[list[object]] = [[para(h, CELL_HEAD) for h in ("Point", "Weight (kg)", "Height (cm)")]]
    first_date = f.at.encounter.date
    rows.append([para(f"First consultation {date(first_date)}", CELL),
                 para(fmt_number(f.at.patient.weight_kg) if f.at.patient.weight_kg is not None else "—", CELL),
                 para(fmt_number(f.at.patient.height_cm) if f.at.patient.height_cm is not None else "—", CELL)])
    for v in ordered_visits(f.at):
        rows.append([para(f"Visit {v.id} {v.date.isoformat()}", CELL),
                     para(fmt_number(v.weight_kg) if v.weight_kg is not None else "—", CELL),
                     para(fmt_number(v.height_cm) if v.height_cm is not None else "—", CELL)])
    t = table(rows, [CONTENT_W * w for w in (0.4, 0.3, 0.3)])
    return [KeepTogether([heading("Growth"), t, para("— not recorded at that point. A height that falls or a "
                                                     "weight that jumps is named under the entry checks on page 1.",
                                                     SMALL)])]


def lesion_section(f: FollowUp) -> list[Flowable]:
    v = f.visit
    out: list[Flowable] = [heading("Lesion status at this visit")]
    mri = v.mri_date or (v.date if v.lesion_status else None)
    out.append(para(f"MRI at this visit: {date(mri)}." if mri else "No MRI at this visit: no lesion was assessed.",
                    SMALL))
    lesions = f.at.imaging.lesions
    if not lesions:
        return out + [para("No lesions recorded.")]
    resolved_before: dict[str, str] = {}
    for earlier in ordered_visits(f.at):
        if earlier is v:
            break
        for les_id, st in earlier.lesion_status.items():
            if st == "resolved":
                resolved_before[les_id] = earlier.date.isoformat()
            else:
                resolved_before.pop(les_id, None)
    rows: list[list[object]] = [["Lesion", "Site", "Status at this visit"]]
    for les in lesions:
        st = v.lesion_status.get(les.id)
        if st is not None:
            words = labels.value_label("lesion_status", st)
        elif les.id in resolved_before:
            words = f"{NOT_ASSESSED} (resolved at the visit of {resolved_before[les.id]})"
        else:
            words = NOT_ASSESSED
        where = lesion_label(les.bone, les.side, les.level)
        if les.segment:  # as the first note's imaging table words the site
            where += f", {choice('segment', les.segment).lower()}"
        rows.append([lesion_display_id(les.id) or "—", where, words])
    out.append(table(rows, [CONTENT_W * w for w in (0.1, 0.5, 0.4)]))
    return [KeepTogether(out[:3]), *out[3:]] if len(out) > 3 else out


ADVERSE_STOP = "stopped for an adverse event"


def _treatment_row(t, this: Point) -> list[object]:
    current = next((c for c in this.current_treatments if c.drug == drug_key(t.drug)
                    and c.since == t.start_date), None)
    end = (f"current ({fmt_number(current.weeks)} weeks)" if current is not None
           else date(t.end_date) if t.end_date else NOT_RECORDED)
    stop = choice("stop_reason", t.stop_reason) if t.stop_reason else "—"
    if t.stop_reason == "adverse_event":
        stop = f"<b>{esc(ADVERSE_STOP)}</b>"
    else:
        stop = esc(stop)
    name = t.drug.strip() or (choice("drug_class", t.drug_class) if t.drug_class else NOT_RECORDED)
    return [para(name, CELL), para(date(t.start_date) if t.start_date else NOT_RECORDED, CELL), para(end, CELL),
            para(choice("response", t.response) if t.response else "—", CELL), markup(stop, CELL)]


def treatments_section(f: FollowUp) -> list[Flowable]:
    """§13.6 v4: every treatment up to this visit, current or not, and every visit's adverse events."""
    this = f.course.points[-1]
    out: list[Flowable] = [heading("Treatment history and adverse events")]
    treatments = sorted(f.at.treatments, key=lambda t: (t.start_date is None, t.start_date or dt.date.min))
    if treatments:
        rows: list[list[object]] = [[para(h, CELL_HEAD) for h in ("Drug", "Start", "End", "Response", "Stop reason")]]
        rows += [_treatment_row(t, this) for t in treatments]
        out.append(table(rows, [CONTENT_W * w for w in (0.26, 0.15, 0.2, 0.14, 0.25)]))
    else:
        out.append(para("No treatment recorded."))
    out.append(gap(1))
    events = [(v, v.adverse_events.strip()) for v in reversed(ordered_visits(f.at)) if v.adverse_events.strip()]
    if events:  # newest first
        out.append(markup("<b>Adverse events recorded at the visits</b> (newest first):", BODY))
        out += [Paragraph(f"{esc(v.date.isoformat())}{esc(' (' + v.id + ')') if v.id else ''}: {esc(text)}", ITEM,
                          bulletText="•") for v, text in events]
    else:
        out.append(markup("<b>Adverse events recorded at the visits:</b> none recorded", BODY))
    if f.visit.notes.strip():
        out.append(markup(f"<b>Visit notes:</b> {esc(f.visit.notes.strip())}", BODY))
    return [KeepTogether(out[:2]), *out[2:]]


def diagnosis_section(f: FollowUp) -> list[Flowable]:
    """§13.6: one paragraph, §0–§5 as assessed now from the first consultation's findings and the lists."""
    a = f.assessment
    mode = labels.value_label("mode", a.mode)
    parts = [f"{mode} (as assessed from the first consultation's findings and the case's biopsies, treatments, "
             f"mimics and lesions as they stand at this visit)."]
    parts.append(f"Criteria: {set_line(a)}.")
    if a.red_flags:  # §13.1 v4: a flag raised by a visit's imaging is shown for the record, with what governs it
        flags = "; ".join(f"{fl.label} ({fl.evidence})" + (f" — addressed: {fl.addressed_by}" if fl.addressed else "")
                          for fl in a.red_flags)
        parts.append(f"Red flags: {flags}.")
    first_seen = a.derived.lesions_first_seen_at_follow_up
    if first_seen:
        parts.append(f"{first_seen} lesion(s) first seen at follow-up count like the others.")
    # §13.7 item 10: an alert that needs malignancy excluded again, and has not had it, says so here.
    again = [alert_finding(al) for al in f.course.alerts if al.needs_reexclusion]
    diff = "; ".join(f"{lower_first(r.mimic)}: {r.status}"
                     for r in differential(f.at, a, again))
    parts.append(f"Differential: {diff}.")
    return [heading("Diagnosis"), para(" ".join(parts))]


def closing(f: FollowUp) -> list[Flowable]:
    """The visit's clinician signs; the impression and plan notes are the case's (the clinician's own)."""
    from desktop_app.report.note import closing_section

    signer = f.visit.clinician.strip() or f.case.encounter.clinician
    signed = f.case.model_copy(update={"encounter": f.case.encounter.model_copy(update={"clinician": signer})})
    return closing_section(signed)


def followup_story(f: FollowUp) -> list[Flowable]:
    cite = Citations()
    # The note as of its visit: a later visit's checks are not this note's (indices stay the file's).
    later = {f"visits[{i}]." for i, v in enumerate(f.case.visits) if v.date > f.visit.date}
    checks = [c for c in entry_checks(f.case) if not any(c.path.startswith(p) for p in later)]
    flow: list[Flowable] = [para(f.summary.title, H1), summary_box(f.summary, checks, f.case), gap(1)]
    flow += results_section(f)
    flow += course_section(f)
    flow += growth_section(f)
    flow += lesion_section(f)
    flow += treatments_section(f)
    flow += sp.plan_section(f.at, f.plan, cite)
    flow += sp.prognosis_section(f.plan, cite)
    flow += sp.icd10_section(f.plan, cite)
    flow += diagnosis_section(f)
    flow += sp.references_section(cite)
    flow += closing(f)
    return flow


__all__ = ["FollowUp", "follow_up", "followup_story", "summary_box"]
