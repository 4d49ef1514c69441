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
        known.append(f"no bone oedema in the lesions assessed on MRI")
        decide.append(f"the status of {_plural(not_assessed, 'lesion', 'lesions')} not assessed on that MRI")
    else:
        known.append("no bone oedema on MRI")
    would = " and ".join(decide) + " would decide"
    return "unknown", "activity unknown: " + "; ".join(known + [would])


def _first_point(case: Case, new_at: dict[str, Visit]) -> Point:
    # Lesions seen at the first consultation are those `new` at no visit.
    first: list[Lesion] = [les for les in case.imaging.lesions if les.id not in new_at]
    on_mri = [les for les in first if any(m in MRI_MODALITIES for m in les.modalities)]
    mri_active = sum(1 for les in on_mri if les.marrow_edema) if on_mri else None
    return _point(None, case.encounter.date, case.measures, case.labs, mri_active, 0, 0, case)


def _visit_point(case: Case, visit: Visit, earlier: list[Visit], new_at: dict[str, Visit]) -> Point:
    new_here = sum(1 for s in visit.lesion_status.values() if s == "new")
    if mri_date_of(visit) is None:
        return _point(visit.id, visit.date, visit.measures, visit.labs, None, None, new_here, case)
    active = sum(1 for s in visit.lesion_status.values() if s in OEDEMA_STATUSES)
    not_assessed = 0
    for les in case.imaging.lesions:
        seen_at = new_at.get(les.id)
        present_before = seen_at is None or any(v is seen_at for v in earlier)
        if not present_before or les.id in visit.lesion_status:
            continue
        last = next((v.lesion_status[les.id] for v in reversed(earlier) if les.id in v.lesion_status), None)
        if last != "resolved":
            not_assessed += 1
    return _point(visit.id, visit.date, visit.measures, visit.labs, active, not_assessed, new_here, case)


def _point(visit_id: Optional[str], when: Optional[dt.date], measures: Measures, labs: Labs,
           mri_active: Optional[int], not_assessed: Optional[int], new: int, case: Case) -> Point:
    m = _measures(measures)
    activity, reason = _activity(m["clinically_active_lesions"], mri_active, not_assessed)
    current = [CurrentTreatment(drug=drug_key(t.drug), drug_class=t.drug_class, since=t.start_date,
                                weeks=weeks_on(t, when))
               for t in current_treatments(case, when)]
    return Point(visit=visit_id, date=when, measures=m, crp_mg_l=_crp(labs), esr_mm_h=_esr(labs),
                 mri_active_lesions=mri_active, lesions_not_assessed=not_assessed, new_lesions=new,
                 activity=activity, activity_reason=reason, current_treatments=current)


def change(before: Optional[float], after: Optional[float]) -> Optional[Change]:
    """From, to, difference (three decimals) and percent (one decimal; None from 0). None if either is missing."""
    if before is None or after is None:
        return None
    percent = None if before == 0 else round_half_away((after - before) / before * 100, 1)
    return Change(from_=before, to=after, difference=round_half_away(after - before, 3), percent=percent)


def _changes(base: Point, p: Point) -> dict[str, Optional[Change]]:
    return {k: change(base.value(k), p.value(k)) for k in CHANGE_KEYS}


def course_points(case: Case) -> list[Point]:
    """The first consultation, then every visit in order (§13.1), each with its changes."""
    new_at = first_seen_at_visit(case)
    order = ordered_visits(case)
    points = [_first_point(case, new_at)]
    points += [_visit_point(case, v, order[:i], new_at) for i, v in enumerate(order)]
    out = [points[0]]
    for prev, p in zip(points, points[1:]):
        out.append(p.model_copy(update={"change_from_first": _changes(points[0], p),
                                        "change_from_previous": _changes(prev, p)}))
    return out
