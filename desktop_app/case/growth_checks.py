"""Growth entry checks over the course (clinical-rules.md §13.3 v4): shown, never refused.

- a weight that differs by more than 20 % from the previous recorded weight within 90 days;
- a height more than 1 cm below an earlier one.

Written once here, pure (no Qt): the window shows each under its field and in the pane, and the plan
and the note read the same words beside the amounts computed from that weight. The first
consultation's weight and height are dated `encounter.date`; each visit's its own date.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from desktop_app.case.models import Case
from desktop_app.case.visits import ordered_visits

# §13.3 v4 thresholds (product rule of the rules document; see the module docstring).
WEIGHT_CHANGE_FRACTION = 0.20
WEIGHT_WINDOW_DAYS = 90
HEIGHT_DROP_CM = 1.0


@dataclass(frozen=True)
class GrowthCheck:
    date: Optional[dt.date]  # the point's date (None: a first consultation without a date)
    visit_id: Optional[str]  # None: the first consultation
    path: str  # the field it is shown beside: "patient.weight_kg" or "visits[<i>].height_cm"
    message: str


@dataclass(frozen=True)
class _Point:
    date: Optional[dt.date]
    visit_id: Optional[str]
    prefix: str  # "patient" or "visits[<i>]"
    weight_kg: Optional[float]
    height_cm: Optional[float]


def _points(case: Case) -> list[_Point]:
    """The first consultation and every visit by date; the first consultation first among equals and
    when it has no date (the visits are after it by definition)."""
    first = _Point(case.encounter.date, None, "patient", case.patient.weight_kg, case.patient.height_cm)
    visits = [_Point(v.date, v.id, f"visits[{i}]", v.weight_kg, v.height_cm) for i, v in enumerate(case.visits)]
    visits.sort(key=lambda p: p.date)  # stable: two visits on one date keep their file order
    if first.date is None:
        return [first, *visits]
    before = [p for p in visits if p.date < first.date]
    return [*before, first, *[p for p in visits if p.date >= first.date]]


def _when(p: _Point) -> str:
    return p.date.isoformat() if p.date else "the first consultation"


def growth_checks(case: Case) -> list[GrowthCheck]:
    """Every growth check of the course, in date order."""
    out: list[GrowthCheck] = []
    last_weight: Optional[_Point] = None
    tallest: Optional[_Point] = None
    for p in _points(case):
        if p.weight_kg is not None:
            prev = last_weight
            if prev is not None and prev.weight_kg and p.date and prev.date \
                    and 0 <= (p.date - prev.date).days <= WEIGHT_WINDOW_DAYS:
                change = (p.weight_kg - prev.weight_kg) / prev.weight_kg
                if abs(change) > WEIGHT_CHANGE_FRACTION:
                    days = (p.date - prev.date).days
                    out.append(GrowthCheck(p.date, p.visit_id, f"{p.prefix}.weight_kg",
                                           f"{p.weight_kg:g} kg differs by {abs(change) * 100:.0f} % from "
                                           f"{prev.weight_kg:g} kg on {_when(prev)} ({days} days before): "
                                           "check the weight"))
            last_weight = p
        if p.height_cm is not None:
            if tallest is not None and tallest.height_cm - p.height_cm > HEIGHT_DROP_CM:
                out.append(GrowthCheck(p.date, p.visit_id, f"{p.prefix}.height_cm",
                                       f"{p.height_cm:g} cm is {round(tallest.height_cm - p.height_cm, 1):g} cm below "
                                       f"{tallest.height_cm:g} cm on {_when(tallest)}: check the height"))
            if tallest is None or p.height_cm > tallest.height_cm:
                tallest = p
    return out


def weight_check_words(case: Case, visit_id: Optional[str]) -> str:
    """The weight check of one point (None: the first consultation), for the words beside an amount."""
    return _words(case, visit_id, ".weight_kg")


def height_check_words(case: Case, visit_id: Optional[str]) -> str:
    """The height check of one point (None: the first consultation), beside an amount per m²."""
    return _words(case, visit_id, ".height_cm")


def _words(case: Case, visit_id: Optional[str], field: str) -> str:
    return " ".join(c.message for c in growth_checks(case) if c.visit_id == visit_id and c.path.endswith(field))


def amount_check_words(case: Case) -> tuple[str, str]:
    """The checks of the weight and of the height the amounts are computed from (§13.1: the latest visit
    that recorded each, else the first consultation's, as course/timeline.latest_weight reads them), said
    beside every amount computed from them: (weight words, height words)."""
    visits = ordered_visits(case)
    weighed = [v.id for v in visits if v.weight_kg is not None]
    measured = [v.id for v in visits if v.height_cm is not None]
    return (weight_check_words(case, weighed[-1] if weighed else None),
            height_check_words(case, measured[-1] if measured else None))
