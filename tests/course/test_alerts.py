"""Follow-up alerts (clinical-rules.md §13.4): one test per alert, each with the case that does not
raise it, and the order urgent first then table order."""
from __future__ import annotations

from desktop_app.case.models import Biopsy, Labs
from desktop_app.course.alerts import follow_up_alerts
from tests.course.helpers import case, days, lab, lesion, treatment, visit

NAPROXEN = treatment("naproxen", "nsaid")
MTX = treatment("methotrexate", "dmard")
PAMIDRONATE = treatment("pamidronate", "bisphosphonate")


def _alerts(c):
    return {a.id: a for a in follow_up_alerts(c)}


def _at_visit(labs: dict, treatments=(NAPROXEN,), **kw):
    return case(treatments=list(treatments), visits=[visit("V1", days(90), labs=Labs(**labs), **kw)])


def test_no_visits_no_alerts_even_with_alarming_first_consultation_labs():
    c = case(labs={"hemoglobin": {"value": 60, "unit": "g/L"}, "peripheral_smear_blasts": True})
    assert follow_up_alerts(c) == []


def test_blasts():
    a = _alerts(_at_visit({"peripheral_smear_blasts": True}))["fu_blasts"]
    assert a.tier == "urgent" and "the visit of 2027-01-03 (V1)" in a.evidence
    # §13.7 item 28: urgent alerts list their holds too (the NSAIDs and glucocorticoids).
    assert a.holds == ["naproxen", "ibuprofen", "prednisone"]
    assert "fu_blasts" not in _alerts(_at_visit({"peripheral_smear_blasts": False}))


def test_a_later_visit_without_the_test_does_not_forget_the_result():
    c = case(treatments=[NAPROXEN], visits=[visit("V1", days(90), labs=Labs(alt=lab(96, "U/L", ref_high=45))),
                                             visit("V2", days(180))])
    a = _alerts(c)["fu_raised_alt"]
    assert a.evidence == "ALT 96 U/L (upper limit 45 U/L) at the visit of 2027-01-03 (V1)"


def test_severe_anaemia_uses_the_threshold_at_the_age_on_the_value_date():
    a = _alerts(_at_visit({"hemoglobin": lab(7.9, "g/dL")}))
    assert a["fu_severe_anaemia"].tier == "urgent" and "Haemoglobin 7.9 g/dL below 80 g/L" in a["fu_severe_anaemia"].evidence
    assert "fu_severe_anaemia" not in _alerts(_at_visit({"hemoglobin": lab(80, "g/L")}))
    # Still below the 12–14 y lower limit of 120 g/L: anaemia (act).
    assert "fu_anaemia" in _alerts(_at_visit({"hemoglobin": lab(80, "g/L")}))


def test_anaemia_prefers_the_lab_range():
    assert "fu_anaemia" not in _alerts(_at_visit({"hemoglobin": lab(110, "g/L", ref_low=105)}))
    a = _alerts(_at_visit({"hemoglobin": lab(119, "g/L")}))["fu_anaemia"]
    assert a.tier == "act" and "below range" in a.evidence


def test_bicytopenia_counts_the_white_cells_once():
    white_twice = _alerts(_at_visit({"wbc": lab(3.0, "10^9/L"), "neutrophils": lab(1.0, "10^9/L")}))
    assert "fu_bicytopenia" not in white_twice and "fu_cytopenia" in white_twice
    a = _alerts(_at_visit({"wbc": lab(3.0, "10^9/L"), "platelets": lab(90, "10^9/L")}, treatments=[MTX]))
    assert a["fu_bicytopenia"].tier == "urgent" and "withhold" in a["fu_bicytopenia"].action
    assert a["fu_bicytopenia"].holds == ["prednisone", "methotrexate"]  # item 28


def test_febrile_neutropenia_needs_the_measured_temperature():
    assert "fu_febrile_neutropenia" in _alerts(_at_visit({"neutrophils": lab(0.5, "10^9/L")}, max_temperature_c=38.0))
    assert "fu_febrile_neutropenia" not in _alerts(_at_visit({"neutrophils": lab(0.5, "10^9/L")}, max_temperature_c=37.9))
    assert "fu_febrile_neutropenia" not in _alerts(_at_visit({"neutrophils": lab(0.6, "10^9/L")}, max_temperature_c=39))
    assert "fu_febrile_neutropenia" not in _alerts(_at_visit({"neutrophils": lab(0.4, "10^9/L")}))


def test_new_aggressive_lesion_until_a_biopsy_of_it_after_that_visit():
    les = [lesion("L1"), lesion("L2", bone="femur", soft_tissue_mass=True)]
    visits = [visit("V1", days(90), lesion_status={"L2": "new"})]
    c = case(lesions=les, visits=visits)
    a = _alerts(c)["fu_new_aggressive_lesion"]
    assert a.tier == "urgent" and a.evidence == ("Left femur (L2): soft-tissue mass at the visit of 2027-01-03 (V1); "
                                                 "no biopsy of it since")
    diagnostic = dict(lesion_id="L2", histology="chronic_inflammation", culture="negative",
                      on_antibiotics_at_biopsy=False)
    before = c.model_copy(update={"biopsies": [Biopsy(date=days(80), **diagnostic)]})
    assert "fu_new_aggressive_lesion" in _alerts(before)
    # v4 (§13.7 item 11): only a diagnostic biopsy on or after the visit lifts it.
    after = c.model_copy(update={"biopsies": [Biopsy(date=days(90), **diagnostic)]})
    assert "fu_new_aggressive_lesion" not in _alerts(after)
    # An aggressive lesion seen at the first consultation is §6's, not a follow-up alert.
    first = case(lesions=[lesion("L2", bone="femur", soft_tissue_mass=True)], visits=[visit("V1", days(90))])
    assert "fu_new_aggressive_lesion" not in _alerts(first)


def test_cytopenia_holds_methotrexate_and_sulfasalazine():
    # On methotrexate (explained): holds the two DMARDs only; unexplained: tests/course/test_rules_v4.py.
    a = _alerts(_at_visit({"platelets": lab(99, "10^9/L")}, treatments=[MTX]))["fu_cytopenia"]
    assert a.tier == "act" and a.holds == ["methotrexate", "sulfasalazine"] and not a.needs_reexclusion
    assert "fu_cytopenia" not in _alerts(_at_visit({"platelets": lab(100, "10^9/L")}))


def test_raised_alt_only_above_the_lab_range_and_on_a_drug_it_names():
    a = _alerts(_at_visit({"alt": lab(96, "U/L", ref_low=5, ref_high=45)}, treatments=[MTX]))["fu_raised_alt"]
    assert a.evidence == "ALT 96 U/L (range 5–45 U/L) at the visit of 2027-01-03 (V1)"
    assert a.holds == ["methotrexate", "sulfasalazine"]
    assert "fu_raised_alt" not in _alerts(_at_visit({"alt": lab(96, "U/L")}, treatments=[MTX]))  # no default
    assert "fu_raised_alt" not in _alerts(_at_visit({"alt": lab(45, "U/L", ref_high=45)}, treatments=[MTX]))
    assert "fu_raised_alt" not in _alerts(_at_visit({"alt": lab(96, "U/L", ref_high=45)}, treatments=[PAMIDRONATE]))
    assert "fu_raised_alt" in _alerts(_at_visit({"alt": lab(96, "U/L", ref_high=45)}, treatments=[NAPROXEN]))


def test_raised_creatinine_holds_the_nsaids_and_the_bisphosphonates():
    a = _alerts(_at_visit({"creatinine": lab(1.0, "mg/dL", ref_high=0.8)}, treatments=[PAMIDRONATE]))
    assert a["fu_raised_creatinine"].holds == ["naproxen", "ibuprofen", "pamidronate", "zoledronic acid"]
    assert "fu_raised_creatinine" not in _alerts(_at_visit({"creatinine": lab(1.0, "mg/dL", ref_high=0.8)},
                                                             treatments=[MTX]))


def test_low_calcium_from_the_lab_range_else_2_1_mmol_l():
    assert "fu_low_calcium" in _alerts(_at_visit({"calcium": lab(2.09, "mmol/L")}, treatments=[PAMIDRONATE]))
    assert "fu_low_calcium" not in _alerts(_at_visit({"calcium": lab(2.1, "mmol/L")}, treatments=[PAMIDRONATE]))
    assert "fu_low_calcium" in _alerts(_at_visit({"calcium": lab(8.3, "mg/dL")}, treatments=[PAMIDRONATE]))
    assert "fu_low_calcium" in _alerts(_at_visit({"calcium": lab(2.15, "mmol/L", ref_low=2.2)},
                                                 treatments=[PAMIDRONATE]))
    assert "fu_low_calcium" not in _alerts(_at_visit({"calcium": lab(2.0, "mmol/L")}, treatments=[NAPROXEN]))
    assert _alerts(_at_visit({"calcium": lab(2.0, "mmol/L")}, treatments=[
        treatment("Zoledronate", None)]))["fu_low_calcium"].holds == ["pamidronate", "zoledronic acid"]


def test_low_vitamin_d_compared_in_nmol_l_after_conversion():
    assert "fu_low_vitamin_d" in _alerts(_at_visit({"vitamin_d_25oh": lab(49, "nmol/L")}, treatments=[PAMIDRONATE]))
    assert "fu_low_vitamin_d" not in _alerts(_at_visit({"vitamin_d_25oh": lab(50, "nmol/L")}, treatments=[PAMIDRONATE]))
    assert "fu_low_vitamin_d" in _alerts(_at_visit({"vitamin_d_25oh": lab(19.9, "ng/mL")}, treatments=[PAMIDRONATE]))
    # v4 (§13.7 item 1): 20 ng/mL = 49.92 nmol/L is below 50; 20.04 ng/mL = 50.02 nmol/L is not.
    assert "fu_low_vitamin_d" in _alerts(_at_visit({"vitamin_d_25oh": lab(20, "ng/mL")}, treatments=[PAMIDRONATE]))
    assert "fu_low_vitamin_d" not in _alerts(_at_visit({"vitamin_d_25oh": lab(20.04, "ng/mL")},
                                                       treatments=[PAMIDRONATE]))


def test_new_lesion_only_at_the_latest_visit():
    les = [lesion("L1"), lesion("L2", bone="femur")]
    latest = case(lesions=les, visits=[visit("V1", days(90), lesion_status={"L2": "new"})])
    a = _alerts(latest)["fu_new_lesion"]
    assert a.tier == "act" and a.evidence == "new lesion at the visit of 2027-01-03 (V1): Left femur"
    earlier = case(lesions=les, visits=[visit("V1", days(90), lesion_status={"L2": "new"}), visit("V2", days(180))])
    assert "fu_new_lesion" not in _alerts(earlier)


def test_urgent_first_then_table_order():
    c = _at_visit({"platelets": lab(50, "10^9/L"), "hemoglobin": lab(70, "g/L"), "alt": lab(90, "U/L", ref_high=40)},
                  treatments=[MTX])
    assert [a.id for a in follow_up_alerts(c)] == [
        "fu_severe_anaemia", "fu_bicytopenia", "fu_cytopenia", "fu_anaemia", "fu_raised_alt"]


def test_default_ranges_read_the_age_on_the_value_date_not_at_the_first_consultation():
    # Born 2021-12-01: 4.8 years at the first consultation (severe below 70 g/L), 5.1 at the visit
    # (severe below 80 g/L). Age from `age_years` alone moves with the dates too.
    for patient in ({"date_of_birth": "2021-12-01"}, {"age_years": 4.84}):
        c = case(patient=patient, visits=[visit("V1", days(120), labs=Labs(hemoglobin=lab(75, "g/L")))])
        assert "fu_severe_anaemia" in _alerts(c), patient
