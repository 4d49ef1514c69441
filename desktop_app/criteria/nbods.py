"""NBO diagnostic score versus bacterial osteomyelitis (clinical-rules.md §4; Kostik 2023).

Sum > 17 favours NBO over bacterial osteomyelitis (sensitivity 89.0 %, specificity 96.9 %).
"""
from __future__ import annotations

from desktop_app.case import units
from desktop_app.criteria.common import crp_missing, item, score_result
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.tristate import Tri
from desktop_app.criteria.types import CriteriaResult

ID = "nbods_2023"
NAME = "NBO diagnostic score vs bacterial osteomyelitis (2023)"
SOURCE_KEY = "kostik2023"
THRESHOLD = 17  # sum > 17 (strictly above)
THRESHOLD_LABEL = "> 17: favours NBO over bacterial osteomyelitis (sensitivity 89.0 %, specificity 96.9 %)"
CRP_AT_MOST = 55.0  # mg/L, inclusive
BANDS_AT_MOST = 220.0  # cells/µL, inclusive
POINTS = {"crp_at_most_55": 56, "multifocal": 27, "femur": 17, "bands_at_most_220": 15}
LABELS = {
    "crp_at_most_55": "CRP ≤ 55 mg/L",
    "multifocal": "Multifocal lesions",
    "femur": "Femoral lesion",
    "bands_at_most_220": "Band neutrophils ≤ 220 cells/µL",
}
NO_LESION = "The score compares bone lesions: record at least one."
# §4: it answers one question only, so its result never reads just "met".
RESULT_WORDS = {"met": "favours non-bacterial over bacterial osteomyelitis",
                "not_met": "does not favour non-bacterial over bacterial osteomyelitis",
                "indeterminate": "indeterminate (non-bacterial versus bacterial osteomyelitis)"}
NOTES = ["Derived in 91 NBO vs 31 bacterial osteomyelitis (histologically confirmed): it weighs NBO "
         "against bacterial osteomyelitis only."]


def evaluate(f: Facts) -> CriteriaResult:
    crp_ok: Tri = None if f.crp is None else f.crp <= CRP_AT_MOST
    bands = f.readings["band_neutrophils"].value
    bands_ok: Tri = None if bands is None else bands <= BANDS_AT_MOST
    femur = None if not f.lesions else any(les.bone == "femur" for les in f.lesions)
    multi_ev = f"{f.bones} bone(s)" + f.bones_caveat() if f.lesions else "no lesions recorded"
    items = [
        item("crp_at_most_55", LABELS["crp_at_most_55"], crp_ok,
             f.crp_text() if f.crp is None else f"{f.crp_text()} {'≤' if crp_ok else '>'} 55 mg/L",
             crp_missing(f), POINTS["crp_at_most_55"]),
        item("multifocal", LABELS["multifocal"], f.multifocal, multi_ev, f.multifocal_missing(),
             POINTS["multifocal"]),
        item("femur", LABELS["femur"], femur,
             "no lesions recorded" if femur is None else ("femur involved" if femur else "no femoral lesion"),
             ["imaging.lesions"], POINTS["femur"]),
        item("bands_at_most_220", LABELS["bands_at_most_220"], bands_ok,
             "band neutrophils not recorded" if bands is None else
             f"band neutrophils {units.fmt_number(bands)} cells/µL {'≤' if bands_ok else '>'} 220",
             ["labs.band_neutrophils"], POINTS["bands_at_most_220"]),
    ]
    result = score_result(id=ID, name=NAME, source_key=SOURCE_KEY, items=items, threshold=THRESHOLD,
                          strictly_above=True, threshold_label=THRESHOLD_LABEL, notes=list(NOTES))
    if not f.lesions:  # §4: with no lesion recorded the status is indeterminate whatever the points
        result = result.model_copy(update={"status": "indeterminate", "notes": [NO_LESION, *result.notes],
                                           "missing": list(dict.fromkeys(["imaging.lesions", *result.missing]))})
    return result
