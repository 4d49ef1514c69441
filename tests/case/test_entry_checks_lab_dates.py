"""Lab results dated after the encounter, in the future or before birth (issue 17 item 12)."""
import datetime as dt

from desktop_app.case.entry_checks import checks_by_path, lab_date_checks
from desktop_app.case.models import Case

TODAY = dt.date(2026, 12, 2)


def _case(lab_date: str, seen: str = "2026-11-20", dob: str = "2015-03-01") -> Case:
    return Case.model_validate({"patient": {"date_of_birth": dob}, "encounter": {"date": seen},
                                "labs": {"crp": {"value": 8, "unit": "mg/L", "date": lab_date}}})


def test_a_lab_on_or_before_the_encounter_is_fine():
    assert lab_date_checks(_case("2026-11-20"), TODAY) == []
    assert lab_date_checks(_case("2026-10-01"), TODAY) == []


def test_a_lab_after_the_encounter_is_an_error_beside_the_row():
    [check] = lab_date_checks(_case("2026-11-25"), TODAY)
    assert check.path == "labs.crp" and check.severity == "error"
    assert "after the encounter (2026-11-20)" in check.message and check.message.startswith("CRP")


def test_a_lab_in_the_future_says_so():
    [check] = lab_date_checks(_case("2027-01-05", seen="2027-01-10"), TODAY)
    assert "2027-01-05 is in the future" in check.message


def test_a_lab_before_birth_is_an_error():
    [check] = lab_date_checks(_case("2014-01-01"), TODAY)
    assert "before the date of birth" in check.message


def test_the_lab_checks_reach_the_window_through_checks_by_path():
    assert "labs.crp" in checks_by_path(_case("2026-11-25"))
