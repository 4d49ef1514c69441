"""Audit of clinical-rules.md §0 (derived facts) and §7 (default reference ranges) at the boundaries."""
from __future__ import annotations

import pytest

from desktop_app import assess
from desktop_app.case.reference_ranges import lab_reading
from tests.audit.helpers import dob_for_age, lab, les, make


def reading(analyte, value, unit, age=None, sex=None, dob=None, **ref):
    patient = {"sex": sex} if sex else {}
    if dob:
        patient["date_of_birth"] = dob
    elif age is not None:
        patient["age_years"] = age
    return lab_reading(make(patient=patient, labs={analyte: lab(value, unit, **ref)}), analyte)


# ---- §7 haemoglobin (WHO): 6–59 months 110; 5–11 y 115; 12–14 y 120; ≥ 15 y F 120 / M 130 ----

@pytest.mark.parametrize("dob, low", [
    (dob_for_age(5, days_offset=-1), 110),  # the day before the 5th birthday: 59 months
    (dob_for_age(5), 115),                   # exactly 5 y
    (dob_for_age(12, days_offset=-1), 115),
    (dob_for_age(12), 120),                  # exactly 12 y
    (dob_for_age(15, days_offset=-1), 120),  # 14 y: no sex needed
])
def test_haemoglobin_lower_limit_switches_exactly_on_the_birthday(dob, low):
    r = reading("hemoglobin", 100, "g/L", dob=dob)
    assert r.low == low and r.default_used


def test_haemoglobin_band_starts_at_6_months_and_none_below():
    assert reading("hemoglobin", 100, "g/L", age=0.5).low == 110
    below = reading("hemoglobin", 100, "g/L", age=0.49)
    assert below.status == "unknown" and below.low is None


def test_haemoglobin_59_months_is_still_the_under_5_band():
    assert reading("hemoglobin", 112, "g/L", age=59 / 12).status == "normal"
    assert reading("hemoglobin", 112, "g/L", age=60 / 12).status == "low"


@pytest.mark.parametrize("sex, expected", [("female", "normal"), ("male", "low"), ("other", "unknown"), (None, "unknown")])
def test_haemoglobin_from_15_years_depends_on_recorded_sex(sex, expected):
    r = reading("hemoglobin", 125, "g/L", dob=dob_for_age(15), sex=sex)
    assert r.status == expected


def test_haemoglobin_g_dl_converted_and_limit_inclusive():
    assert reading("hemoglobin", 11.5, "g/dL", age=8).status == "normal"  # 115 g/L = limit
    assert reading("hemoglobin", 11.4, "g/dL", age=8).status == "low"


# ---- §7 WBC, neutrophils, platelets -----------------------------------------------------------

@pytest.mark.parametrize("age, low, high", [
    (0.25, 6.0, 17.5), (0.9, 6.0, 17.5), (1.5, 6.0, 17.0), (3.0, 5.5, 15.5), (4.5, 4.5, 13.5), (17, 4.5, 13.5),
])
def test_wbc_default_bands(age, low, high):
    r = reading("wbc", 7, "10^9/L", age=age)
    assert (r.low, r.high) == (low, high)


def test_wbc_under_3_months_has_no_default():
    assert reading("wbc", 7, "10^9/L", age=0.2).status == "unknown"


def test_wbc_over_4_default_carries_verify_caveat():
    r = reading("wbc", 7, "10^9/L", age=10)
    assert "verify against your laboratory" in r.range_text.lower()


@pytest.mark.parametrize("age, low, high", [(0.5, 1.5, 8.5), (4.9, 1.5, 8.5), (5, 1.7, 7.5), (17.9, 1.7, 7.5)])
def test_neutrophil_default_bands(age, low, high):
    r = reading("neutrophils", 3, "10^9/L", age=age)
    assert (r.low, r.high) == (low, high)


def test_platelets_default_inclusive_and_age_independent():
    assert reading("platelets", 150, "10^9/L").status == "normal"
    assert reading("platelets", 450, "10^9/L").status == "normal"
    assert reading("platelets", 149, "10^9/L").status == "low"
    assert reading("platelets", 451, "10^9/L").status == "high"


def test_lab_range_wins_over_default_and_is_named():
    r = reading("wbc", 5.0, "10^9/L", age=10, ref_low=5.5, ref_high=11)
    assert r.status == "low" and not r.default_used and "lab report" in r.range_text


def test_lab_range_with_only_upper_limit_still_checks_the_lower_limit():
    c = make(patient={"age_years": 10, "sex": "female"},
             labs={"wbc": lab(2.0, "10^9/L", ref_high=11), "hemoglobin": lab(125, "g/L"),
                   "platelets": lab(300, "10^9/L")})
    assert assess(c).derived.blood_count_normal is not True
    r = reading("wbc", 2.0, "10^9/L", age=10, ref_high=11)
    assert (r.status, r.low, r.high) == ("low", 4.5, 11)


# ---- §0 blood count normal ---------------------------------------------------------------------

def _count(**labs):
    base = {"wbc": lab(7, "10^9/L"), "hemoglobin": lab(125, "g/L"), "platelets": lab(300, "10^9/L")}
    base.update(labs)
    return assess(make(patient={"age_years": 10}, labs={k: v for k, v in base.items() if v})).derived


def test_blood_count_normal_all_in_range():
    assert _count().blood_count_normal is True


def test_blood_count_missing_one_is_unknown_but_outside_one_is_no():
    assert _count(platelets=None).blood_count_normal is None
    assert _count(platelets=None, wbc=lab(3, "10^9/L")).blood_count_normal is False


# ---- §0 temperature normal -------------------------------------------------------------------

@pytest.mark.parametrize("symptoms, expected", [
    ({"max_temperature_c": 37.9}, True), ({"max_temperature_c": 38.0}, False),
    ({"fever_pattern": "none"}, True), ({"fever_pattern": "episodic"}, False),
    ({"fever_pattern": "persistent"}, False), ({}, None),
    ({"max_temperature_c": 37.2, "fever_pattern": "episodic"}, False),  # v3: the recorded history decides
])
def test_temperature_normal(symptoms, expected):
    assert assess(make(symptoms=symptoms)).derived.temperature_normal is expected


# ---- §0 sites, bones, multifocal, symmetric, clavicle only -----------------------------------

@pytest.mark.parametrize("lesions, survey, bones, multifocal", [
    ([les("tibia", "left")], None, 1, None),
    ([les("tibia", "left")], "none", 1, None),
    ([les("tibia", "left")], "bone_scan", 1, False),
    ([les("tibia", "left"), les("tibia", "right")], None, 2, True),
    ([les("tibia", "left"), les("tibia", "left")], "whole_body_mri", 1, False),
    ([les("vertebra", level="T7"), les("vertebra", level="T8")], "whole_body_mri", 2, True),
    ([], "whole_body_mri", 0, None),
])
def test_bones_and_multifocal(lesions, survey, bones, multifocal):
    d = assess(make(imaging={"whole_body_survey": survey, "lesions": lesions})).derived
    assert (d.bones, d.multifocal, d.sites) == (bones, multifocal, len(lesions))


def test_symmetric_and_clavicle_only():
    sym = assess(make(imaging={"lesions": [les("femur", "left"), les("femur", "right")]})).derived
    asym = assess(make(imaging={"lesions": [les("femur", "left"), les("tibia", "right")]})).derived
    clav = assess(make(imaging={"lesions": [les("clavicle", "left"), les("clavicle", "right")]})).derived
    assert (sym.symmetric, asym.symmetric, clav.clavicle_only, asym.clavicle_only) == (True, False, True, False)
    assert assess(make()).derived.symmetric is None


def test_symmetric_unknown_when_a_paired_lesion_has_no_side():
    d = assess(make(imaging={"lesions": [les("tibia", "left"), les("tibia")]})).derived
    assert d.symmetric is None


# ---- §0 onset age and symptom duration ---------------------------------------------------------

def test_onset_age_needs_date_of_birth_and_duration_in_weeks():
    c = make(patient={"age_years": 10}, symptoms={"first_symptom_date": "2026-10-09"})
    d = assess(c).derived
    assert d.onset_age_years is None and d.symptom_weeks == 6.0


def test_unlevelled_vertebra_beside_a_levelled_one_does_not_prove_multifocal():
    d = assess(make(imaging={"whole_body_survey": "whole_body_mri",
                             "lesions": [les("vertebra", level="T7"), les("vertebra")]})).derived
    assert d.multifocal is not True
    assert (d.bones, d.multifocal) == (1, None)  # nor "no": it may be a second level


def test_unsided_paired_lesion_beside_a_sided_one_leaves_multifocal_unknown_even_with_a_survey():
    d = assess(make(imaging={"whole_body_survey": "whole_body_mri",
                             "lesions": [les("tibia", "left"), les("tibia")]})).derived
    assert (d.bones, d.multifocal, d.symmetric) == (1, None, None)
