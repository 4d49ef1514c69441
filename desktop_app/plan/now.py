"""What "now" means for the plan of a case with visits (clinical-rules.md §13.1, §13.4).

The plan reads the reference date (the latest visit's date): the age then, the NSAID courses measured
to it, the latest MRI, the latest weight and height with their dates, the treatments current then, the
latest point's activity and the follow-up alerts. Without visits, "now" is the first consultation and
nothing of §13 applies: `Now.follow_up` is False and the plan gives exactly the §8 results.
Pure: built once per plan from the case; never raises on incomplete data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from desktop_app.case.models import Case, Treatment, Visit
from desktop_app.case.reference_ranges import age_at, age_years
from desktop_app.case.visits import mimics_as_of, mri_date_of, ordered_visits
from desktop_app.course.alerts import follow_up_alerts
from desktop_app.course.points import latest_activity
from desktop_app.course.timeline import BodySize, current_treatments, drug_key, latest_weight
from desktop_app.course.types import Alert
from desktop_app.criteria.derived import ADULT_AGE

STALE_WEIGHT_DAYS = 90  # §13.1 product rule (conservative: children grow)
UNDER_TWO = 2.0  # years (§8.3 v4: etanercept and adalimumab are licensed from 2 years)


@dataclass(frozen=True)
class LatestMri:
    """The most recent MRI of the case: at a visit (`visit` set) or the first consultation's."""

    date: dt.date
    visit: Optional[Visit] = None


@dataclass(frozen=True)
class Now:
    follow_up: bool  # the case has visits: §13 applies
    date: Optional[dt.date]  # the reference date (the encounter date without visits)
    age: Optional[float]  # at the reference date
    size: BodySize  # the latest weight and height, each with its date
    mri: Optional[LatestMri] = None
    activity: Optional[str] = None  # the latest point's activity (§13.3); None without visits
    # Current at the reference date (§13.1; without visits, at the encounter: §13 v4's exception).
    current: list[Treatment] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)  # §13.4 alerts (drug alerts also without visits)
    malignancy_excluded: bool = False  # `mimics.malignancy` recorded as excluded as of now (§13.1 v4)

    @property
    def under_two(self) -> Optional[bool]:
        """§8.3 v4 (§13.7 item 17): None when the age is unknown (the rule is then not applied)."""
        return None if self.age is None else self.age < UNDER_TWO

    @property
    def on(self) -> dict[str, Treatment]:
        """The current treatments by lower-case generic name."""
        return {drug_key(t.drug): t for t in self.current}

    @property
    def holds(self) -> dict[str, Alert]:
        """Drug → the first alert that holds it (§13.7 item 28: urgent alerts list their holds too)."""
        held: dict[str, Alert] = {}
        for a in self.alerts:
            for drug in a.holds:
                held.setdefault(drug, a)
        return held

    @property
    def adult(self) -> Optional[bool]:
        return None if self.age is None else self.age >= ADULT_AGE

    @property
    def weight_days(self) -> Optional[int]:
        """Days from the weight's date to the reference date."""
        if self.size.weight_date is None or self.date is None:
            return None
        return (self.date - self.size.weight_date).days

    @property
    def weight_stale(self) -> bool:
        days = self.weight_days
        return self.follow_up and days is not None and days > STALE_WEIGHT_DAYS

    def stale_weight_words(self) -> str:
        """§13.1: said on every computed amount when the weight is more than 90 days old."""
        if not self.weight_stale:
            return ""
        return (f"weight from {self.size.weight_date.isoformat()}, {self.weight_days} days before this visit: "
                "re-weigh before prescribing")



def _latest_mri(case: Case, order: list[Visit]) -> Optional[LatestMri]:
    best: Optional[LatestMri] = None
    if case.imaging.last_mri_date is not None:
        best = LatestMri(case.imaging.last_mri_date)
    for v in order:
        when = mri_date_of(v)
        if when is not None and (best is None or when >= best.date):
            best = LatestMri(when, v)
    return best


def _current(case: Case, when: Optional[dt.date]) -> list[Treatment]:
    """Current at `when`; a course with a stop reason but no end date is not current (§13.7 item 6)."""
    return [t for t in current_treatments(case, when) if t.stop_reason is None or t.end_date is not None]


def now_of(case: Case) -> Now:
    order = ordered_visits(case)
    if not order:
        # §13 v4's exception: a treatment current at the encounter gets its current line and drug alerts.
        when = case.encounter.date
        mri = LatestMri(case.imaging.last_mri_date) if case.imaging.last_mri_date else None
        return Now(False, when, age_years(case), latest_weight(case), mri,
                   current=_current(case, when), alerts=follow_up_alerts(case, order),
                   malignancy_excluded=case.mimics.malignancy is False)
    when = order[-1].date  # the reference date (§13.1)
    return Now(True, when, age_at(case, when), latest_weight(case), _latest_mri(case, order),
               activity=latest_activity(case, order), current=_current(case, when),
               alerts=follow_up_alerts(case, order),
               malignancy_excluded=mimics_as_of(case, when).malignancy is False)
