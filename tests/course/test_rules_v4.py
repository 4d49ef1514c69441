"""Rules v4 of the course (clinical-rules.md §13.3–§13.5, §13.7): the boundaries issue 22 names, each
with the value on either side."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.case.models import Biopsy, Labs
from desktop_app.course.alerts import follow_up_alerts
from desktop_app.course.build import course, course_to_json
from tests.course.helpers import SEEN, case, days, lab, lesion, treatment, visit

NAPROXEN = treatment("naproxen", "nsaid")
MTX = treatment("methotrexate", "dmard")
PAMIDRONATE = treatment("pamidronate", "bisphosphonate")
DRUG_CLASSES = {"tnf": treatment("etanercept", "tnf_inhibitor"), "mtx": MTX,
                "ssz": treatment("sulfasalazine", "dmard"), "gc": treatment("prednisolone", "glucocorticoid")}
STEP3_AND_PREDNISONE = {"prednisone", "methotrexate", "sulfasalazine", "etanercept", "adalimumab", "infliximab",
                        "pamidronate", "zoledronic acid"}


def _alerts(c):
    return {a.id: a for a in follow_up_alerts(c)}


def _at_visit(labs: dict, treatments=(NAPROXEN,), **kw):
    return case(treatments=list(treatments), visits=[visit("V1", days(90), labs=Labs(**labs), **kw)])


# ---- neutrophils, platelets ---------------------------------------------------------------------

def test_neutrophils_0_99_is_severe_and_1_0_is_a_cytopenia():
    a = _alerts(_at_visit({"neutrophils": lab(0.99, "10^9/L")}, treatments=[MTX]))
    assert "fu_severe_neutropenia" in a and "fu_cytopenia" not in a  # only the most severe
    assert a["fu_severe_neutropenia"].tier == "urgent"
    assert a["fu_severe_neutropenia"].holds == ["methotrexate", "sulfasalazine", "etanercept", "adalimumab",
                                                "infliximab"]
    assert not a["fu_severe_neutropenia"].needs_reexclusion  # explained: on methotrexate
    b = _alerts(_at_visit({"neutrophils": lab(1.0, "10^9/L")}, treatments=[MTX]))
    assert "fu_severe_neutropenia" not in b and "fu_cytopenia" in b


def test_neutrophils_0_5_with_fever_is_febrile_and_0_51_is_severe():
    a = _alerts(_at_visit({"neutrophils": lab(0.5, "10^9/L")}, max_temperature_c=38.0))
    assert "fu_febrile_neutropenia" in a and "fu_severe_neutropenia" not in a and "fu_fever" not in a
    assert a["fu_febrile_neutropenia"].needs_reexclusion  # unexplained on naproxen alone (item 28)
    b = _alerts(_at_visit({"neutrophils": lab(0.51, "10^9/L")}, max_temperature_c=38.0))
    assert "fu_febrile_neutropenia" not in b and "fu_severe_neutropenia" in b and "fu_fever" in b
    c = _alerts(_at_visit({"neutrophils": lab(0.5, "10^9/L")}, max_temperature_c=37.9))
    assert "fu_febrile_neutropenia" not in c and "fu_severe_neutropenia" in c
    assert c["fu_severe_neutropenia"].needs_reexclusion  # unexplained (item 10)


def test_platelets_49_is_severe_thrombocytopenia_and_50_is_not():
    a = _alerts(_at_visit({"platelets": lab(49, "10^9/L")}))
    assert a["fu_severe_thrombocytopenia"].tier == "urgent"
    assert a["fu_severe_thrombocytopenia"].holds == ["methotrexate", "sulfasalazine", "naproxen", "ibuprofen"]
    b = _alerts(_at_visit({"platelets": lab(50, "10^9/L")}))
    assert "fu_severe_thrombocytopenia" not in b and "fu_cytopenia" in b


# ---- calcium, ALT, creatinine, weight -------------------------------------------------------------

@pytest.mark.parametrize("value, unit, severe", [(1.89, "mmol/L", True), (1.9, "mmol/L", False),
                                                 (7.6, "mg/dL", True), (7.62, "mg/dL", False)])
def test_calcium_1_89_is_severe_and_1_9_is_low_in_either_unit(value, unit, severe):
    a = _alerts(_at_visit({"calcium": lab(value, unit)}, treatments=[PAMIDRONATE]))
    # Only one calcium alert (§13.4).
    assert ("fu_severe_hypocalcaemia" in a, "fu_low_calcium" in a) == (severe, not severe)
    alert = a["fu_severe_hypocalcaemia" if severe else "fu_low_calcium"]
    assert alert.holds == ["pamidronate", "zoledronic acid"]


def test_alt_100_without_a_range_is_not_raised_and_101_is_with_the_nsaids_held():
    assert "fu_raised_alt" not in _alerts(_at_visit({"alt": lab(100, "U/L")}, treatments=[MTX]))
    a = _alerts(_at_visit({"alt": lab(101, "U/L")}, treatments=[MTX]))["fu_raised_alt"]
    assert a.evidence == "ALT 101 U/L, above 100 U/L at the visit of 2027-01-03 (V1): no laboratory range entered"
    assert a.holds == ["methotrexate", "sulfasalazine", "naproxen", "ibuprofen"]


def test_alt_with_a_range_holds_the_nsaids_only_above_three_times_its_upper_limit():
    assert _alerts(_at_visit({"alt": lab(135, "U/L", ref_high=45)}))["fu_raised_alt"].holds == [
        "methotrexate", "sulfasalazine"]  # 3 × 45: the NSAID is reviewed, not held (item 36)
    assert _alerts(_at_visit({"alt": lab(135, "U/L", ref_high=45)}, treatments=[MTX]))["fu_raised_alt"].holds == [
        "methotrexate", "sulfasalazine"]
    assert "naproxen" in _alerts(_at_visit({"alt": lab(136, "U/L", ref_high=45)}, treatments=[MTX]))[
        "fu_raised_alt"].holds


@pytest.mark.parametrize("later, day, raised", [(65, 300, False), (65.5, 300, True), (65.5, 366, False)])
def test_creatinine_30_percent_above_the_lowest_in_the_365_days_before(later, day, raised):
    c = case(treatments=[NAPROXEN], labs={"creatinine": {"value": 50, "unit": "umol/L"}},
             visits=[visit("V1", days(day), labs=Labs(creatinine=lab(later, "umol/L")))])
    a = _alerts(c)
    assert ("fu_raised_creatinine" in a) == raised
    if raised:
        assert a["fu_raised_creatinine"].evidence.endswith("no laboratory range entered")


def test_a_first_creatinine_without_a_range_uses_the_schwartz_egfr():
    # 0.413 × 142 / (90 / 88.4) = 57.6 < 60; 85 µmol/L gives 61.0.
    assert "fu_raised_creatinine" in _alerts(_at_visit({"creatinine": lab(90, "umol/L")}))
    assert "fu_raised_creatinine" not in _alerts(_at_visit({"creatinine": lab(85, "umol/L")}))


@pytest.mark.parametrize("kg, raised", [(28.832, False), (28.8, True)])
def test_weight_9_9_percent_below_is_not_raised_and_10_percent_is(kg, raised):
    a = _alerts(case(visits=[visit("V1", days(90), weight_kg=kg)]))  # first consultation 32 kg
    assert ("fu_weight_loss" in a) == raised
    if raised:
        assert a["fu_weight_loss"].needs_reexclusion and set(a["fu_weight_loss"].holds) == STEP3_AND_PREDNISONE


# ---- fever ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("drug", sorted(DRUG_CLASSES))
def test_fever_38_on_each_immunosuppressant_is_urgent_and_37_9_is_nothing(drug):
    on = [DRUG_CLASSES[drug]]
    assert "fu_fever" not in _alerts(_at_visit({}, treatments=on, max_temperature_c=37.9))
    a = _alerts(_at_visit({}, treatments=on, max_temperature_c=38.0))["fu_fever"]
    assert a.tier == "urgent"
    assert a.holds[:7] == ["etanercept", "adalimumab", "infliximab", "methotrexate", "sulfasalazine",
                           "pamidronate", "zoledronic acid"]
    assert ("full blood count the same day" in a.action) == (drug == "ssz")


def test_fever_off_immunosuppression_is_act_and_an_older_fever_holds_nothing():
    assert "fu_fever" not in _alerts(_at_visit({}, max_temperature_c=37.9))
    assert _alerts(_at_visit({}, max_temperature_c=38.0))["fu_fever"].tier == "act"
    recent = _alerts(_at_visit({}, treatments=[MTX], max_temperature_c=38.5, max_temperature_date=days(83)))
    assert recent["fu_fever"].tier == "urgent"  # 7 days before the visit
    older = _alerts(_at_visit({}, treatments=[MTX], max_temperature_c=38.5, max_temperature_date=days(82)))
    assert older["fu_fever"].tier == "act" and older["fu_fever"].holds == []
    assert "ask about infections since" in older["fu_fever"].action
    after = _alerts(_at_visit({}, treatments=[MTX], max_temperature_c=38.5, max_temperature_date=days(91)))
    assert after["fu_fever"].tier == "urgent"  # a date after the visit is read as not recorded (item 32)


# ---- drug alerts at the first consultation (items 2, 14, 39) -------------------------------------

def test_drug_alerts_apply_without_visits_when_a_treatment_is_current():
    c = case(treatments=[MTX], labs={"alt": {"value": 150, "unit": "U/L"}},
             symptoms={"max_temperature_c": 38.5})
    a = _alerts(c)
    assert "fu_raised_alt" in a and "at the first consultation" in a["fu_raised_alt"].evidence
    assert a["fu_fever"].tier == "urgent"
    result = course(c)
    assert len(result.points) == 1 and [m.test for m in result.monitoring] == ["full blood count", "ALT",
                                                                                "creatinine"]
    not_yet = case(treatments=[treatment("methotrexate", "dmard", start=SEEN + dt.timedelta(days=1))],
                   labs={"alt": {"value": 150, "unit": "U/L"}}, symptoms={"max_temperature_c": 38.5})
    assert follow_up_alerts(not_yet) == [] and course(not_yet).monitoring == []
    on_naproxen = case(treatments=[NAPROXEN], symptoms={"max_temperature_c": 38.5})
    assert "fu_fever" not in _alerts(on_naproxen)  # §6 `fever` applies at the first consultation


def test_a_drug_alert_reads_the_first_consultation_value_at_follow_up():
    c = case(treatments=[MTX], labs={"alt": {"value": 150, "unit": "U/L"}}, visits=[visit("V1", days(90))])
    assert "fu_raised_alt" in _alerts(c)


# ---- new aggressive lesion: the diagnostic biopsy (item 11) --------------------------------------

DIAGNOSTIC = dict(lesion_id="L2", date=days(95), histology="chronic_inflammation", culture="negative",
                  on_antibiotics_at_biopsy=False, mycobacterial_culture="negative")


def _aggressive(**biopsy):
    c = case(lesions=[lesion("L1"), lesion("L2", bone="femur", cortical_destruction=True)],
             visits=[visit("V1", days(90), lesion_status={"L2": "new"})])
    return _alerts(c.model_copy(update={"biopsies": [Biopsy(**{**DIAGNOSTIC, **biopsy})]}))


@pytest.mark.parametrize("field, value, lifts", [
    ("histology", "chronic_inflammation", True), ("histology", "nondiagnostic", False),
    ("histology", "normal_bone", False), ("histology", "malignancy", False),
    ("histology", "langerhans_cell_histiocytosis", False), ("histology", "acute_osteomyelitis", False),
    ("histology", "granulomatous", False), ("histology", None, False),
    ("culture", "negative", True), ("culture", "positive", False), ("culture", "not_done", False),
    ("culture", None, False),
    ("on_antibiotics_at_biopsy", True, False), ("on_antibiotics_at_biopsy", None, False),
    ("mycobacterial_culture", "positive", False), ("mycobacterial_culture", "not_done", True),
    ("mycobacterial_culture", None, True),
    ("date", days(89), False), ("lesion_id", "L1", False),
])
def test_each_histology_and_culture_of_the_biopsy_of_a_new_aggressive_lesion(field, value, lifts):
    a = _aggressive(**{field: value})
    assert ("fu_new_aggressive_lesion" not in a) == lifts
    if not lifts and field not in ("date", "lesion_id"):
        assert "the biopsy of 2027-01-08 did not settle it: repeat the biopsy" in a["fu_new_aggressive_lesion"].evidence


def test_a_known_lesion_whose_findings_change_at_a_visit():
    les = [lesion("L1", bone="vertebra", side=None, level="T7")]
    c = case(lesions=les, visits=[visit("V1", days(90), lesion_findings={"L1": {"vertebral_collapse": True,
                                                                              "soft_tissue_mass": True}})])
    a = _alerts(c)
    assert "new vertebral collapse at T7" in a["fu_new_vertebral_collapse"].evidence
    assert a["fu_new_vertebral_collapse"].needs_reexclusion
    assert a["fu_new_aggressive_lesion"].tier == "urgent"


# ---- re-exclusion (§13.1, §13.4, items 10, 27) ---------------------------------------------------

def _low_platelets(exclusions: dict):
    """Unexplained platelets 90 at V2 (on naproxen only); malignancy recorded excluded at the given visits."""
    mimics = {vid: {"malignancy": False} for vid in exclusions}
    return case(treatments=[NAPROXEN], visits=[
        visit("V1", days(90), mimics=mimics.get("V1", {})),
        visit("V2", days(180), labs=Labs(platelets=lab(90, "10^9/L")), mimics=mimics.get("V2", {})),
        visit("V3", days(270), mimics=mimics.get("V3", {}))])


@pytest.mark.parametrize("where, needed", [((), True), (("V1",), True), (("V2",), False), (("V3",), False)])
def test_a_re_exclusion_at_the_same_visit_or_later_lifts_only_the_malignancy_holds(where, needed):
    a = _alerts(_low_platelets(dict.fromkeys(where)))["fu_cytopenia"]  # the alert stays (item 27)
    assert a.needs_reexclusion == needed
    assert ("prednisone" in a.holds) == needed
    assert {"methotrexate", "sulfasalazine"} <= set(a.holds)


def test_one_exclusion_covers_the_run_from_its_first_visit():
    c = case(treatments=[NAPROXEN], visits=[
        visit("V1", days(90), labs=Labs(platelets=lab(90, "10^9/L")), mimics={"malignancy": False}),
        visit("V2", days(180), labs=Labs(platelets=lab(80, "10^9/L")))])
    a = _alerts(c)["fu_cytopenia"]
    assert not a.needs_reexclusion and "since the visit of 2027-01-03 (V1)" in a.evidence
    normal = visit("V1b", days(120), labs=Labs(platelets=lab(200, "10^9/L")))
    broken = c.model_copy(update={"visits": [c.visits[0], normal, c.visits[1]]})
    assert _alerts(broken)["fu_cytopenia"].needs_reexclusion


# ---- points and monitoring -----------------------------------------------------------------------

def test_a_point_shows_its_own_weight_height_temperature_and_why_mri_is_not_comparable():
    les = [lesion("L1", modalities=["mri"], marrow_edema=True), lesion("L2", bone="femur", modalities=["mri"]),
           lesion("L3", bone="radius", modalities=["mri"], marrow_edema=True), lesion("L4", bone="ulna")]
    c = case(lesions=les, symptoms={"max_temperature_c": 37.2}, visits=[
        visit("V1", days(90), weight_kg=33, max_temperature_c=38.1, lesion_status={"L1": "improved", "L4": "new"})])
    first, v1 = course(c).points
    assert (first.weight_kg, first.height_cm, first.max_temperature_c) == (32, 142, 37.2)
    assert (v1.weight_kg, v1.height_cm, v1.max_temperature_c) == (33, None, 38.1)
    assert v1.mri_not_comparable == "1 new, 2 not assessed"
    assert v1.change_from_first["mri_active_lesions"] is None and v1.change_from_previous["mri_active_lesions"] is None


def test_monitoring_shows_the_last_value_and_a_default_threshold_beyond_which_it_lies():
    c = case(treatments=[MTX], visits=[visit("V1", days(40), labs=Labs(
        alt=lab(300, "U/L"), wbc=lab(6, "10^9/L"), hemoglobin=lab(125, "g/L"), platelets=lab(90, "10^9/L")))])
    lines = {m.test: m for m in course(c).monitoring}
    assert (lines["ALT"].value, lines["ALT"].unit, lines["ALT"].meaning) == (300, "U/L", "beyond_alert_threshold")
    assert lines["ALT"].meaning_words == "ALT 300 U/L: above the 100 U/L alert threshold; no laboratory range"
    fbc = lines["full blood count"]
    assert fbc.value is None and fbc.values == {"wbc": 6, "hemoglobin": 125, "platelets": 90}
    assert fbc.meaning == "below_range"  # the worst of the three
    out = course_to_json(course(c))["monitoring"]
    assert "values" in out[0] and "values" not in out[1] and "meaning_words" not in out[0]
    assert lines["creatinine"].value is None and lines["creatinine"].meaning is None


# ---- dates after the reference date (item 32) ----------------------------------------------------

@pytest.mark.parametrize("dated, counted", [(days(89), days(89)), (days(90), days(90)), (days(91), days(90)),
                                            (days(400), days(90))])
def test_a_value_dated_after_its_visit_counts_as_of_the_reference_date_in_the_monitoring(dated, counted):
    c = case(treatments=[MTX], visits=[visit("V1", days(90), labs=Labs(alt=lab(30, "U/L", ref_high=40, date=dated)))])
    alt = {m.test: m for m in course(c).monitoring}["ALT"]
    # Not dropped as "in the future": the line shows it, done on the reference date at the latest.
    assert (alt.last, alt.status, alt.value, alt.meaning) == (counted, "up_to_date", 30, "within_range")


def test_a_value_dated_after_its_visit_counts_as_of_the_point_in_the_as_of_case():
    from desktop_app.course.timeline import case_as_of
    c = case(treatments=[MTX], visits=[visit("V1", days(90), labs=Labs(alt=lab(30, "U/L", date=days(100)))),
                                       visit("V2", days(180))])
    as_of = {m.test: m for m in course(case_as_of(c, "V1")).monitoring}["ALT"]
    assert (as_of.last, as_of.value) == (days(90), 30)
    assert {m.test: m for m in course(c).monitoring}["ALT"].last == days(100)  # before the reference date: its own


def test_a_creatinine_dated_after_the_reference_date_is_compared_as_of_the_reference_date():
    # 66 > 1.3 × 50 within 365 days of the visit; counted as of its own date (day 400) the first
    # consultation's 50 would fall outside the window and the rise would go unseen.
    def at(dated):
        return _alerts(case(treatments=[NAPROXEN], labs={"creatinine": {"value": 50, "unit": "umol/L"}},
                            visits=[visit("V1", days(90), labs=Labs(creatinine=lab(66, "umol/L", date=dated)))]))
    assert "fu_raised_creatinine" in at(days(90)) and "fu_raised_creatinine" in at(days(400))
    assert "on 2026-10-05" in at(days(400))["fu_raised_creatinine"].evidence


def test_a_value_dated_after_the_reference_date_is_latest_only_on_that_date():
    # V1's ALT dated after V2 counts as of V2's date, where the later visit's own value wins.
    mis_dated = lab(300, "U/L", date=days(200))
    alone = case(treatments=[MTX], visits=[visit("V1", days(90), labs=Labs(alt=mis_dated)), visit("V2", days(180))])
    assert "(V1)" in _alerts(alone)["fu_raised_alt"].evidence
    repeated = case(treatments=[MTX], visits=[visit("V1", days(90), labs=Labs(alt=mis_dated)),
                                              visit("V2", days(180), labs=Labs(alt=lab(40, "U/L")))])
    assert "fu_raised_alt" not in _alerts(repeated)


# ---- a run of low values: the worst stays in the evidence (item 27) ------------------------------

def _run(*values, treatments=(MTX,), **last):
    """Neutrophils at visits V1, V2, … 45 days apart (None: not measured there)."""
    vs = [visit(f"V{i + 1}", days(45 * (i + 1)), labs=Labs(neutrophils=None if x is None else lab(x, "10^9/L")),
                **(last if i == len(values) - 1 else {})) for i, x in enumerate(values)]
    return _alerts(case(treatments=list(treatments), visits=vs))


def test_a_better_value_later_in_a_run_keeps_the_worst_in_the_evidence():
    a = _run(0.8, 0.6, None, 0.9)["fu_severe_neutropenia"]
    assert a.evidence == ("Neutrophils 0.9 ×10⁹/L < 1 ×10⁹/L at the visit of 2027-04-03 (V4) (since the visit "
                          "of 2026-11-19 (V1); lowest in this run: Neutrophils 0.6 ×10⁹/L at the visit of 2027-01-03 (V2))")


def test_a_worse_value_at_the_latest_visit_is_the_evidence_and_a_value_outside_the_run_is_not():
    assert "lowest" not in _run(0.8, 0.6)["fu_severe_neutropenia"].evidence  # the latest is the worst
    assert "lowest" not in _run(0.8, 0.8)["fu_severe_neutropenia"].evidence  # equal: nothing lower
    broken = _run(0.3, 1.2, 0.9)["fu_severe_neutropenia"].evidence  # 1.2 breaks the run: 0.3 is not in it
    assert "lowest" not in broken and "since" not in broken


def test_the_lowest_of_a_cytopenia_run_and_its_own_date():
    c = case(treatments=[MTX], visits=[
        visit("V1", days(45), labs=Labs(platelets=lab(70, "10^9/L", date=days(47)))),
        visit("V2", days(90), labs=Labs(platelets=lab(95, "10^9/L")))])
    assert _alerts(c)["fu_cytopenia"].evidence == (
        "Platelets 95 ×10⁹/L < 100 ×10⁹/L at the visit of 2027-01-03 (V2) (since the visit of 2026-11-19 (V1); "
        "lowest in this run: Platelets 70 ×10⁹/L at the visit of 2026-11-19 (V1) (dated 2026-11-21))")


def test_a_febrile_neutropenia_run_names_its_lowest_value():
    a = _run(0.2, 0.5, max_temperature_c=38.5)["fu_febrile_neutropenia"]
    assert "lowest in this run: Neutrophils 0.2 ×10⁹/L at the visit of 2026-11-19 (V1)" in a.evidence


# ---- the drug alerts read a value only while on a drug they name (item 2) ------------------------

@pytest.mark.parametrize("labs, alert_id, on, off", [
    ({"alt": lab(300, "U/L")}, "fu_raised_alt", NAPROXEN, treatment("etanercept", "tnf_inhibitor")),
    ({"creatinine": lab(90, "umol/L")}, "fu_raised_creatinine", PAMIDRONATE, MTX),
    ({"vitamin_d_25oh": lab(12, "ng/mL")}, "fu_low_vitamin_d", PAMIDRONATE, NAPROXEN),
])
def test_a_drug_alert_reads_its_value_only_on_a_drug_it_names(labs, alert_id, on, off):
    assert alert_id not in _alerts(_at_visit(labs, treatments=[off]))
    assert alert_id not in _alerts(_at_visit({}, treatments=[on]))  # never recorded
    a = _alerts(_at_visit(labs, treatments=[on]))[alert_id]
    if alert_id == "fu_low_vitamin_d":
        assert a.evidence == "25-OH vitamin D 12 ng/mL (29.95 nmol/L) below 50 nmol/L at the visit of 2027-01-03 (V1)"
