"""Jansson clinical score for non-bacterial osteitis (clinical-rules.md §3; Jansson 2009).

Points = round(3·ln OR) as commonly tabulated [points table unverified against the paper].
`points_min` counts met items, `points_max` met + unknown items.
"""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.criteria.common import crp_missing, item, score_result
from desktop_app.criteria.derived import FEVER_HISTORY, TEMPERATURE_NOTE, Facts, lesions_any
from desktop_app.criteria.tristate import Tri
from desktop_app.criteria.types import CriteriaResult

ID = "jansson_2009"
NAME = "Jansson clinical score for non-bacterial osteitis (2009)"
SOURCE_KEY = "jansson2009"
THRESHOLD = 39  # score ≥ 39: NBO likely
THRESHOLD_LABEL = "≥ 39: NBO likely (PPV 97 %, sensitivity 68 %)"
CRP_AT_LEAST = 10.0  # mg/L (= 1 mg/dL); raised CRP *adds* points here, unlike Bristol
AXIAL_BONES = ("vertebra", "clavicle", "sternum")
POINTS = {
    "normal_blood_count": 13,
    "symmetric_lesions": 10,
    "marginal_sclerosis": 10,
    "normal_temperature": 9,
    "vertebral_clavicular_sternal": 8,
    "more_than_one_lesion": 7,
    "crp_at_least_1_mg_dl": 6,
}
LABELS = {
    "normal_blood_count": "Normal blood count (WBC, haemoglobin, platelets)",
    "symmetric_lesions": "Symmetric lesions",
    "marginal_sclerosis": "Marginal sclerosis",
    "normal_temperature": "Normal body temperature",
    "vertebral_clavicular_sternal": "Vertebral, clavicular or sternal lesion",
    "more_than_one_lesion": "Radiologically proven lesions > 1",
    "crp_at_least_1_mg_dl": "CRP ≥ 1 mg/dL (10 mg/L)",
}
NOTES = [
    "Points table unverified against the paper (points = round(3·ln OR) as commonly tabulated).",
    "A score below 39 is not diagnostic: no lower band is published in the verified abstract.",
]
YOUNG_NOTE = "Derived in 224 patients older than 3 years: not validated for younger onset."
# §0: symmetry (and the lesion count) read "no" without a survey, with the caveat that silent lesions
# may be missed; here those items are worth 17 points, enough to move a score across 39.
NO_SURVEY_CAVEAT = "; no whole-body survey: silent lesions may be missed"
NO_SURVEY_NOTE = ("No whole-body survey recorded: symmetric lesions and more than one lesion may be "
                  "under-counted (silent lesions); a whole-body MRI could add up to {points} points.")


def _item(id: str, value: Tri, evidence: str, missing=()):
    return item(id, LABELS[id], value, evidence, missing, points=POINTS[id])


def _lesion_list(f: Facts, pred) -> str:
    return ", ".join(labels.lesion_label(les.bone, les.side, les.level) for les in f.lesions if pred(les))


def evaluate(f: Facts) -> CriteriaResult:
    no_lesions = ["imaging.lesions"] if not f.lesions else []
    s = f.case.symptoms
    pattern = f"fever pattern: {labels.value_label('fever_pattern', s.fever_pattern).lower()}" if s.fever_pattern else ""
    reading = f"max temperature {s.max_temperature_c:g} °C" if s.max_temperature_c is not None else ""
    # v3 (§0): a recorded fever history decides even beside a normal reading, so it is named first.
    temp_ev = ("; ".join(p for p in (pattern, reading) if p) if s.fever_pattern in FEVER_HISTORY
               else reading or pattern or "temperature not recorded")
    axial = None if not f.lesions else any(les.bone in AXIAL_BONES for les in f.lesions)
    crp_ok: Tri = None if f.crp is None else f.crp >= CRP_AT_LEAST
    items = [
        _item("normal_blood_count", f.blood_count_normal, f.blood_count_evidence(), f.blood_count_missing()),
        _item("symmetric_lesions", f.symmetric,
              (_lesion_list(f, lambda les: True) or "no lesions recorded") + (
                  "; symmetric" if f.symmetric else
                  "; side not recorded: may be a left–right pair" if f.symmetric is None and f.lesions else
                  "; no paired bone affected on both sides" if f.lesions else "")
              + (NO_SURVEY_CAVEAT if f.lesions and f.symmetric is False and not f.survey_done else ""),
              no_lesions + f.symmetric_open),
        _item("marginal_sclerosis", lesions_any(f.lesions, "sclerosis"),
              ("sclerosis: " + (_lesion_list(f, lambda les: les.sclerosis) or "none recorded present")
               + (f"; not recorded for {sum(les.sclerosis is None for les in f.lesions)} lesion(s)"
                  if any(les.sclerosis is None for les in f.lesions) else "")) if f.lesions else "no lesions recorded",
              no_lesions or [f"imaging.lesions[{i}].sclerosis" for i, les in enumerate(f.lesions)
                             if les.sclerosis is None]),
        _item("normal_temperature", f.temperature_normal, temp_ev,
              ["symptoms.max_temperature_c", "symptoms.fever_pattern"]),
        _item("vertebral_clavicular_sternal", axial,
              _lesion_list(f, lambda les: les.bone in AXIAL_BONES) or (
                  "no vertebral, clavicular or sternal lesion" if f.lesions else "no lesions recorded"),
              no_lesions),
        _item("more_than_one_lesion", None if not f.lesions else f.sites >= 2,
              (f"{f.sites} lesion(s) recorded" + (NO_SURVEY_CAVEAT if f.sites == 1 and not f.survey_done else ""))
              if f.lesions else "no lesions recorded", no_lesions),
        _item("crp_at_least_1_mg_dl", crp_ok,
              f.crp_text() if f.crp is None else f"{f.crp_text()} {'≥' if crp_ok else '<'} 10 mg/L",
              crp_missing(f)),
    ]
    notes = list(NOTES)
    if f.temperature_from_reading:
        notes.append(TEMPERATURE_NOTE)
    notes += f.default_range_notes()
    if f.onset_below(3):
        notes.append(YOUNG_NOTE)
    if f.lesions and not f.survey_done:
        open_points = sum(POINTS[i.id] for i in items
                          if i.id in ("symmetric_lesions", "more_than_one_lesion") and i.status == "not_met")
        if open_points:
            notes.append(NO_SURVEY_NOTE.format(points=open_points))
    return score_result(id=ID, name=NAME, source_key=SOURCE_KEY, items=items, threshold=THRESHOLD,
                        strictly_above=False, threshold_label=THRESHOLD_LABEL, notes=notes)
