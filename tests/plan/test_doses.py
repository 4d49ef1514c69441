"""Every sourced dose (§8): computed figures, capping at the stated maximum, missing weight."""
from __future__ import annotations

import pytest

from desktop_app.plan.doses import DOSES, NO_MAX, PER_PROTOCOL, dose_line
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


def test_naproxen_exactly_at_maximum_is_not_capped():
    d = dose_line("naproxen", 200 / 3)  # 7.5 × 66.67 = 500 mg twice daily = 1 g/day exactly
    assert not d.capped and d.computed == "333–500 mg twice daily (667–1000 mg/day)"


def test_ibuprofen_14_kg_and_80_kg():
    d = dose_line("ibuprofen", 14)
    assert d.computed == "420–560 mg/day in 3–4 divided doses" and not d.capped
    d = dose_line("ibuprofen", 80)
    assert d.capped and d.maximum == "2.4 g/day"
    assert d.computed.startswith("2400 mg/day in 3–4 divided doses")
    assert "40 mg/kg/day × 80 kg = 3200 mg/day > 2.4 g/day" in d.computed


def test_prednisone_has_no_maximum_and_says_so():
    d = dose_line("prednisone", 80)
    assert d.computed == "160 mg/day" and not d.capped  # never capped by an invented maximum
    assert d.maximum == NO_MAX and "apply your local maximum" in d.maximum
    assert "2 weeks" in d.schedule
    assert dose_line("prednisone", 14).computed == "28 mg/day"


def test_prednisone_relapse_options():
    assert dose_line("prednisone_relapse_short", 14).computed == "28 mg/day"
    assert "7 days" in dose_line("prednisone_relapse_short", 14).schedule
    assert dose_line("prednisone_relapse_low", 14).computed == "1.4–2.8 mg/day"
    assert dose_line("prednisone_relapse_low", 80).computed == "8–16 mg/day"


def test_pamidronate_is_a_cumulative_ceiling_without_a_per_cycle_dose():
    d = dose_line("pamidronate", 14)
    assert d.computed == "161 mg/year cumulative maximum"
    assert "3-day cycles" in d.schedule and "per local protocol" in d.schedule
    assert d.source == "Miettunen 2009"


def test_zoledronic_acid_shows_study_size_and_calcium_vitamin_d():
    d = dose_line("zoledronic_acid", 14)
    assert d.computed == "0.7 mg per infusion"
    assert "n = 22" in d.schedule and "calcium and vitamin D" in d.schedule
    assert dose_line("zoledronic_acid", 80).computed == "4 mg per infusion"


@pytest.mark.parametrize("key", [k for k, r in DOSES.items() if r.basis != "protocol"])
def test_no_weight_no_numbers(key):
    d = dose_line(key, None)
    assert d.computed is None and d.missing == ["patient.weight_kg"] and not d.capped
    assert d.note == VERIFY_FORMULARY


@pytest.mark.parametrize("key", ["methotrexate", "sulfasalazine", "tnf_inhibitor"])
def test_ctp_drugs_are_per_local_protocol(key):
    d = dose_line(key, 40)
    assert d.per_kg == PER_PROTOCOL and d.computed is None and d.missing == []
    assert "CARRA" in d.source


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
