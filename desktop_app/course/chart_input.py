"""The course chart's input from `course(case)`: one point per course point, one bar per dated treatment.

Pure, no Qt: the Visits tab draws it (ui/course_chart.py); the note may use the same adapter.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case.models import Case
from desktop_app.course.chart import ChartInput, ChartPoint, ChartTreatment
from desktop_app.course.types import Course

FIRST_CONSULTATION = "First consultation"


def chart_input(case: Case, result: Course, highlight: Optional[dt.date] = None) -> Optional[ChartInput]:
    """None when no point has a date (nothing can be placed on the time axis)."""
    points = tuple(
        ChartPoint(
            p.date, FIRST_CONSULTATION if p.visit is None else f"Visit {p.date.isoformat()}",
            pain=p.measures.get("pain"), patient_global=p.measures.get("patient_global"),
            physician_global=p.measures.get("physician_global"), chaq=p.measures.get("chaq"),
            crp_mg_l=p.crp_mg_l, esr_mm_h=p.esr_mm_h, mri_active_lesions=p.mri_active_lesions,
            clinically_active_lesions=_count(p.measures.get("clinically_active_lesions")))
        for p in result.points if p.date is not None)
    if not points:
        return None
    reference = result.reference_date or max(p.date for p in points)
    treatments = tuple(
        ChartTreatment(t.drug.strip() or "treatment", t.start_date,
                       t.end_date if t.end_date is not None and t.end_date <= reference else None)
        for t in case.treatments if t.start_date is not None and t.start_date <= reference)
    return ChartInput(points=points, reference_date=reference, treatments=treatments, highlight=highlight)


def _count(x: Optional[float]) -> Optional[int]:
    return None if x is None else int(x)
