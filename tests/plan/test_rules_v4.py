"""Plan rules of clinical-rules.md version 4 (§8, §13.1, §13.7), each at its boundaries."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from desktop_app.case.models import Case
from desktop_app.plan.doses import amount_range, dose_line, round_mg
from desktop_app.plan.output import plan_to_json
from tests.plan.followup_example import by_drug, data, plan_of


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


# ---- helpers for the rules below --------------------------------------------------------------------------

from desktop_app.course.types import Alert  # noqa: E402


def first_consultation(treatments: list[dict], **patient) -> dict:
    """The example without visits, with these treatments instead of its naproxen."""
    d = data()
    d["visits"] = []
    d["treatments"] = treatments
    d["patient"].update(patient)
    return d


def nsaid(drug: str, start: str, end: str | None = None, **kw) -> dict:
    return {"drug": drug, "drug_class": "nsaid", "start_date": start, "end_date": end, **kw}


def alerts(monkeypatch, *raised: Alert) -> None:
    """The course's alerts, as the course gives them (the plan reads only tier, holds, needs_reexclusion)."""
    monkeypatch.setattr("desktop_app.plan.now.follow_up_alerts", lambda case, order=None: list(raised))


def alert(id: str, holds: list[str], tier: str = "act", label: str = "", evidence: str = "", **kw) -> Alert:
    return Alert(id=id, tier=tier, label=label or id, evidence=evidence, action="act", source="s", holds=holds, **kw)


def no_sign_at_v2(d: dict) -> dict:
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "resolved", "L2": "resolved", "L3": "resolved"})
    return d


# ---- §8.1 v4, item 5: NSAID courses join at ≤ 7 days; the latest joined course decides -----------------

@pytest.mark.parametrize("second_start, joined", [("2026-07-27", True), ("2026-07-28", False)])
def test_nsaid_courses_7_days_apart_join_and_8_days_apart_do_not(second_start, joined):
    d = first_consultation([nsaid("ibuprofen", "2026-07-01", "2026-07-20", response="none"),
                            nsaid("naproxen", second_start, "2026-08-10", response="none")])
    p = plan_of(d)
    nap = by_drug(p)["naproxen"]
    if joined:  # 2026-07-01 → 2026-08-10: 40 days, the later course's response (none)
        assert nap["status"] == "not_proposed"
        assert nap["reason"] == "not proposed: NSAID tried (naproxen, 5.7 weeks, no response): second line per §8.3"
        assert next(i for i in p.ctp_eligibility if i.id == "active_disease").status == "met"
    else:  # the latest course is 13 days: not a trial, so the first line stays proposed
        assert nap["status"] == "proposed" and nap["dose"] is not None
        assert next(i for i in p.ctp_eligibility if i.id == "active_disease").status != "met"


def test_joined_courses_are_transitive_and_an_overlap_joins():
    from desktop_app.plan.nsaid_courses import joined_nsaid_courses

    c = Case.model_validate(first_consultation([
        nsaid("naproxen", "2026-01-01", "2026-01-10"), nsaid("ibuprofen", "2026-01-15", "2026-02-01"),
        nsaid("naproxen", "2026-01-30", "2026-03-01", response="partial"), nsaid("ibuprofen", "2026-05-01")]))
    courses = joined_nsaid_courses(c)
    assert [(t.start_date.isoformat(), t.end_date and t.end_date.isoformat(), t.response) for t in courses] == [
        ("2026-01-01", "2026-03-01", "partial"), ("2026-05-01", None, None)]


def test_an_adverse_event_stop_comes_before_failure_and_quotes_the_visit_after_it():
    d = data()  # naproxen stopped for an adverse event on 2027-01-05; V1 (2027-01-11) records what happened
    d["treatments"][0].update(end_date="2027-01-05", response="none", stop_reason="adverse_event")
    reason = by_drug(plan_of(d))["naproxen"]["reason"]
    assert reason == ("not proposed: stopped 2027-01-05 for an adverse event (Mild dyspepsia in the first month, "
                      "settled with food.): re-starting it, or another NSAID, is the clinician's decision")
    assert by_drug(plan_of(d))["ibuprofen"]["status"] == "not_proposed"  # both NSAID lines


def test_an_adverse_event_stop_without_an_end_date_still_blocks():  # items 6, 37
    d = first_consultation([nsaid("naproxen", "2026-08-01", stop_reason="adverse_event")])
    nap = by_drug(plan_of(d))["naproxen"]
    assert nap["status"] == "not_proposed" and "stopped (end date not recorded) for an adverse event" in nap["reason"]


def test_failure_comes_before_no_sign():
    d = no_sign_at_v2(data())
    d["treatments"][0].update(end_date="2027-01-11", stop_reason="inefficacy", response=None)  # 98 days: failed
    assert by_drug(plan_of(d))["naproxen"]["reason"].startswith("not proposed: NSAID tried (naproxen, 14 weeks")


def test_no_sign_at_the_latest_visit_holds_a_new_nsaid():
    d = no_sign_at_v2(data())
    d["treatments"][0].update(end_date="2027-01-11", stop_reason="remission", response="complete")
    nap = by_drug(plan_of(d))["naproxen"]
    assert nap["status"] == "not_proposed" and nap["reason"] == (
        "not proposed: no sign of active disease at the visit of 2027-04-12: no new treatment; an NSAID again on a "
        "flare")


def test_stopped_for_inefficacy_before_28_days_stays_proposed_with_its_words():
    d = first_consultation([nsaid("naproxen", "2026-09-01", "2026-09-15", stop_reason="inefficacy")])
    nap = by_drug(plan_of(d))["naproxen"]
    assert nap["status"] == "proposed" and nap["dose"] is not None
    assert ("Stopped after 14 days: CARRA's second line needs 4 weeks of an NSAID; resume or try the other NSAID"
            in nap["reason"])


def test_a_current_nsaid_comes_before_everything():
    d = no_sign_at_v2(data())  # naproxen current, no sign of activity: it continues
    nap = by_drug(plan_of(d))["naproxen"]
    assert nap["status"] == "current" and nap["reason"].endswith(": continue") and nap["dose"] is not None


# ---- §8.3 v4: a second-line drug stopped for an adverse event ---------------------------------------------

def test_a_second_line_drug_stopped_for_an_adverse_event_is_not_proposed_again():
    d = data()
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved", "L3": "unchanged"},
                          adverse_events="Nausea and raised ALT on methotrexate.")
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-01-11",
                            "end_date": "2027-03-01", "stop_reason": "adverse_event"})
    drugs = by_drug(plan_of(d))
    assert drugs["methotrexate"]["status"] == "not_proposed" and drugs["methotrexate"]["dose"] is None
    assert drugs["methotrexate"]["reason"] == (
        "not proposed: stopped 2027-03-01 for an adverse event (Nausea and raised ALT on methotrexate.): "
        "re-starting it is the clinician's decision")
    assert drugs["etanercept"]["status"] == "proposed" and drugs["etanercept"]["dose"] is not None


# ---- §8.3 v4, item 17: under 2 years ----------------------------------------------------------------------

@pytest.mark.parametrize("born, under_two", [("2024-10-10", True), ("2024-10-05", False)])  # 1.99 / 2.0 years
def test_under_2_years_no_step_3_or_step_2_amount_and_no_naproxen(born, under_two):
    d = first_consultation([nsaid("naproxen", "2026-08-01", "2026-09-15", response="none")],
                           date_of_birth=born, weight_kg=12, height_cm=86)
    d["mimics"]["monogenic"] = False  # onset before 3: the genetic result is recorded (§6 young_onset)
    d["imaging"]["lesions"].append({"id": "L4", "bone": "vertebra", "level": "T7", "modalities": ["mri"],
                                    "marrow_edema": True})
    d["imaging"]["last_mri_date"] = "2026-10-01"
    p = plan_of(d)
    drugs = by_drug(p)
    gc = next(l for l in p.lines if l.id == "glucocorticoid")
    if under_two:
        for g in ("methotrexate", "etanercept", "pamidronate"):
            assert drugs[g]["status"] == "not_proposed" and drugs[g]["dose"] is None
            assert "under 2 years: a specialist centre's decision (etanercept and adalimumab are licensed from " \
                   "2 years; no CNO series at this age)" in drugs[g]["reason"]
        assert gc.status == "not_proposed" and not gc.doses and "under 2 years" in gc.reason
    else:
        assert drugs["etanercept"]["status"] == "proposed" and drugs["etanercept"]["dose"] is not None
        assert gc.status == "proposed" and gc.doses


def test_naproxen_is_not_established_under_2_but_ibuprofen_stays():
    d = first_consultation([], date_of_birth="2025-04-01", weight_kg=10, height_cm=76)  # 1.5 years
    d["mimics"]["monogenic"] = False
    drugs = by_drug(plan_of(d))
    assert drugs["naproxen"]["status"] == "not_proposed" and drugs["naproxen"]["dose"] is None
    assert drugs["naproxen"]["reason"] == "naproxen: not established under 2 years (label)"
    assert drugs["ibuprofen"]["status"] == "proposed" and drugs["ibuprofen"]["dose"] is not None


def test_age_unknown_the_under_2_rule_is_not_applied_and_the_line_says_so():
    d = first_consultation([nsaid("naproxen", "2026-08-01", "2026-09-15", response="none")])
    d["patient"].pop("date_of_birth")
    p = plan_of(d)
    assert "Age unknown: the under-2 rule is not applied." in next(l for l in p.lines if l.id == "ctp").reason


# ---- §13.1 v4 continuation and the words of a hold (items 4, 28, 31) -----------------------------------

def mtx_case() -> dict:
    d = data()
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-01-11"})
    return d


def test_a_current_step_1_drug_says_continue_and_a_step_3_drug_the_ctp_words():
    drugs = by_drug(plan_of(mtx_case()))
    assert drugs["naproxen"]["reason"].endswith("(27 weeks; recorded dose 200 mg twice daily): continue")
    assert drugs["methotrexate"]["reason"] == ("on methotrexate since 2027-01-11 (13 weeks): continue: a CTP runs "
                                               "for 12 months (Zhao 2018); its review is the clinician's")
    assert drugs["naproxen"]["dose"] is not None and drugs["methotrexate"]["dose"] is not None


def test_an_alert_that_holds_a_current_drug_reads_withhold_now_and_removes_its_amount(monkeypatch):
    alerts(monkeypatch, alert("fu_severe_thrombocytopenia", ["methotrexate", "sulfasalazine", "naproxen", "ibuprofen"],
                              tier="urgent", label="Platelets below 50", evidence="platelets 40 ×10⁹/L at V2"))
    drugs = by_drug(plan_of(mtx_case()))
    for g in ("naproxen", "methotrexate"):
        assert drugs[g]["status"] == "current" and drugs[g]["dose"] is None
        assert "withhold now: platelets below 50 (platelets 40 ×10⁹/L at V2)" in drugs[g]["reason"]


def test_a_held_glucocorticoid_reads_review_now_taper_and_always_the_bnf_line(monkeypatch):
    d = data()
    d["treatments"].append({"drug": "prednisolone", "drug_class": "glucocorticoid", "start_date": "2027-04-01"})
    gc = by_drug(plan_of(d))["prednisone"]
    assert gc["status"] == "current" and "on prednisolone since 2027-04-01" in gc["reason"]
    assert "after 2 mg/kg/day or more for 1 week or longer, stop gradually" in gc["reason"]
    assert gc["dose"] is not None  # prednisolone: a step-2 amount (item 29)
    alerts(monkeypatch, alert("fu_blasts", ["naproxen", "ibuprofen", "prednisone"], tier="urgent",
                              label="Blasts on the blood film at a visit"))
    gc = by_drug(plan_of(d))["prednisone"]
    assert gc["dose"] is None and "withhold now" not in gc["reason"]
    assert "review now: blasts on the blood film at a visit — taper per protocol, do not stop abruptly" in gc["reason"]
    assert "after 2 mg/kg/day or more for 1 week or longer, stop gradually" in gc["reason"]


def test_a_re_exclusion_alert_holds_step_3_until_malignancy_is_excluded_again(monkeypatch):
    d = data()
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved", "L3": "unchanged"})
    alerts(monkeypatch, alert("fu_cytopenia", ["prednisone"] + ["methotrexate", "sulfasalazine", "etanercept",
                                                               "adalimumab", "infliximab", "pamidronate",
                                                               "zoledronic acid"],
                              label="Low blood count at a visit", needs_reexclusion=True))
    p = plan_of(d)
    drugs = by_drug(p)
    assert drugs["etanercept"]["status"] == "not_proposed"
    assert drugs["etanercept"]["reason"] == ("not proposed until malignancy is excluded again: low blood count at "
                                             "a visit")
    assert any("Bone marrow examination" in w for w in p.workup)
    assert drugs["naproxen"]["status"] == "current" and drugs["naproxen"]["dose"] is not None


def test_a_current_drug_is_held_when_malignancy_is_no_longer_excluded_as_of_now():
    d = mtx_case()
    d["visits"][1]["mimics"] = {"malignancy": None}
    d["visits"][0]["mimics"] = {"malignancy": True}  # recorded as confirmed at V1, then reopened at V2
    mtx = by_drug(plan_of(d)).get("methotrexate")
    assert mtx["status"] == "current" and mtx["dose"] is None and "review now" in mtx["reason"]


# ---- item 7, 29: every current drug has its line, by name then by class ---------------------------------

@pytest.mark.parametrize("drug, cls, line_id, on_line", [
    ("indometacin", "nsaid", "nsaid", "indometacin"),
    ("leflunomide", "dmard", "ctp", "leflunomide"),
    ("golimumab", "tnf_inhibitor", "ctp", "golimumab"),
    ("alendronate", "bisphosphonate", "ctp", "alendronate"),
    ("methylprednisolone", "glucocorticoid", "glucocorticoid", "prednisone"),
])
def test_a_class_match_gets_a_current_line_without_an_amount(drug, cls, line_id, on_line):
    d = data()
    d["treatments"] = [{"drug": drug, "drug_class": cls, "start_date": "2027-01-11"}]
    p = plan_of(d)
    line = next(l for l in p.lines if l.id == line_id)
    assert line.status == "current"
    j = next(j for j in plan_to_json(p)["lines"] if j["drug"] == on_line)
    assert j["status"] == "current" and j["dose"] is None
    assert f"no dose is given for {drug}: per local protocol" in j["reason"]


def test_a_patient_on_indometacin_is_not_proposed_naproxen():
    d = data()
    d["treatments"] = [nsaid("indometacin", "2027-01-11")]
    drugs = by_drug(plan_of(d))
    assert drugs["naproxen"]["status"] == "not_proposed" and drugs["naproxen"]["reason"] == "not proposed (on indometacin)"


def test_leflunomide_is_held_like_methotrexate(monkeypatch):
    d = data()
    d["treatments"].append({"drug": "leflunomide", "drug_class": "dmard", "start_date": "2027-01-11"})
    alerts(monkeypatch, alert("fu_raised_alt", ["methotrexate", "sulfasalazine"], label="ALT above 100 U/L"))
    lef = by_drug(plan_of(d))["leflunomide"]
    assert lef["status"] == "current" and "withhold now: ALT above 100 U/L" in lef["reason"]


def test_a_referral_on_methotrexate_without_visits_has_its_line_in_a_work_up():
    d = first_consultation([{"drug": "methotrexate", "drug_class": "dmard", "start_date": "2026-06-01"}])
    d["mimics"]["malignancy"] = None
    d["labs"]["hemoglobin"] = {"value": 9.0, "unit": "g/dL"}  # blood count not normal: mode workup
    p = plan_of(d)
    assert p.mode == "workup"
    mtx = by_drug(p)["methotrexate"]
    assert mtx["status"] == "current" and mtx["dose"] is None and "review now" in mtx["reason"]


# ---- item 8: no proposal the latest results forbid, at the first consultation too ---------------------

def test_an_alert_at_the_first_consultation_holds_the_drug_it_names(monkeypatch):
    alerts(monkeypatch, alert("fu_severe_thrombocytopenia", ["naproxen", "ibuprofen"],
                              label="Platelets below 50 ×10⁹/L", evidence="platelets 40 ×10⁹/L"))
    drugs = by_drug(plan_of(first_consultation([])))
    assert drugs["naproxen"]["status"] == "not_proposed" and drugs["naproxen"]["dose"] is None
    assert drugs["naproxen"]["reason"] == "not proposed: platelets below 50 ×10⁹/L (platelets 40 ×10⁹/L)"


# ---- item 18: step 2 at follow-up only with active disease; §8.4 v4 school letter ----------------------

def test_step_2_at_follow_up_needs_active_disease():
    d = data()
    d["imaging"]["lesions"].append({"id": "L4", "bone": "vertebra", "level": "T7", "modalities": ["mri"],
                                    "marrow_edema": True})
    gc = next(l for l in plan_of(d).lines if l.id == "glucocorticoid")  # V2: activity unknown
    assert gc.status == "not_proposed" and "step 2 at follow-up needs active disease" in gc.reason
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved",
                                                               "L3": "unchanged", "L4": "unchanged"})
    assert next(l for l in plan_of(d).lines if l.id == "glucocorticoid").status == "proposed"


@pytest.mark.parametrize("born, letter", [
    ("2022-10-20", False), ("2022-10-05", True),  # 3.99 / 4.0 years at the encounter
    ("2008-10-20", True), ("2008-10-05", False),  # 17.99 / 18.0
])
def test_school_letter_from_4_to_below_18(born, letter):
    d = first_consultation([], date_of_birth=born)
    d["mimics"]["monogenic"] = False
    ids = [l.id for l in plan_of(d).lines]
    assert ("school_letter" in ids) is letter


def test_school_letter_with_the_age_unknown():
    d = first_consultation([])
    d["patient"].pop("date_of_birth")
    assert "school_letter" in [l.id for l in plan_of(d).lines]


# ---- §8.3 v4, items 20, 35: the MRI that would decide ---------------------------------------------------

def test_the_mri_that_would_decide_at_follow_up_and_never_in_alternative_diagnosis():
    d = data()  # V2: no MRI, activity unknown
    p = plan_of(d)
    assert any(w.startswith("MRI of the known sites: bone oedema decides") for w in p.workup)
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved", "L3": "unchanged"})
    assert not any("MRI" in w for w in plan_of(d).workup)  # a complete MRI at V2
    d = data()
    d["mimics"]["infection"] = True
    p = plan_of(d)
    assert p.mode == "alternative_diagnosis" and not any("MRI" in w for w in p.workup)


def test_an_incomplete_mri_still_asks_for_the_mri():
    d = data()  # V2's MRI assessed L1 and L2 only: L3 not assessed
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "resolved", "L2": "resolved"})
    p = plan_of(d)
    assert any(w.startswith("MRI of the known sites") for w in p.workup), (p.workup, p.lines[0].reason)


def test_a_visits_plan_leaves_out_vitamin_c_as_its_note_does():  # §6 step 6 v4, item 17
    d = data()
    d["mimics"]["vitamin_c_deficiency"] = None  # symmetric tibial lesions: step 6 applies at the first consultation
    first = first_consultation(d["treatments"])
    first["mimics"]["vitamin_c_deficiency"] = None
    assert any(w.startswith("Plasma vitamin C") for w in plan_of(first).workup)
    assert not any("vitamin C" in w for w in plan_of(d).workup)


def test_a_current_nsaid_comes_before_an_earlier_adverse_event_stop():
    d = data()  # ibuprofen stopped for an adverse event, then naproxen since the first consultation
    d["treatments"].insert(0, nsaid("ibuprofen", "2026-09-01", "2026-10-04", stop_reason="adverse_event"))
    drugs = by_drug(plan_of(d))
    assert drugs["naproxen"]["status"] == "current" and drugs["naproxen"]["reason"].endswith(": continue")
    assert drugs["ibuprofen"]["reason"] == "not proposed (on naproxen)"


# ---- §8.5 v4, item 16: the adult work-up ---------------------------------------------------------------

def test_an_adult_whose_gate_waits_for_malignancy_gets_the_biopsy_and_the_myeloma_tests():
    d = first_consultation([], date_of_birth="1990-01-01")
    d["mimics"]["malignancy"] = None
    p = plan_of(d)
    assert p.mode == "workup"
    assert ("Bone biopsy of an accessible lesion (histology, and bacterial and mycobacterial culture): in adults, "
            "metastasis and myeloma are the mimics") in p.workup
    assert "Serum protein electrophoresis and serum free light chains (myeloma)" in p.workup
    d["biopsies"] = [{"date": "2026-09-20", "histology": "chronic_inflammation", "culture": "negative"}]
    workup = plan_of(d).workup
    assert "Record whether the biopsy of 2026-09-20 excludes malignancy" in workup
    assert not any(w.startswith("Bone biopsy of an accessible lesion") for w in workup)


def test_an_adult_at_follow_up_whose_cno_was_established_as_a_child_stays_cno():  # item 16
    d = data()
    d["patient"]["date_of_birth"] = "2008-12-01"  # 17 at the encounter, 18 at V2
    d["mimics"]["malignancy"] = None
    p = plan_of(d)
    assert p.mode == "cno" and not any("myeloma" in w for w in p.workup)
