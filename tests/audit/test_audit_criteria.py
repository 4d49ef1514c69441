"""Audit of clinical-rules.md §1–§5: each criteria set's items, thresholds and Kleene status rules."""
from __future__ import annotations

import pytest

from tests.audit.helpers import crit, dob_for_age, item, lab, les, make

TYPICAL_MRI = {"modalities": ["mri"], "marrow_edema": True}
GOOD_BIOPSY = {"histology": "chronic_inflammation", "culture": "negative", "on_antibiotics_at_biopsy": False}


def bristol_case(lesions, crp=None, survey=None, biopsies=(), **symptoms):
    sym = {"bone_pain": True, "warmth_erythema": False, "max_temperature_c": 37.0, **symptoms}
    return make(symptoms=sym, imaging={"whole_body_survey": survey, "lesions": lesions},
                labs={"crp": lab(crp, "mg/L")} if crp is not None else {}, biopsies=list(biopsies))


def statuses(case, set_id):
    return {i.id: i.status for i in crit(case, set_id).items}


# ---- §1 classic ------------------------------------------------------------------------------

@pytest.mark.parametrize("responses, expected", [
    (["none"], "met"), (["complete"], "not_met"), (["none", "complete"], "not_met"),
    (["partial"], "unknown"), ([None], "unknown"), ([], "unknown"),
])
def test_classic_no_antibiotic_response(responses, expected):
    c = make(treatments=[{"drug": "cefalexin", "drug_class": "antibiotic", "response": r} for r in responses])
    assert item(c, "classic", "no_antibiotic_response").status == expected


@pytest.mark.parametrize("biopsy, blood, expected", [
    ({"histology": "normal_bone", "culture": "negative"}, None, "met"),
    ({"histology": "chronic_inflammation", "culture": "negative"}, "positive", "not_met"),
    ({"histology": "langerhans_cell_histiocytosis", "culture": "negative"}, None, "not_met"),
    ({"histology": "nondiagnostic", "culture": "negative"}, None, "unknown"),
    ({"histology": "chronic_inflammation", "culture": "not_done"}, None, "unknown"),
])
def test_classic_pathology_cultures_negative(biopsy, blood, expected):
    c = make(biopsies=[biopsy], labs={"blood_culture": blood} if blood else {})
    assert item(c, "classic", "pathology_cultures_negative").status == expected


def test_classic_all_three_needed_kleene():
    c = make(imaging={"whole_body_survey": "whole_body_mri", "lesions": [les("tibia", "left"), les("femur", "left")]},
             biopsies=[{"histology": "chronic_inflammation", "culture": "negative"}])
    assert crit(c, "classic").status == "indeterminate"  # antibiotic response unknown
    c2 = c.model_copy(update={"treatments": make(treatments=[{"drug_class": "antibiotic", "response": "complete"}]).treatments})
    assert crit(c2, "classic").status == "not_met"


# ---- §2 Bristol --------------------------------------------------------------------------------

def test_bristol_criterion_1_not_met_and_criterion_2_unknown_is_indeterminate():
    c = bristol_case([les("tibia", "left", **TYPICAL_MRI)], crp=5, survey="whole_body_mri")
    s = statuses(c, "bristol_2016")
    assert (s["clinical"], s["radiological"], s["criterion_1"], s["criterion_2"]) == ("met", "met", "not_met", "unknown")
    assert crit(c, "bristol_2016").status == "indeterminate"


def test_bristol_criterion_1_unknown_and_criterion_2_not_met_is_indeterminate():
    c = bristol_case([les("tibia", "left", **TYPICAL_MRI)], crp=5, survey=None,
                     biopsies=[{"histology": "acute_osteomyelitis", "culture": "negative"}])
    s = statuses(c, "bristol_2016")
    assert (s["criterion_1"], s["criterion_2"]) == ("unknown", "not_met")
    assert crit(c, "bristol_2016").status == "indeterminate"


def test_bristol_both_criteria_not_met_is_not_met():
    c = bristol_case([les("tibia", "left", **TYPICAL_MRI)], crp=5, survey="bone_scan",
                     biopsies=[{"histology": "malignancy"}])
    assert crit(c, "bristol_2016").status == "not_met"


@pytest.mark.parametrize("crp, expected", [(29.9, "met"), (30, "not_met"), (31, "not_met")])
def test_bristol_criterion_1_crp_strictly_below_30(crp, expected):
    c = bristol_case([les("tibia", "left", **TYPICAL_MRI), les("femur", "right", **TYPICAL_MRI)], crp=crp)
    assert item(c, "bristol_2016", "criterion_1").status == expected


def test_bristol_crp_in_mg_dl_is_converted():
    c = bristol_case([les("tibia", "left", **TYPICAL_MRI), les("femur", "right", **TYPICAL_MRI)])
    c = c.model_copy(update={"labs": make(labs={"crp": lab(3.0, "mg/dL")}).labs})
    assert item(c, "bristol_2016", "criterion_1").status == "not_met"  # 30 mg/L


def test_bristol_clavicle_alone_without_survey_meets_criterion_1():
    c = bristol_case([les("clavicle", "right", **TYPICAL_MRI)], crp=5)
    assert item(c, "bristol_2016", "criterion_1").status == "met"
    assert crit(c, "bristol_2016").status == "met"


def test_bristol_criterion_1_unknown_without_crp_or_survey():
    two = bristol_case([les("tibia", "left"), les("femur", "left")])
    one = bristol_case([les("tibia", "left")], crp=5)
    assert item(two, "bristol_2016", "criterion_1").status == "unknown"
    assert item(one, "bristol_2016", "criterion_1").status == "unknown"


@pytest.mark.parametrize("biopsy, expected", [
    (GOOD_BIOPSY, "met"),
    ({**GOOD_BIOPSY, "on_antibiotics_at_biopsy": None}, "unknown"),
    ({**GOOD_BIOPSY, "on_antibiotics_at_biopsy": True}, "unknown"),
    ({**GOOD_BIOPSY, "histology": "normal_bone"}, "unknown"),
    ({**GOOD_BIOPSY, "histology": "nondiagnostic"}, "unknown"),
    ({**GOOD_BIOPSY, "culture": "positive"}, "not_met"),
    ({**GOOD_BIOPSY, "histology": "granulomatous"}, "not_met"),
])
def test_bristol_criterion_2(biopsy, expected):
    c = bristol_case([les("tibia", "left")], biopsies=[biopsy])
    assert item(c, "bristol_2016", "criterion_2").status == expected


@pytest.mark.parametrize("symptoms, expected", [
    ({"bone_pain": False, "warmth_erythema": None, "max_temperature_c": None}, "not_met"),
    ({"warmth_erythema": True}, "not_met"),
    ({"max_temperature_c": 38.0}, "not_met"),
    ({"max_temperature_c": None}, "unknown"),
    ({"warmth_erythema": None}, "unknown"),
])
def test_bristol_clinical(symptoms, expected):
    assert item(bristol_case([], **symptoms), "bristol_2016", "clinical").status == expected


def test_bristol_radiological_radiograph_needs_all_three_features():
    xr = {"modalities": ["radiograph"], "lytic": True, "sclerosis": True}
    assert item(bristol_case([les("tibia", "left", **xr, new_bone_formation=True)]), "bristol_2016", "radiological").status == "met"
    assert item(bristol_case([les("tibia", "left", **xr, new_bone_formation=False)]), "bristol_2016", "radiological").status == "not_met"
    assert item(bristol_case([les("tibia", "left", **xr)]), "bristol_2016", "radiological").status == "unknown"


def test_bristol_shows_crp_footnote_and_wording_caveat():
    notes = " ".join(crit(bristol_case([]), "bristol_2016").notes)
    assert "30 g/L" in notes and "unverified" in notes.lower()


# ---- §3 Jansson ---------------------------------------------------------------------------------

def jansson_case(crp, temp=37.0, lesions=None):
    lesions = lesions if lesions is not None else [
        les("tibia", "left", sclerosis=True), les("femur", "right", sclerosis=True)]
    return make(patient={"age_years": 10, "sex": "female"}, symptoms={"max_temperature_c": temp},
                labs={"wbc": lab(7, "10^9/L"), "hemoglobin": lab(125, "g/L"), "platelets": lab(300, "10^9/L"),
                      "crp": lab(crp, "mg/L")},
                imaging={"lesions": lesions})


def test_jansson_exactly_39_is_met():
    # blood count 13 + sclerosis 10 + temperature 9 + >1 lesion 7 = 39; not symmetric, no axial, CRP < 10
    r = crit(jansson_case(crp=9.9), "jansson_2009")
    assert (r.points_min, r.points_max, r.status) == (39, 39, "met")


def test_jansson_crp_10_adds_6_points_and_1_mg_dl_counts():
    assert crit(jansson_case(crp=10), "jansson_2009").points_min == 45
    c = jansson_case(crp=1)
    c = c.model_copy(update={"labs": c.labs.model_copy(update={"crp": make(labs={"crp": lab(1, "mg/dL")}).labs.crp})})
    assert item(c, "jansson_2009", "crp_at_least_1_mg_dl").status == "met"


def test_jansson_38_is_not_met_and_unknowns_give_indeterminate():
    r = crit(jansson_case(crp=9.9, temp=38.5, lesions=[les("tibia", "left", sclerosis=True), les("femur", "right", sclerosis=True)]), "jansson_2009")
    assert (r.points_max, r.status) == (30, "not_met")
    # temperature unknown: 30 + 9 = 39 reachable -> indeterminate
    c = jansson_case(crp=9.9)
    c = c.model_copy(update={"symptoms": make().symptoms})
    r = crit(c, "jansson_2009")
    assert (r.points_min, r.points_max, r.status) == (30, 39, "indeterminate")
    assert "symptoms.max_temperature_c" in r.missing


def test_jansson_has_no_lower_band_and_points_caveat():
    r = crit(jansson_case(crp=9.9, temp=39), "jansson_2009")
    notes = " ".join(r.notes).lower()
    assert r.status == "not_met" and "not diagnostic" in notes and "unverified" in notes


# ---- §4 NBODS ----------------------------------------------------------------------------------

def nbods(crp=None, bands=None, lesions=(), survey="whole_body_mri"):
    labs = {}
    if crp is not None:
        labs["crp"] = lab(crp, "mg/L")
    if bands is not None:
        labs["band_neutrophils"] = lab(bands, "cells/uL")
    return crit(make(labs=labs, imaging={"whole_body_survey": survey, "lesions": list(lesions)}), "nbods_2023")


def test_nbods_exactly_17_is_not_met():
    r = nbods(crp=80, bands=500, lesions=[les("femur", "left")])
    assert (r.points_min, r.points_max, r.status) == (17, 17, "not_met")


def test_nbods_inclusive_item_limits():
    assert {i.id: i.status for i in nbods(crp=55, bands=220).items}["crp_at_most_55"] == "met"
    assert {i.id: i.status for i in nbods(crp=55.1, bands=220).items}["crp_at_most_55"] == "not_met"
    assert {i.id: i.status for i in nbods(crp=55, bands=220).items}["bands_at_most_220"] == "met"
    assert {i.id: i.status for i in nbods(crp=55, bands=221).items}["bands_at_most_220"] == "not_met"


def test_nbods_status_with_unknowns():
    assert nbods().status == "indeterminate"
    assert nbods(crp=20, lesions=[les("tibia", "left")]).status == "met"  # 56 > 17 on its own
    # Rules v2 §4: the score compares bone lesions; with none recorded it decides nothing.
    no_lesion = nbods(crp=20)
    assert (no_lesion.points_min, no_lesion.status) == (56, "indeterminate")
    assert "record at least one" in no_lesion.notes[0] and "imaging.lesions" in no_lesion.missing


# ---- §5 EULAR/ACR 2025 --------------------------------------------------------------------------

def eular(patient=None, first=None, lesions=(les("tibia", "left", modalities=["mri"]),), **extra):
    return make(patient=patient or {"age_years": 11},
                symptoms={"first_symptom_date": first} if first else {},
                imaging={"lesions": list(lesions)}, **extra)


def test_eular_onset_settled_by_current_age_11():
    assert item(eular(), "eular_acr_2025", "onset_before_18").status == "met"
    assert item(eular(patient={"age_years": 18}), "eular_acr_2025", "onset_before_18").status == "unknown"


def test_eular_onset_boundary_18():
    dob = dob_for_age(20)
    at_18 = eular(patient={"date_of_birth": dob}, first=dob.replace(dob[:4], str(int(dob[:4]) + 18), 1))
    assert item(at_18, "eular_acr_2025", "onset_before_18").status == "not_met"
    assert crit(at_18, "eular_acr_2025").status == "not_met"


@pytest.mark.parametrize("first, expected", [("2026-10-09", "met"), ("2026-10-10", "not_met")])
def test_eular_six_weeks_is_inclusive(first, expected):  # 42 days met, 41 days not
    assert item(eular(first=first), "eular_acr_2025", "symptoms_6_weeks").status == expected


def test_eular_entry_unknown_is_indeterminate_but_entry_not_met_is_not_met():
    assert crit(eular(), "eular_acr_2025").status == "indeterminate"  # duration unknown
    assert crit(eular(first="2026-10-10"), "eular_acr_2025").status == "not_met"


def test_eular_lesion_only_on_bone_scan_fails_imaging_entry():
    c = eular(lesions=[les("tibia", "left", modalities=["bone_scan"])])
    assert item(c, "eular_acr_2025", "typical_imaging").status == "not_met"


@pytest.mark.parametrize("extra", [
    {"mimics": {"vitamin_c_deficiency": True}}, {"mimics": {"hypophosphatasia": True}},
    {"labs": {"blood_culture": "positive"}},
    {"treatments": [{"drug_class": "antibiotic", "response": "complete"}]},
    {"biopsies": [{"histology": "langerhans_cell_histiocytosis"}]},
])
def test_eular_any_exclusion_excludes(extra):
    assert crit(eular(first="2026-01-01", **extra), "eular_acr_2025").status == "not_met"


def test_eular_never_met_and_says_classification_not_diagnostic():
    c = eular(first="2026-01-01", mimics={"malignancy": False, "infection": False,
                                           "vitamin_c_deficiency": False, "hypophosphatasia": False})
    r = crit(c, "eular_acr_2025")
    assert r.kind == "classification" and r.status == "indeterminate"
    notes = " ".join(r.notes).lower()
    assert "not a diagnostic rule" in notes and "gives no points" in notes and "bundled" not in notes
    assert all(i.points is None for i in r.items)


def test_eular_onset_before_3_caveat():
    r = crit(eular(patient={"age_years": 2}), "eular_acr_2025")
    assert any("DIRA" in n for n in r.notes)
    assert not any("DIRA" in n for n in crit(eular(patient={"age_years": 3}), "eular_acr_2025").notes)


def test_bristol_clinical_missing_temperature_names_fever_pattern_too():
    c = make(symptoms={"bone_pain": True, "warmth_erythema": False})
    assert "symptoms.fever_pattern" in item(c, "bristol_2016", "clinical").missing
    assert "symptoms.max_temperature_c" in item(c, "bristol_2016", "clinical").missing
