"""Bristol diagnostic criteria (clinical-rules.md §2; Roderick 2016).

Met when `clinical` AND `radiological` AND (`criterion_1` OR `criterion_2`), in Kleene logic.
"""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.case.sources import source
from desktop_app.criteria.common import ABSENT_WORD, crp_missing, item, set_missing, tri_of
from desktop_app.criteria.derived import FEVER_C, FEVER_HISTORY, TEMPERATURE_NOTE, Facts, lesion_typical
from desktop_app.criteria.tristate import Tri, tri_and, tri_or, set_status
from desktop_app.criteria.types import CriteriaResult

ID = "bristol_2016"
NAME = "Bristol diagnostic criteria (2016)"
SOURCE_KEY = "roderick2016"
CRP_BELOW = 30.0  # mg/L; "< 30": exactly 30 is not below (conservative, sends the case to criterion 2)
LABELS = {
    "clinical": "Typical clinical findings: bone pain ± localised swelling without significant local "
                "or systemic features of inflammation or infection",
    "radiological": "Typical radiological findings (radiograph: lytic areas, sclerosis and new bone "
                    "formation; or, preferably, STIR MRI: bone marrow oedema ± expansion, lysis, "
                    "periosteal reaction)",
    "criterion_1": "More than one bone, or clavicle alone, without significantly raised CRP (CRP < 30 mg/L)",
    "criterion_2": "Unifocal disease (other than clavicle) or CRP ≥ 30 mg/L, with a bone biopsy showing "
                   "inflammatory changes (plasma cells, osteoclasts, fibrosis or sclerosis) and no "
                   "bacterial growth, not on antibiotics",
}
NOTES = [
    "Wording unverified against the paper's table [wording unverified].",
    "The paper prints the CRP cut-off as \"30 g/L\"; it is read here as 30 mg/L.",
    "CRP of exactly 30 mg/L does not satisfy \"< 30\" (conservative: it sends the case to criterion 2).",
]
ALTERNATIVE_HISTOLOGY = ("acute_osteomyelitis", "granulomatous", "malignancy", "langerhans_cell_histiocytosis")


def _temp_text(f: Facts) -> str:
    s = f.case.symptoms
    if s.fever_pattern in FEVER_HISTORY:  # v3 (§0): one normal reading does not override the history
        pattern = f"fever pattern: {labels.value_label('fever_pattern', s.fever_pattern).lower()}"
        return pattern + (f" (max temperature {s.max_temperature_c:g} °C)" if s.max_temperature_c is not None else "")
    if s.max_temperature_c is not None:
        op = "<" if s.max_temperature_c < FEVER_C else "≥"
        return f"max temperature {s.max_temperature_c:g} °C {op} {FEVER_C:.1f} °C"
    if s.fever_pattern:
        return f"fever pattern: {labels.value_label('fever_pattern', s.fever_pattern).lower()}"
    return "temperature not recorded"


def clinical(f: Facts):
    s = f.case.symptoms
    value = tri_and(s.bone_pain, None if s.warmth_erythema is None else not s.warmth_erythema,
                    f.temperature_normal)
    ev = (f"bone pain {ABSENT_WORD[s.bone_pain]}; warmth/erythema {ABSENT_WORD[s.warmth_erythema]}; "
          f"{_temp_text(f)}")
    missing = ([] if s.bone_pain is not None else ["symptoms.bone_pain"]) + \
              ([] if s.warmth_erythema is not None else ["symptoms.warmth_erythema"]) + \
              ([] if f.temperature_normal is not None else ["symptoms.max_temperature_c", "symptoms.fever_pattern"])
    return item("clinical", LABELS["clinical"], value, ev, missing)


def radiological(f: Facts):
    per = [lesion_typical(les) for les in f.lesions]
    value: Tri = tri_or(*per) if per else None
    typical = [labels.lesion_label(les.bone, les.side, les.level) for les, t in zip(f.lesions, per) if t]
    if not f.lesions:
        ev = "no lesions recorded"
    elif typical:
        ev = "typical imaging: " + ", ".join(typical)
    else:
        ev = f"{len(f.lesions)} lesion(s), none with typical features recorded"
    # Rules v2 §0: seen only on CT, bone scan or PET-CT says nothing either way.
    other_only = [labels.lesion_label(les.bone, les.side, les.level) for les, t in zip(f.lesions, per)
                  if t is None and les.modalities and not set(les.modalities) & {"radiograph", "mri", "whole_body_mri"}]
    if other_only and not typical:
        ev += ("; seen only on CT, bone scan or PET-CT (typicality unknown: a radiograph or MRI of this site "
               f"would decide): {', '.join(other_only)}")
    missing = ["imaging.lesions"] if not f.lesions else [
        f"imaging.lesions[{i}]" for i, t in enumerate(per) if t is None]
    return item("radiological", LABELS["radiological"], value, ev, missing)


def criterion_1(f: Facts):
    # multifocal is unknown without a survey or while a missing side/level may make it two bones.
    spread: Tri = True if f.clavicle_only else f.multifocal
    crp_ok: Tri = None if f.crp is None else f.crp < CRP_BELOW
    value = tri_and(spread, crp_ok)
    crp_ev = f.crp_text() if f.crp is None else f"{f.crp_text()} {'<' if crp_ok else '≥'} 30 mg/L"
    spread_ev = "clavicle only" if f.clavicle_only else f"{f.bones} bone(s){f.bones_caveat()}"
    missing = (f.multifocal_missing() if spread is None else []) + crp_missing(f)
    return item("criterion_1", LABELS["criterion_1"], value, f"{spread_ev}; {crp_ev}", missing)


def criterion_2(f: Facts):
    bx = f.case.biopsies
    bad = any(b.histology in ALTERNATIVE_HISTOLOGY or b.culture == "positive" for b in bx)
    good = any(b.histology == "chronic_inflammation" and b.culture == "negative"
               and b.on_antibiotics_at_biopsy is False for b in bx)
    value: Tri = False if bad else (True if good else None)
    if not bx:
        ev = "no biopsy recorded"
    else:
        ev = "; ".join(
            f"biopsy {i + 1}: histology {b.histology or 'not recorded'}, culture {b.culture or 'not recorded'}, "
            f"on antibiotics {({True: 'yes', False: 'no', None: 'not recorded'})[b.on_antibiotics_at_biopsy]}"
            for i, b in enumerate(bx)).replace("_", " ")
    missing = ["biopsies"] + [p for i, b in enumerate(bx) for p in (
        ([f"biopsies[{i}].histology"] if b.histology is None else []) +
        ([f"biopsies[{i}].culture"] if b.culture in (None, "not_done") else []) +
        ([f"biopsies[{i}].on_antibiotics_at_biopsy"] if b.on_antibiotics_at_biopsy is None else []))]
    return item("criterion_2", LABELS["criterion_2"], value, ev, missing)


def evaluate(f: Facts) -> CriteriaResult:
    items = [clinical(f), radiological(f), criterion_1(f), criterion_2(f)]
    c, r, c1, c2 = (tri_of(i) for i in items)
    status = set_status(tri_and(c, r, tri_or(c1, c2)))
    notes = list(NOTES)
    if f.temperature_from_reading:
        notes.append(TEMPERATURE_NOTE)
    return CriteriaResult(id=ID, name=NAME, kind="diagnostic", source=source(SOURCE_KEY).citation,
                          source_key=SOURCE_KEY, status=status, items=items,
                          missing=set_missing(status, items), notes=notes)
