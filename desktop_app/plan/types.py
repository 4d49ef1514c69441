"""The result types of `plan(case, assessment)`: the treatment, prognosis and follow-up sections.

Rendered by the Plan tab, the PDF note and the CLI; never recomputed by them.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

from desktop_app.case.labels import field_label

VERIFY_FORMULARY = "verify against your local formulary"
ADULT_DOSING = "adult dosing: per local protocol"  # §8.5: no paediatric weight-based amount for adults
AMOUNT_CHECK_LEAD = "Before giving this amount"  # the line of the weight's checks under an amount

# The "Plan output" contract's vocabularies (assessment-output.md).
Step = Literal["first_line", "glucocorticoid", "second_line", "supportive", "exclude_mimic"]
# "removed" is the clinician's decision, not the app's; "current" (§13.1): the patient is on it at the reference date.
LineStatus = Literal["proposed", "not_proposed", "current"]
Per = Literal["dose", "day", "week", "infusion", "year"]


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class DoseAmount(_Result):
    """The computed amount as numbers (the JSON `dose`): the range after capping, in mg per `per`."""
    low_mg: float
    high_mg: float
    per: Per
    max_mg: Optional[float] = None  # the stated maximum for this weight, in mg per `max_per`
    max_per: Optional[Per] = None
    capped: bool = False


class DoseLine(_Result):
    drug: str
    generic: str = ""  # lower-case generic name, e.g. "naproxen" (the JSON `drug`)
    per_kg: str  # as the source states it, e.g. "5–7.5 mg/kg twice daily"
    computed: Optional[str] = None  # e.g. "170–255 mg twice daily"; None without a weight
    maximum: str = ""  # e.g. "1 g/day" or "no maximum stated in the source: apply your local maximum"
    capped: bool = False  # True when the computed dose was limited to the maximum
    schedule: str = ""
    source: str = ""
    missing: list[str] = Field(default_factory=list)  # e.g. ["patient.weight_kg"]
    note: str = VERIFY_FORMULARY
    amount: Optional[DoseAmount] = None  # None whenever `computed` is None
    withheld: str = ""  # why no amount, in words, e.g. ADULT_DOSING (takes precedence over `missing`)
    before_starting: list[str] = Field(default_factory=list)  # §8.3 checks, in words
    before_starting_source: str = ""
    weight_check: str = ""  # §8 (v3): the weight-for-age entry check, on every computed amount

    def one_line(self) -> str:
        """The whole dose line in plain text, as the Plan tab and the CLI print it (the note has its table);
        the weight's checks follow on their own line (`check_line`)."""
        parts = [f"{self.drug}: {self.per_kg} → {self.amount_text()}"]
        parts += [p for p in (f"maximum: {self.maximum}" if self.maximum else "", self.schedule,
                              f"source: {self.source}" if self.source else "", self.note) if p]
        return " · ".join(parts)

    def computed_text(self) -> str:
        """The computed dose with the weight's entry checks beside it, as the Plan tab, the CLI and the
        JSON `dose_text` word it (the note prints the checks on their own row under the amount)."""
        check = self.amount_check()
        return f"{self.amount_text()} ({check})" if check else self.amount_text()

    def amount_check(self) -> str:
        """The entry checks of the weight a computed amount is for (§8 v3, §13.3 v4), or ""."""
        return self.weight_check if self.computed else ""

    def check_line(self) -> str:
        """The line under a computed amount, as the Plan tab, the CLI and the note print it, or ""."""
        return f"{AMOUNT_CHECK_LEAD}: {self.amount_check()}." if self.amount_check() else ""

    def amount_text(self) -> str:
        """The computed dose, or why there is none, without the checks."""
        if self.computed:
            return self.computed
        if self.withheld:
            return self.withheld
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


class DrugState(_Result):
    """One drug of a plan line whose state at follow-up differs from the line's (§13.1, §13.4): the drug
    the patient is on (`current`), or one held back (`not_proposed`) while the rest of the line stands."""

    generic: str  # lower-case generic name, e.g. "naproxen" (the JSON `drug`)
    status: Literal["current", "not_proposed"]
    reason: str  # e.g. "on naproxen since 2026-10-05 (27 weeks)", "not proposed while …"
    review: str = ""  # a current drug the app would hold back: "review now: …" (then no amount is shown)


class PlanLine(_Result):
    id: str  # stable: the key of Case.plan_edits
    step: str  # the heading as shown, e.g. "First line", "Step 3: CARRA consensus treatment plan"
    text: str  # the proposal as the app words it
    reason: str = ""  # why it is proposed for this case, or why it is not ("not proposed: …")
    kind: Step = "supportive"  # the contract's step
    status: LineStatus = "proposed"
    drugs: list[str] = Field(default_factory=list)  # lower-case generics named by the line (also when held back)
    source: str = ""
    doses: list[DoseLine] = Field(default_factory=list)
    decision: PlanDecision = "proposed"
    edited_text: str = ""  # the clinician's wording when decision == "edited"
    drug_states: list[DrugState] = Field(default_factory=list)  # follow-up only (§13.1, §13.4)

    def state_of(self, generic: str) -> Optional[DrugState]:
        return next((s for s in self.drug_states if s.generic == generic), None)

    @property
    def shown_text(self) -> str:
        return self.edited_text if self.decision == "edited" and self.edited_text else self.text

    @property
    def edited(self) -> bool:
        """The clinician reworded the line: their wording stands alone, without the app's doses."""
        return self.decision == "edited" and bool(self.edited_text) and self.edited_text != self.text

    @property
    def shown_doses(self) -> list[DoseLine]:
        """The doses every renderer prints: none under the clinician's own wording (it may change them)."""
        return [] if self.edited else list(self.doses)

    @property
    def shown_reason(self) -> str:
        """The reason as every renderer prints it: "Why: …" for a proposal; a held-back line's reason
        ("not proposed…") and a current line's ("On naproxen since …") read as they are."""
        if not self.reason:
            return ""
        return f"Why: {self.reason}" if self.status == "proposed" else self.reason[:1].upper() + self.reason[1:]

    @property
    def final_status(self) -> str:
        """The contract's status: the clinician's removal wins over the app's status."""
        return "removed" if self.decision == "removed" else self.status

    @property
    def status_words(self) -> str:
        """How every renderer names the line's state, e.g. "not proposed" or "proposed, edited by the clinician"."""
        base = {"not_proposed": "not proposed", "current": "current treatment"}.get(self.status, "proposed")
        # Accepting a line the app holds back is no decision: it must never read "accepted — not proposed".
        decision = "proposed" if self.decision == "accepted" and self.status != "proposed" else self.decision
        extra = {"accepted": "accepted by the clinician", "edited": "edited by the clinician",
                 "removed": "removed by the clinician"}.get(decision)
        return f"{base}, {extra}" if extra else base


class PrognosisLine(_Result):
    text: str
    source: str = ""


class CodeSuggestion(_Result):
    code: str
    label: str
    note: str = ""  # why, in words


class WeightUsed(_Result):
    """The weight and height the amounts were computed from, each with its date (§13.1; the JSON
    `weight_used`). `stale`: more than 90 days before the reference date (only for a case with visits)."""

    kg: float
    date: Optional[dt.date] = None
    days_before_reference: Optional[int] = None
    stale: bool = False
    height_cm: Optional[float] = None
    height_date: Optional[dt.date] = None


class Plan(_Result):
    """The plan; `ctp_eligibility` is always computed (it decides step 3), but views show it through
    `ctp_checklist()`, which is empty outside mode cno (§12: no CTP checklist before CNO is established)."""

    # The assessment's (§8.0); at follow-up, an urgent alert or the adult rule at the reference date
    # makes it "workup" (§13.4): the plan's mode governs treatment.
    mode: Literal["cno", "workup", "alternative_diagnosis"] = "workup"
    reference_date: Optional[dt.date] = None  # §13.1: the latest visit's date, else the first consultation's
    weight_used: Optional[WeightUsed] = None
    at_follow_up: bool = False  # the case has visits: the plan is at the latest visit (§13.1)

    def weight_words(self) -> str:
        """At follow-up, what the amounts were computed from, in words (the Plan tab, the note and the CLI)."""
        w = self.weight_used
        if not self.at_follow_up or self.reference_date is None:
            return ""
        when = f"Plan at the visit of {self.reference_date.isoformat()}"
        if w is None:
            return f"{when}: no weight recorded, so no amount is calculated."
        height = (f", height {w.height_cm:g} cm (measured {w.height_date.isoformat()})"
                  if w.height_cm is not None and w.height_date else "")
        text = f"{when}: amounts for {w.kg:g} kg (weighed {w.date.isoformat()}){height}."
        if w.stale:
            text += (f" The weight is from {w.date.isoformat()}, {w.days_before_reference} days before this "
                     "visit: re-weigh before prescribing.")
        return text
    workup: list[str] = Field(default_factory=list)  # the assessment's next steps (§6), shown first
    lines: list[PlanLine] = Field(default_factory=list)
    codes: list[CodeSuggestion] = Field(default_factory=list)  # §10: empty unless mode cno
    # §9: why prognosis and follow-up are empty ("given once CNO is established"), else "".
    prognosis_withheld: str = ""
    ctp_eligibility: list[EligibilityItem] = Field(default_factory=list)
    prognosis: list[PrognosisLine] = Field(default_factory=list)
    follow_up: list[PrognosisLine] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def ctp_checklist(self) -> list[EligibilityItem]:
        return list(self.ctp_eligibility) if self.mode == "cno" else []
