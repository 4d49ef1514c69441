"""What the bundle says, read from the same objects the note renders (no fhir.resources here): the case
as of the note, its assessment and plan, and the summary's words — for the first consultation (§12)
or a visit (§13.6). Never recomputes a clinical result the note shows differently."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from desktop_app.case.models import Case, Visit
from desktop_app.case.visits import ordered_visits
from desktop_app.course.timeline import case_as_of
from desktop_app.criteria.assess import assess
from desktop_app.criteria.summary import summarise
from desktop_app.criteria.types import Assessment
from desktop_app.plan.build import plan as build_plan
from desktop_app.plan.first_line import first_line_text
from desktop_app.plan.types import Plan
from desktop_app.plan.visit_summary import (
    ALERTS_HEADING, MONITORING_HEADING, NO_ALERT, NO_MONITORING, visit_results,
)


@dataclass(frozen=True)
class NoteContent:
    at: Case  # the case as of the note (§13.1: later visits left out)
    assessment: Assessment
    plan: Plan
    title: str  # the note's own title, by mode
    headline: str
    recommendations: list[str]
    next_review: str
    visit: Optional[Visit] = None  # the visit the note is for; None: the first consultation
    lists: list[tuple[str, list[str], str]] = field(default_factory=list)  # follow-up: (heading, items, empty)

    @property
    def date(self) -> Optional[dt.date]:
        return self.visit.date if self.visit else self.at.encounter.date

    @property
    def clinician(self) -> str:
        return (self.visit.clinician if self.visit and self.visit.clinician else self.at.encounter.clinician).strip()


def note_content(case: Case, visit_id: Optional[str]) -> NoteContent:
    """`visit_id`: a visit's id (its follow-up note) or None (the first consultation's note)."""
    if visit_id is None:
        at = case_as_of(case, None) if case.visits else case
        a = assess(at)
        p = build_plan(at, a)
        s = summarise(at, a, first_line_text(p))  # as the note's first page (report.note.note_summary)
        return NoteContent(at, a, p, s.title, s.headline, list(s.recommendations), s.next_review)
    r = visit_results(case, visit_id)
    assert r is not None  # a visit id given: visit_results raises ValueError when no visit has it
    s = r.summary
    visit = next(v for v in ordered_visits(r.at) if v.id == s.visit_id)
    lists = [(ALERTS_HEADING, list(s.alerts), NO_ALERT), (MONITORING_HEADING, list(s.monitoring), NO_MONITORING)]
    return NoteContent(r.at, r.assessment, r.plan, s.title, s.headline, list(s.recommendations), s.next_review,
                       visit, lists)
