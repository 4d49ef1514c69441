"""plan() on the example cases (resources/examples), through the real assess() and the public API."""
from __future__ import annotations

import json

import pytest

import desktop_app
from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES, EXPECTED_RESULTS

NAMES = sorted(p.name.removesuffix(".crmo") for p in EXAMPLES.glob("*.crmo"))
CNO_TREATMENT = ("first_line", "glucocorticoid", "second_line")


def _plan(name):
    case = load_case(EXAMPLES / f"{name}.crmo")
    return desktop_app.build_plan(case, desktop_app.assess(case))


@pytest.mark.parametrize("name", NAMES)
def test_plan_mode_is_the_expected_mode(name):
    expected = json.loads((EXPECTED_RESULTS / f"{name}.expected.json").read_text())
    p = _plan(name)
    assert p.mode == expected["mode"]
    proposed = [l for l in p.lines if l.kind in CNO_TREATMENT and l.status == "proposed"]
    if p.mode != "cno":  # never a CNO treatment while the gate does not hold
        assert proposed == [] and p.codes == [] and p.prognosis == []
        assert all(not l.doses for l in p.lines)


def test_leukaemia_mimic_proposes_no_nsaid_and_no_steroid():
    p = _plan("leukaemia-mimic")
    assert p.mode == "workup" and p.workup
    assert any("bone marrow" in step for step in p.workup)
    by_id = {l.id: l for l in p.lines}
    assert by_id["nsaid"].status == "not_proposed" and by_id["glucocorticoid"].status == "not_proposed"
    assert by_id["glucocorticoid"].reason.startswith(
        "not proposed until malignancy is excluded (bone marrow examination before any glucocorticoid)")
    assert "Malignancy not yet excluded (cytopenia;" in by_id["nsaid"].reason


def test_bacterial_osteomyelitis_manages_the_infection():
    p = _plan("bacterial-osteomyelitis")
    assert p.mode == "alternative_diagnosis"
    assert p.lines[0].id == "mimic.positive_culture" and p.lines[0].kind == "exclude_mimic"
    assert "alternative diagnosis recorded" in next(l for l in p.lines if l.id == "nsaid").reason


def test_typical_multifocal_gets_nsaid_dermatology_and_codes():
    p = _plan("typical-multifocal")
    assert p.mode == "cno"
    assert [l.id for l in p.lines] == ["nsaid", "sulfasalazine", "physio_pain", "school_letter", "skin_specialist"]
    assert p.lines[0].status == "proposed"
    assert p.lines[0].doses[0].computed == "170–255 mg twice daily (340–510 mg/day)"  # 34 kg
    assert p.lines[1].status == "not_proposed"  # a DMARD is step 3: no NSAID trial yet
    eligibility = {e.id: e.status for e in p.ctp_eligibility}
    assert eligibility["whole_body"] == "met" and eligibility["biopsy_or_typical"] == "met"
    assert any("OR 1.94" in l.text for l in p.prognosis)
    assert [c.code for c in p.codes] == ["M86.39"]


def test_crp_biopsy_case_asks_for_the_nsaid_course_dates():
    p = _plan("crp-mg-dl-biopsy")
    assert p.mode == "cno" and [l.id for l in p.lines][:2] == ["nsaid", "ctp"]
    ctp = p.lines[1]
    assert ctp.status == "not_proposed" and "enter the course's start and end dates" in ctp.reason
