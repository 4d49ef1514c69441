"""The case: pydantic models of a `.crmo` file (see shared/spec/case-format.md).

Every clinical field is optional: ``None`` means "not recorded" and is never read as "no" or
"normal". ``False`` means "recorded as absent". The models validate at the boundary (file load,
widget edits) and are plain data everywhere else. Units and allowed values are checked here so
that the criteria engine can trust what it reads.
"""
from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

FORMAT_ID = "crmo-consult/case"
# Version rule (after napari/Spyder): bump for every added field, with a migration step in
# desktop_app/storage/migrations.py; fields are never renamed or dropped (case-format.md).
# v2 adds `plan_edits` (the clinician's decisions on proposed plan lines); v3 the fields of rules
# version 2 (fever "reported", onset age, scurvy signs and risks, HLA-B27, monogenic disease, two
# aggressive imaging features, next review date); v4 follow-up visits (`measures`, `visits`,
# treatment `stop_reason`, labs `alt`, `creatinine`, `calcium`, `vitamin_d_25oh`).
SCHEMA_VERSION = 5

Sex = Literal["female", "male", "other"]
FeverPattern = Literal["none", "episodic", "persistent", "reported"]
CultureResult = Literal["negative", "positive", "not_done"]
Survey = Literal["whole_body_mri", "bone_scan", "pet_ct", "none"]
Side = Literal["left", "right", "midline"]
Segment = Literal[
    "epiphysis", "metaphysis", "diaphysis", "vertebral_body", "posterior_elements", "other"
]
Modality = Literal["radiograph", "mri", "whole_body_mri", "bone_scan", "ct", "pet_ct"]
Bone = Literal[
    "skull", "mandible", "clavicle", "sternum", "rib", "scapula", "humerus", "radius", "ulna",
    "hand", "vertebra", "sacrum", "pelvis", "femur", "patella", "tibia", "fibula", "calcaneus",
    "talus", "tarsal_other", "metatarsal", "foot_phalanx", "other",
]
Histology = Literal[
    "chronic_inflammation", "acute_osteomyelitis", "granulomatous", "malignancy",
    "langerhans_cell_histiocytosis", "normal_bone", "nondiagnostic",
]
DrugClass = Literal[
    "antibiotic", "nsaid", "glucocorticoid", "bisphosphonate", "dmard", "tnf_inhibitor", "other"
]
Response = Literal["none", "partial", "complete"]
StopReason = Literal["inefficacy", "adverse_event", "remission", "completed", "other"]  # v4
# v4: a lesion as one visit's MRI shows it ("resolved" = no bone oedema left).
LesionStatus = Literal["new", "improved", "unchanged", "worse", "resolved"]

# Bones without a side (case-format.md); the mandible may still carry one.
UNPAIRED_BONES: frozenset[str] = frozenset({"skull", "mandible", "sternum", "vertebra", "sacrum", "other"})

# Allowed units per analyte: the first is canonical; others are accepted as the same number
# (10^3/uL == 10^9/L; cells/uL == 10^6/L) or converted in desktop_app/case/units.py.
LAB_UNITS: dict[str, tuple[str, ...]] = {
    "wbc": ("10^9/L", "10^3/uL"),
    "neutrophils": ("10^9/L", "10^3/uL"),
    "band_neutrophils": ("cells/uL", "10^6/L"),
    "hemoglobin": ("g/L", "g/dL"),
    "platelets": ("10^9/L", "10^3/uL"),
    "crp": ("mg/L", "mg/dL"),
    "esr": ("mm/h",),
    "ldh": ("U/L",),
    "alkaline_phosphatase": ("U/L",),
    # v4 (monitoring at follow-up); conversions in desktop_app/case/units.py
    "alt": ("U/L",),
    "creatinine": ("umol/L", "mg/dL"),
    "calcium": ("mmol/L", "mg/dL"),
    "vitamin_d_25oh": ("nmol/L", "ng/mL"),
}


class _Model(BaseModel):
    # forbid: a typo or a renamed key in a file is an error, not silently dropped data.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Patient(_Model):
    name: str = ""
    mrn: str = ""
    date_of_birth: Optional[dt.date] = None
    age_years: Optional[float] = Field(None, ge=0, le=120)
    sex: Optional[Sex] = None
    weight_kg: Optional[float] = Field(None, ge=0.5, le=300)
    height_cm: Optional[float] = Field(None, ge=30, le=250)


class Encounter(_Model):
    date: Optional[dt.date] = None
    next_review_date: Optional[dt.date] = None  # v3
    clinician: str = ""
    service: str = ""
    referring_clinician: str = ""
    reason: str = ""


class Symptoms(_Model):
    bone_pain: Optional[bool] = None
    localized_swelling: Optional[bool] = None
    focal_tenderness: Optional[bool] = None
    warmth_erythema: Optional[bool] = None
    night_pain: Optional[bool] = None
    max_temperature_c: Optional[float] = Field(None, ge=30, le=45)
    fever_pattern: Optional[FeverPattern] = None
    onset_age_years: Optional[float] = Field(None, ge=0, le=120)  # v3: when no first-symptom date
    gingival_bleeding: Optional[bool] = None  # v3
    petechiae: Optional[bool] = None  # v3
    malaise: Optional[bool] = None
    weight_loss: Optional[bool] = None
    hepatosplenomegaly: Optional[bool] = None
    lymphadenopathy: Optional[bool] = None
    first_symptom_date: Optional[dt.date] = None
    episodes: Optional[int] = Field(None, ge=1)


class Associated(_Model):
    palmoplantar_pustulosis: Optional[bool] = None
    psoriasis: Optional[bool] = None
    severe_acne: Optional[bool] = None
    inflammatory_bowel_disease: Optional[bool] = None
    arthritis: Optional[bool] = None
    family_history_autoinflammatory: Optional[bool] = None
    # v3: risk factors for vitamin C deficiency, and HLA-B27 (True = positive)
    restricted_diet: Optional[bool] = None
    neurodevelopmental_disorder: Optional[bool] = None
    malabsorption: Optional[bool] = None
    hla_b27: Optional[bool] = None


class Mimics(_Model):
    """True = confirmed, False = tested and excluded, None = not assessed."""

    malignancy: Optional[bool] = None
    infection: Optional[bool] = None
    vitamin_c_deficiency: Optional[bool] = None
    hypophosphatasia: Optional[bool] = None
    monogenic: Optional[bool] = None  # v3: True = pathogenic variant found, False = testing negative


class LabValue(_Model):
    value: float = Field(ge=0)
    unit: str
    ref_low: Optional[float] = None
    ref_high: Optional[float] = None
    date: Optional[dt.date] = None


class Labs(_Model):
    wbc: Optional[LabValue] = None
    neutrophils: Optional[LabValue] = None
    band_neutrophils: Optional[LabValue] = None
    hemoglobin: Optional[LabValue] = None
    platelets: Optional[LabValue] = None
    crp: Optional[LabValue] = None
    esr: Optional[LabValue] = None
    ldh: Optional[LabValue] = None
    alkaline_phosphatase: Optional[LabValue] = None
    alt: Optional[LabValue] = None  # v4
    creatinine: Optional[LabValue] = None  # v4
    calcium: Optional[LabValue] = None  # v4
    vitamin_d_25oh: Optional[LabValue] = None  # v4
    blood_culture: Optional[CultureResult] = None
    peripheral_smear_blasts: Optional[bool] = None

    @model_validator(mode="after")
    def _units_allowed(self) -> "Labs":
        for analyte, allowed in LAB_UNITS.items():
            lab = getattr(self, analyte)
            if lab is not None and lab.unit not in allowed:
                raise ValueError(
                    f"labs.{analyte}: unit {lab.unit!r} is not allowed "
                    f"(allowed: {', '.join(allowed)})"
                )
        return self


class Lesion(_Model):
    id: str = ""
    bone: Bone
    level: Optional[str] = None
    side: Optional[Side] = None
    segment: Optional[Segment] = None
    modalities: list[Modality] = Field(default_factory=list)
    lytic: Optional[bool] = None
    sclerosis: Optional[bool] = None
    new_bone_formation: Optional[bool] = None
    marrow_edema: Optional[bool] = None
    hyperostosis: Optional[bool] = None
    soft_tissue_mass: Optional[bool] = None
    cortical_destruction: Optional[bool] = None
    vertebral_collapse: Optional[bool] = None
    permeative_destruction: Optional[bool] = None  # v3
    aggressive_periosteal_reaction: Optional[bool] = None  # v3
    symptomatic: Optional[bool] = None
    notes: str = ""

    @field_validator("level")
    @classmethod
    def _strip_level(cls, v: Optional[str]) -> Optional[str]:
        v = v.strip().upper() if v else None
        return v or None


# An app limit, not part of the case format (README, "Case files"): a real case has a few dozen
# lesions at most, and every lesion is drawn, assessed and printed (10,000 took 18 s to print).
MAX_LESIONS = 200
TOO_MANY_LESIONS = f"a case holds at most {MAX_LESIONS} lesions"


class Imaging(_Model):
    whole_body_survey: Optional[Survey] = None
    last_mri_date: Optional[dt.date] = None
    lesions: list[Lesion] = Field(default_factory=list, max_length=MAX_LESIONS)


class Biopsy(_Model):
    date: Optional[dt.date] = None
    lesion_id: Optional[str] = None
    histology: Optional[Histology] = None
    culture: Optional[CultureResult] = None
    on_antibiotics_at_biopsy: Optional[bool] = None
    mycobacterial_culture: Optional[CultureResult] = None  # v5: tuberculosis culture of the sample
    notes: str = ""


class Treatment(_Model):
    drug: str = ""
    drug_class: Optional[DrugClass] = None
    start_date: Optional[dt.date] = None
    end_date: Optional[dt.date] = None
    dose: str = ""
    response: Optional[Response] = None
    stop_reason: Optional[StopReason] = None  # v4


class Measures(_Model):
    """v4: the measures of one point of the course (clinical-rules.md §13.2); 0 is the best value."""

    pain: Optional[float] = Field(None, ge=0, le=10)
    patient_global: Optional[float] = Field(None, ge=0, le=10)
    physician_global: Optional[float] = Field(None, ge=0, le=10)
    chaq: Optional[float] = Field(None, ge=0, le=3)
    clinically_active_lesions: Optional[int] = Field(None, ge=0, le=MAX_LESIONS)


class LesionFindings(_Model):
    """v5: features of a known lesion first seen at a visit's imaging (case-format.md, `lesion_findings`)."""

    vertebral_collapse: Optional[bool] = None
    soft_tissue_mass: Optional[bool] = None
    cortical_destruction: Optional[bool] = None
    permeative_destruction: Optional[bool] = None
    aggressive_periosteal_reaction: Optional[bool] = None


class Visit(_Model):
    """v4: a follow-up appointment after the first consultation (case-format.md, `visits`).

    The cross-visit rules (a date, lesion ids that exist, `new` once and first) are checked on the
    whole case by desktop_app/case/visits.py, on load and before every save.
    """

    id: str = ""
    date: dt.date
    clinician: str = ""
    weight_kg: Optional[float] = Field(None, ge=0.5, le=300)
    height_cm: Optional[float] = Field(None, ge=30, le=250)
    max_temperature_c: Optional[float] = Field(None, ge=30, le=45)
    max_temperature_date: Optional[dt.date] = None  # v5: when that highest temperature was measured
    measures: Measures = Field(default_factory=Measures)
    labs: Labs = Field(default_factory=Labs)
    mri_date: Optional[dt.date] = None
    whole_body_mri: Optional[bool] = None
    lesion_status: dict[str, LesionStatus] = Field(default_factory=dict)
    lesion_findings: dict[str, LesionFindings] = Field(default_factory=dict)  # v5
    # v5: exclusions recorded at this visit (clinical-rules.md §13.1, dated exclusions)
    mimics: Mimics = Field(default_factory=Mimics)
    adverse_events: str = ""
    notes: str = ""
    next_review_date: Optional[dt.date] = None


class PlanLineEdit(_Model):
    """The clinician's decision on one proposed plan line (schema v2)."""

    decision: Literal["accepted", "edited", "removed"]
    text: str = ""  # the clinician's wording when decision == "edited"


class Case(_Model):
    format: Literal["crmo-consult/case"] = FORMAT_ID
    schema_version: int = SCHEMA_VERSION
    app_version: Optional[str] = None
    saved_at: Optional[dt.datetime] = None
    patient: Patient = Field(default_factory=Patient)
    encounter: Encounter = Field(default_factory=Encounter)
    symptoms: Symptoms = Field(default_factory=Symptoms)
    associated: Associated = Field(default_factory=Associated)
    mimics: Mimics = Field(default_factory=Mimics)
    labs: Labs = Field(default_factory=Labs)
    imaging: Imaging = Field(default_factory=Imaging)
    biopsies: list[Biopsy] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    impression: str = ""
    plan_notes: str = ""
    # v2: keyed by the plan line id that desktop_app/plan produces.
    plan_edits: dict[str, PlanLineEdit] = Field(default_factory=dict)
    # v4: the first consultation's measures, and the follow-up visits (in date order).
    measures: Measures = Field(default_factory=Measures)
    visits: list[Visit] = Field(default_factory=list)
