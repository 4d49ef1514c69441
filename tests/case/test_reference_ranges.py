import datetime as dt

import pytest

from desktop_app.case.reference_ranges import age_years, default_range, lab_reading, years_between
from tests.criteria.build import case, lab


@pytest.mark.parametrize("age,low,high", [(0.3, 6.0, 17.5), (1.0, 6.0, 17.0), (3.0, 5.5, 15.5),
                                          (4.0, 5.5, 15.5), (4.01, 4.5, 13.5), (16, 4.5, 13.5)])
def test_wbc_default_bands(age, low, high):
    rng, _ = default_range("wbc", age, None)
    assert (rng.low, rng.high) == (low, high)


def test_wbc_under_three_months_has_no_default():
    rng, reason = default_range("wbc", 0.1, None)
    assert rng is None and "age" in reason


@pytest.mark.parametrize("age,sex,low", [(0.5, None, 110), (4.9, None, 110), (5, None, 115), (11.9, "male", 115),
                                         (12, None, 120), (14.9, None, 120), (15, "female", 120), (15, "male", 130)])
def test_hemoglobin_lower_limits(age, sex, low):
    rng, _ = default_range("hemoglobin", age, sex)
    assert rng.low == low and rng.high is None and rng.source_key == "who_hb"


@pytest.mark.parametrize("age,sex", [(0.4, "female"), (15, None), (16, "other"), (None, "female")])
def test_hemoglobin_without_a_default(age, sex):
    rng, reason = default_range("hemoglobin", age, sex)
    assert rng is None and reason


def test_neutrophil_bands():
    assert default_range("neutrophils", 4.9, None)[0].low == 1.5
    assert default_range("neutrophils", 5, None)[0].low == 1.7
    assert default_range("neutrophils", 18, None)[0] is None


def test_reading_uses_default_and_names_it():
    r = lab_reading(case({"patient.age_years": 10, "labs.wbc": lab(14.0, "10^9/L")}), "wbc")
    assert r.status == "high" and r.default_used
    assert r.range_text == ("4.5–13.5 ×10⁹/L, default for age > 4 y "
                            "(common paediatric default; verify against your laboratory)")


def test_lab_range_overrides_default():
    # 14.0 is above the default 13.5 but within the lab's own 4–15.
    r = lab_reading(case({"patient.age_years": 10, "labs.wbc": lab(14.0, "10^9/L", ref_low=4, ref_high=15)}), "wbc")
    assert r.status == "normal" and not r.default_used and r.range_text.endswith("lab report range")


def test_one_lab_limit_takes_the_other_from_the_default():
    r = lab_reading(case({"patient.age_years": 10, "labs.wbc": lab(2.0, "10^9/L", ref_high=11)}), "wbc")
    assert (r.status, r.low, r.high, r.default_used) == ("low", 4.5, 11, True)
    assert r.range_text.startswith("lab report upper limit 11 ×10⁹/L; default lower limit 4.5 ×10⁹/L for age > 4 y (")
    r = lab_reading(case({"patient.age_years": 10, "labs.wbc": lab(14.0, "10^9/L", ref_low=3)}), "wbc")
    assert (r.status, r.low, r.high) == ("high", 3, 13.5)


def test_one_lab_limit_without_a_default_for_the_other_side():
    # Age unknown: WBC has no default, so a value inside the lab's one limit is unknown, outside it is abnormal.
    inside = lab_reading(case({"labs.wbc": lab(2.0, "10^9/L", ref_high=11)}), "wbc")
    assert inside.status == "unknown" and "no lower limit" in inside.reason and "age is unknown" in inside.reason
    assert lab_reading(case({"labs.wbc": lab(12.0, "10^9/L", ref_high=11)}), "wbc").status == "high"
    # §7 has no upper default for haemoglobin, none at all for LDH: the lab's one limit is used alone.
    hb = lab_reading(case({"patient.age_years": 0.1, "labs.hemoglobin": lab(100, "g/L", ref_low=90)}), "hemoglobin")
    assert hb.status == "normal" and hb.range_text.endswith("lab report range")
    assert lab_reading(case({"labs.ldh": lab(301, "U/L", ref_high=300)}), "ldh").status == "high"


def test_lab_range_in_entered_unit_is_converted():
    r = lab_reading(case({"labs.hemoglobin": lab(10.5, "g/dL", ref_low=11.0, ref_high=14.0)}), "hemoglobin")
    assert (r.value, r.low, r.high, r.status) == (105, 110, 140, "low")


def test_value_on_the_limit_is_normal():
    c = case({"patient.age_years": 10, "labs.hemoglobin": lab(115, "g/L")})
    assert lab_reading(c, "hemoglobin").status == "normal"
    c = case({"patient.age_years": 10, "labs.hemoglobin": lab(11.49, "g/dL")})
    assert lab_reading(c, "hemoglobin").status == "low"


def test_unknown_age_gives_unknown_normality_with_reason():
    r = lab_reading(case({"labs.wbc": lab(7, "10^9/L")}), "wbc")
    assert r.status == "unknown" and "age is unknown" in r.reason
    # platelets have one range for all ages
    assert lab_reading(case({"labs.platelets": lab(90, "10^9/L")}), "platelets").status == "low"


def test_missing_value():
    r = lab_reading(case(), "crp")
    assert r.value is None and r.status == "unknown" and r.value_text == "not recorded"


def test_age_from_date_of_birth_at_encounter_else_age_years():
    c = case({"patient.date_of_birth": "2015-11-21", "patient.age_years": 3})
    assert 10.99 < age_years(c) < 11.0  # the day before the 11th birthday
    assert age_years(case({"patient.age_years": 3})) == 3
    assert years_between(dt.date(2016, 2, 29), dt.date(2026, 2, 28)) == pytest.approx(10.0, abs=0.01)
