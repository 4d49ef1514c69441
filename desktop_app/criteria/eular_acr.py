"""EULAR/ACR 2025 classification criteria for paediatric CNO (clinical-rules.md §5; Zhao 2025).

Classification, for research, not a diagnostic rule. Entry items and exclusions are evaluated; the
nine weighted domains are listed with the patient's finding but no points, because the per-item
weights have not been verified (the app gives no points). So the set is never `met`.
"""
from __future__ import annotations

from desktop_app.case import labels, units
from desktop_app.case.sources import source
from desktop_app.criteria.common import item, set_missing, tri_of
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.tristate import Tri, all_of, any_of
from desktop_app.criteria.types import CriteriaResult, ItemResult

ID = "eular_acr_2025"
NAME = "EULAR/ACR classification criteria for paediatric CNO (2025)"
SOURCE_KEY = "zhao2025"
ONSET_BEFORE = 18.0  # years
MIN_WEEKS = 6.0  # bone pain or musculoskeletal limitation lasting at least 6 weeks
YOUNG_ONSET = 3.0  # years: non-genetic CNO is rare below this
WEIGHTED_THRESHOLD_TEXT = "≥ 55 points"
IMAGING_MODALITIES = ("radiograph", "mri", "whole_body_mri")
MALIGNANT_HISTOLOGY = ("malignancy", "langerhans_cell_histiocytosis")
INFECTIOUS_HISTOLOGY = ("acute_osteomyelitis", "granulomatous")
LABELS = {
    "onset_before_18": "Entry: onset before age 18",
    "symptoms_6_weeks": "Entry: bone pain or musculoskeletal limitation for at least 6 weeks",
    "typical_imaging": "Entry: typical radiograph or MRI findings",
    "no_malignancy": "Exclusion absent: malignancy",
    "no_infection": "Exclusion absent: infection",
    "no_vitamin_c_deficiency": "Exclusion absent: vitamin C deficiency",
    "no_hypophosphatasia": "Exclusion absent: hypophosphatasia",
}
DOMAINS = {  # the nine weighted domains, in the paper's order
    "domain_site": "Weighted domain: site of lesions",
    "domain_pattern": "Weighted domain: pattern of lesions",
    "domain_onset_age": "Weighted domain: age at onset",
    "domain_coexisting": "Weighted domain: coexisting conditions",
    "domain_fever": "Weighted domain: fever",
    "domain_biopsy": "Weighted domain: biopsy findings",
    "domain_anaemia": "Weighted domain: anaemia",
    "domain_crp": "Weighted domain: CRP",
    "domain_esr": "Weighted domain: ESR",
}
NOT_BUNDLED = "weighted score not available: the point table is not verified, so the app gives no points"
NOTES = [
    "Classification criteria, for research: not a diagnostic rule.",
    "The per-item weights of the nine domains (threshold ≥ 55 points) have not been verified, so the app "
    "gives no points: each domain is listed with the patient's finding.",
    "Validation: sensitivity 82 %, specificity 98 %.",
]
YOUNG_NOTE = ("Onset before 3 years: non-genetic CNO is rare at this age (consider DIRA, Majeed "
              "syndrome).")
YN = {True: "yes", False: "no", None: "unknown"}  # derived facts: computed, so "unknown", not "not recorded"
COEXISTING = ("palmoplantar_pustulosis", "psoriasis", "severe_acne", "inflammatory_bowel_disease", "arthritis")
MIMIC = {True: "confirmed", False: "excluded", None: "not assessed"}


def _onset_missing(f: Facts) -> list[str]:
    """The inputs actually missing for the onset age (never a field that is recorded)."""
    c = f.case
    missing = []
    if c.symptoms.first_symptom_date is None and c.symptoms.onset_age_years is None:
        missing += ["symptoms.first_symptom_date", "symptoms.onset_age_years"]
    if c.patient.date_of_birth is None and c.patient.age_years is None:
        missing.append("patient.date_of_birth")
    elif c.patient.date_of_birth is not None and c.symptoms.first_symptom_date is None and c.encounter.date is None:
        missing.append("encounter.date")
    return missing


def _entry(f: Facts) -> list[ItemResult]:
    c = f.case
    onset = f.onset_below(ONSET_BEFORE)
    if f.onset_age is not None:
        onset_ev = f"onset at {f.onset_age:.1f} y"
    elif f.age is not None and onset:
        onset_ev = f"age {f.age:.1f} y, so onset before 18 (onset is not later than the current age)"
    elif f.age is not None:
        onset_ev = f"age {f.age:.1f} y; onset age unknown (first symptom date not recorded)"
    else:
        onset_ev = "age and onset unknown"
    weeks: Tri = None if f.weeks is None else f.weeks >= MIN_WEEKS
    weeks_ev = "symptom duration unknown" if f.weeks is None else f"symptoms for {f.weeks:.1f} weeks"
    weeks_missing = [p for p, v in (("symptoms.first_symptom_date", c.symptoms.first_symptom_date),
                                    ("encounter.date", c.encounter.date)) if v is None]
    seen = [les for les in f.lesions if set(les.modalities) & set(IMAGING_MODALITIES)]
    imaging: Tri = True if seen else (None if not f.lesions or any(not les.modalities for les in f.lesions) else False)
    imaging_ev = (", ".join(labels.lesion_label(les.bone, les.side, les.level) for les in seen) + " on radiograph/MRI"
                  if seen else "no lesion seen on radiograph or MRI recorded")
    imaging_missing = (["imaging.lesions"] if not f.lesions else
                       [f"imaging.lesions[{i}].modalities" for i, les in enumerate(f.lesions) if not les.modalities])
    return [
        item("onset_before_18", LABELS["onset_before_18"], onset, onset_ev, _onset_missing(f)),
        item("symptoms_6_weeks", LABELS["symptoms_6_weeks"], weeks, weeks_ev, weeks_missing),
        item("typical_imaging", LABELS["typical_imaging"], imaging, imaging_ev, imaging_missing),
    ]


def _exclusions(f: Facts) -> list[ItemResult]:
    c = f.case.model_copy(update={"mimics": f.mimics})  # v4: each mimic as of now (§13.1)
    bx = c.biopsies
    malignancy = any_of([c.mimics.malignancy] + [True for b in bx if b.histology in MALIGNANT_HISTOLOGY])
    infection = any_of(
        [c.mimics.infection] + ([True] if c.labs.blood_culture == "positive" else [])
        + [True for b in bx if b.culture == "positive" or b.histology in INFECTIOUS_HISTOLOGY]
        + [True for t in c.treatments if t.drug_class == "antibiotic" and t.response == "complete"])

    def absent(id: str, present: Tri, evidence: str, missing: list[str]) -> ItemResult:
        # The item is "exclusion absent": met when the mimic is excluded, not met when present.
        return item(id, LABELS[id], None if present is None else not present, evidence, missing)

    # "not assessed" only when nothing else settles it: beside a positive culture it reads as a contradiction.
    mal_ev = "; ".join(filter(None, [
        f"malignancy {MIMIC[c.mimics.malignancy]}" if c.mimics.malignancy is not None or malignancy is None else "",
        "malignant histology on biopsy" if any(b.histology in MALIGNANT_HISTOLOGY for b in bx) else ""]))
    inf_ev = "; ".join(filter(None, [
        f"infection {MIMIC[c.mimics.infection]}" if c.mimics.infection is not None or infection is None else "",
        "positive blood culture" if c.labs.blood_culture == "positive" else "",
        "positive bone culture" if any(b.culture == "positive" for b in bx) else "",
        "infective histology" if any(b.histology in INFECTIOUS_HISTOLOGY for b in bx) else "",
        "complete response to antibiotics" if any(
            t.drug_class == "antibiotic" and t.response == "complete" for t in c.treatments) else ""]))
    return [
        absent("no_malignancy", malignancy, mal_ev, ["mimics.malignancy"]),
        absent("no_infection", infection, inf_ev, ["mimics.infection"]),
        absent("no_vitamin_c_deficiency", c.mimics.vitamin_c_deficiency,
               f"vitamin C deficiency {MIMIC[c.mimics.vitamin_c_deficiency]}", ["mimics.vitamin_c_deficiency"]),
        absent("no_hypophosphatasia", c.mimics.hypophosphatasia,
               f"hypophosphatasia {MIMIC[c.mimics.hypophosphatasia]}", ["mimics.hypophosphatasia"]),
    ]


def _domains(f: Facts) -> list[ItemResult]:
    c = f.case
    sites = ", ".join(labels.lesion_label(les.bone, les.side, les.level) for les in f.lesions) or "no lesions recorded"
    pattern = (f"{f.bones} bone(s); multifocal {YN[f.multifocal]}; symmetric {YN[f.symmetric]}"
               if f.lesions else "no lesions recorded")
    onset = f"{f.onset_age:.1f} y" if f.onset_age is not None else "unknown"
    # The patient's own associated diseases (a family history, scurvy risks or HLA-B27 are not).
    assoc_all = {k: getattr(c.associated, k) for k in COEXISTING}
    assoc = [labels.field_label(f"associated.{k}") for k, v in assoc_all.items() if v]
    unrecorded = [k for k, v in assoc_all.items() if v is None]
    # "none" only when every condition is recorded absent: not recorded is never worded as no.
    no_assoc = ("none" if not unrecorded else "not recorded" if len(unrecorded) == len(assoc_all)
                else "none recorded as present; not recorded: "
                + ", ".join(labels.field_label(f"associated.{k}").lower() for k in unrecorded))
    fever = ("normal temperature" if f.temperature_normal else "fever" if f.temperature_normal is False
             else "not recorded")
    biopsy = "; ".join(f"{labels.value_label('histology', b.histology).split(' (')[0]}, culture "
                       f"{labels.value_label('culture', b.culture).lower()}" for b in c.biopsies) or "no biopsy"
    hb = f.readings["hemoglobin"]
    anaemia = ("not recorded" if hb.value is None else f"haemoglobin {hb.value_text}, " + (
        f"{hb.status} ({hb.range_text})" if hb.status != "unknown" else f"normality unknown ({hb.reason})"))
    esr = f.readings["esr"]
    findings = {
        "domain_site": sites, "domain_pattern": pattern, "domain_onset_age": onset,
        "domain_coexisting": ", ".join(assoc) or no_assoc, "domain_fever": fever,
        "domain_biopsy": biopsy, "domain_anaemia": anaemia, "domain_crp": f.crp_text(),
        "domain_esr": f"ESR {units.fmt_number(esr.value)} mm/h" if esr.value is not None else "ESR not recorded",
    }
    return [ItemResult(id=k, label=v, status="unknown", points=None,
                       evidence=f"{findings[k]} (no points: weight not verified)") for k, v in DOMAINS.items()]


def evaluate(f: Facts) -> CriteriaResult:
    gate = _entry(f) + _exclusions(f)
    # not_met when an entry item fails or an exclusion is present; otherwise the unbundled
    # weighted score leaves it indeterminate.
    status = "not_met" if all_of(tri_of(i) for i in gate) is False else "indeterminate"
    notes = list(NOTES)
    if status == "indeterminate":
        notes.insert(0, f"Indeterminate: {NOT_BUNDLED}.")
    if f.onset_below(YOUNG_ONSET):
        notes.append(YOUNG_NOTE)
    items = gate + _domains(f)
    return CriteriaResult(id=ID, name=NAME, kind="classification", source=source(SOURCE_KEY).citation,
                          source_key=SOURCE_KEY, status=status, threshold=None,
                          threshold_label=f"{WEIGHTED_THRESHOLD_TEXT} (weights not verified: no points given)", items=items,
                          missing=set_missing(status, gate), notes=notes)
