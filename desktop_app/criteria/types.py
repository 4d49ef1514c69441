"""The result types of `assess(case)`: one Assessment that the window, the PDF and the CLI render.

Tri-state items (met / not_met / unknown) with evidence and the inputs that would decide them;
criteria sets (met / not_met / indeterminate) with score ranges under missing data.
The JSON form is docs/assessment-output.md.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

ItemStatus = Literal["met", "not_met", "unknown"]
SetStatus = Literal["met", "not_met", "indeterminate"]
Kind = Literal["diagnostic", "classification", "score"]
# Rules v2 §6: urgent (act today, no CNO treatment) > exclude first (a mimic before CNO treatment)
# > caution (CNO possible, a step such as a biopsy first). Shown in this order.
Tier = Literal["urgent", "exclude_first", "caution"]
TIERS: tuple[str, ...] = ("urgent", "exclude_first", "caution")
# Rules v2 §8.0: what the assessment allows the plan and the note to say.
Mode = Literal["cno", "workup", "alternative_diagnosis"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class ItemResult(_Result):
    id: str
    label: str
    status: ItemStatus
    points: Optional[float] = None  # points this item is worth (scores only)
    evidence: str = ""  # one line built from the data, e.g. "CRP 42 mg/L ≥ 30 mg/L"
    missing: list[str] = Field(default_factory=list)  # field paths that would decide it


class CriteriaResult(_Result):
    id: str
    name: str
    kind: Kind
    source: str
    source_key: str = ""  # key into desktop_app.case.sources.SOURCES
    status: SetStatus
    points: Optional[float] = None
    points_min: Optional[float] = None
    points_max: Optional[float] = None
    threshold: Optional[float] = None
    threshold_label: str = ""  # e.g. "≥ 39: NBO likely (PPV 97 %, sensitivity 68 %)"
    items: list[ItemResult] = Field(default_factory=list)
    missing: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class RedFlag(_Result):
    id: str
    label: str
    evidence: str
    action: str
    source: str
    tier: Tier = "exclude_first"
    # What the flag points to: mimic names of Mimics ("malignancy", "infection", ...), "biopsy",
    # or for alternative_histology the histology value(s).
    points_to: list[str] = Field(default_factory=list)
    addressed: bool = False
    addressed_by: Optional[str] = None  # what the clinician recorded, in words


class Derived(_Result):
    age_years: Optional[float] = None
    onset_age_years: Optional[float] = None
    symptom_weeks: Optional[float] = None
    sites: int = 0
    bones: int = 0
    multifocal: Optional[bool] = None
    symmetric: Optional[bool] = None
    clavicle_only: Optional[bool] = None
    crp_mg_l: Optional[float] = None
    temperature_normal: Optional[bool] = None
    blood_count_normal: Optional[bool] = None
    typical_imaging: Optional[bool] = None
    adult: Optional[bool] = None  # age ≥ 18 (§8.5)
    lesions_first_seen_at_follow_up: int = 0  # v4: lesions whose status is `new` at a visit (§13.1)
    notes: list[str] = Field(default_factory=list)  # e.g. "no whole-body survey: silent lesions may be missed"


class Assessment(_Result):
    derived: Derived
    criteria: dict[str, CriteriaResult]
    red_flags: list[RedFlag] = Field(default_factory=list)  # by tier, then as in §6
    next_steps: list[str] = Field(default_factory=list)  # the work-up list, in §6 order
    mode: Mode = "workup"  # §8.0
    # Why the treatment gate (§8.0) does not hold, in words; empty in mode "cno".
    gate_reasons: list[str] = Field(default_factory=list)
