"""Benchmark inputs: the typical example, a generated many-lesion case, and a generated follow-up
case of many visits with full labs beside the same case without visits (issue 18)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop_app.case.models import SCHEMA_VERSION, Case, LabValue, Labs, Lesion, Measures, Treatment, Visit

REPO = Path(__file__).resolve().parent.parent.parent
_BONES = ["femur", "tibia", "clavicle", "humerus", "radius", "fibula", "calcaneus", "metatarsal", "pelvis", "rib"]


def typical_case_path() -> Path:
    return REPO / "resources" / "examples" / "typical-multifocal.crmo"


def followup_example_path() -> Path:
    return REPO / "resources" / "examples" / "followup-two-visits.crmo"


def large_case(n_lesions: int) -> Case:
    """The typical example with `n_lesions` lesions spread over paired bones and the spine."""
    case = Case.model_validate_json(typical_case_path().read_text(encoding="utf-8"))
    lesions = []
    for i in range(n_lesions):
        if i % 5 == 4:
            lesions.append(Lesion(id=f"L{i+1}", bone="vertebra", level=f"T{i % 12 + 1}",
                                  modalities=["whole_body_mri"], marrow_edema=True))
        else:
            lesions.append(Lesion(id=f"L{i+1}", bone=_BONES[i % len(_BONES)], side=("left", "right")[i % 2],
                                  segment="metaphysis", modalities=["radiograph", "whole_body_mri"],
                                  lytic=True, sclerosis=True, new_bone_formation=True, marrow_edema=True,
                                  symptomatic=i % 3 == 0, notes="Lesion noted on whole-body MRI."))
    case.imaging.lesions = lesions
    return case


# ---- follow-up (issue 18) ------------------------------------------------------------------------
VISIT_EVERY_DAYS = 35
MRI_EVERY = 3  # an MRI with lesion statuses at every third visit
# Lesions first seen at follow-up: id → the visit (0-based) whose MRI marks it `new`.
_NEW_AT = {"L4": 5, "L5": 14, "L6": 26}
_NEW_LESIONS = {"L4": ("femur", "right"), "L5": ("humerus", "left"), "L6": ("fibula", "right")}
_STATUS_CYCLE = ("improved", "unchanged", "worse", "improved", "resolved", "unchanged")


def _lab(value: float, unit: str, low: float | None = None, high: float | None = None) -> LabValue:
    return LabValue(value=round(value, 2), unit=unit, ref_low=low, ref_high=high)


def _full_labs(i: int) -> Labs:
    """Every analyte of the schema, plausible and varying with the visit (no randomness: deterministic)."""
    wave = (i % 7) - 3  # −3 … 3
    return Labs(
        wbc=_lab(6.8 + 0.3 * wave, "10^9/L"), neutrophils=_lab(3.6 + 0.2 * wave, "10^9/L"),
        band_neutrophils=_lab(120 + 10 * wave, "cells/uL"), hemoglobin=_lab(128 + 2 * wave, "g/L"),
        platelets=_lab(300 + 15 * wave, "10^9/L"),
        crp=_lab(max(0.5, 12 - 0.3 * i + 2 * wave), "mg/L"), esr=_lab(max(2, 30 - 0.6 * i + wave), "mm/h"),
        ldh=_lab(220 + 5 * wave, "U/L", 120, 300), alkaline_phosphatase=_lab(250 + 8 * wave, "U/L", 100, 400),
        alt=_lab(24 + 3 * wave + (30 if i == 21 else 0), "U/L", 5, 45),  # one raised ALT mid-course
        creatinine=_lab(45 + i * 0.3 + wave, "umol/L", 30, 75),
        calcium=_lab(2.35 + 0.03 * wave, "mmol/L", 2.15, 2.6), vitamin_d_25oh=_lab(62 + 4 * wave, "nmol/L"),
        peripheral_smear_blasts=False,
    )


def _lesion_status(i: int) -> dict[str, str]:
    """The statuses on this visit's MRI: every lesion known by then, one sometimes left unassessed."""
    out: dict[str, str] = {}
    for k, lid in enumerate(("L1", "L2", "L3", "L4", "L5", "L6")):
        new_at = _NEW_AT.get(lid)
        if new_at is not None and i < new_at:
            continue
        if new_at == i:
            out[lid] = "new"
        elif (i + k) % 5 != 0:  # (i + k) % 5 == 0: not assessed on this MRI
            out[lid] = _STATUS_CYCLE[(i + k) % len(_STATUS_CYCLE)]
    return out


def followup_case(n_visits: int) -> Case:
    """The follow-up example with `n_visits` visits every 5 weeks, each with measures, weight and every
    lab analyte; an MRI with lesion statuses at every third visit and wherever a lesion is first seen;
    naproxen from the start, methotrexate from the third month, pamidronate from the second year.
    Built as a Case; checked against the loader's rules by the caller (`save_case`)."""
    base = Case.model_validate_json(followup_example_path().read_text(encoding="utf-8")).model_copy(
        update={"schema_version": SCHEMA_VERSION})  # the example is a schema 4 file
    seen = base.encounter.date
    assert seen is not None
    mri_visits = {i for i in range(n_visits) if i % MRI_EVERY == MRI_EVERY - 1} | set(_NEW_AT.values())
    visits = []
    for i in range(n_visits):
        when = seen + dt.timedelta(days=VISIT_EVERY_DAYS * (i + 1))
        wave = (i % 7) - 3
        mri = i in mri_visits and i < n_visits
        visits.append(Visit(
            id=f"V{i + 1}", date=when, clinician="Dr A. Example", weight_kg=round(32 + 0.25 * i, 2),
            height_cm=round(142 + 0.5 * i, 1) if i % 4 == 0 else None,
            max_temperature_c=round(36.8 + 0.1 * (i % 4), 1),
            measures=Measures(pain=max(0, 6 - i // 5 + wave // 3), patient_global=max(0, 5 - i // 6),
                              physician_global=max(0, 5 - i // 6), chaq=max(0.0, round(0.375 - 0.0125 * i, 4)),
                              clinically_active_lesions=max(0, 2 - i // 10)),
            labs=_full_labs(i),
            mri_date=when - dt.timedelta(days=3) if mri else None, whole_body_mri=True if mri else None,
            lesion_status=_lesion_status(i) if mri else {},
            adverse_events="Mild nausea the day after methotrexate." if i % 6 == 2 else "",
            notes=f"Follow-up {i + 1}: interval history and examination recorded.",
            next_review_date=when + dt.timedelta(days=VISIT_EVERY_DAYS),
        ))
    new_lesions = [Lesion(id=lid, bone=bone, side=side, segment="metaphysis", modalities=["whole_body_mri"],
                          marrow_edema=True) for lid, (bone, side) in _NEW_LESIONS.items()
                   if _NEW_AT[lid] < n_visits]
    treatments = [
        Treatment(drug="naproxen", drug_class="nsaid", start_date=seen, dose="200 mg twice daily",
                  response="partial"),
        Treatment(drug="methotrexate", drug_class="dmard", start_date=seen + dt.timedelta(days=91),
                  dose="15 mg/m² once weekly"),
        Treatment(drug="pamidronate", drug_class="bisphosphonate", start_date=seen + dt.timedelta(days=400),
                  dose="1 mg/kg/day for 3 days every 3 months"),
    ]
    return base.model_copy(update={
        "visits": visits, "treatments": treatments,
        "imaging": base.imaging.model_copy(update={"lesions": list(base.imaging.lesions) + new_lesions}),
    })


def without_visits(case: Case) -> Case:
    """The same case with no visits: every other field (lesions, treatments, first-consultation labs)
    as it is, so a comparison measures what the visits cost and nothing else."""
    return case.model_copy(update={"visits": []})
