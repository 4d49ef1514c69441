"""Cross-field checks of what was typed: dates in an impossible order, values that are allowed but
rarely real. Pure (no Qt); the window shows each beside its field and lists them in the assessment
pane under "Check these entries".

These are not clinical rules and never block anything: the model still accepts the data (a saved
file must keep opening), and nothing here is counted as "missing". Each check names the field it is
shown beside (`path`, as `labels.field_label` reads it), says what to check in words, and carries a
severity: "error" = impossible as entered (dates out of order), "warning" = possible but unusual.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal, Optional

from desktop_app.case.labels import field_label
from desktop_app.case.models import LAB_UNITS, Case

Severity = Literal["error", "warning"]
HEADING = "Check these entries"  # as the pane and the note list them

# Plausibility limits (warnings only). Why these: the model's own limits (30–45 °C) are what a
# thermometer can report; outside 34–42 °C a child is in a life-threatening state that a bone-pain
# consult would not record in passing, so such a value is far more often a typo or a °F reading
# (e.g. "104" meant as °F). Kept to single-field extremes; weight and height for age are not
# judged here (growth charts are not part of this app).
TEMPERATURE_HIGH_C = 42.0
TEMPERATURE_LOW_C = 34.0
# More flares than this is a counting slip far more often than a real history.
EPISODES_HIGH = 50


@dataclass(frozen=True)
class EntryCheck:
    path: str  # the field to show it beside, e.g. "patient.date_of_birth"
    message: str  # in words, for the user
    severity: Severity


def _after(a: Optional[dt.date], b: Optional[dt.date]) -> bool:
    return a is not None and b is not None and a > b


def entry_checks(case: Case) -> list[EntryCheck]:
    """Every check that applies to `case`, in form order (patient, encounter, symptoms, lists)."""
    out: list[EntryCheck] = []
    p, e, s = case.patient, case.encounter, case.symptoms
    dob, seen = p.date_of_birth, e.date

    if _after(dob, seen):
        out.append(EntryCheck("patient.date_of_birth",
                              "Date of birth is after the encounter date: check both dates.", "error"))
    if _after(seen, e.next_review_date):
        out.append(EntryCheck("encounter.next_review_date",
                              "Next review is before the encounter date.", "error"))
    if _after(s.first_symptom_date, seen):
        out.append(EntryCheck("symptoms.first_symptom_date",
                              "First symptoms are after the encounter date.", "error"))
    if _after(dob, s.first_symptom_date):
        out.append(EntryCheck("symptoms.first_symptom_date",
                              "First symptoms are before the date of birth.", "error"))
    if s.onset_age_years is not None and p.age_years is not None and dob is None \
            and s.onset_age_years > p.age_years:
        out.append(EntryCheck("symptoms.onset_age_years",
                              "Age at onset is above the patient's age.", "error"))
    t = s.max_temperature_c
    if t is not None and t >= TEMPERATURE_HIGH_C:
        out.append(EntryCheck("symptoms.max_temperature_c",
                              f"{t:g} °C is rarely real: check the value (was it °F?).", "warning"))
    elif t is not None and t < TEMPERATURE_LOW_C:
        out.append(EntryCheck("symptoms.max_temperature_c",
                              f"{t:g} °C is rarely real as a highest temperature: check the value.", "warning"))
    if s.episodes is not None and s.episodes > EPISODES_HIGH:
        out.append(EntryCheck("symptoms.episodes", f"{s.episodes} episodes is unusual: check the count.",
                              "warning"))
    for i, t in enumerate(case.treatments):
        if _after(t.start_date, t.end_date):
            out.append(EntryCheck(f"treatments[{i}].end_date", "The course ends before it starts.", "error"))
    for i, b in enumerate(case.biopsies):
        if _after(dob, b.date):
            out.append(EntryCheck(f"biopsies[{i}].date", "Biopsy date is before the date of birth.", "error"))
    for i, v in enumerate(case.visits):  # v4 (case-format.md, `visits`)
        if _after(seen, v.date):
            out.append(EntryCheck(f"visits[{i}].date", "This visit is before the first consultation: check the date.",
                                  "error"))
        if v.lesion_status and v.mri_date is None:
            out.append(EntryCheck(f"visits[{i}].mri_date", "Lesion statuses are recorded but no MRI date: "
                                  "the MRI is taken as done on the visit's date.", "warning"))
    out += lab_date_checks(case)
    return out


def lab_date_checks(case: Case, today: Optional[dt.date] = None) -> list[EntryCheck]:
    """A lab result dated after the encounter, in the future, or before birth (issue 17): shown
    beside the lab row. `today` is a parameter so the function stays pure and testable."""
    today = today or dt.date.today()
    seen, dob = case.encounter.date, case.patient.date_of_birth
    out: list[EntryCheck] = []
    for analyte in LAB_UNITS:
        lab = getattr(case.labs, analyte)
        when = lab.date if lab is not None else None
        if when is None:
            continue
        name, path = field_label(f"labs.{analyte}"), f"labs.{analyte}"
        if when > today:
            out.append(EntryCheck(path, f"{name}: the date {when.isoformat()} is in the future.", "error"))
        elif _after(when, seen):
            out.append(EntryCheck(path, f"{name}: dated after the encounter ({seen.isoformat()}): check the date.",
                                  "error"))
        if _after(dob, when):
            out.append(EntryCheck(path, f"{name}: dated before the date of birth.", "error"))
    return out


def checks_by_path(case: Case) -> dict[str, list[EntryCheck]]:
    """The checks grouped by the field they are shown beside (several can share one field)."""
    out: dict[str, list[EntryCheck]] = {}
    for check in entry_checks(case):
        out.setdefault(check.path, []).append(check)
    return out
