"""Every code the FHIR export writes, with its source (docs/fhir.md lists them for a reader).

Plain data, no fhir.resources: the tests and the docs read these tables. A code is given only where
clinical-rules.md or a verified source gives it; where none is verified an observation carries the
app's own code (APP_SYSTEM) and its words, never a guessed LOINC code.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from desktop_app.case.labels import ANALYTES, MEASURE_ANCHORS

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ORPHANET = "http://www.orpha.net"
# FHIR's own code systems (hl7.org/fhir/R4B terminology).
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
CLINICAL_STATUS = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VERIFICATION_STATUS = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
DOSE_RATE_TYPE = "http://terminology.hl7.org/CodeSystem/dose-rate-type"
# The app's own code system for measures without a verified LOINC code: a fixed URN that names no
# host (docs/fhir.md, "The app's own codes").
APP_SYSTEM = "urn:uuid:d7275f56-52cf-4c2a-a120-525284a4a838"

CONSULT_NOTE = ("11488-4", "Consult note")  # LOINC, the document's type (issue 25)
# Composition sections (LOINC document section codes).
SECTION_ASSESSMENT_PLAN = ("51847-2", "Evaluation + Plan note")
SECTION_RESULTS = ("30954-2", "Relevant diagnostic tests/laboratory data Narrative")
SECTION_PLAN_OF_CARE = ("18776-5", "Plan of care note")
SECTION_PROBLEMS = ("11450-4", "Problem list - Reported")
SECTION_MEDICATIONS = ("10160-0", "History of Medication use Narrative")
# clinical-rules.md §10 gives the code (marked unverified there): written without a display name.
ORPHA_CNO = "ORPHA:324964"

INTERPRETATION_CODES = {"high": ("H", "High"), "low": ("L", "Low"), "normal": ("N", "Normal")}

# The case file's unit strings (case/models.py LAB_UNITS) as UCUM codes.
UCUM_OF_UNIT = {
    "10^9/L": "10*9/L", "10^3/uL": "10*3/uL", "10^6/L": "10*6/L", "cells/uL": "/uL",
    "g/L": "g/L", "g/dL": "g/dL", "mg/L": "mg/L", "mg/dL": "mg/dL", "mm/h": "mm/h", "U/L": "U/L",
    "umol/L": "umol/L", "mmol/L": "mmol/L", "nmol/L": "nmol/L", "ng/mL": "ng/mL",
}


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str


def _loinc(code: str, display: str) -> Code:
    return Code(LOINC, code, display)


# LOINC by analyte, and by unit where the code's property (mass or substance concentration) depends
# on it. clinical-rules.md §10 gives the first eight (labels.ANALYTES holds them, one source with the
# note's lab table); issue 25 lists the rest (checked against the LOINC table, docs/fhir.md).
_LAB_LOINC: dict[str, dict[Optional[str], Code]] = {
    "alt": {None: _loinc("1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma")},
    "creatinine": {"mg/dL": _loinc("2160-0", "Creatinine [Mass/volume] in Serum or Plasma"),
                   "umol/L": _loinc("14682-9", "Creatinine [Moles/volume] in Serum or Plasma")},
    # Calcium and 25-OH vitamin D in molar units: no code verified, the unit is carried alone.
    "calcium": {"mg/dL": _loinc("17861-6", "Calcium [Mass/volume] in Serum or Plasma")},
    "vitamin_d_25oh": {"ng/mL": _loinc("62292-8", "25-Hydroxyvitamin D2+D3 [Mass/volume] in Serum or Plasma")},
}
BLOOD_CULTURE = _loinc("600-7", "Bacteria identified in Blood by Culture")
WEIGHT = _loinc("29463-7", "Body weight")
HEIGHT = _loinc("8302-2", "Body height")
TEMPERATURE = _loinc("8310-5", "Body temperature")
PAIN = _loinc("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

# Measures with no verified LOINC code: the app's own codes (the code is the case file's field name).
APP_MEASURES = {
    "patient_global": "Patient's global assessment of disease activity (0-10)",
    "physician_global": "Physician's global assessment of disease activity (0-10)",
    "chaq": "CHAQ disability index (0-3)",
    "clinically_active_lesions": "Clinically active lesions (count)",
}
MEASURE_UNITS = {"pain": "{score}", "patient_global": "{score}", "physician_global": "{score}",
                 "chaq": "{score}", "clinically_active_lesions": "{lesions}"}


def lab_code(analyte: str, unit: str) -> Optional[Code]:
    """The LOINC code of a lab value in this unit, or None when none is verified for it."""
    loinc = ANALYTES[analyte].loinc
    if loinc:
        return _loinc(loinc, ANALYTES[analyte].name)
    table = _LAB_LOINC.get(analyte, {})
    return table.get(unit, table.get(None))


def app_code(key: str) -> Code:
    """The app's own code: a lab (by analyte) or a measure without a verified LOINC code."""
    if key in ANALYTES:
        return Code(APP_SYSTEM, f"labs.{key}", ANALYTES[key].name)
    return Code(APP_SYSTEM, f"measures.{key}", APP_MEASURES[key])


def measure_code(key: str) -> Code:
    return PAIN if key == "pain" else app_code(key)


def measure_scale(key: str) -> str:
    """The scale's anchors in words ("0 = no pain … 10 = very severe"), for the observation's note."""
    return MEASURE_ANCHORS[key]
