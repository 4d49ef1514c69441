"""The meaning of one lab value (course/meaning.py; clinical-rules.md §13.7 items 1, 21, 40)."""
from __future__ import annotations

from desktop_app.case.models import LabValue
from desktop_app.case.reference_ranges import reading_of
from desktop_app.course.meaning import UNKNOWN_WORDS, meaning_of, worst


def _m(analyte, value, unit, ref_low=None, ref_high=None, age=10.0, beyond=None):
    lab = LabValue(value=value, unit=unit, ref_low=ref_low, ref_high=ref_high)
    return meaning_of(reading_of(analyte, lab, age, "female"), lab, beyond=beyond)


def test_the_lab_range_decides_when_entered():
    assert _m("alt", 96, "U/L", 5, 45).code == "above_range"
    assert _m("alt", 30, "U/L", 5, 45).words == "within range"
    assert _m("calcium", 2.0, "mmol/L", 2.2, 2.6).code == "below_range"


def test_alt_without_a_range_is_unknown_up_to_100_and_beyond_the_threshold_above():
    assert _m("alt", 100, "U/L").code == "unknown"
    assert _m("alt", 100, "U/L").words == UNKNOWN_WORDS
    m = _m("alt", 300, "U/L")
    assert m.code == "beyond_alert_threshold"
    assert m.words == "ALT 300 U/L: above the 100 U/L alert threshold; no laboratory range"
    assert _m("alt", 101, "U/L").code == "beyond_alert_threshold"


def test_vitamin_d_in_ng_ml_is_converted_before_the_comparison():
    # 20 ng/mL = 49.92 nmol/L < 50 (item 1); 20.04 ng/mL = 50.01984 nmol/L is not below.
    assert _m("vitamin_d_25oh", 20, "ng/mL").code == "beyond_alert_threshold"
    assert _m("vitamin_d_25oh", 20.04, "ng/mL").code == "unknown"


def test_calcium_default_threshold_in_mmol_l_and_mg_dl():
    assert _m("calcium", 2.09, "mmol/L").code == "beyond_alert_threshold"
    assert _m("calcium", 2.1, "mmol/L").code == "unknown"
    assert _m("calcium", 8.4, "mg/dL").code == "beyond_alert_threshold"  # 2.0958 mmol/L


def test_a_relative_threshold_is_the_callers_words():
    m = _m("creatinine", 80, "umol/L", beyond="creatinine 80 µmol/L: more than 30 % above the lowest")
    assert m.code == "beyond_alert_threshold" and m.words.endswith("; no laboratory range")


def test_a_value_not_recorded_has_no_meaning_and_the_worst_of_a_blood_count_wins():
    assert meaning_of(reading_of("alt", None, 10.0, None)) is None
    low, high, unknown, within = (_m("platelets", 40, "10^9/L"), _m("platelets", 500, "10^9/L"),
                                  _m("hemoglobin", 120, "g/L", age=0.1), _m("platelets", 200, "10^9/L"))
    assert [low.code, high.code, unknown.code, within.code] == ["below_range", "above_range", "unknown", "within_range"]
    assert worst([within, unknown, high, low]).code == "below_range"
    assert worst([within, unknown, high]).code == "above_range"
    assert worst([within, unknown]).code == "unknown"
    assert worst([None, within]).code == "within_range"
    assert worst([None]) is None
