"""`assess(case)`: every criteria set, the red flags and the next steps, from one Case.

Pure: no I/O, no Qt, never raises on incomplete data. `assessment_to_json` is the
docs/assessment-output.md form used by `crmo-consult evaluate --json`.
"""
from __future__ import annotations

from typing import Any

from desktop_app.case.models import Case
from desktop_app.criteria import bristol, classic, eular_acr, jansson, nbods, red_flags
from desktop_app.criteria.derived import derive
from desktop_app.criteria.gate import gate_reasons, mode_of
from desktop_app.criteria.next_steps import next_steps
from desktop_app.criteria.types import Assessment, Mode

OUTPUT_FORMAT = "crmo-consult/assessment"
OUTPUT_VERSION = 1
# Display order of the sets (the assessment pane, the note and the CLI follow it).
SETS = (classic, bristol, jansson, nbods, eular_acr)


# §8.5: validated criteria for adult CNO/SAPHO are lacking; every set says so for an adult.
ADULT_NOTE = ("Adult patient: these criteria were developed in children (Bristol cohort < 18 years; EULAR/ACR "
              "entry: onset before 18); validated criteria for adult CNO/SAPHO are lacking (adult expert "
              "consensus, Ann Rheum Dis 2024; Rheumatol Adv Pract 2024).")


def assess(case: Case) -> Assessment:
    facts = derive(case)
    criteria = {mod.ID: mod.evaluate(facts) for mod in SETS}
    if facts.adult:
        criteria = {k: v.model_copy(update={"notes": [ADULT_NOTE, *v.notes]}) for k, v in criteria.items()}
    flags = red_flags.evaluate(facts, criteria[bristol.ID])
    reasons = gate_reasons(facts, criteria, flags)
    mode = mode_of(facts, flags, reasons)
    return Assessment(
        derived=facts.to_derived(),
        criteria=criteria,
        red_flags=flags,
        next_steps=next_steps(facts, criteria[bristol.ID], flags, mode),
        mode=mode,
        gate_reasons=reasons,
    )


# The sets the treatment gate reads (gate.DIAGNOSTIC_SETS, and Bristol for the red flags).
GATE_SETS = (classic, bristol, jansson)


def assess_mode(case: Case) -> Mode:
    """`assess(case).mode` alone, by the same steps, without the sets, words and next steps the gate
    does not read (the case library needs only the mode, for thousands of files). The adult note only
    adds words, never a status. tests/criteria compares it with assess() on every example."""
    facts = derive(case)
    criteria = {mod.ID: mod.evaluate(facts) for mod in GATE_SETS}
    flags = red_flags.evaluate(facts, criteria[bristol.ID])
    return mode_of(facts, flags, gate_reasons(facts, criteria, flags))


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    from desktop_app.about import __version__

    return {
        "format": OUTPUT_FORMAT,
        "version": OUTPUT_VERSION,
        "app_version": __version__,
        "derived": assessment.derived.model_dump(mode="json"),
        "criteria": {k: v.model_dump(mode="json") for k, v in assessment.criteria.items()},
        "mode": assessment.mode,
        "gate_reasons": list(assessment.gate_reasons),
        "red_flags": [f.model_dump(mode="json") for f in assessment.red_flags],
        "next_steps": list(assessment.next_steps),
    }
