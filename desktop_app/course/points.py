"""The course, point by point (clinical-rules.md §13.3): measures, CRP and ESR, MRI-active lesions,
activity in words, the change from the first consultation and from the previous point, and the
treatments current at each point."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case import units
from desktop_app.case.models import Case, Labs, Lesion, Measures, Visit
from desktop_app.case.visits import first_seen_at_visit, mri_date_of, ordered_visits
from desktop_app.course.timeline import current_treatments, drug_key, round_half_away, weeks_on
from desktop_app.course.types import CHANGE_KEYS, MEASURE_KEYS, Change, CurrentTreatment, Point

MRI_MODALITIES = ("mri", "whole_body_mri")
# A visit's status that means bone oedema persists (§13.3); "resolved" means none is left.
OEDEMA_STATUSES = frozenset({"new", "improved", "unchanged", "worse"})


def _measures(m: Measures) -> dict[str, Optional[float]]:
    return {k: getattr(m, k) for k in MEASURE_KEYS}


def _crp(labs: Labs) -> Optional[float]:
    return None if labs.crp is None else round_half_away(units.canonical("crp", labs.crp), 1)


def _esr(labs: Labs) -> Optional[float]:
    return None if labs.esr is None else units.canonical("esr", labs.esr)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _activity(clinical: Optional[float], mri_active: Optional[int], not_assessed: Optional[int]) -> tuple[str, str]:
    """CARRA CTP definition of active disease (Zhao 2018, Table 1); never "remission" (§13.3)."""
    reasons = []
    if clinical is not None and clinical >= 1:
        reasons.append(_plural(int(clinical), "clinically active lesion", "clinically active lesions"))
    if mri_active is not None and mri_active >= 1:
        reasons.append(_plural(mri_active, "lesion with bone oedema on MRI", "lesions with bone oedema on MRI"))
    if reasons:
        return "active", "; ".join(reasons)
    if clinical == 0 and mri_active == 0 and not_assessed == 0:
        return "no_sign", "no clinically active lesion recorded and no bone oedema on MRI"
    known, decide = [], []
    if clinical == 0:
        known.append("no clinically active lesion recorded")
    else:
        decide.append("the examination's count of clinically active lesions")
    if mri_active is None:
        decide.append("an MRI")
    elif not_assessed:
        known.append("no bone oedema in the lesions assessed on MRI")
        decide.append(f"the status of {_plural(not_assessed, 'lesion', 'lesions')} not assessed on that MRI")
    else:
        known.append("no bone oedema on MRI")
    would = " and ".join(decide) + " would decide"
    return "unknown", "activity unknown: " + "; ".join(known + [would])


def _first_fields(case: Case, new_at: dict[str, Visit]) -> dict:
    # Lesions seen at the first consultation are those `new` at no visit.
    first: list[Lesion] = [les for les in case.imaging.lesions if les.id not in new_at]
    on_mri = [les for les in first if any(m in MRI_MODALITIES for m in les.modalities)]
    mri_active = sum(1 for les in on_mri if les.marrow_edema) if on_mri else None
    own = {"weight_kg": case.patient.weight_kg, "height_cm": case.patient.height_cm,
           "max_temperature_c": case.symptoms.max_temperature_c}
    return _point_fields(None, case.encounter.date, case.measures, case.labs, mri_active, 0, 0, case, own)


def _visit_fields(case: Case, visit: Visit, known: set[str], last_status: dict[str, str]) -> dict:
    """`known`: the ids of the lesions seen before this visit (at the first consultation or `new` at an
    earlier visit); `last_status`: each lesion's status at the latest earlier visit that gave one. The
    point's fields, without its changes (the caller adds them and builds the Point once)."""
    new_here = sum(1 for s in visit.lesion_status.values() if s == "new")
    own = {"weight_kg": visit.weight_kg, "height_cm": visit.height_cm, "max_temperature_c": visit.max_temperature_c}
    if mri_date_of(visit) is None:
        return _point_fields(visit.id, visit.date, visit.measures, visit.labs, None, None, new_here, case, own)
    active = sum(1 for s in visit.lesion_status.values() if s in OEDEMA_STATUSES)
    not_assessed = sum(1 for les in case.imaging.lesions
                       if les.id in known and les.id not in visit.lesion_status
                       and last_status.get(les.id) != "resolved")
    return _point_fields(visit.id, visit.date, visit.measures, visit.labs, active, not_assessed, new_here, case, own)


def _point_fields(visit_id: Optional[str], when: Optional[dt.date], measures: Measures, labs: Labs,
                  mri_active: Optional[int], not_assessed: Optional[int], new: int, case: Case,
                  own: dict[str, Optional[float]]) -> dict:
    """A point's fields; `own`: the point's own weight, height and temperature (§13.3 v4)."""
    m = _measures(measures)
    activity, reason = _activity(m["clinically_active_lesions"], mri_active, not_assessed)
    current = [CurrentTreatment(drug=drug_key(t.drug), drug_class=t.drug_class, since=t.start_date,
                                weeks=weeks_on(t, when))
               for t in current_treatments(case, when)]
    return dict(visit=visit_id, date=when, measures=m, crp_mg_l=_crp(labs), esr_mm_h=_esr(labs),
                mri_active_lesions=mri_active, lesions_not_assessed=not_assessed, new_lesions=new,
                activity=activity, activity_reason=reason, current_treatments=current, **own)


def change(before: Optional[float], after: Optional[float]) -> Optional[Change]:
    """From, to, difference (three decimals) and percent (one decimal; None from 0). None if either is missing."""
    if before is None or after is None:
        return None
    percent = None if before == 0 else round_half_away((after - before) / before * 100, 1)
    return Change(from_=before, to=after, difference=round_half_away(after - before, 3), percent=percent)


_Values = dict[str, tuple[Optional[float], str]]  # change key → (value, repr(value))


class _Changes:
    """`change` for every key of two points, each distinct pair of values worked out once per course
    (a measure that stays the same, or comes back to where it was, repeats a pair). Keyed by repr, so
    2 and 2.0, or 0.0 and -0.0, never share an answer."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str], Optional[Change]] = {}

    def __call__(self, base: _Values, now: _Values) -> dict[str, Optional[Change]]:
        out = {}
        for k in CHANGE_KEYS:
            (before, before_repr), (after, after_repr) = base[k], now[k]
            key = (before_repr, after_repr)
            if key not in self._memo:
                self._memo[key] = change(before, after)
            out[k] = self._memo[key]
        return out


def not_comparable_words(new: int, not_assessed: int) -> Optional[str]:
    """"1 new, 2 not assessed", zero parts left out (§13.7 item 19); None when both are 0."""
    parts = [f"{n} {what}" for n, what in ((new, "new"), (not_assessed, "not assessed")) if n]
    return ", ".join(parts) or None


def _field_values(fields: dict) -> _Values:
    """Each change key's value (as `Point.value` gives it) with its repr, from a point's fields."""
    measures = fields["measures"]
    values = {k: measures.get(k) if k in MEASURE_KEYS else fields[k] for k in CHANGE_KEYS}
    return {k: (v, repr(v)) for k, v in values.items()}


def course_points(case: Case) -> list[Point]:
    """The first consultation, then every visit in order (§13.1), each with its changes."""
    new_at = first_seen_at_visit(case)
    fields = _first_fields(case, new_at)
    first = Point(**fields)
    points, first_values = [first], _field_values(fields)
    previous_values = first_values
    changes = _Changes()
    # One walk through the visits in order, carrying what the earlier visits said: the lesions known
    # (seen at the first consultation, or `new` at a visit walked) and each one's latest status.
    known = {les.id for les in case.imaging.lesions if les.id not in new_at}
    last_status: dict[str, str] = {}
    new_since_first = 0
    previous_not_assessed = first.lesions_not_assessed
    for v in ordered_visits(case):
        p = _visit_fields(case, v, known, last_status)  # its fields: the Point is built once, changes included
        values = _field_values(p)
        new_since_first += p["new_lesions"]
        from_first, from_previous = changes(first_values, values), changes(previous_values, values)
        words = None
        if p["mri_active_lesions"] is not None:
            # §13.7 item 19: like with like only — no new lesion between the points, none not assessed at either.
            words = not_comparable_words(p["new_lesions"], p["lesions_not_assessed"] or 0)
            if words or previous_not_assessed:
                from_previous = {**from_previous, "mri_active_lesions": None}
            if words or new_since_first:
                from_first = {**from_first, "mri_active_lesions": None}
                words = words or not_comparable_words(new_since_first, 0) + " since the first consultation"
        points.append(Point(**p, change_from_first=from_first, change_from_previous=from_previous,
                            mri_not_comparable=words))
        previous_values, previous_not_assessed = values, p["lesions_not_assessed"]
        known.update(les_id for les_id in v.lesion_status if new_at.get(les_id) is v)
        last_status.update(v.lesion_status)
    return points


def latest_activity(case: Case, order: Optional[list[Visit]] = None) -> Optional[str]:
    """The activity of the course's last point (§13.3), without building the whole course: what the plan
    reads at follow-up (§13.1 trigger (i)). None without visits. Same walk as course_points."""
    order = ordered_visits(case) if order is None else order
    if not order:
        return None
    new_at = first_seen_at_visit(case, order)
    known = {les.id for les in case.imaging.lesions if les.id not in new_at}
    last_status: dict[str, str] = {}
    for v in order[:-1]:
        known.update(les_id for les_id in v.lesion_status if new_at.get(les_id) is v)
        last_status.update(v.lesion_status)
    last = order[-1]
    clinical = last.measures.clinically_active_lesions
    if mri_date_of(last) is None:
        return _activity(clinical, None, None)[0]
    active = sum(1 for s in last.lesion_status.values() if s in OEDEMA_STATUSES)
    not_assessed = sum(1 for les in case.imaging.lesions
                       if les.id in known and les.id not in last.lesion_status
                       and last_status.get(les.id) != "resolved")
    return _activity(clinical, active, not_assessed)[0]
