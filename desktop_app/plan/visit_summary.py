"""Summary and recommendations of a follow-up visit (clinical-rules.md §13.6): what the follow-up
note's first page and the assessment pane open with, in the same words.

Pure: built from `course(case)`, the assessment and the plan as of the visit (§13.1: an earlier
visit reads the case with the later visits left out) and the plan as of the previous point (for
"plan changes"). Never recomputes a clinical result.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from desktop_app.case.models import Case
from desktop_app.case.visits import ordered_visits

MAX_RECOMMENDATIONS = 5  # §13.6 "at most five recommendations"


@dataclass(frozen=True)
class VisitSummary:
    visit_id: str  # the visit the summary (and the note) is for
    date: Optional[dt.date]
    title: str  # "CRMO/CNO follow-up note" in mode cno, otherwise "Bone pain follow-up note"
    headline: str  # by the plan's mode, e.g. "CRMO/CNO follow-up — active disease"
    urgent: bool = False  # an urgent follow-up alert is raised (shown first, in the alert colour)
    alerts: list[str] = field(default_factory=list)  # urgent first, then table order, in words
    monitoring: list[str] = field(default_factory=list)  # tests due or overdue, in words
    plan_changes: list[str] = field(default_factory=list)  # lines whose status differs from the previous point's
    recommendations: list[str] = field(default_factory=list)  # at most MAX_RECOMMENDATIONS
    next_review: str = ""


def resolve_visit(case: Case, which: Optional[str]) -> Optional[str]:
    """The id of the visit `which` names: "latest" (or None) → the latest visit, "first" → None (the
    first consultation), else a visit id. None when the case has no visits. Raises ValueError with one
    sentence when `which` names no visit."""
    order = ordered_visits(case)
    if which in (None, "latest"):
        return order[-1].id if order else None
    if which == "first":
        return None
    for v in order:
        if v.id == which:
            return v.id
    known = ", ".join(v.id for v in order) or "none"
    raise ValueError(f"no visit has the id {which!r} (visits: {known})")


def visit_summary(case: Case, visit_id: Optional[str] = None) -> Optional[VisitSummary]:
    """The §13.6 summary of `visit_id` (None: the latest visit); None when the case has no visits."""
    raise NotImplementedError  # issue 18: filled in by the follow-up note work
