"""The safety rules of the plan at follow-up (clinical-rules.md §13.1, §13.4) on random visits.

Starting from the follow-up example (mode cno, so lines are proposed and the rules can bite), random
visits (dates, weights, labs, fever, lesion statuses, measures) and random treatments are added; whatever
they hold, the plan must keep these invariants:
- an urgent follow-up alert: mode workup, no treatment line proposed and no amount anywhere;
- a drug an act alert names: never proposed, never with an amount;
- amounts only for a drug proposed, or current and not under review; never above the stated maximum;
- `current` exactly for the plan's drugs the patient is on at the reference date;
- the weight used is the latest recorded one, `stale` exactly when more than 90 days old.
"""
from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.case.models import Case
from desktop_app.course.alerts import follow_up_alerts
from desktop_app.course.points import course_points, latest_activity
from desktop_app.course.timeline import current_treatments, drug_key, latest_weight, reference_date
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan
from desktop_app.plan.output import plan_to_json
from tests.plan.followup_example import BASE

START = dt.date(2026, 10, 5)
day = st.integers(0, 500).map(lambda n: START + dt.timedelta(days=n))
opt = st.none()


def lab(unit: str, lo: float, hi: float, ref=None):
    value = st.floats(lo, hi, allow_nan=False).map(lambda v: round(v, 1))
    if ref is None:
        return opt | value.map(lambda v: {"value": v, "unit": unit})
    return opt | value.map(lambda v: {"value": v, "unit": unit, "ref_low": ref[0], "ref_high": ref[1]})


labs = st.fixed_dictionaries({}, optional={
    "wbc": lab("10^9/L", 0.5, 20), "neutrophils": lab("10^9/L", 0.1, 12), "platelets": lab("10^9/L", 20, 600),
    "hemoglobin": lab("g/L", 50, 160), "alt": lab("U/L", 5, 200, (5, 45)),
    "creatinine": lab("umol/L", 20, 150, (30, 70)), "calcium": lab("mmol/L", 1.6, 2.8),
    "vitamin_d_25oh": lab("nmol/L", 10, 120), "peripheral_smear_blasts": opt | st.booleans(),
})
visit = st.fixed_dictionaries({"date": day}, optional={
    "weight_kg": opt | st.floats(10, 90).map(lambda w: round(w, 1)),
    "max_temperature_c": opt | st.floats(36, 40).map(lambda t: round(t, 1)),
    "labs": labs,
    "measures": st.fixed_dictionaries({}, optional={"clinically_active_lesions": opt | st.integers(0, 3)}),
    "mri_date": opt | day,
    "lesion_status": st.dictionaries(st.sampled_from(["L1", "L2", "L3"]),
                                     st.sampled_from(["improved", "unchanged", "worse", "resolved"])),
})
treatment = st.fixed_dictionaries({
    "drug": st.sampled_from(["naproxen", "Ibuprofen", "methotrexate", "Zoledronate", "pamidronate",
                             "etanercept", "sulfasalazine", "prednisone"]),
    "start_date": opt | day, "end_date": opt | day,
}, optional={"response": st.sampled_from(["none", "partial", "complete"]),
             "stop_reason": st.sampled_from(["inefficacy", "adverse_event", "remission"])})
CLASSES = {"naproxen": "nsaid", "ibuprofen": "nsaid", "methotrexate": "dmard", "sulfasalazine": "dmard",
           "zoledronic acid": "bisphosphonate", "pamidronate": "bisphosphonate", "etanercept": "tnf_inhibitor",
           "prednisone": "glucocorticoid"}


def _case(visits: list[dict], treatments: list[dict]) -> Case:
    d = copy.deepcopy(BASE)
    for i, v in enumerate(visits):
        v["id"] = f"V{i + 1}"
    d["visits"] = visits
    for t in treatments:
        t["drug_class"] = CLASSES[drug_key(t["drug"])]
        if t["start_date"] and t["end_date"] and t["end_date"] < t["start_date"]:
            t["end_date"] = None
    d["treatments"] = d["treatments"] + treatments
    return Case.model_validate(d)


TREATMENT_KINDS = ("first_line", "glucocorticoid", "second_line")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(visit, min_size=1, max_size=4), st.lists(treatment, max_size=3))
def test_follow_up_safety_invariants(visits, treatments):
    case = _case(visits, treatments)
    p = plan(case, assess(case))
    out = plan_to_json(p)["lines"]
    alerts = follow_up_alerts(case)
    ref = reference_date(case)
    if any(a.tier == "urgent" for a in alerts):
        assert p.mode == "workup"
        assert all(j["dose"] is None for j in out if j["step"] in TREATMENT_KINDS)
        assert not [j for j in out if j["step"] in TREATMENT_KINDS and j["status"] == "proposed"]
    held = {drug for a in alerts for drug in a.holds}  # v4 item 28: urgent alerts list their holds too
    # v4 item 6: a stop reason without an end date is not current.
    on = {drug_key(t.drug) for t in current_treatments(case, ref) if t.stop_reason is None or t.end_date}
    for j in out:
        if j["drug"] is None or j["step"] not in TREATMENT_KINDS:
            continue
        if j["drug"] in held:
            assert j["status"] != "proposed" and j["dose"] is None, j
        assert (j["status"] == "current") == (j["drug"] in on), j
        if j["dose"] is not None:
            assert j["status"] in ("proposed", "current") and "review now" not in j["reason"], j
            assert "withhold now" not in j["reason"], j
            dose = j["dose"]
            if dose["max_mg"] is not None and dose["max_per"] == dose["per"]:
                assert dose["high_mg"] <= dose["max_mg"]
    # The plan's shortcut to the latest activity agrees with the whole course (§13.1 trigger (i)).
    assert latest_activity(case) == course_points(case)[-1].activity
    size = latest_weight(case)
    assert p.weight_used is not None and p.weight_used.kg == size.weight_kg
    assert p.weight_used.stale == ((ref - size.weight_date).days > 90)
