"""Classic criteria (clinical-rules.md §1): multifocal osteomyelitis, negative pathology and
cultures, no response to antibiotics. A diagnosis of exclusion; all three items are needed."""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.case.sources import source
from desktop_app.criteria.common import item, set_missing, tri_of
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.tristate import Tri, all_of, set_status
from desktop_app.criteria.types import CriteriaResult

ID = "classic"
NAME = "Classic criteria (working definition)"
SOURCE_KEY = "orthobullets"
LABELS = {
    "multiple_sites": "Multiple sites of apparent osteomyelitis",
    "pathology_cultures_negative": "Pathology and cultures negative",
    "no_antibiotic_response": "No response to antibiotics",
}
BENIGN_HISTOLOGY = ("chronic_inflammation", "normal_bone")
ALTERNATIVE_HISTOLOGY = ("acute_osteomyelitis", "granulomatous", "malignancy", "langerhans_cell_histiocytosis")
NOTES = ["Diagnosis of exclusion: the working definition summarised in the seed topic review; "
         "all three items are needed."]


def multiple_sites(f: Facts):
    ev = f"{f.bones} bone(s) involved" + f.bones_caveat()
    return item("multiple_sites", LABELS["multiple_sites"], f.multifocal, ev, f.multifocal_missing())


def biopsy_summary(f: Facts) -> str:
    parts = [f"biopsy {i + 1}: {labels.value_label('histology', b.histology).split(' (')[0].lower()}, "
             f"culture {labels.value_label('culture', b.culture).lower()}" for i, b in enumerate(f.case.biopsies)]
    parts.append(f"blood culture {labels.value_label('culture', f.case.labs.blood_culture).lower()}")
    return "; ".join(parts) if f.case.biopsies else "no biopsy recorded; " + parts[-1]


def pathology_cultures_negative(f: Facts):
    bx = f.case.biopsies
    blood_positive = f.case.labs.blood_culture == "positive"
    bad = any(b.histology in ALTERNATIVE_HISTOLOGY or b.culture == "positive" for b in bx) or blood_positive
    good = any(b.histology in BENIGN_HISTOLOGY and b.culture == "negative" for b in bx)
    value: Tri = False if bad else (True if good else None)
    missing = ["biopsies"] + [f"biopsies[{i}].culture" for i, b in enumerate(bx) if b.culture in (None, "not_done")]
    return item("pathology_cultures_negative", LABELS["pathology_cultures_negative"], value,
                biopsy_summary(f), missing)


def no_antibiotic_response(f: Facts):
    courses = [t for t in f.case.treatments if t.drug_class == "antibiotic"]
    responses = [t.response for t in courses]
    # A complete response anywhere outweighs a course without response (conservative).
    value: Tri = False if "complete" in responses else (True if "none" in responses else None)
    if courses:
        ev = "; ".join(f"{t.drug or 'antibiotic'}: {labels.value_label('response', t.response).lower()}"
                       for t in courses)
    else:
        ev = "no antibiotic course recorded"
    missing = ["treatments"] + [f"treatments[{i}].response" for i, t in enumerate(f.case.treatments)
                                if t.drug_class == "antibiotic" and t.response is None]
    return item("no_antibiotic_response", LABELS["no_antibiotic_response"], value, ev, missing)


def evaluate(f: Facts) -> CriteriaResult:
    items = [multiple_sites(f), pathology_cultures_negative(f), no_antibiotic_response(f)]
    value = all_of(tri_of(i) for i in items)
    status = set_status(value)
    return CriteriaResult(id=ID, name=NAME, kind="diagnostic", source=source(SOURCE_KEY).citation,
                          source_key=SOURCE_KEY, status=status, items=items,
                          missing=set_missing(status, items), notes=list(NOTES))
