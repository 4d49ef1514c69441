"""Issue 23: the pure rules behind the entry checks, at their edges — dates typed as text
(number_text.parse_date_text), numbers impossible in their unit (units.implausible) and the
ambiguous thousands point of whole-number results (number_text.whole_number_text)."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.case import labels
from desktop_app.case.number_text import parse_date_text, parse_number, whole_number_text
from desktop_app.case.sources import SOURCES
from desktop_app.case.units import PLAUSIBLE, PLAUSIBLE_SOURCES, implausible

APRIL_15 = dt.date(2027, 4, 15)
DATE_FORM = "type the date as year-month-day, e.g. 2027-04-15"


# --- parse_date_text ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed, date", [
    ("20270415", APRIL_15), ("2027-04-15", APRIL_15), ("15/04/2027", APRIL_15), ("15.04.2027", APRIL_15),
    ("15-04-2027", APRIL_15), ("2027/4/15", APRIL_15), ("  2027-04-15 ", APRIL_15),
    ("05/05/2027", dt.date(2027, 5, 5)),  # day and month equal: one reading only
    ("29/02/2028", dt.date(2028, 2, 29)),  # a leap day
    ("1/1/2027", dt.date(2027, 1, 1)),
])
def test_a_typed_date_gives_that_date(typed, date):
    assert parse_date_text(typed) == date


@pytest.mark.parametrize("typed, words", [
    ("31/02/2027", "there is no day 31/02/2027: type year-month-day, e.g. 2027-04-15"),
    ("29/02/2027", "there is no day 29/02/2027: type year-month-day, e.g. 2027-04-15"),
    ("2027-13-01", "there is no day 2027-13-01: type year-month-day, e.g. 2027-04-15"),
    ("20270230", "there is no day 20270230: type year-month-day, e.g. 2027-04-15"),
    ("04/05/2027", "it could be 4 May or 5 April 2027: type 2027-05-04 or 2027-04-05"),
    ("15/04/27", "type the year in full, e.g. 2027-04-15"),
    ("", DATE_FORM), ("   ", DATE_FORM), ("tomorrow", DATE_FORM), ("2027-04", DATE_FORM),
    ("202704150", DATE_FORM),
])
def test_a_date_that_is_not_one_is_refused_in_words(typed, words):
    with pytest.raises(ValueError) as exc:
        parse_date_text(typed)
    assert str(exc.value) == words


# --- implausible -------------------------------------------------------------------------------------
def _edge(value: str, bound: str) -> str:
    return (f"{value} is refused as a likely typing error (the entry check allows {bound}: a limit for "
            "typing errors, not a clinical threshold): check the number and its unit")


@pytest.mark.parametrize("analyte, value, unit", [
    ("hemoglobin", 20, "g/L"), ("hemoglobin", 250, "g/L"), ("hemoglobin", 2, "g/dL"), ("hemoglobin", 25, "g/dL"),
    ("calcium", 0.5, "mmol/L"), ("calcium", 5, "mmol/L"), ("crp", 0, "mg/L"), ("crp", 1000, "mg/L"),
    ("esr", 200, "mm/h"), ("creatinine", 5, "umol/L"), ("creatinine", 3000, "umol/L"),
    ("platelets", 5000, "10^9/L"), ("ldh", 99999, "U/L"),  # LDH has no entry limit
])
def test_a_value_on_the_limit_is_possible(analyte, value, unit):
    assert implausible(analyte, value, unit) == ""


@pytest.mark.parametrize("analyte, value, unit, words", [
    # just outside, where the same number in the row's other unit is possible: the likely meaning
    ("hemoglobin", 19.9, "g/L", "19.9 g/L is not possible: 19.9 g/dL?"),
    ("hemoglobin", 95, "g/dL", "95 g/dL is not possible: 95 g/L?"),
    ("calcium", 9.2, "mmol/L", "9.2 mmol/L is not possible: 9.2 mg/dL?"),
    ("creatinine", 1.5, "umol/L", "1.5 µmol/L is not possible: 1.5 mg/dL?"),
    # just outside, where no unit of the row makes it possible: the edge, as an entry limit
    ("hemoglobin", 251, "g/L", _edge("251 g/L", "at most 250 g/L")),
    ("hemoglobin", 1.9, "g/dL", _edge("1.9 g/dL", "at least 2 g/dL")),
    ("calcium", 0.49, "mmol/L", _edge("0.49 mmol/L", "at least 0.5 mmol/L")),
    ("crp", 1001, "mg/L", _edge("1001 mg/L", "at most 1000 mg/L")),
    ("esr", 201, "mm/h", _edge("201 mm/h", "at most 200 mm/h")),
    ("creatinine", 3001, "umol/L", _edge("3001 µmol/L", "at most 3000 µmol/L")),
    ("platelets", 250000, "10^9/L", _edge("250000 ×10⁹/L", "at most 5000 ×10⁹/L")),
])
def test_a_value_past_the_limit_is_refused_with_its_likely_meaning(analyte, value, unit, words):
    assert implausible(analyte, value, unit, labels.unit_label) == words


def test_every_entry_limit_cites_a_source_that_says_it_is_not_clinical():
    assert set(PLAUSIBLE_SOURCES) == set(PLAUSIBLE)
    for analyte, key in PLAUSIBLE_SOURCES.items():
        src = SOURCES[key]
        assert "Engineering limit for typing errors, not a clinical threshold — pending clinician review" \
            in src.citation, analyte
        assert "Not from a published source" in src.caveat


# --- whole_number_text -------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["1250", "12.5", "0.125", "1.2500", "1000.000", "45", "12.50"])
def test_a_number_that_cannot_hold_a_thousands_point_is_kept(typed):
    assert whole_number_text(typed) == typed


@pytest.mark.parametrize("typed, meant", [("1.250", "1250"), ("12.500", "12500"), ("999.999", "999999"),
                                          (" 1.250 ", "1250")])
def test_a_point_with_three_digits_is_refused_as_ambiguous(typed, meant):
    with pytest.raises(ValueError) as exc:
        whole_number_text(typed)
    assert str(exc.value) == ("it is reported in whole numbers, and a point with three digits after it may "
                              f"separate thousands: type {meant} if that is meant")


def test_a_comma_with_three_digits_is_refused_by_the_number_rule_itself():
    """whole_number_text leaves commas to the one number rule, which refuses "1,250" for every field."""
    assert whole_number_text("1,250") == "1,250"
    with pytest.raises(ValueError) as exc:
        parse_number("1,250")
    assert str(exc.value) == "use no thousands separator: 1250"
    assert parse_number("1250") == 1250 and parse_number("12.5") == 12.5
