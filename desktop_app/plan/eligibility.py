"""CARRA consensus-treatment-plan eligibility (Zhao 2018, Table 1; clinical-rules.md §8, step 3).

A tri-state checklist shown beside step 3: each item says met / not met / unknown, the evidence
from the case and, when unknown, the fields that would decide it. Pure: reads the case and the
derived facts, never raises on missing data. Kleene logic as in clinical-rules.md.
"""
from __future__ import annotations

from typing import Optional

from desktop_app.case import labels
from desktop_app.case.models import Case
from desktop_app.case.reference_ranges import age_years
from desktop_app.criteria.types import Assessment
from desktop_app.course.points import OEDEMA_STATUSES
from desktop_app.plan.now import Now, now_of
from desktop_app.plan.nsaid_courses import joined_nsaid_courses
from desktop_app.plan.types import EligibilityItem

MRI_MODALITIES = {"mri", "whole_body_mri"}
WHOLE_BODY = {"whole_body_mri", "bone_scan"}
SPINAL_LEVELS = ("C", "T", "L")  # cervical, thoracic, lumbar
LONG_BONES = {"humerus", "radius", "ulna", "femur", "tibia", "fibula"}
MRI_WINDOW_DAYS = 84  # 12 weeks
MRI_OEDEMA_LABEL = "Bone oedema on STIR or T2 fat-saturated MRI within 12 weeks"
NSAID_TRIAL_DAYS = 28  # 4 weeks
MALIGNANT_HISTOLOGY = {"malignancy", "langerhans_cell_histiocytosis"}
INFECTIVE_HISTOLOGY = {"acute_osteomyelitis", "granulomatous"}

ACTIVE_DISEASE = ("\"Active disease\" (Zhao 2018) = persistent pain with focal tenderness and/or "
                  "warmth, and/or persistent bone oedema on MRI in at least one lesion.")

Tri = Optional[bool]  # True met, False not met, None unknown


def _and(*vals: Tri) -> Tri:
    if any(v is False for v in vals):
        return False
    return None if any(v is None for v in vals) else True


def _or(*vals: Tri) -> Tri:
    if any(v is True for v in vals):
        return True
    return None if any(v is None for v in vals) else False


def _item(id: str, label: str, value: Tri, evidence: str, missing: list[str] | None = None) -> EligibilityItem:
    status = {True: "met", False: "not_met", None: "unknown"}[value]
    return EligibilityItem(id=id, label=label, status=status, evidence=evidence,
                           missing=(missing or []) if value is None else [])


def _lesion_name(lesion) -> str:
    parts = [lesion.side if lesion.side and lesion.side != "midline" else "", lesion.bone.replace("_", " "),
             lesion.level or ""]
    return " ".join(p for p in parts if p)


def _at_visit(now: Now) -> str:
    return f"the visit of {now.date.isoformat()}" if now.date else "the latest visit"


def _age(case: Case, now: Now) -> EligibilityItem:
    # The exact age, not the 1-decimal display value: 21 y + 14 days rounds to 21.0 but is over 21.
    # At follow-up, the age at the reference date (§13.1).
    age = now.age if now.follow_up else age_years(case)
    label = f"Age at {_at_visit(now)} ≤ 21 years" if now.follow_up else "Age at the encounter ≤ 21 years"
    if age is None:
        return _item("age", label, None, "age not recorded",
                     ["patient.date_of_birth", "encounter.date", "patient.age_years"])
    ev = f"age {age:.1f} years"
    if age > 21 and round(age, 1) <= 21:
        ev += " (past the 21st birthday)"
    return _item("age", label, age <= 21, ev)


def _visit_mri_oedema(case: Case, now: Now) -> EligibilityItem:
    """§13.1: the latest MRI is a visit's: oedema = a lesion whose status there is not `resolved`."""
    label = MRI_OEDEMA_LABEL
    visit, days = now.mri.visit, (now.date - now.mri.date).days
    names = {les.id: _lesion_name(les) for les in case.imaging.lesions}
    with_oedema = [names.get(i, i) for i, st in visit.lesion_status.items() if st in OEDEMA_STATUSES]
    oedema: Tri = True if with_oedema else (False if visit.lesion_status else None)
    ev = [f"oedema on the MRI of {now.mri.date.isoformat()}: {', '.join(with_oedema)}" if with_oedema else
          (f"every lesion resolved on the MRI of {now.mri.date.isoformat()}" if oedema is False else
           f"lesion status on the MRI of {now.mri.date.isoformat()} not recorded"),
          f"latest MRI {days} days before {_at_visit(now)}"]
    return _item("mri_oedema", label, _and(oedema, 0 <= days <= MRI_WINDOW_DAYS), "; ".join(ev),
                 ["visits.lesion_status"])


def _mri_oedema(case: Case, now: Now) -> EligibilityItem:
    if now.follow_up and now.mri is not None and now.mri.visit is not None:
        return _visit_mri_oedema(case, now)
    label = MRI_OEDEMA_LABEL
    lesions = case.imaging.lesions
    on_mri = [l for l in lesions if MRI_MODALITIES & set(l.modalities)]
    with_oedema = [l for l in on_mri if l.marrow_edema]
    if with_oedema:
        oedema: Tri = True
    elif not lesions or any(not l.modalities for l in lesions) or any(l.marrow_edema is None for l in on_mri):
        oedema = None
    else:
        oedema = False
    # At follow-up the first consultation's MRI is measured to the reference date (§13.1).
    mri, enc = case.imaging.last_mri_date, now.date if now.follow_up else case.encounter.date
    days = (enc - mri).days if mri and enc else None
    recent: Tri = None if days is None else 0 <= days <= MRI_WINDOW_DAYS
    ev = []
    ev.append(f"oedema on MRI: {', '.join(_lesion_name(l) for l in with_oedema)}" if with_oedema
              else ("no lesion with oedema on MRI recorded" if oedema is False else "oedema on MRI not recorded"))
    before = _at_visit(now) if now.follow_up else "the encounter"
    ev.append(f"last MRI {days} days before {before}" if days is not None else "last MRI date not recorded")
    missing = []
    if oedema is None:
        missing.append("imaging.lesions")
    if recent is None:
        missing += ["imaging.last_mri_date"] + ([] if enc else ["encounter.date"])
    return _item("mri_oedema", label, _and(oedema, recent), "; ".join(ev), missing)


def _whole_body(case: Case) -> EligibilityItem:
    label = "Whole-body imaging done (whole-body MRI or bone scan)"
    survey = case.imaging.whole_body_survey
    seen = {m for l in case.imaging.lesions for m in l.modalities} & WHOLE_BODY
    if survey in WHOLE_BODY or seen:
        done = survey if survey in WHOLE_BODY else sorted(seen)[0]
        return _item("whole_body", label, True, f"{labels.value_label('modality', done)} recorded")
    if survey is None:
        return _item("whole_body", label, None, "whole-body survey not recorded", ["imaging.whole_body_survey"])
    return _item("whole_body", label, False, f"whole-body survey: {labels.value_label('whole_body_survey', survey)} "
                                             "(the CTP asks for whole-body MRI or bone scan)")


def _course_days(case: Case, t, now: Now) -> Optional[int]:
    if t.end_date is None and t.stop_reason is not None:
        return None  # stopped without an end date (an entry check, §13.7 item 6): its length is unknown
    end = t.end_date or now.date  # an open course runs to the encounter (at follow-up: the reference date)
    return (end - t.start_date).days if t.start_date and end else None


def _response(t, now: Now) -> Optional[str]:
    """§13.1, §13.7 item 5: a course stopped for inefficacy with no response recorded counts as `none`
    (a recorded response wins over the stop reason)."""
    if t.response is None and t.stop_reason == "inefficacy":
        return "none"
    return t.response


def _nsaid_courses(case: Case) -> list:
    """The NSAID courses, joined when at most 7 days apart (§13.7 item 5: wherever NSAID weeks are counted)."""
    return joined_nsaid_courses(case)


def _course_trial(case: Case, t, now: Now) -> tuple[Tri, Optional[int], Tri]:
    """One NSAID course: (≥ 28 days with response none/partial, its days, response none/partial)."""
    days = _course_days(case, t, now)
    response = _response(t, now)
    failed: Tri = None if response is None else response in ("none", "partial")
    long_enough: Tri = None if days is None else days >= NSAID_TRIAL_DAYS
    return _and(failed, long_enough), days, failed


def _nsaid_failure(case: Case, now: Now) -> tuple[Tri, str]:
    """An NSAID course of ≥ 4 weeks with response none or partial."""
    courses = _nsaid_courses(case)
    if not courses:
        return None, "no NSAID course recorded"
    values: list[Tri] = []
    ev = []
    for t in courses:
        value, days, _failed = _course_trial(case, t, now)
        values.append(value)
        ev.append(f"{t.drug or 'NSAID'}: {'duration unknown' if days is None else f'{days} days'}, "
                  f"response {_response(t, now) or 'not recorded'}")
    result = _or(*values)
    if now.follow_up and result is not False:
        active, words = latest_active(now)
        ev.append(words)
        result = _and(result, active)
    return result, "; ".join(ev)


def latest_active(now: Now) -> tuple[Tri, str]:
    """§13.1 trigger (i) at follow-up: the latest point's activity must be `active` (CARRA: "active disease
    after failing at least 4 weeks of NSAIDs"). Unknown activity cannot show it (conservative: not met)."""
    if now.activity == "active":
        return True, f"active disease at {_at_visit(now)}"
    if now.activity == "no_sign":
        return False, f"no sign of active disease recorded at {_at_visit(now)}"
    return None, f"activity at {_at_visit(now)} unknown (record the examination's active lesion count or an MRI)"


def spinal_active_now(lesion, now: Now) -> Tri:
    """Trigger (ii) reads the latest MRI (§13.1): at a visit, oedema = the lesion's status there is not
    `resolved` (no status there: unknown); at the first consultation, as spinal_lesion_active."""
    if not (now.follow_up and now.mri is not None and now.mri.visit is not None) or lesion.bone != "vertebra":
        return spinal_lesion_active(lesion)
    spinal: Tri = None if not lesion.level else lesion.level.upper().startswith(SPINAL_LEVELS)
    status = now.mri.visit.lesion_status.get(lesion.id)
    return _and(spinal, None if status is None else status in OEDEMA_STATUSES)


def spinal_lesion_active(lesion) -> Tri:
    """A vertebral lesion at a cervical, thoracic or lumbar level with marrow oedema (Zhao 2018)."""
    if lesion.bone != "vertebra":
        return False
    spinal: Tri = None if not lesion.level else lesion.level.upper().startswith(SPINAL_LEVELS)
    return _and(spinal, lesion.marrow_edema)


def _active_spine(case: Case, now: Now) -> tuple[Tri, str]:
    """A cervical, thoracic or lumbar vertebral lesion with marrow oedema."""
    lesions = case.imaging.lesions
    if not lesions:
        return None, "no lesions recorded"
    values: list[Tri] = []
    ev = []
    for l in (l for l in lesions if l.bone == "vertebra"):
        values.append(spinal_active_now(l, now))
        ev.append(f"vertebra {l.level or '(level not recorded)'}: oedema "
                  f"{ {True: 'yes', False: 'no', None: 'not recorded'}[l.marrow_edema] }")
    if not values:
        return False, "no vertebral lesion"
    return _or(*values), "; ".join(ev)


def _active(case: Case, now: Now) -> EligibilityItem:
    label = ("Active disease after ≥ 4 weeks of NSAIDs and/or an active spinal lesion "
             "(regardless of NSAID trial)")
    nsaid, nsaid_ev = _nsaid_failure(case, now)
    spine, spine_ev = _active_spine(case, now)
    missing = []
    if nsaid is None:
        missing.append("treatments")
    if spine is None:
        missing.append("imaging.lesions")
    return _item("active_disease", label, _or(nsaid, spine), f"{nsaid_ev}; {spine_ev}", missing)


def _typical_distribution(case: Case) -> tuple[Tri, str]:
    lesions = case.imaging.lesions
    if any(l.bone == "clavicle" for l in lesions):
        return True, "clavicle lesion"
    if not lesions:
        return None, "no lesions recorded"
    unsure = False
    for bone in LONG_BONES:
        sides: dict[str, Tri] = {}
        for l in (l for l in lesions if l.bone == bone and l.side in ("left", "right")):
            at_end: Tri = None if l.segment is None else l.segment in ("metaphysis", "epiphysis")
            sides[l.side] = _or(sides.get(l.side, False), at_end)
        both = _and(sides.get("left", False), sides.get("right", False))
        if both:
            return True, f"symmetric {bone} lesions at metaphysis/epiphysis"
        unsure = unsure or both is None
    return (None, "segment not recorded for paired long-bone lesions") if unsure else \
        (False, "not the typical distribution (no clavicle, no symmetric metaphyseal/epiphyseal long-bone lesions)")


def _biopsy_excludes(case: Case) -> tuple[Tri, str, list[str]]:
    """A biopsy without infection or malignancy (§8.3 v3): histology chronic inflammation and a culture
    that is not positive. A negative culture on antibiotics (or not known to be off them) does not exclude
    infection (§6 culture_on_antibiotics), so such a biopsy leaves the item unknown (conservative)."""
    benign = [(i, b) for i, b in enumerate(case.biopsies)
              if b.histology == "chronic_inflammation" and b.culture != "positive"]
    if any(b.culture != "negative" or b.on_antibiotics_at_biopsy is False for _, b in benign):
        return True, "biopsy without infection or malignancy (chronic inflammation, culture not positive)", []
    on_abx = [i for i, b in benign if b.on_antibiotics_at_biopsy]
    unknown = [i for i, b in benign if b.on_antibiotics_at_biopsy is None]
    if unknown:
        return None, ("negative culture with antibiotics at biopsy not recorded: it does not exclude "
                      "infection if taken on antibiotics"), [f"biopsies[{i}].on_antibiotics_at_biopsy" for i in unknown]
    if on_abx:
        return None, "negative culture taken on antibiotics: does not exclude infection", ["biopsies"]
    # No qualifying biopsy: a required biopsy that is not recorded cannot be assumed (v3: not met).
    return False, "no biopsy with chronic inflammation and a culture that is not positive recorded", ["biopsies"]


def _biopsy(case: Case) -> EligibilityItem:
    label = ("Bone biopsy excluding infection or malignancy — unless typical distribution (clavicle, or "
             "symmetric long-bone metaphysis/epiphysis) or IBD, psoriasis or palmoplantar pustulosis")
    biopsy, biopsy_ev, biopsy_missing = _biopsy_excludes(case)
    typical, typical_ev = _typical_distribution(case)
    assoc = case.associated
    conditions = {"IBD": assoc.inflammatory_bowel_disease, "psoriasis": assoc.psoriasis,
                  "palmoplantar pustulosis": assoc.palmoplantar_pustulosis}
    present = [n for n, v in conditions.items() if v]
    disease: Tri = _or(*conditions.values())
    disease_ev = f"{', '.join(present)} recorded" if present else (
        "no IBD, psoriasis or palmoplantar pustulosis" if disease is False else "associated disease not recorded")
    missing = biopsy_missing
    if typical is None:
        missing.append("imaging.lesions")
    if disease is None:
        missing += [f"associated.{k}" for k, v in (("inflammatory_bowel_disease", assoc.inflammatory_bowel_disease),
                                                   ("psoriasis", assoc.psoriasis),
                                                   ("palmoplantar_pustulosis", assoc.palmoplantar_pustulosis))
                    if v is None]
    return _item("biopsy_or_typical", label, _or(biopsy, typical, disease),
                 f"{biopsy_ev}; {typical_ev}; {disease_ev}", missing)


def _no_malignancy(case: Case) -> EligibilityItem:
    label = "No history of or current malignancy"
    histo = [b.histology for b in case.biopsies if b.histology in MALIGNANT_HISTOLOGY]
    if case.mimics.malignancy or histo:
        ev = "malignancy recorded" if case.mimics.malignancy else f"histology: {histo[0].replace('_', ' ')}"
        return _item("no_malignancy", label, False, f"{ev}: not eligible")
    if case.mimics.malignancy is False:
        return _item("no_malignancy", label, True, "malignancy excluded")
    return _item("no_malignancy", label, None, "malignancy not assessed", ["mimics.malignancy"])


def _no_infection(case: Case) -> EligibilityItem:
    label = "No current infectious osteomyelitis"
    positive = case.labs.blood_culture == "positive" or any(b.culture == "positive" for b in case.biopsies)
    histo = [b.histology for b in case.biopsies if b.histology in INFECTIVE_HISTOLOGY]
    if case.mimics.infection or positive or histo:
        ev = ("infection recorded" if case.mimics.infection else "positive culture" if positive
              else f"histology: {histo[0].replace('_', ' ')}")
        return _item("no_infection", label, False, f"{ev}: not eligible")
    if case.mimics.infection is False:
        return _item("no_infection", label, True, "infection excluded")
    return _item("no_infection", label, None, "infection not assessed", ["mimics.infection"])


def ctp_eligibility(case: Case, assessment: Assessment, now: Optional[Now] = None) -> list[EligibilityItem]:
    now = now or now_of(case)
    return [_age(case, now), _mri_oedema(case, now), _whole_body(case), _active(case, now), _biopsy(case),
            _no_malignancy(case), _no_infection(case)]


def nsaid_trial(case: Case, now: Optional[Now] = None) -> tuple[Tri, list[str]]:
    """§8.3 (i): an NSAID course of ≥ 28 days (start to end, or to the encounter while ongoing) with
    response none or partial. Returns the tri-state and, when it is not met, why, in words (a course
    without dates cannot show 28 days: the words ask for them)."""
    now = now or now_of(case)
    courses = _nsaid_courses(case)
    if not courses:
        return False, ["no NSAID course recorded"]
    values: list[Tri] = []
    why: list[str] = []
    for t in courses:
        name = t.drug or "NSAID"
        value, days, failed = _course_trial(case, t, now)
        values.append(value)
        if days is None:
            need = "start date" if not t.start_date else "end date (or the encounter date, if ongoing)"
            why.append(f"the {name} course has no {need}, so 28 days cannot be shown: enter the course's "
                       "start and end dates")
        elif days < NSAID_TRIAL_DAYS:
            why.append(f"the {name} course lasted {days} days (at least {NSAID_TRIAL_DAYS} are needed)")
        if failed is None:
            why.append(f"the response to {name} is not recorded")
        elif not failed:
            why.append(f"the response to {name} is recorded as complete")
    result = _or(*values)
    if now.follow_up and result:
        active, words = latest_active(now)
        result = _and(result, active)
        if not active:
            why.append(words)
    return result, ([] if result else why)
