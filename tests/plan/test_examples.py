"""plan() on the shared example cases, through the real assess() and the public API."""
from __future__ import annotations

import pytest

import desktop_app
from desktop_app.storage.case_file import load_case
from tests.conftest import SHARED_EXAMPLES


def _plan(name):
    case = load_case(SHARED_EXAMPLES / f"{name}.crmo")
    return desktop_app.build_plan(case, desktop_app.assess(case))


@pytest.mark.parametrize("name,first", [
    ("leukaemia-mimic", "mimic.cytopenia"), ("bacterial-osteomyelitis", "mimic.positive_culture"),
    ("unifocal-tibia-no-survey", "mimic.unifocal_non_clavicle")])
def test_mimic_examples_exclude_the_mimic_first(name, first):
    p = _plan(name)
    assert p.lines[0].id == first and p.lines[0].step == "Exclude the mimic first"
    assert "nsaid" not in [l.id for l in p.lines]


def test_typical_multifocal_gets_nsaid_sulfasalazine_and_dermatology():
    p = _plan("typical-multifocal")
    assert [l.id for l in p.lines] == ["nsaid", "sulfasalazine", "physio_pain", "school_letter", "skin_specialist"]
    assert p.lines[0].doses[0].computed == "170–255 mg twice daily (340–510 mg/day)"  # 34 kg
    eligibility = {e.id: e.status for e in p.ctp_eligibility}
    assert eligibility["whole_body"] == "met" and eligibility["biopsy_or_typical"] == "met"
    assert any("OR 1.94" in l.text for l in p.prognosis)


def test_high_crp_with_a_confirming_biopsy_is_treated():
    p = _plan("crp-mg-dl-biopsy")
    assert [l.id for l in p.lines][:2] == ["nsaid", "ctp"]
