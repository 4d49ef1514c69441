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

from desktop_app.case.growth_checks import growth_checks
from desktop_app.case.labels import field_label
from desktop_app.case.models import LAB_UNITS, Case
from desktop_app.case.reference_ranges import age_at, age_years

Severity = Literal["error", "warning"]
HEADING = "Check these entries"  # as the pane and the note list them

# Plausibility limits (warnings only). Why these: the model's own limits (30–45 °C) are what a
# thermometer can report; outside 34–42 °C a child is in a life-threatening state that a bone-pain
# consult would not record in passing, so such a value is far more often a typo or a °F reading
# (e.g. "104" meant as °F). Height for age is not judged (growth charts are not part of this app);
# weight for age is, by the APLS estimate (§8 v3, below).
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


def entry_checks(case: Case, today: Optional[dt.date] = None) -> list[EntryCheck]:
    """Every check that applies to `case`, in form order (patient, encounter, symptoms, lists).
    `today`: the date a visit or a lab date must not pass (a parameter, so tests do not age)."""
    out: list[EntryCheck] = []
    p, e, s = case.patient, case.encounter, case.symptoms
    dob, seen = p.date_of_birth, e.date

    if _after(dob, seen):
        out.append(EntryCheck("patient.date_of_birth",
                              "Date of birth is after the encounter date: check both dates.", "error"))
    weight = weight_for_age(case)
    if weight is not None:
        out.append(weight)
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
    if t is not None and (t >= TEMPERATURE_HIGH_C or t < TEMPERATURE_LOW_C):
        out.append(EntryCheck("symptoms.max_temperature_c", temperature_words(t), "warning"))
    if s.episodes is not None and s.episodes > EPISODES_HIGH:
        out.append(EntryCheck("symptoms.episodes", f"{s.episodes} episodes is unusual: check the count.",
                              "warning"))
    for i, t in enumerate(case.treatments):
        if _after(t.start_date, t.end_date):
            out.append(EntryCheck(f"treatments[{i}].end_date", "The course ends before it starts.", "error"))
    for i, b in enumerate(case.biopsies):
        if _after(dob, b.date):
            out.append(EntryCheck(f"biopsies[{i}].date", "Biopsy date is before the date of birth.", "error"))
    out += visit_checks(case, today)
    out += lab_date_checks(case, today)
    return out


def visit_checks(case: Case, today: Optional[dt.date] = None) -> list[EntryCheck]:
    """A visit's own checks (issue 23), as the first consultation's: its dates against the visit, its
    weight for age (APLS), its temperature, and the growth checks of §13.3 v4 (growth_checks.py).
    The path names the visit (`visits[<i>]…`); the pane and the note say which visit beside the field."""
    today = today or dt.date.today()
    seen = case.encounter.date
    growth: dict[str, list[str]] = {}
    for check in growth_checks(case):
        growth.setdefault(check.path, []).append(check.message)
    out: list[EntryCheck] = []
    for i, v in enumerate(case.visits):  # v4 (case-format.md, `visits`)
        at = f"visits[{i}]"
        def add(field: str, message: str, severity: Severity) -> None:  # the pane and the note name the visit
            out.append(EntryCheck(f"{at}.{field}", message[:1].upper() + message[1:], severity))

        if _after(seen, v.date):
            add("date", "this visit is before the first consultation: check the date.", "error")
        if v.date > today:
            add("date", f"this visit is in the future (today is {today.isoformat()}): check the date.", "error")
        if _after(v.date, v.next_review_date):
            add("next_review_date", "the next review is before this visit.", "error")
        if _after(v.mri_date, v.date):
            add("mri_date", "the MRI is after this visit: check the date.", "error")
        if v.lesion_status and v.mri_date is None:
            add("mri_date", "lesion statuses are recorded but no MRI date: the MRI is taken as done on the "
                "visit's date.", "warning")
        if _after(v.max_temperature_date, v.date):
            add("max_temperature_date", "the temperature is dated after this visit.", "error")
        for analyte in LAB_UNITS:
            lab = getattr(v.labs, analyte)
            if lab is not None and _after(lab.date, v.date):
                add(f"labs.{analyte}", f"{field_label(f'labs.{analyte}')} is dated after this visit "
                    f"({lab.date.isoformat()}): check the date.", "error")
        words = weight_for_age_words(v.weight_kg, age_at(case, v.date))
        if words:
            add("weight_kg", words + ".", "warning")
        for field in ("weight_kg", "height_cm"):
            for message in growth.get(f"{at}.{field}", []):
                add(field, message + ".", "warning")
        t = v.max_temperature_c
        if t is not None and (t >= TEMPERATURE_HIGH_C or t < TEMPERATURE_LOW_C):
            add("max_temperature_c", temperature_words(t), "warning")
    # The first consultation's own growth checks (a height below a later visit's is the later one's).
    for path in ("patient.weight_kg", "patient.height_cm"):
        for message in growth.get(path, []):
            out.append(EntryCheck(path, message + ".", "warning"))
    return out


def temperature_words(t: float) -> str:
    """The temperature check's sentence (the first consultation's and a visit's)."""
    if t >= TEMPERATURE_HIGH_C:
        return f"{t:g} °C is rarely real: check the value (was it °F?)."
    return f"{t:g} °C is rarely real as a highest temperature: check the value."


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


def joined(items: list[str]) -> str:
    """Several checks as one sentence run (the notes' page 1): "a; b." — not "a.; b." (some end with a stop)."""
    return "; ".join(i.rstrip(".") for i in items) + "." if items else ""


def checks_by_path(case: Case) -> dict[str, list[EntryCheck]]:
    """The checks grouped by the field they are shown beside (several can share one field)."""
    out: dict[str, list[EntryCheck]] = {}
    for check in entry_checks(case):
        out.setdefault(check.path, []).append(check)
    return out


# §8 (v3) weight for age: the APLS estimate (Advanced Paediatric Life Support, 5th edition), from birth
# to 12 completed years; a weight below half or above double it is an entry check. It prompts, it does
# not decide: amounts are still computed, and each carries the check until the weight changes.
WEIGHT_FOR_AGE_MAX_YEARS = 12


def apls_weight_kg(age_years: float) -> Optional[float]:
    """The APLS estimate for this age, or None from 13 years on (and for a negative age)."""
    if age_years < 0:
        return None
    years = int(age_years + 1e-9)  # completed years
    if years < 1:
        return 0.5 * int(age_years * 12 + 1e-9) + 4  # completed months
    if years <= 5:
        return 2 * years + 8
    if years <= WEIGHT_FOR_AGE_MAX_YEARS:
        return 3 * years + 7
    return None


def _age_words(age_years: float) -> str:
    years = int(age_years + 1e-9)
    if years < 1:
        months = int(age_years * 12 + 1e-9)
        return f"{months} month" + ("" if months == 1 else "s")
    return f"{years} year" + ("" if years == 1 else "s")


def weight_for_age(case: Case) -> Optional[EntryCheck]:
    """"30 kg is unusual for 3 years (APLS estimate 14 kg): check the weight", or None."""
    message = weight_for_age_words(case.patient.weight_kg, age_years(case))
    return EntryCheck("patient.weight_kg", message, "warning") if message else None


def weight_for_age_words(weight: Optional[float], age: Optional[float]) -> str:
    """The weight-for-age check's sentence for any weight and age (a visit's weight at its age), or ""."""
    if weight is None or age is None:
        return ""
    estimate = apls_weight_kg(age)
    if estimate is None or estimate / 2 <= weight <= estimate * 2:
        return ""
    return f"{weight:g} kg is unusual for {_age_words(age)} (APLS estimate {estimate:g} kg): check the weight"
