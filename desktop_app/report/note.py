"""The PDF consult note: `build_consult_pdf(case) -> bytes` and `write_consult_pdf(case, path)`.

The note renders the same `Assessment` and `Plan` objects as the window; it never recomputes a
clinical result. ReportLab is imported only from this package, which the window imports lazily,
so the app's start-up never pays for it.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from typing import Optional

from reportlab.platypus import Flowable, Table, TableStyle

from desktop_app import APP_NAME, __version__
from desktop_app.case.models import Case
from desktop_app.criteria.red_flags import RED_FLAGS_WARNING
from desktop_app.criteria.types import Assessment
from desktop_app.plan.types import Plan
from desktop_app.report import sections_assessment as sa
from desktop_app.report import sections_case as sc
from desktop_app.report import sections_plan as sp
from desktop_app.report.palette import RED_FLAG
from desktop_app.report.references import Citations
from desktop_app.report.styles import CELL, H1, HEAD_BG, RULE, esc, gap, markup, para, status_markup
from desktop_app.report.template import CONTENT_W, PageInfo, make_document, numbered_canvas
from desktop_app.report.text import date

TITLE = "CRMO/CNO consult note"


def _summary_box(assessment: Assessment) -> Table:
    """What a busy reader needs first: each criteria set's status and the red-flag count."""
    parts = [f"{esc(c.name)}: {status_markup(c.status)}" for c in assessment.criteria.values()]
    flags = assessment.red_flags
    flag_text = (f'<font color="{RED_FLAG}"><b>{len(flags)} red flag(s):</b></font> '
                 + esc("; ".join(f.label for f in flags)) + ". " + esc(RED_FLAGS_WARNING)) if flags \
        else "No red flag raised by the recorded data."
    body = [markup("<b>Summary</b>", CELL), markup(" · ".join(parts), CELL), markup(flag_text, CELL)]
    box = Table([[body]], colWidths=[CONTENT_W], hAlign="LEFT")
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, RULE), ("BACKGROUND", (0, 0), (-1, -1), HEAD_BG),
                             ("LEFTPADDING", (0, 0), (-1, -1), 5), ("TOPPADDING", (0, 0), (-1, -1), 4),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    return box


def story(case: Case, assessment: Assessment, plan: Plan) -> list[Flowable]:
    cite = Citations()
    derived = assessment.derived
    flow: list[Flowable] = [para(TITLE, H1), _summary_box(assessment), gap(1)]
    flow += sc.patient_section(case, derived)
    flow += sc.history_section(case, derived)
    flow += sc.labs_section(case, cite)
    flow += sc.imaging_section(case, derived)
    flow += sc.biopsy_section(case)
    flow += sc.treatment_history_section(case)
    flow += sa.assessment_section(assessment, cite)
    flow += sa.red_flags_section(assessment, cite)
    flow += sp.plan_section(case, plan, cite)
    flow += sp.prognosis_section(plan, cite)
    flow += sc.clinician_notes_section(case)
    flow += sp.icd10_section(case, cite)
    cite.cite_key("loinc")  # the lab table's codes
    flow += sp.references_section(cite)
    flow += sp.signature_section(case)
    return flow


def page_info(case: Case, generated_at: dt.datetime) -> PageInfo:
    # The canvas draws these as plain strings (no markup parsing), so they are not escaped.
    return PageInfo(
        title=TITLE, patient=case.patient.name, mrn=case.patient.mrn,
        dob=date(case.patient.date_of_birth) if case.patient.date_of_birth else "",
        encounter=date(case.encounter.date) if case.encounter.date else "",
        app=f"{APP_NAME} {__version__}", generated=generated_at.strftime("%Y-%m-%d %H:%M"),
    )


def build_consult_pdf(case: Case, assessment: Optional[Assessment] = None, plan: Optional[Plan] = None,
                      *, generated_at: Optional[dt.datetime] = None) -> bytes:
    """The note as PDF bytes; assessment and plan are computed when not given."""
    if assessment is None:
        from desktop_app.criteria.assess import assess

        assessment = assess(case)
    if plan is None:
        from desktop_app.plan.build import plan as build_plan

        plan = build_plan(case, assessment)
    info = page_info(case, generated_at or dt.datetime.now())
    buffer = io.BytesIO()
    doc = make_document(buffer, info)
    doc.build(story(case, assessment, plan), canvasmaker=numbered_canvas(info))
    return buffer.getvalue()


def write_consult_pdf(case: Case, path: str | os.PathLike[str], assessment: Optional[Assessment] = None,
                      plan: Optional[Plan] = None) -> None:
    """Write the note atomically; raises CaseFileError (one sentence) when it cannot be written."""
    from desktop_app.storage.atomic import atomic_write_bytes

    atomic_write_bytes(path, build_consult_pdf(case, assessment, plan))


__all__ = ["build_consult_pdf", "write_consult_pdf"]
