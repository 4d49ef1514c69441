"""Audit of clinical-rules.md §6: each red flag raised exactly when its condition holds."""
from __future__ import annotations

import pytest

from desktop_app import assess
from tests.audit.helpers import dob_for_age, flags, lab, les, make


def test_no_flags_on_an_empty_case():
    assert assess(make()).red_flags == []


@pytest.mark.parametrize("analyte, value, raised", [
    ("wbc", 4.0, False), ("wbc", 3.99, True), ("neutrophils", 2.0, False), ("neutrophils", 1.99, True),
    ("platelets", 100, False), ("platelets", 99, True),
])
def test_cytopenia_strictly_below(analyte, value, raised):
    assert ("cytopenia" in flags(make(labs={analyte: lab(value, "10^3/uL")}))) is raised


@pytest.mark.parametrize("wbc, plt, night, raised", [
    (3.9, 150, True, True), (3.9, 250, True, True), (3.9, 149, True, False), (3.9, 251, True, False),
    (4.0, 200, True, False), (3.9, 200, None, False), (3.9, 200, False, False),
])
def test_leukaemia_triad_platelets_inclusive(wbc, plt, night, raised):
    c = make(labs={"wbc": lab(wbc, "10^9/L"), "platelets": lab(plt, "10^9/L")}, symptoms={"night_pain": night})
    assert ("leukaemia_triad" in flags(c)) is raised


@pytest.mark.parametrize("value, ref_high, raised", [(301, 300, True), (300, 300, False), (5000, None, False)])
def test_raised_ldh_needs_the_labs_upper_limit(value, ref_high, raised):
    c = make(patient={"age_years": 10}, labs={"ldh": lab(value, "U/L", ref_high=ref_high)})
    assert ("raised_ldh" in flags(c)) is raised


def test_ldh_without_upper_limit_is_surfaced_to_the_user():
    a = assess(make(labs={"ldh": lab(5000, "U/L")}))
    text = " ".join(a.next_steps + list(a.derived.notes) + [f.evidence for f in a.red_flags]).lower()
    assert "ldh" in text
    assert "raised_ldh" not in flags(make(labs={"ldh": lab(5000, "U/L")}))  # no flag without the limit
    with_limit = assess(make(labs={"ldh": lab(200, "U/L", ref_high=300)}))
    assert not any(s.startswith("LDH recorded without") for s in with_limit.next_steps)


@pytest.mark.parametrize("symptoms, raised", [
    ({"max_temperature_c": 38.0}, True), ({"max_temperature_c": 37.9}, False),
    ({"max_temperature_c": 37.0, "fever_pattern": "persistent"}, True),
    ({"max_temperature_c": 37.0, "fever_pattern": "episodic"}, True),  # v3 §0: history not overridden
    ({"fever_pattern": "episodic"}, True), ({"fever_pattern": "none"}, False),
])
def test_fever(symptoms, raised):
    assert ("fever" in flags(make(symptoms=symptoms))) is raised


@pytest.mark.parametrize("crp, raised", [(lab(30, "mg/L"), True), (lab(29.9, "mg/L"), False), (lab(3, "mg/dL"), True)])
def test_high_crp_at_or_above_30(crp, raised):
    assert ("high_crp" in flags(make(labs={"crp": crp}))) is raised


def test_high_crp_mentions_55_only_above_55():
    assert "> 55" not in flags(make(labs={"crp": lab(55, "mg/L")}))["high_crp"].evidence
    assert "> 55" in flags(make(labs={"crp": lab(56, "mg/L")}))["high_crp"].evidence


@pytest.mark.parametrize("lesions, survey, raised", [
    ([les("tibia", "left")], None, True),
    ([les("tibia", "left")], "whole_body_mri", True),
    ([les("tibia", "left"), les("tibia", "left")], None, True),  # two sites, one bone
    ([les("clavicle", "left")], None, False),
    ([les("tibia", "left"), les("femur", "left")], None, False),
    ([], None, False),
])
def test_unifocal_non_clavicle(lesions, survey, raised):
    c = make(imaging={"whole_body_survey": survey, "lesions": lesions})
    assert ("unifocal_non_clavicle" in flags(c)) is raised


def test_unifocal_flag_without_survey_says_so():
    assert "no whole-body survey" in flags(make(imaging={"lesions": [les("tibia", "left")]}))["unifocal_non_clavicle"].evidence


def test_young_onset_by_onset_date_and_by_current_age():
    dob = dob_for_age(5)
    at_2_9 = make(patient={"date_of_birth": dob}, symptoms={"first_symptom_date": "2024-10-01"})  # onset 2.9 y
    at_3 = make(patient={"date_of_birth": dob}, symptoms={"first_symptom_date": "2024-11-20"})  # onset exactly 3
    assert "young_onset" in flags(at_2_9) and "young_onset" not in flags(at_3)
    assert "young_onset" in flags(make(patient={"age_years": 2.5}))
    assert "young_onset" not in flags(make(patient={"age_years": 5}))  # onset unknown: not shown


@pytest.mark.parametrize("biopsy, flag_ids", [
    ({"culture": "negative", "on_antibiotics_at_biopsy": True}, {"culture_on_antibiotics"}),
    ({"culture": "negative", "on_antibiotics_at_biopsy": None}, set()),
    ({"culture": "negative", "on_antibiotics_at_biopsy": False}, set()),
    ({"culture": "positive", "on_antibiotics_at_biopsy": True}, {"positive_culture"}),
    ({"histology": "granulomatous"}, {"alternative_histology"}),
    ({"histology": "normal_bone"}, set()),
])
def test_biopsy_flags(biopsy, flag_ids):
    assert set(flags(make(biopsies=[biopsy]))) == flag_ids


def test_blood_culture_positive_and_other_simple_flags():
    c = make(labs={"blood_culture": "positive", "peripheral_smear_blasts": True},
             symptoms={"warmth_erythema": True, "lymphadenopathy": True, "weight_loss": False},
             imaging={"lesions": [les("femur", "left", soft_tissue_mass=True),
                                  les("tibia", "right", cortical_destruction=False)]})
    got = flags(c)
    assert {"positive_culture", "blasts", "local_inflammation", "systemic_features", "aggressive_imaging"} <= set(got)
    assert "tibia" not in got["aggressive_imaging"].evidence.lower()
    assert "weight" not in got["systemic_features"].evidence.lower()


def test_recorded_absent_never_raises():
    c = make(labs={"peripheral_smear_blasts": False, "blood_culture": "negative"},
             symptoms={"warmth_erythema": False, "weight_loss": False, "hepatosplenomegaly": False,
                       "lymphadenopathy": False, "night_pain": False, "fever_pattern": "none"})
    assert assess(c).red_flags == []


def test_every_flag_has_action_and_source_text():
    c = make(labs={"wbc": lab(2, "10^9/L"), "crp": lab(80, "mg/L")}, symptoms={"fever_pattern": "persistent"})
    for f in assess(c).red_flags:
        assert f.evidence and f.action and f.source
