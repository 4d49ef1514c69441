"""Rules version 3 (clinical-rules.md §0, §6, §8.0, §12): each (v3) rule at the boundary the spec names."""
import pytest

from desktop_app.criteria.assess import assess
from desktop_app.criteria.gate import ADULT_MALIGNANCY
from desktop_app.criteria.summary import summarise
from tests.criteria.build import BASE, case, lab, lesion
from tests.criteria.test_rules_v2 import CNO, flag, run


def flags(a):
    return {f.id for f in a.red_flags}


# ---- §0 temperature: a recorded fever history is not overridden by one normal reading ----------------

def test_episodic_fever_with_a_normal_reading_is_not_a_normal_temperature():
    a = run(**{"symptoms.fever_pattern": "episodic", "symptoms.max_temperature_c": 37.9})
    assert a.derived.temperature_normal is False
    fever = flag(a, "fever")
    assert fever is not None and fever.evidence == "fever pattern: episodic"  # no "37.9 °C ≥ 38.0"
    clinical = next(i for i in a.criteria["bristol_2016"].items if i.id == "clinical")
    assert clinical.status == "not_met" and "fever pattern: episodic (max temperature 37.9 °C)" in clinical.evidence
    assert a.mode == "workup"


# ---- §6 severe anaemia (WHO: < 70 g/L at 6–59 months, < 80 g/L from 5 years) ---------------------------

@pytest.mark.parametrize("age, hb, raised", [(4, 70, False), (4, 69, True), (6, 80, False), (6, 79, True),
                                             (0.4, 50, False)])  # under 6 months: no threshold
def test_severe_anaemia_at_the_who_thresholds(age, hb, raised):
    a = assess(case({**BASE, "patient.age_years": age, "labs.hemoglobin": lab(hb, "g/L")}))
    f = flag(a, "severe_anaemia")
    assert (f is not None) is raised
    if raised:
        assert f.tier == "urgent" and f.points_to == ["malignancy"] and a.mode == "workup"
        assert "no glucocorticoid before it" in f.action and "g/L <" in f.evidence


# ---- §6 bicytopenia: two or more lineages; WBC and neutrophils count once ------------------------------

def test_two_lineages_are_urgent_one_is_not():
    two = assess(case({**BASE, "labs.hemoglobin": lab(100, "g/L"), "labs.platelets": lab(90, "10^9/L")}))
    f = flag(two, "bicytopenia")
    assert f is not None and f.tier == "urgent" and f.evidence.startswith("2 lineages low")
    one = assess(case({**BASE, "labs.platelets": lab(90, "10^9/L")}))
    assert "bicytopenia" not in flags(one) and "cytopenia" in flags(one)
    white_twice = assess(case({**BASE, "labs.wbc": lab(3.0, "10^9/L"), "labs.neutrophils": lab(1.0, "10^9/L")}))
    assert "bicytopenia" not in flags(white_twice)  # one lineage, counted once


# ---- §6 febrile neutropenia: neutrophils ≤ 0.5 and a measured temperature ≥ 38.0 ------------------------

@pytest.mark.parametrize("neutrophils, symptoms, raised", [
    (0.5, {"symptoms.max_temperature_c": 38.0}, True),
    (0.6, {"symptoms.max_temperature_c": 38.5}, False),
    (0.5, {"symptoms.max_temperature_c": 37.9}, False),
    (0.5, {"symptoms.fever_pattern": "persistent"}, False),  # a fever history alone does not make it
])
def test_febrile_neutropenia(neutrophils, symptoms, raised):
    a = assess(case({**BASE, "labs.neutrophils": lab(neutrophils, "10^9/L"), **symptoms}))
    f = flag(a, "febrile_neutropenia")
    assert (f is not None) is raised
    if raised:
        assert f.tier == "urgent" and f.points_to == ["infection", "malignancy"]
        assert "neutropenic sepsis" in f.action and "NICE CG151" in f.source


# ---- §6 vertebral collapse: exclude first (malignancy) ---------------------------------------------------

def test_vertebral_collapse_until_malignancy_is_excluded():
    collapse = lesion("vertebra", level="L2", modalities=["mri"], marrow_edema=True, vertebral_collapse=True)
    lesions = [collapse, lesion("clavicle", "right", modalities=["mri"], marrow_edema=True)]
    open_ = run(**{"imaging.lesions": lesions})
    f = flag(open_, "vertebral_collapse")
    assert f.tier == "exclude_first" and not f.addressed and open_.mode == "workup"
    assert "Langerhans cell histiocytosis" in f.action and "L2" in f.evidence
    done = run(**{"imaging.lesions": lesions, "mimics.malignancy": False})
    assert flag(done, "vertebral_collapse").addressed and done.mode == "cno"


# ---- §6/§8.0 young onset: exclude first; a genetic result lets treatment through -----------------------

@pytest.mark.parametrize("genetic, mode", [(None, "workup"), (False, "cno")])
def test_onset_at_2_9_needs_a_genetic_result(genetic, mode):
    a = run(**{"patient.age_years": 5, "symptoms.onset_age_years": 2.9, "mimics.monogenic": genetic})
    assert flag(a, "young_onset").tier == "exclude_first" and a.mode == mode
    if genetic is None:
        assert any("Monogenic autoinflammatory disease not yet excluded" in r for r in a.gate_reasons)


# ---- §8.0 (c) adults: malignancy recorded as excluded (a normal count does not do) ---------------------

@pytest.mark.parametrize("excluded, mode", [(None, "workup"), (False, "cno")])
def test_adult_needs_malignancy_excluded(excluded, mode):
    a = run(**{"patient.age_years": 40, "mimics.malignancy": excluded})
    assert a.derived.adult and a.mode == mode
    assert (ADULT_MALIGNANCY in a.gate_reasons) is (excluded is None)


# ---- §6 step 8: a biopsy is never asked for twice ---------------------------------------------------------

def test_a_recorded_biopsy_names_the_missing_bristol_items_instead_of_asking_again():
    a = assess(case({**BASE, "symptoms.bone_pain": True, "labs.crp": lab(5),
                     "imaging.whole_body_survey": "whole_body_mri",
                     "imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True)],
                     "biopsies": [{"histology": "chronic_inflammation", "culture": "negative",
                                   "on_antibiotics_at_biopsy": False}]}))
    assert a.criteria["bristol_2016"].status == "indeterminate"
    assert not any("biopsy (histology" in s.lower() for s in a.next_steps)
    step = next(s for s in a.next_steps if s.startswith("Bristol 2016 undecided after the biopsy"))
    assert "local warmth" in step.lower() and "Bristol's clinical criterion" in step
    assert "[" not in step and "symptoms." not in step  # words, never a field path


# ---- §6/§12 another diagnosis: no CNO work-up; "confirmed by culture" -----------------------------------

def test_positive_blood_culture_carries_no_cno_workup():
    c = case({**BASE, "symptoms.bone_pain": True, "symptoms.max_temperature_c": 39.2,
              "symptoms.warmth_erythema": True, "labs.crp": lab(120), "labs.blood_culture": "positive",
              "imaging.lesions": [lesion("femur", "right", modalities=["mri"], marrow_edema=True)]})
    a = assess(c)
    assert a.mode == "alternative_diagnosis"
    joined = " ".join(a.next_steps).lower()
    assert "whole-body mri" not in joined and "biopsy" not in joined and "blood culture" not in joined
    assert "vitamin c" not in joined and a.next_steps[0].startswith("Bacterial osteomyelitis: treat as infection")
    s = summarise(c, a)
    infection = next(r for r in s.differential if r.mimic == "Infection")
    assert infection.status == "confirmed by culture"


def test_an_urgent_flag_on_a_mimic_recorded_as_excluded_asks_to_re_check():
    a = run(**{"labs.peripheral_smear_blasts": True, "mimics.malignancy": False})
    s = summarise(case({**CNO, "labs.peripheral_smear_blasts": True, "mimics.malignancy": False}), a)
    assert s.differential[0].status == "recorded as excluded — but blasts on the blood film: re-check"


# ---- §12 routine bloods as one recommendation, each test once --------------------------------------------

def test_blood_tests_are_one_recommendation_and_the_deciding_step_stays_on_page_1():
    c = case({"patient.age_years": 10, "symptoms.bone_pain": True, "symptoms.max_temperature_c": 37.0,
              "imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True)],
              "imaging.whole_body_survey": "whole_body_mri"})
    a = assess(c)
    s = summarise(c, a)
    blood = [r for r in s.recommendations if r.startswith("Blood tests: ")]
    assert blood == ["Blood tests: full blood count with film, CRP, ESR, LDH, alkaline phosphatase"]
    assert any(r.startswith("Bone biopsy") for r in s.recommendations)
    assert a.next_steps[0].startswith("Full blood count with film")  # the JSON keeps §6's steps
