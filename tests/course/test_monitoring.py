"""Monitoring due (clinical-rules.md §13.5): each boundary of each schedule."""
from __future__ import annotations

import pytest

from desktop_app.case.models import Labs
from desktop_app.course.monitoring import monitoring_due
from tests.course.helpers import SEEN, case, days, lab, treatment, visit

FBC = {"wbc": lab(6.5, "10^9/L"), "hemoglobin": lab(129, "g/L"), "platelets": lab(290, "10^9/L")}
NSAID_LABS = {**FBC, "alt": lab(22, "U/L"), "creatinine": lab(48, "umol/L")}
BISPHOSPHONATE_LABS = {"creatinine": lab(48, "umol/L"), "calcium": lab(2.4, "mmol/L"),
                       "vitamin_d_25oh": lab(70, "nmol/L"), "alkaline_phosphatase": lab(200, "U/L")}


def _status(c, test: str) -> tuple[str, object]:
    m = next(m for m in monitoring_due(c) if m.test == test)
    return m.status, m.last


def _tested_then_seen(drug, cls, labs: dict, age: int, start=SEEN):
    """Tests done at V1 (day 10); the latest visit `age` days later."""
    return case(treatments=[treatment(drug, cls, start=start)],
                visits=[visit("V1", days(10), labs=Labs(**labs)), visit("V2", days(10 + age))])


@pytest.mark.parametrize("age, status", [(182, "up_to_date"), (183, "due"), (365, "due"), (366, "overdue")])
def test_nsaid_every_6_to_12_months(age, status):
    c = _tested_then_seen("naproxen sodium", "nsaid", NSAID_LABS, age)
    got = {m.test: (m.drug, m.status, m.last) for m in monitoring_due(c)}
    assert got == {t: ("naproxen", status, days(10)) for t in ("full blood count", "ALT", "creatinine")}


@pytest.mark.parametrize("day, status", [(30, "up_to_date"), (31, "due"), (60, "due"), (61, "overdue")])
def test_methotrexate_first_check_from_day_31_overdue_from_day_61(day, status):
    # Bloods before the start do not count for the first check.
    c = case(treatments=[treatment("methotrexate", "dmard", start=days(20))],
             labs={k: v.model_dump() for k, v in NSAID_LABS.items()},
             visits=[visit("V1", days(20 + day))])
    assert _status(c, "full blood count") == (status, SEEN)
    assert _status(c, "ALT") == (status, SEEN)


def test_methotrexate_after_the_first_check_every_3_to_4_months():
    for age, status in ((91, "up_to_date"), (92, "due"), (122, "due"), (123, "overdue")):
        c = _tested_then_seen("methotrexate", "dmard", NSAID_LABS, age)
        assert _status(c, "creatinine") == (status, days(10)), age


def test_sulfasalazine_follows_the_methotrexate_schedule():
    c = case(treatments=[treatment("Sulphasalazine", "dmard")], visits=[visit("V1", days(45))])
    assert {(m.drug, m.test, m.status, m.last) for m in monitoring_due(c)} == {
        ("sulfasalazine", t, "due", None) for t in ("full blood count", "ALT", "creatinine")}


# v4 (§13.7 item 9): overdue after 130 days (was: never overdue).
@pytest.mark.parametrize("age, status", [(30, "up_to_date"), (31, "due"), (130, "due"), (131, "overdue"), (1000, "overdue")])
def test_bisphosphonate_within_30_days_before_an_infusion_overdue_after_130(age, status):
    c = _tested_then_seen("pamidronate", "bisphosphonate", BISPHOSPHONATE_LABS, age)
    assert {m.test: m.status for m in monitoring_due(c)} == {
        "creatinine": status, "calcium": status, "25-OH vitamin D": status, "alkaline phosphatase": status}


@pytest.mark.parametrize("age, status", [(365, "up_to_date"), (366, "due"), (456, "due"), (457, "overdue")])
def test_tnf_inhibitor_annually(age, status):
    c = _tested_then_seen("adalimumab", "tnf_inhibitor", NSAID_LABS, age)
    assert {m.test: m.status for m in monitoring_due(c)} == {"full blood count": status, "ALT": status}


def test_never_recorded_is_due_then_overdue_once_the_treatment_is_older_than_the_limit():
    young = case(treatments=[treatment("naproxen", "nsaid")], visits=[visit("V1", days(365))])
    old = case(treatments=[treatment("naproxen", "nsaid")], visits=[visit("V1", days(366))])
    assert _status(young, "ALT") == ("due", None) and _status(old, "ALT") == ("overdue", None)


def test_a_full_blood_count_needs_all_three_on_one_day():
    split = case(treatments=[treatment("naproxen", "nsaid")], visits=[
        visit("V1", days(10), labs=Labs(wbc=FBC["wbc"], hemoglobin=FBC["hemoglobin"])),
        visit("V2", days(20), labs=Labs(platelets=FBC["platelets"])), visit("V3", days(40))])
    assert _status(split, "full blood count") == ("due", None)
    # A value's own date wins over its visit's.
    dated = case(treatments=[treatment("naproxen", "nsaid")], visits=[
        visit("V1", days(10), labs=Labs(wbc=FBC["wbc"], hemoglobin=FBC["hemoglobin"],
                                        platelets=lab(290, "10^9/L", date=days(8)))),
        visit("V2", days(40))])
    assert _status(dated, "full blood count") == ("due", None)


def test_stopped_and_other_treatments_are_not_monitored():
    c = case(treatments=[treatment("naproxen", "nsaid", end_date=days(30)), treatment("colchicine", "other")],
             visits=[visit("V1", days(90))])
    assert monitoring_due(c) == []
