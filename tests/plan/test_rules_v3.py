"""Rules version 3 in the plan (clinical-rules.md §8, §8.3): amounts as given, per-infusion maxima, step 3
only once malignancy is excluded, the checks before methotrexate and the weight-for-age check."""
from __future__ import annotations

import pytest

from desktop_app.case.entry_checks import entry_checks, weight_for_age
from desktop_app.plan.build import CTP_HELD, plan
from desktop_app.plan.doses import dose_line, pregnancy_possible, round_mg
from desktop_app.plan.output import plan_to_json
from tests.plan.helpers import assessment, case
from tests.plan.test_build import CLAVICLE, VERTEBRA, line, nsaid


# ---- §8 amounts as given ---------------------------------------------------------------------------------

def test_naproxen_at_3_kg_never_leaves_its_mg_per_kg_range():
    d = dose_line("naproxen", 3)
    assert d.computed.startswith("15–22.5 mg twice daily")
    assert (d.amount.low_mg, d.amount.high_mg) == (15, 22.5)


@pytest.mark.parametrize("mg, up, shown", [(9.12, False, 9.1), (27.2, False, 27), (22.5, False, 22.5),
                                           (333.33, True, 333.5), (9.97, True, 10), (10.2, False, 10)])
def test_one_rounding(mg, up, shown):
    assert round_mg(mg, up) == shown


def test_etanercept_0_8_mg_per_kg_at_34_kg_prints_27_mg():
    d = dose_line("etanercept", 34)
    assert d.computed == "27 mg once weekly" and d.amount.high_mg == 27


def test_methotrexate_single_amount_rounds_down_to_0_1_mg():
    d = dose_line("methotrexate", 13, 100)  # BSA √(100 × 13 / 3600) = 0.601 m² × 15 = 9.01 mg
    assert d.computed.startswith("9 mg once weekly") and d.amount.high_mg == 9.0


# ---- §8.3 per-infusion maxima ---------------------------------------------------------------------------

@pytest.mark.parametrize("weight, shown, capped", [(89, "89 mg per infusion", False), (91, "90 mg per infusion", True)])
def test_pamidronate_at_most_90_mg_per_infusion(weight, shown, capped):
    d = dose_line("pamidronate", weight)
    assert d.computed.startswith(shown) and d.capped is capped
    assert (d.amount.high_mg, d.amount.per, d.amount.max_mg, d.amount.max_per) == (
        min(weight, 90), "infusion", 90, "infusion")
    assert "cumulative maximum 11.5 mg/kg/year" in d.computed  # the yearly limit, in words on the line


@pytest.mark.parametrize("weight, high, capped", [(79, 3.9, False), (81, 4, True)])
def test_zoledronic_acid_at_most_4_mg_per_infusion(weight, high, capped):
    d = dose_line("zoledronic_acid", weight)
    assert d.amount.high_mg == high and d.capped is capped and d.amount.max_mg == 4
    assert (d.amount.per, d.amount.max_per) == ("infusion", "infusion")


# ---- §8.3 step 3 only once malignancy is excluded ----------------------------------------------------------

def test_step_3_with_malignancy_not_assessed_is_held_back_with_the_spec_words():
    p = plan(case(lesions=[VERTEBRA], treatments=[nsaid(60)], age=11), assessment())
    ctp = line(p, "ctp")
    assert ctp.status == "not_proposed" and ctp.reason == CTP_HELD and not ctp.doses
    assert {"methotrexate", "pamidronate", "zoledronic acid"} <= set(ctp.drugs)  # bisphosphonates too
    ok = plan(case(lesions=[VERTEBRA], treatments=[nsaid(60)], age=11, mimics=dict(malignancy=False)), assessment())
    assert line(ok, "ctp").status == "proposed"


def test_biopsy_item_not_met_when_required_and_not_recorded():
    c = case(lesions=[dict(bone="tibia", side="left", segment="diaphysis")],
             associated=dict(inflammatory_bowel_disease=False, psoriasis=False, palmoplantar_pustulosis=False))
    item = next(i for i in plan(c, assessment()).ctp_eligibility if i.id == "biopsy_or_typical")
    assert item.status == "not_met"


# ---- §8.3 checks before methotrexate ------------------------------------------------------------------------

@pytest.mark.parametrize("sex, age, pregnancy", [("female", 16, True), ("female", 9, False), ("male", 16, False),
                                                 (None, 16, True), ("female", None, True)])
def test_methotrexate_checks(sex, age, pregnancy):
    checks = dose_line("methotrexate", 50, 160, pregnancy=pregnancy_possible(sex, age)).before_starting
    assert checks[0] == "full blood count, ALT and creatinine before the start"
    assert any("folic or folinic acid" in c for c in checks) and checks[-1] == "varicella status"
    assert any(c.startswith("a pregnancy test and advice on contraception") for c in checks) is pregnancy


# ---- §8 weight for age (APLS) --------------------------------------------------------------------------------

def test_weight_for_age_is_an_entry_check_and_rides_on_every_amount():
    c = case(lesions=[CLAVICLE], weight=3, age=10)
    check = weight_for_age(c)
    assert check.message == "3 kg is unusual for 10 years (APLS estimate 37 kg): check the weight"
    assert check.path == "patient.weight_kg" and check in entry_checks(c)
    d = line(plan(c, assessment()), "nsaid").doses[0]
    assert d.computed and check.message in d.computed_text()
    assert d.check_line() == f"Before giving this amount: {check.message}."  # under the amount (Plan tab, CLI)
    assert check.message not in d.one_line()  # not twice
    assert check.message in plan_to_json(plan(c, assessment()))["lines"][0]["dose_text"]


@pytest.mark.parametrize("age, weight, flagged", [(3, 28.1, True), (3, 28, False), (3, 6.9, True), (3, 7, False),
                                                  (0.25, 3, False), (13, 3, False)])
def test_weight_for_age_limits(age, weight, flagged):
    # 3 years: APLS 14 kg (half 7, double 28); 3 months: 5.5 kg; from 13 years no estimate
    assert (weight_for_age(case(weight=weight, age=age)) is not None) is flagged


def test_weight_for_age_message_as_the_spec_words_it():
    assert weight_for_age(case(weight=30, age=3)).message == (
        "30 kg is unusual for 3 years (APLS estimate 14 kg): check the weight")
