"""plan(case, assessment) under rules v2: the mode decides (§8.0), every branch of §8.2–§8.5, §9/§10
only in mode cno, and plan_edits. Assessments are hand-built: the plan must obey `mode` as given."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.case.models import PlanLineEdit
from desktop_app.plan.build import GC_HELD, HIGH_ACTIVITY_NOTE, PROGNOSIS_WITHHELD, plan
from desktop_app.plan.types import ADULT_DOSING
from tests.plan.helpers import assessment, case

ENC = dt.date(2026, 11, 20)
VERTEBRA = dict(bone="vertebra", level="T7", modalities=["mri"], marrow_edema=True)
TIBIA = dict(bone="tibia", side="left", segment="metaphysis", modalities=["mri"], marrow_edema=True)
CLAVICLE = dict(bone="clavicle", side="right", modalities=["mri"], marrow_edema=True)
TREATMENT_IDS = {"nsaid", "glucocorticoid", "ctp", "sulfasalazine"}
NO_MALIGNANCY = dict(malignancy=False)  # v3 §8.3: step 3 only once malignancy is recorded as excluded


def ids(p):
    return [l.id for l in p.lines]


def line(p, id):
    return next(l for l in p.lines if l.id == id)


def nsaid(days: int | None, response: str | None = "partial", ongoing: bool = False, start: bool = True) -> dict:
    """An NSAID course lasting `days` up to the encounter (ended there, or ongoing)."""
    t = dict(drug="naproxen", drug_class="nsaid", response=response)
    if days is not None and start:
        t["start_date"] = ENC - dt.timedelta(days=days)
    if days is not None and not ongoing:
        t["end_date"] = ENC
    return t


# ---- §8.0: the mode decides ------------------------------------------------------------------

def test_cno_plain_case_nsaid_first_then_always():
    p = plan(case(lesions=[TIBIA]), assessment())
    assert ids(p) == ["nsaid", "physio_pain", "school_letter"]
    nsaid_line = line(p, "nsaid")
    assert nsaid_line.status == "proposed" and nsaid_line.kind == "first_line"
    assert [d.generic for d in nsaid_line.doses] == ["naproxen", "ibuprofen"]
    assert nsaid_line.doses[0].computed == "170–255 mg twice daily (340–510 mg/day)"
    assert nsaid_line.doses[0].amount.model_dump() == dict(low_mg=170, high_mg=255, per="dose", max_mg=1000,
                                                           max_per="day", capped=False)
    assert HIGH_ACTIVITY_NOTE in p.notes
    assert p.prognosis and p.follow_up and p.codes and not p.prognosis_withheld


@pytest.mark.parametrize("mode", ["workup", "alternative_diagnosis"])
def test_outside_cno_every_treatment_line_is_held_back_without_doses(mode):
    reasons = ("Cytopenia not yet addressed: exclude leukaemia", "Blood count not normal")
    c = case(lesions=[VERTEBRA], treatments=[nsaid(60)], mimics=dict(infection=True) if mode != "workup" else {})
    p = plan(c, assessment(mode=mode, gate_reasons=reasons, next_steps=("Full blood count with film",)))
    assert p.mode == mode and p.workup == ["Full blood count with film"]
    treat = [l for l in p.lines if l.kind != "exclude_mimic"]
    assert [l.id for l in treat] == ["nsaid", "glucocorticoid", "ctp"]
    assert all(l.status == "not_proposed" and not l.doses for l in treat)
    assert all(l.reason.startswith("not proposed") for l in treat)
    assert line(p, "ctp").drugs == ["methotrexate", "sulfasalazine", "etanercept", "adalimumab", "infliximab",
                                    "pamidronate", "zoledronic acid"]
    # no §8.4 lines, no prognosis, follow-up or code outside cno (§8.4, §9, §10)
    assert not {"physio_pain", "school_letter"} & set(ids(p))
    assert p.codes == [] and p.prognosis == [] and p.follow_up == [] and p.prognosis_withheld == PROGNOSIS_WITHHELD
    if mode == "workup":
        assert "Cytopenia not yet addressed: exclude leukaemia. Blood count not normal." in line(p, "nsaid").reason


def test_the_plan_obeys_the_mode_and_does_not_recompute_the_gate():
    # A raised flag in mode cno (e.g. addressed): proposed. Everything excluded in mode workup: held back.
    assert line(plan(case(), assessment(flags=("cytopenia",))), "nsaid").status == "proposed"
    c = case(mimics=dict(malignancy=False, infection=False))
    assert line(plan(c, assessment(mode="workup")), "nsaid").status == "not_proposed"


def test_workup_without_gate_reasons_still_says_why_in_words():
    reason = line(plan(case(), assessment(mode="workup")), "nsaid").reason
    assert reason == "not proposed: CNO is not established; complete the work-up first"


def test_alternative_diagnosis_opens_with_manage_the_alternative_lines():
    c = case(mimics=dict(infection=True))
    a = assessment(flags=("positive_culture",), mode="alternative_diagnosis")
    p = plan(c, a)
    assert ids(p)[:2] == ["mimic.confirmed_infection", "mimic.positive_culture"]
    assert all(l.kind == "exclude_mimic" for l in p.lines[:2])
    assert p.lines[0].text.startswith("Manage the alternative diagnosis: infection")
    assert "alternative diagnosis recorded (infection, positive culture)" in line(p, "nsaid").reason


# ---- §8.2 glucocorticoid ---------------------------------------------------------------------

def test_glucocorticoid_held_back_until_malignancy_is_excluded():
    p = plan(case(lesions=[VERTEBRA]), assessment())
    gc = line(p, "glucocorticoid")
    assert gc.status == "not_proposed" and gc.reason == GC_HELD and gc.doses == []
    assert "BMJ 2004;329:959" in gc.source


def test_glucocorticoid_proposed_in_cno_once_malignancy_is_excluded_capped_at_60():
    p = plan(case(lesions=[VERTEBRA], weight=34, mimics=dict(malignancy=False)), assessment())
    gc = line(p, "glucocorticoid")
    assert gc.status == "proposed" and "T7" in gc.reason and "clinician's judgement" in gc.reason
    first, short, low = gc.doses
    assert first.capped and first.computed.startswith("60 mg/day — capped: 2 mg/kg/day × 34 kg = 68 mg/day > 60 mg/day")
    assert short.capped and short.amount.high_mg == 60
    assert low.computed == "3.4–6.8 mg/day" and not low.capped
    assert all(d.maximum == "60 mg/day" and "PMC5678777" in d.source for d in gc.doses)


def test_glucocorticoid_in_workup_keeps_the_marrow_first_reason():
    p = plan(case(lesions=[VERTEBRA]), assessment(mode="workup", gate_reasons=("Blood count not normal",)))
    assert line(p, "glucocorticoid").reason.startswith(GC_HELD)
    assert "Blood count not normal" in line(p, "glucocorticoid").reason


def test_no_vertebral_lesion_in_cno_no_glucocorticoid_line():
    assert "glucocorticoid" not in ids(plan(case(lesions=[TIBIA], mimics=dict(malignancy=False)), assessment()))


# ---- §8.3 step 3 -----------------------------------------------------------------------------

@pytest.mark.parametrize("days, status", [(27, "not_proposed"), (28, "proposed")])
def test_ctp_needs_28_days_of_nsaid(days, status):
    p = plan(case(lesions=[CLAVICLE], treatments=[nsaid(days)], age=11, mimics=NO_MALIGNANCY), assessment())
    ctp = line(p, "ctp")
    assert ctp.status == status and ctp.kind == "second_line"
    if status == "proposed":
        assert ctp.reason.startswith("An NSAID course of at least 28 days with response none or partial")
        assert ctp.doses and ctp.doses[0].generic == "methotrexate"
    else:
        assert "lasted 27 days (at least 28 are needed)" in ctp.reason and not ctp.doses


def test_ctp_ongoing_course_counts_to_the_encounter():
    p = plan(case(lesions=[CLAVICLE], treatments=[nsaid(28, ongoing=True)], age=11, mimics=NO_MALIGNANCY), assessment())
    assert line(p, "ctp").status == "proposed"


def test_ctp_course_without_dates_asks_for_them():
    p = plan(case(lesions=[CLAVICLE], treatments=[nsaid(None)], age=11, mimics=NO_MALIGNANCY), assessment())
    ctp = line(p, "ctp")
    assert ctp.status == "not_proposed"
    assert "no start date, so 28 days cannot be shown: enter the course's start and end dates" in ctp.reason


def test_ctp_complete_response_is_not_a_failure():
    ctp = line(plan(case(lesions=[CLAVICLE], treatments=[nsaid(60, "complete")], age=11, mimics=NO_MALIGNANCY), assessment()), "ctp")
    assert ctp.status == "not_proposed" and "recorded as complete" in ctp.reason


def test_ctp_active_spinal_lesion_without_nsaid_trial():
    p = plan(case(lesions=[VERTEBRA], age=11, mimics=NO_MALIGNANCY), assessment())
    ctp = line(p, "ctp")
    assert ctp.status == "proposed" and ctp.reason.startswith("Active spinal lesion(s) with marrow oedema: T7.")


def test_ctp_not_proposed_when_an_eligibility_item_is_not_met():
    p = plan(case(lesions=[CLAVICLE], treatments=[nsaid(60)], age=22, mimics=NO_MALIGNANCY), assessment())
    ctp = line(p, "ctp")
    assert ctp.status == "not_proposed" and not ctp.doses
    assert ctp.reason.startswith("not proposed: not eligible for a CARRA CTP — age at the encounter ≤ 21 years: "
                                 "not met (age 22.0 years)")


def test_ctp_lists_unknown_eligibility_items_in_words():
    ctp = line(plan(case(lesions=[CLAVICLE], treatments=[nsaid(60)], age=11, mimics=NO_MALIGNANCY), assessment()), "ctp")
    assert "Subject to eligibility: " in ctp.reason
    assert "whole-body imaging done" in ctp.reason and "no current infectious osteomyelitis" in ctp.reason
    assert "imaging." not in ctp.reason and "mimics." not in ctp.reason  # labels, never field paths


def test_ctp_inactive_or_undecided_vertebra():
    inactive = plan(case(lesions=[dict(VERTEBRA, marrow_edema=False)], age=11, mimics=NO_MALIGNANCY), assessment())
    assert line(inactive, "ctp").status == "not_proposed"
    assert "vertebral lesion without marrow oedema" in line(inactive, "ctp").reason
    undecided = plan(case(lesions=[dict(VERTEBRA, marrow_edema=None)], age=11, mimics=NO_MALIGNANCY), assessment())
    assert "marrow oedema of the vertebral lesion (T7) is not recorded" in line(undecided, "ctp").reason
    assert any("record marrow oedema on MRI" in n for n in undecided.notes)


def test_before_starting_checks_under_each_second_line_drug():
    p = plan(case(lesions=[VERTEBRA], age=11, height=140, mimics=NO_MALIGNANCY), assessment())
    checks = {d.generic: (d.before_starting, d.before_starting_source) for d in line(p, "ctp").doses}
    # v3: the baseline bloods, a pregnancy test (sex and age here not recorded: taken as possible), folate
    assert checks["methotrexate"] == (
        ["full blood count, ALT and creatinine before the start",
         "a pregnancy test and advice on contraception (methotrexate is contraindicated in pregnancy) — "
         "pregnancy possible (sex or age not recorded: taken as possible)",
         "folic or folinic acid alongside (ACR 2021, strong recommendation)", "varicella status"],
        "ACR 2021 JIA guideline; Methotrexate label; BSPAR, Arch Dis Child 2011")
    for drug in ("etanercept", "adalimumab", "infliximab"):
        assert checks[drug][0] == ["test for latent tuberculosis", "test for hepatitis B"]
        assert checks[drug][1] == "Adalimumab and golimumab labels"
    for drug in ("pamidronate", "zoledronic acid"):
        assert checks[drug][0][0] == "serum calcium" and checks[drug][0][-1] == "dental review"
        assert "25-OH vitamin D (≥ 50 nmol/L)" in checks[drug][0]
        assert "a low ALP suggests hypophosphatasia" in checks[drug][0][3]
    assert checks["sulfasalazine"] == ([], "")


@pytest.mark.parametrize("assoc", [dict(psoriasis=True), dict(inflammatory_bowel_disease=True), dict(hla_b27=True)])
def test_sulfasalazine_favoured_line_follows_step_3(assoc):
    held = plan(case(lesions=[TIBIA], associated=assoc), assessment())
    assert line(held, "sulfasalazine").status == "not_proposed" and "ctp" not in ids(held)
    assert "sulfasalazine would be favoured" in line(held, "sulfasalazine").reason
    proposed = plan(case(lesions=[TIBIA, CLAVICLE], associated=assoc, treatments=[nsaid(30)], age=11, mimics=NO_MALIGNANCY), assessment())
    assert line(proposed, "sulfasalazine").status == "proposed"


# ---- §8.4 ------------------------------------------------------------------------------------

def test_always_lines_specialists_and_spine_review():
    c = case(lesions=[dict(VERTEBRA, vertebral_collapse=True)],
             associated=dict(psoriasis=True, inflammatory_bowel_disease=True))
    p = plan(c, assessment())
    assert ids(p)[-5:] == ["physio_pain", "school_letter", "skin_specialist", "bowel_specialist", "spine_review"]
    assert "Vertebral collapse recorded (T7)" in line(p, "spine_review").reason
    assert "spine_review" not in ids(plan(case(lesions=[VERTEBRA]), assessment()))


def test_school_letter_when_age_unknown():
    assert "school_letter" in ids(plan(case(), assessment(adult=None, age_years=None)))


# ---- §8.5 adults -----------------------------------------------------------------------------

def test_adult_gets_no_weight_based_amount_no_school_letter_no_growth_statement():
    c = case(lesions=[VERTEBRA, TIBIA], treatments=[nsaid(60)], age=19, height=170, mimics=dict(malignancy=False))
    p = plan(c, assessment(adult=True, age_years=19.0))
    doses = [d for l in p.lines for d in l.doses]
    assert {"nsaid", "glucocorticoid", "ctp"} <= set(ids(p)) and doses
    for d in doses:
        assert d.computed is None and d.amount is None
        assert d.computed_text() in (ADULT_DOSING, "no dose calculated: per local protocol")
    assert any(d.computed_text() == ADULT_DOSING for d in doses)
    assert "school_letter" not in ids(p)
    assert not any("growth" in l.text for l in p.prognosis)
    assert "paediatric cohorts" in p.prognosis[0].text
    assert line(p, "ctp").status == "proposed"  # eligibility stays the checklist's (age ≤ 21)


# ---- texts, edits, robustness ----------------------------------------------------------------

def test_no_weight_no_doses_and_a_note_in_words():
    p = plan(case(weight=None, lesions=[VERTEBRA], mimics=dict(malignancy=False)), assessment())
    assert all(d.computed is None for l in p.lines for d in l.doses)
    assert "No weight recorded: doses are not calculated (enter the weight)." in p.notes
    assert line(p, "nsaid").doses[0].computed_text() == "not calculated: enter weight (kg)"


def test_plan_edits_applied_removed_lines_kept_stale_edits_named_in_words():
    c = case(lesions=[TIBIA])
    c.plan_edits = {"nsaid": PlanLineEdit(decision="edited", text="Naproxen 250 mg bd"),
                    "school_letter": PlanLineEdit(decision="removed"),
                    "ctp": PlanLineEdit(decision="accepted")}
    p = plan(c, assessment())
    assert line(p, "nsaid").shown_text == "Naproxen 250 mg bd" and line(p, "nsaid").decision == "edited"
    assert line(p, "school_letter").final_status == "removed"
    assert p.notes[-1] == "1 saved decision(s) on plan lines that are not listed for the current data do not apply."
    # the same ids across modes: a decision saved in workup survives into cno
    held = plan(c, assessment(mode="workup"))
    assert line(held, "nsaid").decision == "edited" and line(held, "nsaid").status == "not_proposed"


@pytest.mark.parametrize("mode", ["cno", "workup", "alternative_diagnosis"])
def test_empty_case_never_raises(mode):
    from desktop_app.case.models import Case
    from desktop_app.criteria.types import Assessment, Derived

    p = plan(Case(), Assessment(derived=Derived(), criteria={}, mode=mode))
    assert p.mode == mode and p.lines
