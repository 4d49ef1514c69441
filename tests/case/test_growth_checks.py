"""§13.3 v4 growth entry checks (case/growth_checks.py) and a visit's own entry checks (issue 23),
at their boundaries: 20 % / 90 days for a weight, 1 cm for a height."""
from __future__ import annotations

import datetime as dt

from desktop_app.case.entry_checks import checks_by_path, visit_checks
from desktop_app.case.growth_checks import growth_checks, weight_check_words
from desktop_app.case.models import Case, LabValue, Visit

D = dt.date.fromisoformat
TODAY = D("2027-06-01")


def case_with(*visits: Visit, weight=30.0, height=140.0) -> Case:
    case = Case()
    case.patient.date_of_birth = D("2016-01-10")
    case.patient.weight_kg = weight
    case.patient.height_cm = height
    case.encounter.date = D("2027-01-10")
    case.visits = list(visits)
    return case


def test_a_weight_20_percent_off_is_not_flagged_but_over_20_is():
    assert growth_checks(case_with(Visit(id="V1", date=D("2027-03-01"), weight_kg=36.0))) == []
    [check] = growth_checks(case_with(Visit(id="V1", date=D("2027-03-01"), weight_kg=36.1)))
    assert check.path == "visits[0].weight_kg" and check.visit_id == "V1"
    assert check.message == "36.1 kg differs by 20 % from 30 kg on 2027-01-10 (50 days before): check the weight"
    [low] = growth_checks(case_with(Visit(id="V1", date=D("2027-03-01"), weight_kg=3.4)))
    assert "89 %" in low.message and low.message.endswith("check the weight")


def test_the_weight_window_is_90_days_from_the_previous_recorded_weight():
    assert growth_checks(case_with(Visit(id="V1", date=D("2027-04-10"), weight_kg=40.0)))  # 90 days
    assert growth_checks(case_with(Visit(id="V1", date=D("2027-04-11"), weight_kg=40.0))) == []  # 91 days
    # the previous *recorded* weight: a visit without one does not reset the comparison
    case = case_with(Visit(id="V1", date=D("2027-02-01")), Visit(id="V2", date=D("2027-03-01"), weight_kg=23.9))
    assert [c.visit_id for c in growth_checks(case)] == ["V2"]


def test_a_height_more_than_1_cm_below_an_earlier_one():
    assert growth_checks(case_with(Visit(id="V1", date=D("2027-03-01"), height_cm=139.0))) == []
    [check] = growth_checks(case_with(Visit(id="V1", date=D("2027-03-01"), height_cm=138.9)))
    assert check.path == "visits[0].height_cm"
    assert check.message == "138.9 cm is 1.1 cm below 140 cm on 2027-01-10: check the height"
    # below the tallest earlier height, not only the previous one
    case = case_with(Visit(id="V1", date=D("2027-03-01"), height_cm=142.0),
                     Visit(id="V2", date=D("2027-05-01"), height_cm=140.5))
    assert [c.visit_id for c in growth_checks(case)] == ["V2"]


def test_visits_are_read_in_date_order_not_file_order():
    case = case_with(Visit(id="V2", date=D("2027-05-01"), weight_kg=31.0),
                     Visit(id="V1", date=D("2027-03-01"), weight_kg=40.0))
    assert [c.visit_id for c in growth_checks(case)] == ["V1", "V2"]
    assert weight_check_words(case, "V1").endswith("check the weight")
    assert weight_check_words(case, None) == ""


def test_a_visit_weight_for_age_and_temperature_are_checked_as_at_the_first_consultation():
    case = case_with(Visit(id="V2", date=D("2027-03-01"), weight_kg=3.4, max_temperature_c=42.5), weight=None)
    checks = {c.path: c.message for c in visit_checks(case, TODAY)}
    assert checks["visits[0].weight_kg"] == "3.4 kg is unusual for 11 years (APLS estimate 40 kg): check the weight."
    assert checks["visits[0].max_temperature_c"] == "42.5 °C is rarely real: check the value (was it °F?)."
    assert "visits[0].max_temperature_c" not in {
        c.path for c in visit_checks(case_with(Visit(id="V2", date=D("2027-03-01"), max_temperature_c=41.9)), TODAY)}


def test_a_visits_dates_are_checked_against_the_visit():
    visit = Visit(id="V1", date=D("2027-03-01"), next_review_date=D("2027-02-28"), mri_date=D("2027-03-02"),
                  max_temperature_date=D("2027-03-02"),
                  labs={"crp": LabValue(value=5, unit="mg/L", date=D("2027-03-02"))})
    paths = {c.path for c in visit_checks(case_with(visit), TODAY) if c.severity == "error"}
    assert paths == {"visits[0].next_review_date", "visits[0].mri_date", "visits[0].max_temperature_date",
                     "visits[0].labs.crp"}
    same_day = Visit(id="V1", date=D("2027-03-01"), next_review_date=D("2027-03-01"), mri_date=D("2027-03-01"),
                     labs={"crp": LabValue(value=5, unit="mg/L", date=D("2027-03-01"))})
    assert visit_checks(case_with(same_day), TODAY) == []


def test_a_visit_after_today_is_shown_not_refused():
    case = case_with(Visit(id="V1", date=D("2027-06-02")))
    [check] = visit_checks(case, TODAY)
    assert check.path == "visits[0].date" and "in the future" in check.message
    assert visit_checks(case_with(Visit(id="V1", date=TODAY)), TODAY) == []


def test_checks_reach_the_field_they_are_shown_beside():
    case = case_with(Visit(id="V1", date=D("2026-12-01"), height_cm=141.5))
    by_path = checks_by_path(case)
    assert "before the first consultation" in by_path["visits[0].date"][0].message
    # V1 predates the first consultation: the first consultation's height is the one below it
    assert [c.message for c in by_path["patient.height_cm"]] == [
        "140 cm is 1.5 cm below 141.5 cm on 2026-12-01: check the height."]
    assert "visits[0].height_cm" not in by_path


def test_the_amounts_carry_the_check_of_the_weight_they_are_computed_from():
    from desktop_app.case.growth_checks import amount_check_words

    jump = case_with(Visit(id="V1", date=D("2027-03-01"), weight_kg=40.0), Visit(id="V2", date=D("2027-04-01")))
    # V2 has no weight: the amounts use V1's 40 kg, and carry its check
    assert amount_check_words(jump)[0] == weight_check_words(jump, "V1") != ""
    # a later plausible weight is the one used: no check, though V1's stays under V1's field
    later = case_with(Visit(id="V1", date=D("2027-03-01"), weight_kg=40.0),
                      Visit(id="V2", date=D("2027-04-01"), weight_kg=39.0))
    assert amount_check_words(later)[0] == "" and weight_check_words(later, "V1")
    assert amount_check_words(case_with())[0] == ""  # the first consultation's weight, no earlier one


def test_several_checks_read_as_one_sentence():
    from desktop_app.case.entry_checks import joined

    assert joined(["Next review is before the encounter date.", "3 kg is unusual: check the weight",
                   "42.5 °C is rarely real: check the value (was it °F?)."]) == (
        "Next review is before the encounter date; 3 kg is unusual: check the weight; "
        "42.5 °C is rarely real: check the value (was it °F?).")
    assert joined([]) == ""


def test_the_amounts_carry_the_check_of_the_height_they_are_computed_from():
    from desktop_app.case.growth_checks import amount_check_words

    fell = case_with(Visit(id="V1", date=D("2027-03-01"), height_cm=138.0), Visit(id="V2", date=D("2027-04-01")))
    assert amount_check_words(fell) == ("", "138 cm is 2 cm below 140 cm on 2027-01-10: check the height")
    regrown = case_with(Visit(id="V1", date=D("2027-03-01"), height_cm=138.0),
                        Visit(id="V2", date=D("2027-04-01"), height_cm=140.5))
    assert amount_check_words(regrown) == ("", "")
