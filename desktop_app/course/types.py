"""The result types of `course(case)`: one Course that the Visits tab, the chart, the follow-up note
and the CLI render (clinical-rules.md §13.3–§13.5; JSON form: assessment-output.md "Course output").
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

Activity = Literal["active", "no_sign", "unknown"]
AlertTier = Literal["urgent", "act"]
MonitoringStatus = Literal["up_to_date", "due", "overdue"]
# The keys of a point's changes, in the order the table and the JSON give them (§13.3).
MEASURE_KEYS: tuple[str, ...] = ("pain", "patient_global", "physician_global", "chaq", "clinically_active_lesions")
CHANGE_KEYS: tuple[str, ...] = MEASURE_KEYS + ("crp_mg_l", "esr_mm_h", "mri_active_lesions")


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class Change(_Result):
    from_: float = Field(alias="from")
    to: float
    difference: float  # three decimals; negative = better for every measure
    percent: Optional[float] = None  # one decimal; None when `from` is 0

    model_config = ConfigDict(frozen=True, populate_by_name=True)


class CurrentTreatment(_Result):
    drug: str  # lower-case generic name (drug_key)
    drug_class: Optional[str] = None
    since: dt.date
    weeks: float  # days since the start / 7, one decimal


class Point(_Result):
    visit: Optional[str] = None  # the visit's id; None for the first consultation
    date: Optional[dt.date] = None
    measures: dict[str, Optional[float]]
    crp_mg_l: Optional[float] = None
    esr_mm_h: Optional[float] = None
    mri_active_lesions: Optional[int] = None
    lesions_not_assessed: Optional[int] = None
    new_lesions: int = 0
    activity: Activity = "unknown"
    activity_reason: str = ""
    current_treatments: list[CurrentTreatment] = Field(default_factory=list)
    change_from_first: Optional[dict[str, Optional[Change]]] = None
    change_from_previous: Optional[dict[str, Optional[Change]]] = None

    def value(self, key: str) -> Optional[float]:
        """A measure, CRP, ESR or the MRI-active count of this point, by its change key."""
        return self.measures.get(key) if key in MEASURE_KEYS else getattr(self, key)


class Alert(_Result):
    id: str
    tier: AlertTier
    label: str
    evidence: str  # built from the data, naming the visit
    action: str
    source: str
    holds: list[str] = Field(default_factory=list)  # lower-case generic names (§13.4); empty when urgent
    needs_reexclusion: bool = False  # §13.4 v4: malignancy must be excluded again (holds prednisone and step 3)


class Monitoring(_Result):
    drug: str
    test: str
    status: MonitoringStatus
    last: Optional[dt.date] = None
    interval: str
    source: str


class Course(_Result):
    reference_date: Optional[dt.date] = None
    points: list[Point]
    alerts: list[Alert] = Field(default_factory=list)
    monitoring: list[Monitoring] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # lines shown once (no composite score; folic acid)
