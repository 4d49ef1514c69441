"""The PDF consult note: `build_consult_pdf(case) -> bytes` and `write_consult_pdf(case, path)`.

The note renders the same `Assessment` and `Plan` objects as the window; it never recomputes a
clinical result. ReportLab is imported only from this package, which the window imports lazily,
so the app's start-up never pays for it.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import replace
from typing import Optional

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from desktop_app.about import APP_NAME, __version__
from desktop_app.case.entry_checks import HEADING as CHECKS_HEADING, EntryCheck, entry_checks, joined
from desktop_app.case.labels import field_label
from desktop_app.case.models import Case
from desktop_app.criteria.summary import NO_RECOMMENDATION, SUMMARY_HEADING, Summary, set_line, summarise
from desktop_app.criteria.types import Assessment
from desktop_app.plan.first_line import first_line_text
from desktop_app.plan.types import Plan
from desktop_app.report import sections_assessment as sa
from desktop_app.report import sections_case as sc
from desktop_app.report import sections_plan as sp
from desktop_app.report.palette import RED_FLAG
from desktop_app.report.references import Citations
from desktop_app.report.styles import (
    BODY, CELL, CELL_HEAD, H1, HEAD_BG, RULE, esc, gap, markup, para, table,
)
from desktop_app.report.template import CONTENT_W, PageInfo, make_document, numbered_canvas
from desktop_app.report.text import date

NUMBERED = ParagraphStyle("numbered", parent=CELL, leftIndent=12, bulletIndent=1)


def note_summary(case: Case, assessment: Assessment, plan: Plan) -> Summary:
    """The §12 summary as the note prints it; the pane builds it the same way."""
    return summarise(case, assessment, first_line_text(plan))



def _on_treatment_parts(on) -> list[list[Flowable]]:
    """§13.7 item 14: the drug alerts and monitoring of a patient referred already on treatment."""
    from desktop_app.plan.visit_summary import ALERTS_HEADING, MONITORING_HEADING, NO_ALERT, NO_MONITORING

    out = []
    for title, items, empty, red in ((ALERTS_HEADING, on.alerts, NO_ALERT, on.urgent_alerts),
                                     (MONITORING_HEADING, on.monitoring, NO_MONITORING, 0)):
        head = f"<b>{esc(title)}</b> (treatment current at this consultation)"
        if not items:
            out.append([markup(f"{head}: {esc(empty)}", CELL)])
            continue
        out.append([markup(head, CELL), *[Paragraph(f'<font color="{RED_FLAG}">{esc(x)}</font>' if n < red else esc(x),
                                                    NUMBERED, bulletText="•") for n, x in enumerate(items)]])
    return out


def _summary_box(summary: Summary, assessment: Assessment, checks: list[EntryCheck] = (), on=None) -> Table:
    """Summary and recommendations (§12): what a busy reader needs first, before any table. One row
    per part, so an unusually long summary breaks between parts, never inside a line."""
    head_colour = RED_FLAG if summary.urgent else "#1f3b5a"
    parts: list[list[Flowable]] = [
        [markup(f"<b>{esc(SUMMARY_HEADING)}</b>", CELL_HEAD)],
        [markup(f'<font color="{head_colour}"><b>{esc(summary.headline)}</b></font>', BODY)],
    ]
    if on is not None:
        parts += _on_treatment_parts(on)
    recs = [Paragraph(esc(r), NUMBERED, bulletText=f"{n}.") for n, r in enumerate(summary.recommendations, start=1)]
    parts.append([markup("<b>Recommendations</b>", CELL), *(recs or [para(NO_RECOMMENDATION, CELL)])])
    rows: list[list[object]] = [["Differential", "Recorded", "Flags pointing to it"]]
    rows += [[r.mimic, r.status, "; ".join(r.flags) or "—"] for r in summary.differential]
    parts.append([table(rows, [(CONTENT_W - 12) * w for w in (0.34, 0.16, 0.5)])])
    if assessment.mode == "cno":  # v3 (§12): beside an urgent flag, "favours non-bacterial" misleads
        parts.append([markup(f"<b>Criteria:</b> {esc(set_line(assessment))}", CELL)])
    if checks:  # the signer sees impossible or unusual entries before anything else (as the pane does)
        items = joined([f"{field_label(c.path)}: {c.message}" for c in checks])
        parts.append([markup(f'<font color="{RED_FLAG}"><b>{esc(CHECKS_HEADING)}:</b></font> {esc(items)}', CELL)])
    parts.append([markup(f"<b>Next review:</b> {esc(summary.next_review)} &nbsp;·&nbsp; "
                         f"<b>Contact:</b> {esc(summary.contact)}", CELL)])
    box = Table([[p] for p in parts], colWidths=[CONTENT_W], hAlign="LEFT")
    style = [("BOX", (0, 0), (-1, -1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, -1), HEAD_BG),
             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
             ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5)]
    if summary.urgent:  # marked by colour and a heavy rule, besides the word "URGENT" itself
        style += [("LINEBEFORE", (0, 1), (0, 1), 3, colors.HexColor(RED_FLAG)),
                  ("BACKGROUND", (0, 1), (0, 1), colors.HexColor("#fbe9e7"))]
    box.setStyle(TableStyle(style))
    return box


class KeepEndWithText(Flowable):
    """`content` then `end` (the signature block), where `end` never starts a page alone: when it does
    not fit under the content, the last lines of the last long paragraph go over with it.

    KeepTogether cannot do this: for content longer than a page it just flows, and the signature may
    then land alone on the next page. Like KeepTogether, this always asks the frame to split it."""

    CARRY_LINES = 2

    def __init__(self, content: list[Flowable], end: list[Flowable], carried: bool = False):
        super().__init__()
        self.content, self.end, self.carried = list(content), list(end), carried

    def wrap(self, aW, aH):
        return aW, 0xFFFFFF  # force split(), which lays the parts out

    def _h(self, f: Flowable, aW: float) -> float:
        if isinstance(f, KeepTogether):  # its wrap() reports a huge height to force a split
            return sum(self._h(c, aW) for c in f._content)
        _, h = f.wrapOn(self.canv, aW, 0xFFFFFF)
        return h + f.getSpaceBefore() + f.getSpaceAfter()

    def split(self, aW, aH):
        parts = self._split(aW, aH)
        # The frame must place the first part as it is: an action flowable that does nothing hands
        # every part back to the document, which lays each out (and splits it) in turn.
        return [NullActionFlowable(), *parts] if parts else []

    def _split(self, aW, aH):
        items = self.content + self.end
        heights = [self._h(f, aW) for f in items]
        if sum(heights) <= aH:
            return items
        used, i = 0.0, 0
        while i < len(self.content) and used + heights[i] <= aH:
            used += heights[i]
            i += 1
        if i < len(self.content) and isinstance(self.content[i], Paragraph):
            # The content itself runs over: what fits of the overflowing paragraph stays here.
            f = self.content[i]
            parts = f.splitOn(self.canv, aW, aH - used - f.getSpaceBefore() - 1)
            if len(parts) == 2:
                return [*self.content[:i], parts[0], KeepEndWithText([parts[1], *self.content[i + 1:]], self.end)]
        # What is left does not fit under content[:i]: carry the last lines of the last long
        # paragraph there over with it, so the signature shares a page with the impression's end.
        for k in range(i - 1, -1, -1):
            f = self.content[k]
            if not isinstance(f, Paragraph):
                continue
            lines = self._lines(f, aW)
            if lines > self.CARRY_LINES:
                keep_h = (heights[k] - f.getSpaceBefore() - f.getSpaceAfter()) * (lines - self.CARRY_LINES) / lines
                parts = f.splitOn(self.canv, aW, keep_h + 0.5)
                if len(parts) == 2:
                    return [*self.content[:k], parts[0], FrameBreak(),
                            KeepEndWithText([parts[1], *self.content[k + 1:]], self.end, carried=True)]
            break  # only the last paragraph before the cut: the ones above it are not its end
        if self.carried or i == 0:
            return items if i else []  # nothing left to carry: flow (never loop on empty pages)
        return [FrameBreak(), KeepEndWithText(items[:len(self.content)], self.end, carried=True)]

    def _lines(self, p: Paragraph, aW: float) -> int:
        p.wrapOn(self.canv, aW, 0xFFFFFF)
        blpara = getattr(p, "blPara", None)
        return len(getattr(blpara, "lines", ())) if blpara is not None else 1

    def draw(self):  # never drawn itself: split() always hands the frame its parts
        pass


def closing_section(case: Case) -> list[Flowable]:
    """The clinician's impression and plan notes, then the signature on the same page (§12)."""
    return [KeepEndWithText(sc.clinician_notes_section(case), sp.signature_section(case))]


def story(case: Case, assessment: Assessment, plan: Plan) -> list[Flowable]:
    cite = Citations()
    derived = assessment.derived
    summary = note_summary(case, assessment, plan)
    from desktop_app.plan.visit_summary import on_treatment_at_first_consultation

    on = on_treatment_at_first_consultation(case, plan.mode)
    if on is not None:  # §13.7 item 14: the next review as at a visit
        summary = replace(summary, next_review=on.next_review)
    flow: list[Flowable] = [para(summary.title, H1), _summary_box(summary, assessment, entry_checks(case), on),
                            gap(1)]
    flow += sc.patient_section(case, derived)
    flow += sc.history_section(case, derived)
    flow += sc.labs_section(case, cite)
    flow += sc.imaging_section(case, derived)
    flow += sc.biopsy_section(case)
    flow += sc.treatment_history_section(case)
    flow += sa.assessment_section(assessment, cite)
    flow += sa.red_flags_section(assessment, cite)
    # Treatment, prognosis and codes come from the Plan as sections_plan renders them (§9/§10: the
    # plan carries none of them outside mode cno); nothing is added around them here.
    flow += sp.plan_section(case, plan, cite)
    flow += sp.prognosis_section(plan, cite)
    flow += sp.icd10_section(plan, cite)
    cite.cite_key("loinc")  # the lab table's codes
    flow += sp.references_section(cite)
    flow += closing_section(case)
    return flow


def page_info(case: Case, generated_at: dt.datetime, title: str) -> PageInfo:
    # The canvas draws these as plain strings (no markup parsing), so they are not escaped.
    return PageInfo(
        title=title, patient=case.patient.name, mrn=case.patient.mrn,
        dob=date(case.patient.date_of_birth) if case.patient.date_of_birth else "",
        encounter=date(case.encounter.date) if case.encounter.date else "",
        app=f"{APP_NAME} {__version__}", generated=generated_at.strftime("%Y-%m-%d %H:%M"),
    )


def build_consult_pdf(case: Case, assessment: Optional[Assessment] = None, plan: Optional[Plan] = None,
                      *, generated_at: Optional[dt.datetime] = None, visit_id: Optional[str] = None) -> bytes:
    """The note as PDF bytes; assessment and plan are computed when not given.

    `visit_id` None (or "first"): the first consultation's note (§12). For a case with visits that note
    reads the case as it was then (`case_as_of(case, None)`, conservative reading of §13.6: the first
    note does not change when visits are added), and a given assessment or plan is not used. A visit id
    (or "latest"): that visit's follow-up note (§13.6), the case as of that visit; raises ValueError
    (one sentence naming the visits) when no visit has it.
    """
    if visit_id is not None:
        from desktop_app.plan.visit_summary import resolve_visit

        visit_id = resolve_visit(case, visit_id)  # "first" → None; "latest" → an id (None without visits)
        if visit_id is not None:
            return _build_followup_pdf(case, visit_id, generated_at)
    if case.visits:
        from desktop_app.course.timeline import case_as_of

        case, assessment, plan = case_as_of(case, None), None, None
    if assessment is None:
        from desktop_app.criteria.assess import assess

        assessment = assess(case)
    if plan is None:
        from desktop_app.plan.build import plan as build_plan

        plan = build_plan(case, assessment)
    # The running header and the PDF metadata carry the same title as the first page (§12: by mode).
    title = note_summary(case, assessment, plan).title
    return _render(case, title, page_info(case, generated_at or dt.datetime.now(), title),
                   story(case, assessment, plan))


def _render(case: Case, title: str, info: PageInfo, flow: list[Flowable]) -> bytes:
    buffer = io.BytesIO()
    doc = make_document(buffer, info)
    doc.subject = title  # the template's default subject names CNO; outside mode cno it must not
    doc.build(flow, canvasmaker=numbered_canvas(info))
    return buffer.getvalue()


def _build_followup_pdf(case: Case, visit_id: str, generated_at: Optional[dt.datetime]) -> bytes:
    from desktop_app.report.followup_note import follow_up, followup_story

    f = follow_up(case, visit_id)
    title = f.summary.title
    info = page_info(case, generated_at or dt.datetime.now(), title)
    # The header names the visit the note is for (the first consultation's date stays in the body).
    info = replace(info, encounter=f"{date(f.visit.date)} (follow-up visit {f.visit.id})")
    return _render(case, title, info, followup_story(f))


def write_consult_pdf(case: Case, path: str | os.PathLike[str], assessment: Optional[Assessment] = None,
                      plan: Optional[Plan] = None, *, visit_id: Optional[str] = None) -> None:
    """Write the note atomically; raises CaseFileError (one sentence) when it cannot be written."""
    from desktop_app.storage.atomic import atomic_write_bytes

    atomic_write_bytes(path, build_consult_pdf(case, assessment, plan, visit_id=visit_id))


__all__ = ["build_consult_pdf", "write_consult_pdf"]
