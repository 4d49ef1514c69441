"""Summary and recommendations (clinical-rules.md §12): what the note's first page and the assessment
pane open with, in the same words. Pure: built from the case and its assessment (plus, in mode
`cno`, the first-line treatment the plan proposes), never recomputing a clinical result.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional, Sequence

from desktop_app.case import labels
from desktop_app.case.models import Case
from desktop_app.case.visits import exclusion_dates, mimics_as_of
from desktop_app.criteria.gate import DIAGNOSTIC_SETS
from desktop_app.criteria.next_steps import blood_tests_in_one
from desktop_app.criteria.red_flags import ALTERNATIVE_HISTOLOGY, MIMIC_WORDS
from desktop_app.criteria.result_words import result_words
from desktop_app.criteria.types import Assessment

MAX_RECOMMENDATIONS = 5
# The box's heading and its empty-list words: the note's first page, the pane and the follow-up summary.
SUMMARY_HEADING = "Summary and recommendations"
NO_RECOMMENDATION = "None from the recorded data."
TITLE_CNO = "CRMO/CNO consult note"
TITLE_OTHER = "Bone pain work-up — consult note"
REVIEW_CNO = "about 3 months after starting treatment"
REVIEW_WORKUP = "when the work-up results are available"
# The differential the summary always lists (§12), in this order, as the Mimics record words them.
DIFFERENTIAL = ("malignancy", "infection", "vitamin_c_deficiency", "hypophosphatasia", "monogenic")
RECORDED = {True: "confirmed", False: "excluded", None: "not assessed"}
# The mimic an alternative histology establishes (§6 alternative_histology: "its diagnosis").
HISTOLOGY_MIMIC = {"malignancy": "malignancy", "langerhans_cell_histiocytosis": "malignancy",
                   "acute_osteomyelitis": "infection", "granulomatous": "infection"}
assert set(HISTOLOGY_MIMIC) == set(ALTERNATIVE_HISTOLOGY)


@dataclass(frozen=True)
class DifferentialRow:
    mimic: str  # as the Mimics tab names it, e.g. "Vitamin C deficiency"
    status: str  # "confirmed", "excluded", "not assessed", or (v3) "confirmed by culture",
    # "suspected: <flag>", "recorded as excluded — but <flag>: re-check"
    flags: tuple[str, ...] = ()  # labels of the raised flags pointing to it


@dataclass(frozen=True)
class Summary:
    title: str
    headline: str
    recommendations: list[str] = field(default_factory=list)
    differential: list[DifferentialRow] = field(default_factory=list)
    next_review: str = ""
    contact: str = ""
    urgent: bool = False  # the headline starts with "URGENT"


def _met_sets(a: Assessment) -> str:
    met = []
    for key in DIAGNOSTIC_SETS:
        c = a.criteria[key]
        if c.status == "met":
            pts = f" ({c.points_min:g} points)" if c.kind == "score" and c.points_min is not None else ""
            met.append(f"{c.name}{pts}")
    return "; ".join(met)


def _alternative(case: Case, a: Assessment) -> str:
    now = mimics_as_of(case)  # §13.1 v4: as of now
    found = [MIMIC_WORDS[m] for m in MIMIC_WORDS if getattr(now, m) is True]
    for f in a.red_flags:
        if f.id == "positive_culture":
            found.append(f"infection ({f.evidence})")
        elif f.id == "alternative_histology":
            found.append(f.evidence)
    return "; ".join(dict.fromkeys(found))


def headline(case: Case, a: Assessment) -> tuple[str, bool]:
    if a.mode == "cno":
        return f"{labels.value_label('mode', 'cno')}: {_met_sets(a)}", False
    if a.mode == "alternative_diagnosis":
        return (f"{labels.value_label('mode', 'alternative_diagnosis')}: {_alternative(case, a)}; CNO criteria and "
                "treatment do not apply"), False
    urgent = [f for f in a.red_flags if f.tier == "urgent"]
    text = labels.value_label("mode", "workup")
    if urgent:
        text = "URGENT — " + "; ".join(f"{f.label}: {f.action}" for f in urgent) + ". " + text
    return text, bool(urgent)


def recommendations(a: Assessment, first_line: Optional[str]) -> list[str]:
    """At most five: urgent actions and the next steps (already in §6 order, with the routine bloods as
    one, so the deciding step stays on the first page), then in mode cno the highest proposed step."""
    room = MAX_RECOMMENDATIONS - (1 if a.mode == "cno" and first_line else 0)
    recs = [s for s in blood_tests_in_one(list(a.next_steps)) if s not in _covered_by_urgent(a)][:room]
    if a.mode == "cno" and first_line:
        recs.append(first_line)
    return recs


def _covered_by_urgent(a: Assessment) -> set[str]:
    """Exclude-first actions whose every flag points only at mimics an urgent action already works up
    (same-day film and marrow): on the first page they would repeat it and push the deciding step off.
    They stay in the work-up list of the following pages."""
    urgent = {m for f in a.red_flags if f.tier == "urgent" for m in f.points_to}
    by_action: dict[str, list] = {}
    for f in a.red_flags:
        if f.tier == "exclude_first" and not f.addressed:
            by_action.setdefault(f.action, []).append(f)
    return {f"{action} (for: {'; '.join(f.label for f in flags)})" for action, flags in by_action.items()
            if all(set(f.points_to) <= urgent for f in flags)}


def _confirmed_by(case: Case, a: Assessment, mimic: str) -> str:
    """What establishes the mimic (§6 v3: a positive culture, an alternative histology), else ""."""
    if mimic == "infection" and any(f.id == "positive_culture" for f in a.red_flags):
        return "culture"
    found = [labels.value_label("histology", b.histology).lower() for b in case.biopsies
             if HISTOLOGY_MIMIC.get(b.histology or "") == mimic]
    return f"histology ({', '.join(dict.fromkeys(found))})" if found else ""


def _status(case: Case, a: Assessment, mimic: str, reexclusion: Sequence[str] = ()) -> str:
    recorded = getattr(mimics_as_of(case), mimic)  # §13.1 v4: the latest recorded, as of now
    by = _confirmed_by(case, a, mimic)
    if by:
        return f"confirmed by {by}"
    if mimic == "malignancy" and reexclusion:
        # §13.7 item 10: a finding at a visit needs malignancy excluded again.
        when = [d for d, _, value in exclusion_dates(case, mimic) if value is False]
        was = f"excluded {when[-1].isoformat()}" if when and when[-1] != dt.date.min else (
            "excluded" if recorded is False else RECORDED[recorded])
        return f"{was} — re-exclusion needed: {'; '.join(reexclusion)}"
    # Flags still pointing here: an urgent one is never addressed by a recorded exclusion.
    pointing = [f.label.lower() if f.label[1:2].islower() else f.label for f in a.red_flags
                if mimic in f.points_to and (f.tier == "urgent" or not f.addressed)]
    if recorded is False and pointing:
        return f"recorded as excluded — but {'; '.join(pointing)}: re-check"
    urgent = [f.label.lower() if f.label[1:2].islower() else f.label for f in a.red_flags
              if mimic in f.points_to and f.tier == "urgent"]
    if recorded is None and urgent:
        return f"suspected: {'; '.join(urgent)}"
    return RECORDED[recorded]


def differential(case: Case, a: Assessment, reexclusion: Sequence[str] = ()) -> list[DifferentialRow]:
    """`reexclusion`: the follow-up alerts (in words) that need malignancy excluded again and have not had
    it (§13.4 v4); the course knows them, the diagnosis does not."""
    return [DifferentialRow(mimic=labels.field_label(f"mimics.{m}"), status=_status(case, a, m, reexclusion),
                            flags=tuple(f.label for f in a.red_flags if m in f.points_to))
            for m in DIFFERENTIAL]


def next_review(case: Case, a: Assessment) -> str:
    when = case.encounter.next_review_date
    if when is not None:
        return when.isoformat()
    return REVIEW_CNO if a.mode == "cno" else REVIEW_WORKUP


def contact(case: Case) -> str:
    e = case.encounter
    return ", ".join(p for p in (e.clinician.strip(), e.service.strip()) if p) or labels.NOT_RECORDED


def summarise(case: Case, a: Assessment, first_line: Optional[str] = None) -> Summary:
    """`first_line`: the plan's proposed first-line treatment in words (used in mode cno only)."""
    text, urgent = headline(case, a)
    return Summary(title=TITLE_CNO if a.mode == "cno" else TITLE_OTHER, headline=text,
                   recommendations=recommendations(a, first_line), differential=differential(case, a),
                   next_review=next_review(case, a), contact=contact(case), urgent=urgent)


def set_line(a: Assessment) -> str:
    """Each criteria set with its own result words (§4 for the NBO score), for the summary."""
    return "; ".join(f"{c.name}: {result_words(c).lower()}" for c in a.criteria.values())
