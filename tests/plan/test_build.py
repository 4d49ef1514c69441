"""plan(case, assessment): every branch of §8, mimic-first ordering and plan_edits."""
from __future__ import annotations

import pytest

from desktop_app.case.models import PlanLineEdit
from desktop_app.plan.build import BIOPSY_FLAGS, MIMIC_FLAGS, MIMIC_STEP, plan
from tests.plan.helpers import assessment, case

VERTEBRA = dict(bone="vertebra", level="T7", modalities=["mri"], marrow_edema=True)
TIBIA = dict(bone="tibia", side="left", segment="metaphysis", modalities=["mri"], marrow_edema=True)


def ids(p):
    return [l.id for l in p.lines]


def line(p, id):
    return next(l for l in p.lines if l.id == id)


def test_plain_case_nsaid_first_then_always():
    p = plan(case(lesions=[TIBIA]), assessment())
    assert ids(p) == ["nsaid", "physio_pain", "school_letter"]
    nsaid = line(p, "nsaid")
    assert nsaid.step == "First line" and "naproxen preferred" in nsaid.text
    assert [d.drug for d in nsaid.doses] == ["Naproxen", "Ibuprofen"]
    assert nsaid.doses[0].computed == "170–255 mg twice daily (340–510 mg/day)"
    assert "Beck 2010" in nsaid.source and "43 %" in nsaid.reason
    assert any("High activity" in n and "clinician's judgement" in n for n in p.notes)
    assert not any("describe CNO" in n for n in p.notes)


@pytest.mark.parametrize("flag_id", MIMIC_FLAGS)
def test_mimic_flag_replaces_cno_treatment(flag_id):
    p = plan(case(lesions=[VERTEBRA], treatments=[dict(drug_class="nsaid", response="none")]),
             assessment(flags=(flag_id,)))
    assert p.lines[0].step == MIMIC_STEP and p.lines[0].id == f"mimic.{flag_id}"
    assert p.lines[0].reason == "evidence" and p.lines[0].source == "Some source"
    assert not {"nsaid", "glucocorticoid", "ctp"} & set(ids(p))
    assert ids(p)[-2:] == ["physio_pain", "school_letter"]  # supportive care still proposed
    assert any("not proposed until the mimic is excluded" in n for n in p.notes)
    assert any("prognosis, follow-up and CTP eligibility describe CNO" in n for n in p.notes)


@pytest.mark.parametrize("flag_id", BIOPSY_FLAGS)
def test_biopsy_flags_block_until_criterion_2_is_met(flag_id):
    blocked = plan(case(), assessment(flags=(flag_id,)))
    assert ids(blocked)[0] == f"mimic.{flag_id}" and "nsaid" not in ids(blocked)
    cleared = plan(case(), assessment(flags=(flag_id,), criterion_2="met"))
    assert "nsaid" in ids(cleared) and not any(i.startswith("mimic.") for i in ids(cleared))


def test_young_onset_is_a_caution_that_does_not_block():
    p = plan(case(), assessment(flags=("young_onset",)))
    assert ids(p)[:2] == ["caution.young_onset", "nsaid"]


def test_confirmed_mimic_is_first():
    p = plan(case(mimics=dict(infection=True)), assessment())
    assert p.lines[0].id == "mimic.confirmed_infection" and p.lines[0].step == MIMIC_STEP
    assert "nsaid" not in ids(p)


def test_excluded_mimic_does_not_block():
    p = plan(case(mimics=dict(infection=False, malignancy=False)), assessment())
    assert "nsaid" in ids(p)


def test_vertebral_lesion_gives_glucocorticoid_and_ctp():
    p = plan(case(lesions=[VERTEBRA]), assessment())
    assert ids(p)[:3] == ["nsaid", "glucocorticoid", "ctp"]
    gc = line(p, "glucocorticoid")
    assert "T7" in gc.reason and "clinician's judgement" in gc.reason
    assert [d.computed for d in gc.doses] == ["68 mg/day", "68 mg/day", "3.4–6.8 mg/day"]
    assert all("apply your local maximum" in d.maximum for d in gc.doses)
    ctp = line(p, "ctp")
    assert "Active spinal lesion(s) with marrow oedema: T7" in ctp.reason and "CARRA" in ctp.source
    assert any("HLA-B27" in n for n in p.notes)


@pytest.mark.parametrize("oedema", [False, None])
def test_vertebral_lesion_without_recorded_oedema_gives_glucocorticoid_but_not_ctp(oedema):
    p = plan(case(lesions=[{**VERTEBRA, "marrow_edema": oedema}]), assessment())
    assert "glucocorticoid" in ids(p) and "ctp" not in ids(p)
    asks = [n for n in p.notes if "record marrow oedema on MRI" in n]
    assert len(asks) == (1 if oedema is None else 0)
    if asks:
        assert "T7" in asks[0]


def test_nsaid_failure_with_an_undecided_vertebra_still_gives_ctp():
    p = plan(case(lesions=[{**VERTEBRA, "marrow_edema": None}],
                  treatments=[dict(drug="naproxen", drug_class="nsaid", response="partial")]), assessment())
    ctp = line(p, "ctp")
    assert "NSAID" in ctp.reason and "spinal" not in ctp.reason


def test_vertebral_collapse_alone_gives_glucocorticoid_only():
    coll = dict(bone="femur", side="left", vertebral_collapse=True)
    p = plan(case(lesions=[coll]), assessment())
    assert "glucocorticoid" in ids(p) and "ctp" not in ids(p)
    assert "collapse" in line(p, "glucocorticoid").reason


@pytest.mark.parametrize("response,proposed", [("none", True), ("partial", True), ("complete", False), (None, False)])
def test_nsaid_failure_gives_ctp(response, proposed):
    p = plan(case(lesions=[TIBIA], treatments=[dict(drug="naproxen", drug_class="nsaid", response=response)]),
             assessment())
    assert ("ctp" in ids(p)) is proposed
    assert "glucocorticoid" not in ids(p)
    if proposed:
        ctp = line(p, "ctp")
        assert "NSAID course with response none/partial" in ctp.reason
        doses = {d.drug: d for d in ctp.doses}
        assert doses["Methotrexate"].per_kg.startswith("per local protocol")
        assert doses["Pamidronate"].computed == "391 mg/year cumulative maximum"
        assert doses["Zoledronic acid"].computed == "1.7 mg per infusion"


def test_antibiotic_failure_is_not_an_nsaid_failure():
    p = plan(case(treatments=[dict(drug_class="antibiotic", response="none")]), assessment())
    assert "ctp" not in ids(p)


@pytest.mark.parametrize("assoc,specialist", [
    ({"psoriasis": True}, "skin_specialist"), ({"palmoplantar_pustulosis": True}, "skin_specialist"),
    ({"severe_acne": True}, "skin_specialist"), ({"inflammatory_bowel_disease": True}, "bowel_specialist")])
def test_associated_disease_favours_sulfasalazine_and_specialist(assoc, specialist):
    p = plan(case(associated=assoc), assessment())
    sulfa = line(p, "sulfasalazine")
    assert "sulfasalazine is favoured" in sulfa.text and "HLA-B27" in sulfa.reason
    assert specialist in ids(p)


def test_no_associated_disease_no_sulfasalazine_line():
    p = plan(case(associated={"psoriasis": False}), assessment())
    assert "sulfasalazine" not in ids(p) and "skin_specialist" not in ids(p)


def test_no_weight_no_doses_and_a_note():
    p = plan(case(weight=None, lesions=[VERTEBRA]), assessment())
    for l in p.lines:
        for d in l.doses:
            assert d.computed is None
    assert line(p, "nsaid").doses[0].missing == ["patient.weight_kg"]
    assert any("No weight recorded" in n for n in p.notes)


def test_plan_edits_applied_removed_lines_kept():
    c = case()
    c.plan_edits = {"nsaid": PlanLineEdit(decision="edited", text="Naproxen 250 mg twice daily"),
                    "school_letter": PlanLineEdit(decision="removed"),
                    "physio_pain": PlanLineEdit(decision="accepted"),
                    "gone": PlanLineEdit(decision="accepted")}
    p = plan(c, assessment())
    assert line(p, "nsaid").decision == "edited" and line(p, "nsaid").edited_text == "Naproxen 250 mg twice daily"
    assert line(p, "school_letter").decision == "removed"  # still in the plan so the UI can restore it
    assert line(p, "physio_pain").decision == "accepted" and line(p, "physio_pain").edited_text == ""
    assert any('"gone" no longer applies' in n for n in p.notes)


def test_empty_case_never_raises():
    from desktop_app.case.models import Case
    from desktop_app.criteria.types import Assessment, Derived

    p = plan(Case(), Assessment(derived=Derived(), criteria={}))
    assert ids(p)[0] == "nsaid"
    assert all(e.status == "unknown" for e in p.ctp_eligibility if e.id in ("age", "no_malignancy"))
