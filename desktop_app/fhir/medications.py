"""The plan's drugs: a MedicationRequest (intent proposal, status draft) for each drug of a proposed plan
line, and a MedicationStatement (active) for each drug the patient is on at the note's date.

Read from `plan_to_json` (the same projection `crmo-consult plan --json` prints), so a request's
amount is the JSON's `dose` by construction. No dose is ever invented: a line without an amount has
no doseAndRate, and a statement's dosage is only the dose the clinician recorded, in their words.
Drugs are named in words (no drug code is verified for the app).
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Optional

from desktop_app.case.models import Case
from desktop_app.course.timeline import current_treatments, drug_key
from desktop_app.fhir import codes
from desktop_app.plan.output import plan_to_json
from desktop_app.plan.types import VERIFY_FORMULARY, Plan

Ref = dict[str, str]
# A plan amount's `per` as UCUM: an amount per dose or infusion is a dose, the others a rate.
_RATE_UNITS = {"day": "d", "week": "wk", "year": "a"}


def _mg(value: float) -> dict[str, Any]:
    return {"value": value, "unit": "mg", "system": codes.UCUM, "code": "mg"}


def _mg_per(value: float, per: str) -> dict[str, Any]:
    ucum = f"mg/{_RATE_UNITS[per]}"
    return {"value": value, "unit": ucum, "system": codes.UCUM, "code": ucum}


def dose_and_rate(dose: dict[str, Any]) -> dict[str, Any]:
    """The plan's computed range (plan --json `dose`) as one Dosage.doseAndRate."""
    kind = {"coding": [{"system": codes.DOSE_RATE_TYPE, "code": "calculated", "display": "Calculated"}]}
    low, high, per = dose["low_mg"], dose["high_mg"], dose["per"]
    if per in _RATE_UNITS:
        return {"type": kind, "rateRange": {"low": _mg_per(low, per), "high": _mg_per(high, per)}}
    return {"type": kind, "doseRange": {"low": _mg(low), "high": _mg(high)}}


def _max_dose(dose: dict[str, Any]) -> dict[str, Any]:
    if dose.get("max_mg") is None or dose.get("max_per") is None:
        return {}
    per = dose["max_per"]
    if per in _RATE_UNITS:
        period = {"value": 1, "unit": _RATE_UNITS[per], "system": codes.UCUM, "code": _RATE_UNITS[per]}
        return {"maxDosePerPeriod": {"numerator": _mg(dose["max_mg"]), "denominator": period}}
    return {"maxDosePerAdministration": _mg(dose["max_mg"])}


def requests(plan: Plan, patient: Ref, requester: Ref, encounter: Ref, authored: str) -> list[dict[str, Any]]:
    """A draft proposal for each drug of each proposed line (a held or current line is never a request)."""
    out = []
    for line in plan_to_json(plan)["lines"]:
        if line["status"] != "proposed" or not line["drug"]:
            continue  # a proposed line that names no drug (e.g. physiotherapy) stays in the plan's narrative
        dosage: dict[str, Any] = {"text": line["text"]}
        if line["dose"]:
            dosage["doseAndRate"] = [dose_and_rate(line["dose"])]
            dosage.update(_max_dose(line["dose"]))
        notes = [f"Computed: {line['dose_text']}; {VERIFY_FORMULARY}." if line["dose_text"] else "",
                 f"Before starting: {'; '.join(line['before_starting'])}." if line["before_starting"] else "",
                 f"Why: {line['reason']}" if line["reason"] else "",
                 f"Source: {line['source']}" if line["source"] else ""]
        request = {"resourceType": "MedicationRequest", "status": "draft", "intent": "proposal",
                   "medicationCodeableConcept": {"text": line["drug"]}, "subject": patient,
                   "encounter": encounter, "authoredOn": authored, "requester": requester,
                   "dosageInstruction": [dosage]}
        if any(notes):
            request["note"] = [{"text": n} for n in notes if n]
        out.append(request)
    return out


def statements(case: Case, plan: Plan, when: Optional[dt.date], patient: Ref, asserted: str) -> list[dict[str, Any]]:
    """The drugs current at `when` (§13.1; never without visits: a treatment on record is current only at
    follow-up), each with the dose the clinician recorded and the plan's words on it."""
    if not case.visits:
        return []
    said = {line["drug"]: line for line in plan_to_json(plan)["lines"] if line["status"] == "current"}
    out = []
    for t in current_treatments(case, when):
        statement: dict[str, Any] = {"resourceType": "MedicationStatement", "status": "active",
                                     "medicationCodeableConcept": {"text": t.drug}, "subject": patient,
                                     "dateAsserted": asserted}
        if t.start_date:
            statement["effectivePeriod"] = {"start": t.start_date.isoformat()}
        if t.dose.strip():
            statement["dosage"] = [{"text": t.dose}]
        line = said.get(drug_key(t.drug))
        if line and line["reason"]:
            statement["note"] = [{"text": line["reason"]}]
        out.append(statement)
    return out
