"""Plan rules of clinical-rules.md version 4 (§8, §13.1, §13.7), each at its boundaries."""
from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan
from desktop_app.plan.doses import amount_range, dose_line, round_mg
from desktop_app.plan.output import plan_to_json

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "followup-two-visits.crmo"
BASE = json.loads(EXAMPLE.read_text(encoding="utf-8"))


def data() -> dict:
    return copy.deepcopy(BASE)


def plan_of(d: dict):
    c = Case.model_validate(d)
    return plan(c, assess(c))


def by_id(p) -> dict[str, dict]:
    return {j["id"]: j for j in plan_to_json(p)["lines"]}


def by_drug(p) -> dict[str, dict]:
    return {j["drug"]: j for j in plan_to_json(p)["lines"] if j["drug"]}


# ---- §8 rounding (v4): 0.01 mg below 1 mg, decimal arithmetic ------------------------------------------

def test_zoledronic_acid_5_8_kg_prints_0_29_mg_not_0_28():
    d = dose_line("zoledronic_acid", 5.8)  # 0.05 × 5.8 = 0.28999… in binary floating point
    assert d.computed.startswith("0.29 mg per infusion") and d.amount.high_mg == 0.29


def test_zoledronic_acid_9_kg_prints_0_45_mg():
    assert dose_line("zoledronic_acid", 9).computed.startswith("0.45 mg per infusion")


@pytest.mark.parametrize("mg, up, shown", [
    ("0.994", False, 0.99), ("0.994", True, 1.0),  # below 1 mg: 0.01 mg steps
    ("0.995", False, 0.99), ("0.995", True, 1.0),
    ("1.0", False, 1.0), ("1.0", True, 1.0),  # from 1 mg: 0.1 mg steps
    ("1.04", False, 1.0), ("1.04", True, 1.1),
    ("0.15", False, 0.15),  # was printed 0.1 mg (issue 22)
    ("9.99", False, 9.9), ("10", False, 10.0), ("10.4", False, 10.0), ("10.4", True, 10.5),
])
def test_rounding_boundaries_below_and_at_1_mg(mg, up, shown):
    assert round_mg(Decimal(mg), up) == shown
    assert round_mg(float(mg), up) == shown  # a float is read as the decimal it was written as


def test_a_range_never_leaves_its_mg_per_kg_range_below_1_mg():
    assert amount_range(Decimal("0.995"), Decimal("0.999")) == (0.99, 0.99)  # ends meet: one figure, down
    assert amount_range(Decimal("0.101"), Decimal("0.199")) == (0.11, 0.19)


# ---- §13.1 v4, item 15: the case as of an earlier point --------------------------------------------------

def test_case_as_of_a_visit_leaves_out_what_had_not_happened_yet():
    from desktop_app.course.timeline import case_as_of

    d = data()
    d["treatments"] += [
        {"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-02-01", "end_date": "2027-04-01",
         "response": "none", "stop_reason": "inefficacy"},  # running at V1? no: started after V1
        {"drug": "ibuprofen", "drug_class": "nsaid", "start_date": "2026-12-01", "end_date": "2027-03-01",
         "response": "none", "stop_reason": "adverse_event"},  # running at V1, ended after it
        {"drug": "ibuprofen", "drug_class": "nsaid", "start_date": "2026-10-01", "end_date": "2027-01-11",
         "response": "partial"},  # ended on V1's date: kept as it is
        {"drug": "paracetamol", "drug_class": "other"},  # undated: kept
    ]
    d["biopsies"] = [{"date": "2026-12-01", "histology": "chronic_inflammation"},
                     {"date": "2027-02-01", "histology": "chronic_inflammation"}, {"histology": "nondiagnostic"}]
    d["labs"]["alt"] = {"value": 20, "unit": "U/L", "date": "2027-02-01"}  # a work-up result after V1
    d["labs"]["calcium"] = {"value": 2.3, "unit": "mmol/L", "date": "2027-01-10"}
    d["visits"][1]["mimics"] = {"malignancy": False}
    at_v1 = case_as_of(Case.model_validate(d), "V1")
    assert [v.id for v in at_v1.visits] == ["V1"]
    assert [(t.drug, t.end_date, t.response, t.stop_reason) for t in at_v1.treatments] == [
        ("naproxen", None, "partial", None),
        ("ibuprofen", None, None, None),
        ("ibuprofen", dt.date(2027, 1, 11), "partial", None),
        ("paracetamol", None, None, None)]
    assert [b.date for b in at_v1.biopsies] == [dt.date(2026, 12, 1), None]
    assert at_v1.labs.alt is None and at_v1.labs.calcium.value == 2.3 and at_v1.labs.wbc.value == 7.4


def test_case_as_of_the_first_consultation_cuts_at_the_encounter_date():
    from desktop_app.course.timeline import case_as_of

    d = data()
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2026-10-06"})
    d["biopsies"] = [{"date": "2026-10-05", "histology": "chronic_inflammation"}]
    then = case_as_of(Case.model_validate(d), None)
    assert then.visits == [] and [t.drug for t in then.treatments] == ["naproxen"]
    assert len(then.biopsies) == 1  # on the encounter date: had happened
