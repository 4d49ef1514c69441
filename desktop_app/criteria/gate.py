"""The treatment gate and the mode of the assessment (clinical-rules.md §8.0, rules version 3).

CNO treatment is proposed only when (a) nothing urgent is raised and no mimic is confirmed, (b) every
exclude-first and caution flag is addressed (since v3 onset before 3 is exclude first: it needs a genetic
result), (c) the blood count is normal or malignancy is excluded (an adult: only the latter), and (d) the classic or Bristol criteria or the Jansson score are met.
A product rule, conservative (no guideline states this gate as such): CNO is a diagnosis of
exclusion, and the note must not propose its treatment before the exclusions it can see are done.
Computed once here; the plan, the pane, the note and the CLI obey `mode` and never recompute it.
"""
from __future__ import annotations

from desktop_app.case.labels import lower_first
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.red_flags import BIOPSY, MIMIC_WORDS, confirmed_mimics
from desktop_app.criteria.types import CriteriaResult, Mode, RedFlag

ALTERNATIVE_FLAGS = ("positive_culture", "alternative_histology")
ADULT_MALIGNANCY = ("Adult patient: malignancy must be recorded as excluded (metastasis and myeloma are the "
                    "adult mimics, and a normal blood count does not exclude them)")
DIAGNOSTIC_SETS = ("classic", "bristol_2016", "jansson_2009")
NO_DIAGNOSIS = ("No diagnostic criteria are met (classic working definition, Bristol 2016, or Jansson "
                "score ≥ 39)")


def gate_reasons(f: Facts, criteria: dict[str, CriteriaResult], flags: list[RedFlag]) -> list[str]:
    """Why CNO treatment is held back, in words; empty when the gate holds."""
    reasons = []
    # (a) urgent findings
    reasons += [f"Urgent: {lower_first(fl.label)} — {lower_first(fl.action)}"
                for fl in flags if fl.tier == "urgent"]
    reasons += [f"Alternative diagnosis recorded: {MIMIC_WORDS[m]}" for m in confirmed_mimics(f)]
    # (b) flags still open, one sentence per target (their actions are in the work-up list)
    open_: dict[tuple[str, ...], list[str]] = {}
    for fl in flags:
        if fl.tier != "urgent" and not fl.addressed:
            open_.setdefault(tuple(fl.points_to), []).append(lower_first(fl.label))
    for target, names in open_.items():
        what = ("A biopsy is needed first" if target == (BIOPSY,) else
                " and ".join(MIMIC_WORDS[m] for m in target).capitalize() + " not yet excluded")
        reasons.append(f"{what} ({'; '.join(names)})")
    # (c) blood count
    if f.mimics.malignancy is not False:  # as of now (§13.1 v4)
        if f.adult is True:
            # v3, product rule, conservative: metastasis and myeloma are the adult mimics, and a normal
            # blood count does not exclude them.
            reasons.append(ADULT_MALIGNANCY)
        elif f.blood_count_normal is not True:
            state = "not normal" if f.blood_count_normal is False else "incomplete or not recorded"
            reasons.append(f"Blood count {state}, and malignancy is not recorded as excluded")
    # (d) a diagnosis
    if not any(criteria[k].status == "met" for k in DIAGNOSTIC_SETS):
        reasons.append(NO_DIAGNOSIS)
    return reasons


def mode_of(f: Facts, flags: list[RedFlag], reasons: list[str]) -> Mode:
    if confirmed_mimics(f) or any(fl.id in ALTERNATIVE_FLAGS for fl in flags):
        return "alternative_diagnosis"
    return "workup" if reasons else "cno"
