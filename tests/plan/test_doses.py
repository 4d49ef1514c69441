"""Every sourced dose (§8): computed figures, capping at the stated maximum, missing weight."""
from __future__ import annotations

import pytest

from desktop_app.plan.doses import DOSES, PER_PROTOCOL, dose_line
from desktop_app.plan.types import VERIFY_FORMULARY


def test_naproxen_3_year_old_14_kg():
    d = dose_line("naproxen", 14)
    assert d.computed == "70–105 mg twice daily (140–210 mg/day)"
    assert d.per_kg == "5–7.5 mg/kg twice daily"
    assert d.maximum == "1 g/day" and not d.capped
    assert d.note == VERIFY_FORMULARY
    assert "BNF for Children" in d.source


def test_naproxen_adult_80_kg_is_capped_and_says_why():
    d = dose_line("naproxen", 80)
    assert d.capped
    assert d.computed.startswith("400–500 mg twice daily (800–1000 mg/day)")
    assert "7.5 mg/kg × 80 kg = 600 mg twice daily = 1200 mg/day > 1 g/day" in d.computed
    assert "capped at 500 mg twice daily" in d.computed


def test_naproxen_both_ends_above_maximum():
    d = dose_line("naproxen", 250)  # 5 mg/kg × 250 kg = 1250 mg twice daily: the low end too
    assert d.capped and d.computed.startswith("500 mg twice daily (1000 mg/day)")


def test_ibuprofen_exactly_at_maximum_is_not_capped():
    # v4 (decimal arithmetic on the weight as entered): 40 mg/kg × 60 kg = 2400 mg/day exactly. (The v3 test
    # used naproxen at 200/3 kg, a weight no one can enter; in decimal it is 500.00000000000003 mg: capped.)
    d = dose_line("ibuprofen", 60)
    assert not d.capped and d.computed == "1800–2400 mg/day in 3–4 divided doses"
    assert dose_line("ibuprofen", 60.01).capped


def test_ibuprofen_14_kg_and_80_kg():
    d = dose_line("ibuprofen", 14)
    assert d.computed == "420–560 mg/day in 3–4 divided doses" and not d.capped
    d = dose_line("ibuprofen", 80)
    assert d.capped and d.maximum == "2.4 g/day"
    assert d.computed.startswith("2400 mg/day in 3–4 divided doses")
    assert "40 mg/kg/day × 80 kg = 3200 mg/day > 2.4 g/day" in d.computed


@pytest.mark.parametrize("kg, computed, capped", [
    (29, "58 mg/day", False),
    (30, "60 mg/day", False),  # exactly at the maximum: not capped
    (31, "60 mg/day — capped: 2 mg/kg/day × 31 kg = 62 mg/day > 60 mg/day, so capped at 60 mg/day", True),
])
def test_prednisone_maximum_60_mg_per_day_boundary(kg, computed, capped):
    d = dose_line("prednisone", kg)
    assert d.computed == computed and d.capped is capped
    assert d.maximum == "60 mg/day" and "JIA treatment protocol (PMC5678777)" in d.source
    assert d.amount.high_mg == min(2 * kg, 60) and d.amount.max_mg == 60 and d.amount.max_per == "day"
    assert "2 weeks" in d.schedule


def test_prednisone_source_caveat_is_carried():
    from desktop_app.case.sources import source

    assert source("jia_protocol_pmc5678777").caveat == "Source title unverified."


def test_every_prednisone_line_is_capped():
    assert dose_line("prednisone_relapse_short", 14).computed == "28 mg/day"
    assert dose_line("prednisone_relapse_short", 31).capped
    assert "7 days" in dose_line("prednisone_relapse_short", 14).schedule
    assert dose_line("prednisone_relapse_low", 14).computed == "1.4–2.8 mg/day"
    assert dose_line("prednisone_relapse_low", 80).computed == "8–16 mg/day"
    assert all(DOSES[k].max_mg == 60 for k in ("prednisone", "prednisone_relapse_short", "prednisone_relapse_low"))


def test_pamidronate_per_dose_and_cumulative_yearly_ceiling():
    d = dose_line("pamidronate", 30)
    assert d.computed == "30 mg per infusion; cumulative maximum 11.5 mg/kg/year × 30 kg = 345 mg/year"
    assert d.schedule == "every 2–4 months" and not d.capped
    # v3: the maximum is per infusion (90 mg, the label's); the yearly ceiling is in words on the line
    assert d.amount.model_dump() == dict(low_mg=30, high_mg=30, per="infusion", max_mg=90, max_per="infusion",
                                         capped=False)
    assert d.source == "Simm 2008; Miettunen 2009; Pamidronate label"


def test_zoledronic_acid_shows_study_size_and_calcium_vitamin_d():
    d = dose_line("zoledronic_acid", 14)
    assert d.computed == "0.7 mg per infusion"
    assert "n = 22" in d.schedule and "calcium and vitamin D" in d.schedule
    assert dose_line("zoledronic_acid", 80).computed == "4 mg per infusion"


@pytest.mark.parametrize("height, weight, computed, capped", [
    # BSA √(170 × 60 / 3600) = 1.683 m²: 15 mg/m² → 25.2 mg > 25 mg/week
    (170, 60, "25 mg once weekly — capped: 15 mg/m² × 1.68 m² = 25.2 mg/week > 25 mg/week, so capped at 25 mg "
              "once weekly", True),
    # BSA √(160 × 60 / 3600) = 1.633 m²: 24.5 mg, just below the maximum
    (160, 60, "24 mg once weekly", False),
])
def test_methotrexate_by_bsa_capped_at_25_mg_per_week(height, weight, computed, capped):
    d = dose_line("methotrexate", weight, height)
    assert d.computed.startswith(computed) and d.capped is capped
    assert f"Mosteller: √({height} cm × {weight} kg / 3600)" in d.computed
    assert d.amount.per == "week" and d.amount.max_mg == 25 and d.amount.high_mg == (25 if capped else 24)
    assert d.source == "UK JIA living guideline"


def test_adalimumab_and_etanercept_caps():
    ada = dose_line("adalimumab", 60, 170)  # 24 × 1.683 = 40.4 > 40 mg/dose
    assert ada.capped and ada.amount.high_mg == 40 and "capped at 40 mg every 2 weeks" in ada.computed
    assert not dose_line("adalimumab", 60, 160).capped  # 24 × 1.633 = 39.2
    assert dose_line("etanercept", 62.5).computed == "50 mg once weekly" and not dose_line("etanercept", 62.5).capped
    eta = dose_line("etanercept", 63)
    assert eta.capped and "0.8 mg/kg × 63 kg = 50.4 mg once weekly > 50 mg/dose, so capped at 50 mg" in eta.computed
    assert "doi:10.1186/ar2619" in eta.source


@pytest.mark.parametrize("key", ["methotrexate", "adalimumab"])
def test_bsa_dose_without_height_asks_for_the_height_in_words(key):
    d = dose_line(key, 40, None)
    assert d.computed is None and d.missing == ["patient.height_cm"]
    assert d.computed_text() == "not calculated: enter height (cm)"


@pytest.mark.parametrize("key", [k for k, r in DOSES.items() if r.basis == "kg"])
def test_no_weight_no_numbers(key):
    d = dose_line(key, None)
    assert d.computed is None and d.amount is None and d.missing == ["patient.weight_kg"] and not d.capped
    assert d.note == VERIFY_FORMULARY


@pytest.mark.parametrize("key", [k for k, r in DOSES.items() if r.basis != "protocol"])
def test_adult_no_amount_from_a_paediatric_source(key):
    d = dose_line(key, 70, 175, adult=True)
    assert d.computed is None and d.amount is None and d.computed_text() == "adult dosing: per local protocol"


@pytest.mark.parametrize("key", ["sulfasalazine", "infliximab"])
def test_per_local_protocol_drugs(key):
    d = dose_line(key, 40)
    assert d.per_kg == PER_PROTOCOL and d.computed is None and d.missing == []
    assert d.computed_text() == "no dose calculated: per local protocol"


def test_every_dose_has_a_known_source():
    from desktop_app.case.sources import SOURCES

    for rule in DOSES.values():
        assert rule.source_keys and all(k in SOURCES for k in rule.source_keys)


def test_computed_text_has_one_wording_for_every_renderer():
    from desktop_app.plan.types import DoseLine

    assert DoseLine(drug="X", per_kg="1 mg/kg", computed="30 mg").computed_text() == "30 mg"
    assert DoseLine(drug="X", per_kg="1 mg/kg", missing=["patient.weight_kg"]).computed_text() \
        == "not calculated: enter weight (kg)"
    assert DoseLine(drug="X", per_kg="per local protocol").computed_text() == "no dose calculated: per local protocol"
