"""Human labels for every enum value, field and analyte, defined once for the window, PDF and CLI.

`choices(kind)` gives the (value, label) pairs of a choice field in display order;
`field_label("labs.crp")` the label of a case field path; `value_label(kind, value)` one choice.
LOINC codes for the lab table are here too (clinical-rules.md §10).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

NOT_RECORDED = "Not recorded"

_CHOICES: dict[str, dict[str, str]] = {
    # The kind of a criteria set (assessment-output.md), as the pane, the note and the CLI say it.
    "criteria_kind": {"diagnostic": "Diagnostic criteria",
                      "classification": "Classification criteria (for research; not a diagnostic rule)",
                      "score": "Score"},
    "sex": {"female": "Female", "male": "Male", "other": "Other"},
    "fever_pattern": {"none": "None", "episodic": "Episodic", "persistent": "Persistent",
                      "reported": "Reported (pattern and maximum not recorded)"},
    "culture": {"negative": "Negative", "positive": "Positive", "not_done": "Not done"},
    "whole_body_survey": {"whole_body_mri": "Whole-body MRI", "bone_scan": "Bone scan",
                          "pet_ct": "PET-CT", "none": "None done"},
    "side": {"left": "Left", "right": "Right", "midline": "Midline"},
    "segment": {"epiphysis": "Epiphysis", "metaphysis": "Metaphysis", "diaphysis": "Diaphysis",
                "vertebral_body": "Vertebral body", "posterior_elements": "Posterior elements",
                "other": "Other"},
    "modality": {"radiograph": "Radiograph", "mri": "MRI", "whole_body_mri": "Whole-body MRI",
                 "bone_scan": "Bone scan", "ct": "CT", "pet_ct": "PET-CT"},
    "bone": {
        "skull": "Skull", "mandible": "Mandible", "clavicle": "Clavicle", "sternum": "Sternum",
        "rib": "Rib", "scapula": "Scapula", "humerus": "Humerus", "radius": "Radius", "ulna": "Ulna",
        "hand": "Hand", "vertebra": "Vertebra", "sacrum": "Sacrum", "pelvis": "Pelvis",
        "femur": "Femur", "patella": "Patella", "tibia": "Tibia", "fibula": "Fibula",
        "calcaneus": "Calcaneus", "talus": "Talus", "tarsal_other": "Other tarsal bone",
        "metatarsal": "Metatarsal", "foot_phalanx": "Toe phalanx", "other": "Other bone",
    },
    "histology": {
        "chronic_inflammation": "Chronic inflammation (plasma cells, osteoclasts, fibrosis or sclerosis)",
        "acute_osteomyelitis": "Acute osteomyelitis", "granulomatous": "Granulomatous",
        "malignancy": "Malignancy", "langerhans_cell_histiocytosis": "Langerhans cell histiocytosis",
        "normal_bone": "Normal bone", "nondiagnostic": "Non-diagnostic",
    },
    "drug_class": {"antibiotic": "Antibiotic", "nsaid": "NSAID", "glucocorticoid": "Glucocorticoid",
                   "bisphosphonate": "Bisphosphonate", "dmard": "DMARD",
                   "tnf_inhibitor": "TNF-α inhibitor", "other": "Other"},
    "response": {"none": "No response", "partial": "Partial response", "complete": "Complete response"},
    "item_status": {"met": "Met", "not_met": "Not met", "unknown": "Unknown"},
    "set_status": {"met": "Met", "not_met": "Not met", "indeterminate": "Indeterminate"},
    # Rules v2 §6 tiers and §8.0/§12 modes, as every view says them.
    "tier": {"urgent": "Urgent", "exclude_first": "Exclude first", "caution": "Caution"},
    "mode": {"cno": "Findings consistent with CNO", "workup": "CNO not established — work-up needed",
             "alternative_diagnosis": "Alternative diagnosis recorded"},
    "lab_status": {"low": "Low", "normal": "Normal", "high": "High", "unknown": "Normality unknown"},
    # v4: follow-up visits (clinical-rules.md §13)
    "stop_reason": {"inefficacy": "Not effective", "adverse_event": "Adverse event",
                    "remission": "Remission", "completed": "Course completed", "other": "Other"},
    "lesion_status": {"new": "New", "improved": "Improved", "unchanged": "Unchanged", "worse": "Worse",
                      "resolved": "Resolved (no bone oedema left)"},
    "activity": {"active": "Active disease", "no_sign": "No sign of active disease recorded",
                 "unknown": "Activity unknown"},
    "alert_tier": {"urgent": "Urgent", "act": "Act"},
    "monitoring_status": {"up_to_date": "Up to date", "due": "Due", "overdue": "Overdue"},
}
# Aliases: the same value set under the name of the field that uses it.
_CHOICES["blood_culture"] = _CHOICES["culture"]
_CHOICES["survey"] = _CHOICES["whole_body_survey"]


@dataclass(frozen=True)
class Analyte:
    key: str
    name: str  # display name, e.g. "CRP"
    loinc: str  # clinical-rules.md §10 ("" where the spec gives none)


ANALYTES: dict[str, Analyte] = {a.key: a for a in [
    Analyte("wbc", "WBC", "6690-2"),
    Analyte("neutrophils", "Neutrophils", "751-8"),
    Analyte("band_neutrophils", "Band neutrophils", ""),
    Analyte("hemoglobin", "Haemoglobin", "718-7"),
    Analyte("platelets", "Platelets", "777-3"),
    Analyte("crp", "CRP", "1988-5"),
    Analyte("esr", "ESR", "30341-2"),
    Analyte("ldh", "LDH", "2532-0"),
    Analyte("alkaline_phosphatase", "Alkaline phosphatase", "6768-6"),
    # v4 (monitoring); §10 gives no LOINC code for these
    Analyte("alt", "ALT", ""),
    Analyte("creatinine", "Creatinine", ""),
    Analyte("calcium", "Calcium", ""),
    Analyte("vitamin_d_25oh", "25-OH vitamin D", ""),
]}

# Units as printed (the stored unit strings are ASCII).
UNIT_LABELS: dict[str, str] = {
    "10^9/L": "×10⁹/L", "10^3/uL": "×10³/µL", "10^6/L": "×10⁶/L", "cells/uL": "cells/µL",
    "g/L": "g/L", "g/dL": "g/dL", "mg/L": "mg/L", "mg/dL": "mg/dL", "mm/h": "mm/h", "U/L": "U/L",
    "umol/L": "µmol/L", "mmol/L": "mmol/L", "nmol/L": "nmol/L", "ng/mL": "ng/mL",
}

_FIELDS: dict[str, str] = {
    "patient.name": "Name", "patient.mrn": "MRN", "patient.date_of_birth": "Date of birth",
    "patient.age_years": "Age (years)", "patient.sex": "Sex", "patient.weight_kg": "Weight (kg)",
    "patient.height_cm": "Height (cm)",
    "encounter.date": "Encounter date", "encounter.clinician": "Clinician",
    "encounter.service": "Service", "encounter.referring_clinician": "Referring clinician",
    "encounter.reason": "Reason for referral", "encounter.next_review_date": "Next review date",
    "symptoms.bone_pain": "Bone pain", "symptoms.localized_swelling": "Localised swelling",
    "symptoms.focal_tenderness": "Focal tenderness",
    "symptoms.warmth_erythema": "Local warmth or erythema", "symptoms.night_pain": "Night pain",
    "symptoms.max_temperature_c": "Highest temperature (°C)", "symptoms.fever_pattern": "Fever pattern",
    "symptoms.malaise": "Malaise", "symptoms.weight_loss": "Weight loss",
    "symptoms.hepatosplenomegaly": "Hepatosplenomegaly", "symptoms.lymphadenopathy": "Lymphadenopathy",
    "symptoms.first_symptom_date": "First symptom date", "symptoms.episodes": "Number of episodes",
    "symptoms.onset_age_years": "Age at onset (years)", "symptoms.gingival_bleeding": "Gingival bleeding",
    "symptoms.petechiae": "Petechiae",
    "associated.palmoplantar_pustulosis": "Palmoplantar pustulosis",
    "associated.psoriasis": "Psoriasis", "associated.severe_acne": "Severe acne",
    "associated.inflammatory_bowel_disease": "Inflammatory bowel disease",
    "associated.arthritis": "Arthritis",
    "associated.family_history_autoinflammatory": "Family history (psoriasis, IBD or CRMO)",
    "associated.restricted_diet": "Restricted diet", "associated.malabsorption": "Malabsorption",
    "associated.neurodevelopmental_disorder": "Neurodevelopmental disorder (autism, developmental delay)",
    "associated.hla_b27": "HLA-B27 positive",
    "mimics.malignancy": "Malignancy", "mimics.infection": "Infection",
    "mimics.vitamin_c_deficiency": "Vitamin C deficiency", "mimics.hypophosphatasia": "Hypophosphatasia",
    "mimics.monogenic": "Monogenic autoinflammatory disease",
    "labs.blood_culture": "Blood culture", "labs.peripheral_smear_blasts": "Blasts on blood film",
    "imaging.whole_body_survey": "Whole-body survey", "imaging.last_mri_date": "Last MRI date",
    "imaging.lesions": "Lesions",
    "lesion.bone": "Bone", "lesion.level": "Vertebral level", "lesion.side": "Side",
    "lesion.segment": "Segment", "lesion.modalities": "Seen on", "lesion.lytic": "Lytic",
    "lesion.sclerosis": "Marginal sclerosis", "lesion.new_bone_formation": "New bone formation",
    "lesion.marrow_edema": "Bone marrow oedema", "lesion.hyperostosis": "Hyperostosis",
    "lesion.soft_tissue_mass": "Soft-tissue mass", "lesion.cortical_destruction": "Cortical destruction",
    "lesion.vertebral_collapse": "Vertebral collapse",
    "lesion.permeative_destruction": "Permeative (moth-eaten) destruction",
    "lesion.aggressive_periosteal_reaction": "Aggressive periosteal reaction (onion-skin, sunburst, Codman)", "lesion.symptomatic": "Symptomatic",
    "lesion.notes": "Notes",
    "biopsies": "Biopsy", "biopsy.date": "Biopsy date", "biopsy.lesion_id": "Lesion sampled",
    "biopsy.histology": "Histology", "biopsy.culture": "Bone culture",
    "biopsy.on_antibiotics_at_biopsy": "On antibiotics at biopsy",
    "treatments": "Treatments", "treatment.drug": "Drug", "treatment.drug_class": "Drug class",
    "treatment.start_date": "Start date", "treatment.end_date": "End date", "treatment.dose": "Dose",
    "treatment.response": "Response",
    "impression": "Impression", "plan_notes": "Plan notes",
    # v4
    "treatment.stop_reason": "Reason stopped",
    "measures": "Measures",
    "measures.pain": "Pain (0–10)", "measures.patient_global": "Patient's global assessment (0–10)",
    "measures.physician_global": "Physician's global assessment (0–10)",
    "measures.chaq": "CHAQ disability index (0–3)",
    "measures.clinically_active_lesions": "Clinically active lesions",
    "visits": "Visits", "visit.id": "Visit", "visit.date": "Visit date", "visit.clinician": "Clinician",
    "visit.weight_kg": "Weight (kg)", "visit.height_cm": "Height (cm)",
    "visit.max_temperature_c": "Highest temperature since the last visit (°C)",
    "visit.measures": "Measures", "visit.labs": "Labs", "visit.mri_date": "MRI date",
    "visit.whole_body_mri": "Whole-body MRI", "visit.lesion_status": "Lesion status on MRI",
    "visit.adverse_events": "Adverse events", "visit.notes": "Notes",
    "visit.next_review_date": "Next review date",
}
# The anchors of each measure's scale, in words (clinical-rules.md §13.2).
MEASURE_ANCHORS: dict[str, str] = {
    "pain": "0 = no pain … 10 = very severe",
    "patient_global": "0 = not active at all … 10 = very active",
    "physician_global": "0 = no activity … 10 = maximum activity",
    "chaq": "0 = no disability … 3 = severe disability",
    "clinically_active_lesions": "sites with pain and focal tenderness, swelling or warmth today",
}
# The measures without their scale, as the course table and its changes name them.
MEASURE_NAMES: dict[str, str] = {
    "pain": "pain", "patient_global": "patient global", "physician_global": "physician global",
    "chaq": "CHAQ", "clinically_active_lesions": "clinically active lesions",
    "crp_mg_l": "CRP", "esr_mm_h": "ESR", "mri_active_lesions": "MRI-active lesions",
}
for _a in ANALYTES.values():
    _FIELDS[f"labs.{_a.key}"] = _a.name


def lower_first(text: str) -> str:
    """"Cytopenia" → "cytopenia", but "CRP at…" and "LDH above…" keep their capitals (a label inside a sentence)."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def choices(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs of a choice field, e.g. choices("bone")."""
    return list(_CHOICES[kind].items())


def value_label(kind: str, value: Any) -> str:
    """The label of one choice value; "Not recorded" for None; the raw value if unknown."""
    if value is None:
        return NOT_RECORDED
    return _CHOICES.get(kind, {}).get(value, str(value).replace("_", " "))


def field_label(path: str) -> str:
    """Label of a case field path: "labs.crp" → "CRP", "imaging.lesions[0].bone" → "Bone"."""
    if path in _FIELDS:
        return _FIELDS[path]
    # "imaging.lesions[2].sclerosis" → "lesion.sclerosis"; "biopsies[0].culture" → "biopsy.culture"
    if path.startswith("visits[") and "]." in path:  # v4: "visits[1].measures.pain", "visits[0].labs.crp"
        tail = path.split("].", 1)[1]
        for key in (f"visit.{tail}", tail):
            if key in _FIELDS:
                return _FIELDS[key]
    for prefix, name in (("imaging.lesions[", "lesion."), ("biopsies[", "biopsy."), ("treatments[", "treatment.")):
        if path.startswith(prefix) and "]." in path:
            key = name + path.split("].", 1)[1]
            if key in _FIELDS:
                return _FIELDS[key]
    # A whole list item ("imaging.lesions[0]"): never print the index, name the item as the tab does.
    for prefix, name in (("imaging.lesions[", "Lesion"), ("biopsies[", "Biopsy"), ("treatments[", "Treatment")):
        if path.startswith(prefix) and path.endswith("]") and path[len(prefix):-1].isdigit():
            return f"{name} {int(path[len(prefix):-1]) + 1}"
    tail = path.rsplit(".", 1)[-1].replace("_", " ")
    return tail[:1].upper() + tail[1:]


def analyte_name(analyte: str) -> str:
    return ANALYTES[analyte].name


def unit_label(unit: str) -> str:
    return UNIT_LABELS.get(unit, unit)


def lesion_label(bone: str, side: str | None = None, level: str | None = None) -> str:
    """"Left tibia", "Vertebra T7", "Sternum"."""
    text = value_label("bone", bone)
    if level:
        text = f"{text} {level}"
    if side in ("left", "right"):
        text = f"{value_label('side', side)} {text[:1].lower() + text[1:]}"
    return text
