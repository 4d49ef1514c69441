"""The machine-readable plan ("Plan output" in assessment-output.md): `plan_to_json(plan)`.

A projection of the same `Plan` object that the Plan tab and the note render, clinician edits
applied; nothing is recomputed. One JSON line per drug of a plan line (the NSAID line gives a
naproxen and an ibuprofen line), each carrying the plan line's `id` (the key of the clinician's
edits), so several JSON lines may share an id.
"""
from __future__ import annotations

from typing import Any

from desktop_app.plan.types import Plan, PlanLine

OUTPUT_FORMAT = "crmo-consult/plan"
OUTPUT_VERSION = 1


def _by_drug(line: PlanLine) -> list[dict[str, Any]]:
    """Follow-up (§13.1, §13.4): one JSON line per drug the line names, each with its own status and reason;
    an amount only where the line shows one (a proposed drug, or a current one not under review)."""
    out = []
    for drug in line.drugs:
        state = line.state_of(drug)
        status = "removed" if line.decision == "removed" else (state.status if state else line.status)
        reason = (state.reason + (f"; {state.review}" if state.review else "")) if state else line.reason
        base = {"id": line.id, "step": line.kind, "status": status, "text": line.shown_text, "reason": reason,
                "edited": line.decision == "edited", "drug": drug}
        doses = [d for d in line.shown_doses if d.generic == drug]
        out += [{**base, "dose": d.amount.model_dump(mode="json") if d.amount else None,
                 "dose_text": d.computed_text(), "before_starting": list(d.before_starting),
                 "source": d.source or line.source} for d in doses] or \
            [{**base, "dose": None, "dose_text": "", "before_starting": [], "source": line.source}]
    return out


def _lines(line: PlanLine) -> list[dict[str, Any]]:
    if line.drug_states and not line.edited:
        return _by_drug(line)
    base = {"id": line.id, "step": line.kind, "status": line.final_status, "text": line.shown_text,
            "reason": line.reason, "edited": line.decision == "edited"}
    if line.edited:  # the clinician's wording stands alone: no original doses (issue 17, point 11)
        return [{**base, "drug": d.generic or None, "dose": None, "dose_text": "",
                 "before_starting": list(d.before_starting), "source": d.source or line.source}
                for d in line.doses] or [{**base, "drug": drug, "dose": None, "dose_text": "", "before_starting": [],
                                          "source": line.source} for drug in (line.drugs or [None])]
    if line.doses:
        return [{**base, "drug": d.generic or None,
                 "dose": d.amount.model_dump(mode="json") if d.amount else None,
                 "dose_text": d.computed_text(), "before_starting": list(d.before_starting),
                 "source": d.source or line.source} for d in line.doses]
    drugs = line.drugs or [None]
    return [{**base, "drug": drug, "dose": None, "dose_text": "", "before_starting": [], "source": line.source}
            for drug in drugs]


def plan_to_json(plan: Plan) -> dict[str, Any]:
    from desktop_app.about import __version__

    return {
        "format": OUTPUT_FORMAT,
        "version": OUTPUT_VERSION,
        "app_version": __version__,
        "mode": plan.mode,
        "reference_date": None if plan.reference_date is None else plan.reference_date.isoformat(),
        "weight_used": None if plan.weight_used is None else plan.weight_used.model_dump(mode="json"),
        "lines": [j for line in plan.lines for j in _lines(line)],
        "workup": list(plan.workup),
        "codes": [c.code for c in plan.codes],
        "prognosis": [p.text for p in plan.prognosis],
        "follow_up": [p.text for p in plan.follow_up],
        "notes": list(plan.notes),
    }
