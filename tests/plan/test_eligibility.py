"""CARRA CTP eligibility checklist (Zhao 2018, Table 1): tri-state items with evidence and missing."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.case.models import Biopsy
from desktop_app.plan.eligibility import ctp_eligibility
from tests.plan.helpers import assessment, case


def item(c, id, **derived):
    return next(i for i in ctp_eligibility(c, assessment(**derived)) if i.id == id)


@pytest.mark.parametrize("age,status", [(21.0, "met"), (21.5, "not_met"), (21.01, "not_met"), (None, "unknown")])
def test_age(age, status):
    c = case()
    c.patient.age_years = age
    it = item(c, "age")
    assert it.status == status
    assert bool(it.missing) is (status == "unknown")


def test_age_compares_the_exact_age_not_the_rounded_one():
    c = case()
    c.patient.date_of_birth = dt.date(2005, 11, 6)  # 21 years and 14 days at 2026-11-20: displays as 21.0
    it = item(c, "age", age_years=21.0)
    assert it.status == "not_met" and "past the 21st birthday" in it.evidence
    c.patient.date_of_birth = dt.date(2005, 11, 20)  # the 21st birthday itself
    assert item(c, "age").status == "met"


def test_mri_oedema_within_12_weeks():
    c = case(lesions=[dict(bone="tibia", side="left", modalities=["whole_body_mri"], marrow_edema=True)])
    assert item(c, "mri_oedema").status == "unknown"  # no MRI date
    assert "imaging.last_mri_date" in item(c, "mri_oedema").missing
    c.imaging.last_mri_date = c.encounter.date - dt.timedelta(days=84)
    it = item(c, "mri_oedema")
    assert it.status == "met" and "84 days" in it.evidence and "left tibia" in it.evidence
    c.imaging.last_mri_date = c.encounter.date - dt.timedelta(days=85)
    assert item(c, "mri_oedema").status == "not_met"


def test_mri_without_oedema_is_not_met_and_radiograph_only_is_not_met():
    c = case(lesions=[dict(bone="tibia", side="left", modalities=["mri"], marrow_edema=False)])
    c.imaging.last_mri_date = c.encounter.date
    assert item(c, "mri_oedema").status == "not_met"
    c = case(lesions=[dict(bone="tibia", side="left", modalities=["radiograph"], lytic=True)])
    c.imaging.last_mri_date = c.encounter.date
    assert item(c, "mri_oedema").status == "not_met"


@pytest.mark.parametrize("survey,status", [("whole_body_mri", "met"), ("bone_scan", "met"), ("pet_ct", "not_met"),
                                           ("none", "not_met"), (None, "unknown")])
def test_whole_body_imaging(survey, status):
    c = case()
    c.imaging.whole_body_survey = survey
    assert item(c, "whole_body").status == status


def test_active_disease_after_4_weeks_of_nsaid():
    start = dt.date(2026, 9, 1)
    c = case(lesions=[dict(bone="tibia")],
             treatments=[dict(drug="naproxen", drug_class="nsaid", start_date=start,
                              end_date=start + dt.timedelta(days=27), response="partial")])
    assert item(c, "active_disease").status == "not_met"  # 27 days, no spinal lesion
    c.treatments[0].end_date = start + dt.timedelta(days=28)
    it = item(c, "active_disease")
    assert it.status == "met" and "28 days" in it.evidence
    c.treatments[0].end_date = None  # open course runs to the encounter
    assert item(c, "active_disease").status == "met"
    c.treatments[0].response = "complete"
    assert item(c, "active_disease").status == "not_met"


def test_active_spinal_lesion_regardless_of_nsaid():
    c = case(lesions=[dict(bone="vertebra", level="L2", marrow_edema=True)])
    assert item(c, "active_disease").status == "met"
    c = case(lesions=[dict(bone="vertebra", level="S1", marrow_edema=True)])
    assert item(c, "active_disease").status == "unknown"  # not spinal, but no NSAID course recorded
    assert item(c, "active_disease").missing == ["treatments"]
    c = case(lesions=[dict(bone="vertebra", marrow_edema=True)])
    assert item(c, "active_disease").status == "unknown"  # level not recorded


def test_biopsy_or_typical_distribution():
    c = case(lesions=[dict(bone="clavicle", side="right")])
    assert item(c, "biopsy_or_typical").status == "met"
    sym = [dict(bone="femur", side="left", segment="metaphysis"), dict(bone="femur", side="right", segment="epiphysis")]
    assert item(case(lesions=sym), "biopsy_or_typical").status == "met"
    asym = [dict(bone="femur", side="left", segment="metaphysis"), dict(bone="femur", side="right", segment="diaphysis")]
    c = case(lesions=asym, associated=dict(inflammatory_bowel_disease=False, psoriasis=False,
                                           palmoplantar_pustulosis=False))
    it = item(c, "biopsy_or_typical")
    assert it.status == "not_met" and "no biopsy" in it.evidence
    c.biopsies = [Biopsy(histology="chronic_inflammation", culture="negative", on_antibiotics_at_biopsy=False)]
    assert item(c, "biopsy_or_typical").status == "met"
    c.biopsies = [Biopsy(histology="nondiagnostic", culture="negative")]
    assert item(c, "biopsy_or_typical").status == "not_met"
    c.associated.palmoplantar_pustulosis = True
    assert item(c, "biopsy_or_typical").status == "met"


def test_negative_culture_on_or_maybe_on_antibiotics_does_not_exclude_infection():
    no_assoc = dict(inflammatory_bowel_disease=False, psoriasis=False, palmoplantar_pustulosis=False)
    c = case(lesions=[dict(bone="tibia", side="left")], associated=no_assoc)
    c.biopsies = [Biopsy(histology="chronic_inflammation", culture="negative")]  # antibiotics not recorded
    it = item(c, "biopsy_or_typical")
    assert it.status == "unknown" and "biopsies[0].on_antibiotics_at_biopsy" in it.missing
    assert "does not exclude infection" in it.evidence
    c.biopsies = [Biopsy(histology="chronic_inflammation", culture="negative", on_antibiotics_at_biopsy=True)]
    it = item(c, "biopsy_or_typical")
    assert it.status == "unknown" and "taken on antibiotics" in it.evidence
    c.biopsies.append(Biopsy(histology="normal_bone", culture="negative", on_antibiotics_at_biopsy=False))
    assert item(c, "biopsy_or_typical").status == "unknown"  # v3: only chronic inflammation qualifies
    c.biopsies.append(Biopsy(histology="chronic_inflammation", culture="negative", on_antibiotics_at_biopsy=False))
    assert item(c, "biopsy_or_typical").status == "met"


def test_biopsy_unknown_when_associated_disease_not_recorded():
    c = case(lesions=[dict(bone="tibia", side="left", segment="diaphysis")])
    it = item(c, "biopsy_or_typical")
    assert it.status == "unknown" and "associated.psoriasis" in it.missing


def test_exclusions_malignancy_and_infection():
    c = case(mimics=dict(malignancy=False, infection=False))
    assert item(c, "no_malignancy").status == "met" and item(c, "no_infection").status == "met"
    c.biopsies = [Biopsy(histology="langerhans_cell_histiocytosis", culture="positive")]
    assert item(c, "no_malignancy").status == "not_met"
    assert item(c, "no_infection").status == "not_met" and "positive culture" in item(c, "no_infection").evidence
    c = case()
    assert item(c, "no_malignancy").missing == ["mimics.malignancy"]
    c.labs.blood_culture = "positive"
    assert item(c, "no_infection").status == "not_met"
