"""The plan at the reference date (clinical-rules.md §13.1) and the holds of follow-up alerts (§13.4).

Each test starts from the shipped follow-up example (naproxen since 2026-10-05, visits V1 2027-01-11
and V2 2027-04-12) and changes what the rule reads.
"""
from __future__ import annotations

import pytest

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess
from tests.plan.followup_example import by_drug, data, plan_of


def line(p, line_id: str):
    return next(l for l in p.lines if l.id == line_id)


def eligibility(p, item_id: str):
    return next(i for i in p.ctp_eligibility if i.id == item_id)


def active_at_v2(d: dict) -> dict:
    """Make the latest visit show active disease: an MRI two days before it with bone oedema persisting
    in two lesions (so the CTP's MRI item is met too)."""
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved", "L3": "unchanged"})
    return d


# ---- the example ----------------------------------------------------------------------------------

def test_the_example_plan_reads_the_latest_visit():
    p = plan_of(data())
    assert p.mode == "cno" and p.reference_date.isoformat() == "2027-04-12"
    w = p.weight_used
    assert (w.kg, w.date.isoformat(), w.days_before_reference, w.stale) == (34, "2027-04-12", 0, False)
    assert (w.height_cm, w.height_date.isoformat()) == (142, "2026-10-05")  # height is not aged
    drugs = by_drug(p)
    nap = drugs["naproxen"]
    assert nap["status"] == "current"
    assert "on naproxen since 2026-10-05 (27 weeks; recorded dose 200 mg twice daily)" in nap["reason"]
    # The amount for today's weight (34 kg), not the first consultation's 32 kg.
    assert (nap["dose"]["low_mg"], nap["dose"]["high_mg"]) == (170, 255)
    assert drugs["ibuprofen"]["status"] == "not_proposed" and drugs["ibuprofen"]["dose"] is None
    assert "on naproxen" in drugs["ibuprofen"]["reason"]
    nsaid = line(p, "nsaid")
    assert nsaid.status == "current" and [d.generic for d in nsaid.doses] == ["naproxen"]
    assert nsaid.status_words == "current treatment"


def test_a_case_without_visits_keeps_the_first_consultation_results():
    d = data()
    d["visits"] = []
    p = plan_of(d)
    assert p.reference_date.isoformat() == "2026-10-05" and p.weight_used.kg == 32
    assert p.weight_used.stale is False
    # v4 (§13 exception, §13.7 item 14): naproxen started on the encounter date is current at the first
    # consultation too, and continues (v3: nothing was current without visits).
    nap = by_drug(p)["naproxen"]
    assert nap["status"] == "current" and nap["reason"].endswith(": continue") and nap["dose"]["high_mg"] == 240
    assert by_drug(p)["ibuprofen"]["status"] == "not_proposed"


# ---- age, NSAID duration, MRI, activity -----------------------------------------------------------

def test_the_reference_date_moves_a_20_day_nsaid_course_past_28_days():
    d = data()
    d["treatments"][0]["start_date"] = "2026-09-15"  # 20 days before the encounter
    d["visits"] = []
    before = line(plan_of(d), "ctp")
    assert before.status == "not_proposed" and "lasted 20 days" in before.reason
    d = data()
    d["treatments"][0]["start_date"] = "2026-09-15"
    d["visits"] = [{"id": "V1", "date": "2026-10-20", "measures": {"clinically_active_lesions": 1}}]
    p = plan_of(d)
    ctp = line(p, "ctp")
    assert ctp.status == "proposed", ctp.reason  # 35 days to the reference date, active disease
    assert eligibility(p, "active_disease").status == "met"
    assert "35 days" in eligibility(p, "active_disease").evidence


def test_trigger_i_needs_active_disease_at_the_latest_visit():
    d = data()
    d["treatments"][0]["response"] = "partial"
    p = plan_of(d)  # V2: no clinically active lesion, no MRI: activity unknown
    ctp = line(p, "ctp")
    assert ctp.status == "not_proposed" and "activity at the visit of 2027-04-12 unknown" in ctp.reason
    assert line(plan_of(active_at_v2(data())), "ctp").status == "proposed"


def test_a_course_stopped_for_inefficacy_without_a_response_counts_as_response_none():
    d = active_at_v2(data())
    d["treatments"][0].update(response=None, end_date="2027-03-01", stop_reason="inefficacy")
    p = plan_of(d)
    assert line(p, "ctp").status == "proposed"
    assert "response none" in eligibility(p, "active_disease").evidence
    d["treatments"][0]["stop_reason"] = "adverse_event"
    assert line(plan_of(d), "ctp").status == "not_proposed"


def test_the_latest_mri_decides_the_oedema_item():
    d = data()  # the latest MRI is V1's (2027-01-08), 94 days before V2
    item = eligibility(plan_of(d), "mri_oedema")
    assert item.status == "not_met" and "latest MRI 94 days before the visit of 2027-04-12" in item.evidence
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L1": "improved", "L2": "resolved", "L3": "resolved"})
    item = eligibility(plan_of(d), "mri_oedema")
    assert item.status == "met" and "left tibia" in item.evidence
    d["visits"][1]["lesion_status"] = {"L1": "resolved", "L2": "resolved", "L3": "resolved"}
    assert eligibility(plan_of(d), "mri_oedema").status == "not_met"


def test_a_vertebral_lesion_active_on_the_latest_mri_triggers_step_3():
    d = data()
    d["treatments"][0]["response"] = "complete"  # trigger (i) cannot be met
    d["imaging"]["lesions"].append({"id": "L4", "bone": "vertebra", "level": "T7", "modalities": ["mri"],
                                    "marrow_edema": False})
    d["visits"][1].update(mri_date="2027-04-10", lesion_status={"L4": "new"} if False else {"L4": "unchanged"})
    p = plan_of(d)
    assert line(p, "ctp").status == "proposed" and "T7" in line(p, "ctp").reason
    d["visits"][1]["lesion_status"] = {"L4": "resolved"}
    assert line(plan_of(d), "ctp").status == "not_proposed"


def test_the_adult_clause_reads_the_encounter_age_not_the_reference_date():
    # v4 (§13.7 item 16): an established CNO does not fall back to work-up at 18 (v3 made it workup).
    d = data()
    d["patient"]["date_of_birth"] = "2008-12-01"  # 17 at the encounter, 18 at V2
    d["mimics"]["malignancy"] = None
    first = data()
    first.update(patient=d["patient"], mimics=d["mimics"], visits=[])
    assert plan_of(first).mode == "cno"
    p = plan_of(d)
    assert p.mode == "cno"
    assert "Adult patient: malignancy must be recorded as excluded" not in line(p, "nsaid").reason
    eligibility_age = eligibility(p, "age")
    assert eligibility_age.label == "Age at the visit of 2027-04-12 ≤ 21 years" and "18.4" in eligibility_age.evidence


def test_without_a_date_of_birth_the_age_grows_from_the_encounter():
    d = data()
    d["patient"].pop("date_of_birth")
    d["patient"]["age_years"] = 17.8
    d["mimics"]["malignancy"] = None
    p = plan_of(d)
    assert p.mode == "cno" and p.lines[0].doses[0].withheld == "adult dosing: per local protocol"  # 18.3 at V2


# ---- weight ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("days_old, stale", [(90, False), (91, True)])
def test_a_weight_90_and_91_days_old(days_old, stale):
    import datetime as dt

    d = data()
    for v in d["visits"]:
        v.pop("weight_kg", None)
    d["visits"] = d["visits"][:1]
    d["visits"][0]["date"] = (dt.date(2026, 10, 5) + dt.timedelta(days=days_old)).isoformat()
    d["visits"][0]["next_review_date"] = None
    p = plan_of(d)
    assert p.weight_used.kg == 32 and p.weight_used.days_before_reference == days_old
    assert p.weight_used.stale is stale
    words = f"weight from 2026-10-05, {days_old} days before this visit: re-weigh before prescribing"
    computed = [dl.computed_text() for l in p.lines for dl in l.doses if dl.computed]
    assert computed, "the example computes amounts"
    assert all((words in t) is stale for t in computed)


# ---- current second-line drug ---------------------------------------------------------------------

def test_a_current_second_line_drug_holds_the_other_step_3_options():
    d = active_at_v2(data())
    d["treatments"].append({"drug": "Methotrexate", "drug_class": "dmard", "start_date": "2027-01-11",
                            "dose": "12.5 mg weekly"})
    p = plan_of(d)
    drugs = by_drug(p)
    mtx = drugs["methotrexate"]
    assert mtx["status"] == "current" and "on methotrexate since 2027-01-11 (13 weeks" in mtx["reason"]
    assert mtx["dose"] is not None and mtx["dose"]["high_mg"] <= 25
    for other in ("sulfasalazine", "etanercept", "adalimumab", "infliximab", "pamidronate", "zoledronic acid"):
        assert drugs[other]["status"] == "not_proposed"
        assert "a change of second-line treatment is the clinician's decision" in drugs[other]["reason"]
        assert drugs[other]["dose"] is None
    assert [dl.generic for dl in line(p, "ctp").doses] == ["methotrexate"]


def test_a_current_drug_whose_start_criteria_no_longer_hold_continues():
    # v4 continuation (§13.1): step 3's start criteria (activity unknown at V2) do not apply to a drug she is
    # on; only a safety reason holds it (v3 said "review now: step 3 needs …" and showed no amount).
    d = data()
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-01-11"})
    mtx = by_drug(plan_of(d))["methotrexate"]
    assert mtx["status"] == "current" and mtx["dose"] is not None and "review now" not in mtx["reason"]
    assert mtx["reason"].endswith("continue: a CTP runs for 12 months (Zhao 2018); its review is the clinician's")


def test_a_drug_stopped_at_the_visit_is_not_current():
    d = data()
    d["treatments"][0]["end_date"] = "2027-04-12"
    drugs = by_drug(plan_of(d))
    assert drugs["naproxen"]["status"] == "proposed" and drugs["ibuprofen"]["status"] == "proposed"


# ---- §13.4 holds ----------------------------------------------------------------------------------

def test_an_urgent_alert_makes_the_plan_a_work_up_and_holds_every_line():
    d = data()
    d["visits"][1]["labs"]["peripheral_smear_blasts"] = True
    p = plan_of(d)
    assert p.mode == "workup"
    assert p.workup[0].startswith("Blasts on the blood film at a visit:")
    treatment = [l for l in p.lines if l.kind in ("first_line", "glucocorticoid", "second_line")]
    assert treatment and all(l.status in ("not_proposed", "current") for l in treatment)
    assert all(not l.doses for l in treatment)
    nap = by_drug(p)["naproxen"]
    assert nap["status"] == "current" and nap["dose"] is None
    assert "review now: an urgent finding at the visit of 2027-04-12: blasts on the blood film at a visit" in nap["reason"]
    assert nap["reason"].count("(V2)") == 1  # the urgent reason names the alerts; their evidence is not repeated
    assert p.prognosis == [] and p.codes == []
    assert assess(Case.model_validate(d)).mode == "cno"  # the diagnosis's own mode stays


def test_raised_alt_on_methotrexate_holds_methotrexate_and_sulfasalazine():
    d = active_at_v2(data())
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-01-11"})
    d["visits"][1]["labs"]["alt"] = {"value": 96, "unit": "U/L", "ref_low": 5, "ref_high": 45}
    p = plan_of(d)
    assert p.mode == "cno"
    mtx = by_drug(p)["methotrexate"]
    assert mtx["status"] == "current" and mtx["dose"] is None
    assert "withhold now: ALT above the laboratory's range" in mtx["reason"]  # v4 item 28 (v3: review now)


def test_raised_creatinine_holds_the_nsaids_and_the_bisphosphonates():
    d = active_at_v2(data())
    d["visits"][1]["labs"]["creatinine"] = {"value": 95, "unit": "umol/L", "ref_low": 30, "ref_high": 70}
    p = plan_of(d)
    drugs = by_drug(p)
    assert drugs["naproxen"]["status"] == "current" and drugs["naproxen"]["dose"] is None
    assert "withhold now: creatinine above the laboratory's range" in drugs["naproxen"]["reason"].lower()
    for held in ("pamidronate", "zoledronic acid"):  # v4 item 8: "not proposed: <the finding>"
        assert drugs[held]["status"] == "not_proposed" and "not proposed: creatinine above" in drugs[held]["reason"]
    # The other step-3 options stay proposed.
    assert drugs["methotrexate"]["status"] == "proposed" and drugs["methotrexate"]["dose"] is not None
    assert [dl.generic for dl in line(p, "ctp").doses if dl.generic in ("pamidronate", "zoledronic acid")] == []


def test_low_calcium_on_a_bisphosphonate_holds_the_bisphosphonates_only():
    d = active_at_v2(data())
    d["treatments"].append({"drug": "Zoledronate", "drug_class": "bisphosphonate", "start_date": "2027-01-11"})
    d["visits"][1]["labs"]["calcium"] = {"value": 1.9, "unit": "mmol/L"}
    drugs = by_drug(plan_of(d))
    zol = drugs["zoledronic acid"]
    assert zol["status"] == "current" and zol["dose"] is None and "withhold now: low calcium" in zol["reason"]
    assert drugs["pamidronate"]["status"] == "not_proposed"
    assert drugs["naproxen"]["status"] == "current" and drugs["naproxen"]["dose"] is not None


def test_a_current_drug_in_a_work_up_says_why_it_would_not_be_proposed():
    d = data()
    d["mimics"]["malignancy"] = None  # the gate: malignancy not excluded
    d["labs"]["hemoglobin"] = {"value": 9.0, "unit": "g/dL"}  # anaemia: the blood count is not normal
    p = plan_of(d)
    assert p.mode == "workup"
    nap = by_drug(p)["naproxen"]
    assert nap["status"] == "current" and nap["dose"] is None
    assert "review now: it would not be proposed until the work-up is done:" in nap["reason"]


def test_low_blood_count_holds_methotrexate_and_sulfasalazine_only():
    d = active_at_v2(data())  # step 3 proposed: no second-line drug on record
    d["visits"][1]["labs"]["platelets"] = {"value": 80, "unit": "10^9/L"}  # one low line: fu_cytopenia
    # v4: on naproxen alone the cytopenia is unexplained and holds every step-3 drug until malignancy is
    # excluded again; once re-excluded at this visit, only its own holds remain.
    unexplained = by_drug(plan_of(d))
    assert "not proposed until malignancy is excluded again: low blood count" in unexplained["etanercept"]["reason"]
    d["visits"][1]["mimics"] = {"malignancy": False}
    p = plan_of(d)
    assert p.mode == "cno"
    drugs = by_drug(p)
    for held in ("methotrexate", "sulfasalazine"):
        assert drugs[held]["status"] == "not_proposed" and drugs[held]["dose"] is None
        assert "not proposed: low blood count at a visit (platelets 80" in drugs[held]["reason"]
    for kept in ("etanercept", "pamidronate", "zoledronic acid"):
        assert drugs[kept]["status"] == "proposed" and drugs[kept]["dose"] is not None


def test_low_vitamin_d_on_a_bisphosphonate_puts_it_under_review():
    d = active_at_v2(data())
    d["treatments"].append({"drug": "zoledronic acid", "drug_class": "bisphosphonate", "start_date": "2027-01-11"})
    d["visits"][1]["labs"]["vitamin_d_25oh"] = {"value": 30, "unit": "nmol/L"}
    drugs = by_drug(plan_of(d))
    zol = drugs["zoledronic acid"]
    assert zol["status"] == "current" and zol["dose"] is None
    assert "withhold now: low 25-OH vitamin D on a bisphosphonate (25-OH vitamin D 30 nmol/L" in zol["reason"]
    assert drugs["naproxen"]["status"] == "current" and drugs["naproxen"]["dose"] is not None


def test_a_current_drug_names_every_safety_reason_that_holds_it():
    d = data()  # v4: only safety reasons (an alert, the malignancy gate), not step 3's start criteria
    d["treatments"].append({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2027-01-11"})
    d["visits"][1]["labs"]["alt"] = {"value": 96, "unit": "U/L", "ref_low": 5, "ref_high": 45}
    d["visits"][1]["mimics"] = {"malignancy": None}
    d["mimics"]["malignancy"] = None
    reason = by_drug(plan_of(d))["methotrexate"]["reason"]
    assert "step 3 needs" not in reason and "withhold now: ALT above" in reason
    assert reason.endswith("review now: it would not be proposed until malignancy is excluded (bone marrow "
                           "examination before second-line treatment)")
