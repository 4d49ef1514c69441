"""The result types of `plan(case, assessment)`: the treatment, prognosis and follow-up sections.

Rendered by the Plan tab, the PDF note and the CLI; never recomputed by them.
"""
from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from desktop_app.case.labels import field_label

VERIFY_FORMULARY = "verify against your local formulary"


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DoseLine(_Result):
    drug: str
    per_kg: str  # as the source states it, e.g. "5–7.5 mg/kg twice daily"
    computed: Optional[str] = None  # e.g. "170–255 mg twice daily"; None without a weight
    maximum: str = ""  # e.g. "1 g/day" or "no maximum stated in the source: apply your local maximum"
    capped: bool = False  # True when the computed dose was limited to the maximum
    schedule: str = ""
    source: str = ""
    missing: list[str] = Field(default_factory=list)  # e.g. ["patient.weight_kg"]
    note: str = VERIFY_FORMULARY

    def computed_text(self) -> str:
        """The computed-dose cell as the Plan tab and the note both word it."""
        if self.computed:
            return self.computed
        if self.missing:
            return "not calculated: enter " + ", ".join(field_label(p).lower() for p in self.missing)
        return "no dose calculated: per local protocol"


class EligibilityItem(_Result):
    id: str
    label: str
    status: Literal["met", "not_met", "unknown"]
    evidence: str = ""
    missing: list[str] = Field(default_factory=list)


PlanDecision = Literal["proposed", "accepted", "edited", "removed"]


class PlanLine(_Result):
    id: str  # stable: the key of Case.plan_edits
    step: str  # e.g. "Exclude the mimic first", "First line", "Step 3: CARRA CTP", "Always"
    text: str  # the proposal as the app words it
    reason: str = ""  # why it is proposed for this case
    source: str = ""
    doses: list[DoseLine] = Field(default_factory=list)
    decision: PlanDecision = "proposed"
    edited_text: str = ""  # the clinician's wording when decision == "edited"


class PrognosisLine(_Result):
    text: str
    source: str = ""


class Plan(_Result):
    lines: list[PlanLine] = Field(default_factory=list)
    ctp_eligibility: list[EligibilityItem] = Field(default_factory=list)
    prognosis: list[PrognosisLine] = Field(default_factory=list)
    follow_up: list[PrognosisLine] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
