"""`assess(case)`: every criteria set, the red flags and the next steps, from one Case.

Pure: no I/O, no Qt, never raises on incomplete data. `assessment_to_json` is the
shared/spec/assessment-output.md form used by `crmo-consult evaluate --json`.
"""
from __future__ import annotations

from typing import Any

from desktop_app.case.models import Case
from desktop_app.criteria import bristol, classic, eular_acr, jansson, nbods, red_flags
from desktop_app.criteria.derived import derive
from desktop_app.criteria.next_steps import next_steps
from desktop_app.criteria.types import Assessment

OUTPUT_FORMAT = "crmo-consult/assessment"
OUTPUT_VERSION = 1
# Display order of the sets (the assessment pane, the note and the CLI follow it).
SETS = (classic, bristol, jansson, nbods, eular_acr)


def assess(case: Case) -> Assessment:
    facts = derive(case)
    criteria = {mod.ID: mod.evaluate(facts) for mod in SETS}
    return Assessment(
        derived=facts.to_derived(),
        criteria=criteria,
        red_flags=red_flags.evaluate(facts),
        next_steps=next_steps(facts, criteria[bristol.ID]),
    )


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    from desktop_app import __version__

    return {
        "format": OUTPUT_FORMAT,
        "version": OUTPUT_VERSION,
        "app_version": __version__,
        "derived": assessment.derived.model_dump(mode="json"),
        "criteria": {k: v.model_dump(mode="json") for k, v in assessment.criteria.items()},
        "red_flags": [f.model_dump(mode="json") for f in assessment.red_flags],
        "next_steps": list(assessment.next_steps),
    }
