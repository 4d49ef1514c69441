"""Audit of clinical-rules.md §8: doses, maxima, capping, and the CARRA CTP eligibility checklist."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.plan.doses import dose_line
from desktop_app.plan.types import VERIFY_FORMULARY
from desktop_app import assess, build_plan
from tests.audit.helpers import ENCOUNTER, dob_for_age, elig, les, make


# ---- doses -------------------------------------------------------------------------------------

def test_naproxen_per_dose_and_daily_total():
    d = dose_line("naproxen", 20)
    assert d.computed.startswith("100–150 mg twice daily") and "200–300 mg/day" in d.computed
    assert d.maximum == "1 g/day" and not d.capped and d.note == VERIFY_FORMULARY


def test_naproxen_capped_at_1_g_per_day():
    d = dose_line("naproxen", 80)  # 7.5 × 80 × 2 = 1200 mg/day
    assert d.capped and d.computed.startswith("400–500 mg twice daily") and "capped" in d.computed


@pytest.mark.parametrize("kg, capped", [(60, False), (61, True)])
def test_ibuprofen_maximum_2_4_g_per_day_boundary(kg, capped):
    d = dose_line("ibuprofen", kg)
    assert d.capped is capped
    assert "2400 mg/day" in d.computed


@pytest.mark.parametrize("kg, mg, capped", [(29, 58, False), (31, 60, True)])
def test_prednisone_maximum_60_mg_per_day(kg, mg, capped):
    d = dose_line("prednisone", kg)
    assert d.computed.startswith(f"{mg} mg/day") and d.capped is capped and d.maximum == "60 mg/day"


def test_bisphosphonate_figures():
    p = dose_line("pamidronate", 30)
    assert p.per_kg == "1 mg/kg per dose, every 2–4 months" and p.computed.startswith("30 mg per infusion")
    assert "11.5 mg/kg/year × 30 kg = 345 mg/year" in p.computed
    z = dose_line("zoledronic_acid", 30)
    assert z.computed.startswith("1.5 mg") and "n = 22" in z.schedule and "calcium and vitamin D" in z.schedule


@pytest.mark.parametrize("key", ["sulfasalazine", "infliximab"])
def test_ctp_doses_per_local_protocol(key):
    d = dose_line(key, 30)
    assert d.computed is None and "local protocol" in d.per_kg


def test_no_weight_no_dose_anywhere_in_the_plan():
    c = make(mimics={"malignancy": False},
             imaging={"whole_body_survey": "whole_body_mri",
                      "lesions": [les("vertebra", level="T7", marrow_edema=True), les("femur", "left")]})
    doses = [d for line in cno_plan(c).lines for d in line.doses]
    assert doses and all(d.computed is None for d in doses)
    assert all("patient.weight_kg" in d.missing for d in doses if "local protocol" not in d.per_kg)
    assert all(d.note == VERIFY_FORMULARY for d in doses)


# ---- CTP eligibility ---------------------------------------------------------------------------

@pytest.mark.parametrize("dob, expected", [(dob_for_age(21), "met"), (dob_for_age(22), "not_met")])
def test_ctp_age(dob, expected):
    assert elig(make(patient={"date_of_birth": dob}), "age").status == expected


def test_ctp_age_just_over_21_is_not_eligible():
    assert elig(make(patient={"date_of_birth": dob_for_age(21, days_offset=14)}), "age").status == "not_met"


def _mri_case(days_before):
    last = (ENCOUNTER - dt.timedelta(days=days_before)).isoformat()
    return make(imaging={"last_mri_date": last, "lesions": [les("tibia", "left", modalities=["mri"], marrow_edema=True)]})


@pytest.mark.parametrize("days, expected", [(84, "met"), (85, "not_met"), (0, "met")])
def test_ctp_mri_within_12_weeks(days, expected):
    assert elig(_mri_case(days), "mri_oedema").status == expected


def test_ctp_mri_oedema_must_be_on_mri():
    c = make(imaging={"last_mri_date": ENCOUNTER.isoformat(),
                      "lesions": [les("tibia", "left", modalities=["radiograph"], marrow_edema=True)]})
    assert elig(c, "mri_oedema").status == "not_met"


@pytest.mark.parametrize("survey, expected", [("whole_body_mri", "met"), ("bone_scan", "met"),
                                              ("pet_ct", "not_met"), ("none", "not_met"), (None, "unknown")])
def test_ctp_whole_body_imaging(survey, expected):
    assert elig(make(imaging={"whole_body_survey": survey}), "whole_body").status == expected


def _nsaid(days, response):
    start = (ENCOUNTER - dt.timedelta(days=days)).isoformat()
    return {"drug": "naproxen", "drug_class": "nsaid", "start_date": start,
            "end_date": ENCOUNTER.isoformat(), "response": response}


@pytest.mark.parametrize("days, response, expected", [
    (28, "partial", "met"), (28, "none", "met"), (27, "none", "not_met"), (60, "complete", "not_met"),
])
def test_ctp_active_disease_after_4_weeks_nsaid(days, response, expected):
    c = make(treatments=[_nsaid(days, response)], imaging={"lesions": [les("femur", "left")]})
    assert elig(c, "active_disease").status == expected


@pytest.mark.parametrize("lesion, expected", [
    (les("vertebra", level="T7", marrow_edema=True), "met"),
    (les("vertebra", level="L3", marrow_edema=True), "met"),
    (les("vertebra", level="C2", marrow_edema=True), "met"),
    (les("vertebra", level="T7", marrow_edema=False), "not_met"),
    (les("vertebra", level="T7"), "unknown"),
])
def test_ctp_active_spinal_lesion_regardless_of_nsaid(lesion, expected):
    c = make(treatments=[_nsaid(60, "complete")], imaging={"lesions": [lesion]})
    assert elig(c, "active_disease").status == expected


NO_ASSOC = {"inflammatory_bowel_disease": False, "psoriasis": False, "palmoplantar_pustulosis": False}


@pytest.mark.parametrize("lesions, assoc, expected", [
    ([les("clavicle", "left")], NO_ASSOC, "met"),
    ([les("tibia", "left", segment="metaphysis"), les("tibia", "right", segment="epiphysis")], NO_ASSOC, "met"),
    ([les("tibia", "left", segment="diaphysis"), les("tibia", "right", segment="diaphysis")], NO_ASSOC, "not_met"),
    ([les("tibia", "left")], {**NO_ASSOC, "psoriasis": True}, "met"),
    ([les("tibia", "left")], NO_ASSOC, "not_met"),
])
def test_ctp_biopsy_unless_typical_distribution_or_associated_disease(lesions, assoc, expected):
    c = make(imaging={"lesions": lesions}, associated=assoc)
    assert elig(c, "biopsy_or_typical").status == expected


def test_ctp_biopsy_on_antibiotics_does_not_exclude_infection():
    c = make(imaging={"lesions": [les("tibia", "left")]}, associated=NO_ASSOC,
             biopsies=[{"histology": "chronic_inflammation", "culture": "negative", "on_antibiotics_at_biopsy": True}])
    assert elig(c, "biopsy_or_typical").status != "met"


def test_ctp_not_eligible_with_malignancy_or_infection():
    assert elig(make(biopsies=[{"histology": "langerhans_cell_histiocytosis"}]), "no_malignancy").status == "not_met"
    assert elig(make(labs={"blood_culture": "positive"}), "no_infection").status == "not_met"
    assert elig(make(), "no_malignancy").status == "unknown"
    assert elig(make(mimics={"infection": False}), "no_infection").status == "met"


# ---- plan steps --------------------------------------------------------------------------------

def cno_plan(c):
    """The plan as if the §8.0 gate held (mode cno), on the engine's own derived facts and checklist."""
    return build_plan(c, assess(c).model_copy(update={"mode": "cno", "gate_reasons": []}))


def _ids(c, status="proposed"):
    return {line.id for line in cno_plan(c).lines if line.status == status}


def test_ctp_step_proposed_for_nsaid_refractory_disease():
    c = make(patient={"weight_kg": 30}, treatments=[_nsaid(42, "partial")], mimics={"malignancy": False},
             imaging={"whole_body_survey": "whole_body_mri", "lesions": [les("femur", "left"), les("tibia", "right")]})
    assert {"nsaid", "ctp"} <= _ids(c) and "glucocorticoid" not in _ids(c)


def test_ctp_step_not_proposed_for_an_inactive_spinal_lesion_without_nsaid_failure():
    c = make(patient={"weight_kg": 30},
             imaging={"whole_body_survey": "whole_body_mri",
                      "lesions": [les("vertebra", level="T7", marrow_edema=False), les("femur", "left")]})
    assert "ctp" not in _ids(c)


def test_vertebral_lesion_proposes_short_glucocorticoid_course_once_malignancy_is_excluded():
    lesions = {"whole_body_survey": "whole_body_mri",
               "lesions": [les("vertebra", level="T7", marrow_edema=True), les("femur", "left")]}
    c = make(patient={"weight_kg": 30}, imaging=lesions)
    # v3 §8.3: step 3 waits for malignancy too
    assert {"glucocorticoid", "ctp"} <= _ids(c, "not_proposed") and {"physio_pain", "school_letter"} <= _ids(c)
    excluded = make(patient={"weight_kg": 30}, imaging=lesions, mimics={"malignancy": False})
    assert {"glucocorticoid", "ctp", "physio_pain", "school_letter"} <= _ids(excluded)


def test_real_assess_workup_mode_holds_every_treatment_line():
    c = make(patient={"weight_kg": 30}, treatments=[_nsaid(42, "partial")],
             imaging={"lesions": [les("vertebra", level="T7", marrow_edema=True)]})
    a = assess(c)
    assert a.mode == "workup" and a.gate_reasons
    p = build_plan(c, a)
    assert [l.status for l in p.lines] == ["not_proposed"] * 3 and p.workup == a.next_steps
    assert a.gate_reasons[0].rstrip(".") in p.lines[0].reason


# ---- §8.5 adults: derived adult from the engine, exactly 18.0 years and just under ------------

@pytest.mark.parametrize("days_offset, adult", [(0, True), (-1, False)])
def test_adult_at_exactly_18_years(days_offset, adult):
    c = make(patient={"date_of_birth": dob_for_age(18, days_offset=days_offset), "weight_kg": 60},
             imaging={"lesions": [les("femur", "left")]})
    assert assess(c).derived.adult is adult
    p = cno_plan(c)
    naproxen = next(l for l in p.lines if l.id == "nsaid").doses[0]
    if adult:
        assert naproxen.computed is None and naproxen.computed_text() == "adult dosing: per local protocol"
        assert "school_letter" not in _ids(c) and "paediatric cohorts" in p.prognosis[0].text
        assert not any("growth" in line.text for line in p.prognosis)
    else:
        assert naproxen.computed.startswith("300–450 mg twice daily") and "school_letter" in _ids(c)
        assert any("growth disturbance" in line.text for line in p.prognosis)
