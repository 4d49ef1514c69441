import pytest

from desktop_app.criteria.assess import assess
from tests.criteria.build import case, item, lab, lesion

TWO_BONES = {"imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True),
                                 lesion("femur", "right", modalities=["mri"], marrow_edema=True)],
             "imaging.whole_body_survey": "whole_body_mri"}
CLINICAL = {"symptoms.bone_pain": True, "symptoms.warmth_erythema": False, "symptoms.max_temperature_c": 37.0}
GOOD_BIOPSY = {"histology": "chronic_inflammation", "culture": "negative", "on_antibiotics_at_biopsy": False}


def c1(crp, **extra):
    return item(case({**TWO_BONES, "labs.crp": crp, **extra}), "bristol_2016", "criterion_1")


def test_crp_exactly_30_does_not_meet_criterion_1():
    it = c1(lab(30))
    assert it.status == "not_met" and it.evidence == "2 bone(s); CRP 30 mg/L ≥ 30 mg/L"


def test_crp_just_below_30_meets_criterion_1():
    assert c1(lab(29.9)).status == "met"


def test_crp_in_mg_dl_is_converted():
    it = c1(lab(3.2, "mg/dL"))
    assert it.status == "not_met" and "CRP 32 mg/L (3.2 mg/dL) ≥ 30 mg/L" in it.evidence
    assert c1(lab(2.9, "mg/dL")).status == "met"


def test_criterion_1_unknowns():
    it = c1(None)
    assert it.status == "unknown" and it.missing == ["labs.crp"]
    one_no_survey = case({"imaging.lesions": [lesion("tibia", "left")], "labs.crp": lab(5)})
    it = item(one_no_survey, "bristol_2016", "criterion_1")
    assert it.status == "unknown" and it.missing == ["imaging.whole_body_survey"]


def test_clavicle_alone_counts_for_criterion_1():
    c = case({"imaging.lesions": [lesion("clavicle", "right")], "labs.crp": lab(5)})
    assert item(c, "bristol_2016", "criterion_1").status == "met"
    c = case({"imaging.lesions": [lesion("tibia", "right")], "imaging.whole_body_survey": "bone_scan",
              "labs.crp": lab(5)})
    assert item(c, "bristol_2016", "criterion_1").status == "not_met"


@pytest.mark.parametrize("biopsy,expected", [
    (GOOD_BIOPSY, "met"),
    ({**GOOD_BIOPSY, "on_antibiotics_at_biopsy": True}, "unknown"),
    ({**GOOD_BIOPSY, "on_antibiotics_at_biopsy": None}, "unknown"),
    ({**GOOD_BIOPSY, "histology": "normal_bone"}, "unknown"),
    ({**GOOD_BIOPSY, "histology": "nondiagnostic"}, "unknown"),
    ({**GOOD_BIOPSY, "histology": "malignancy"}, "not_met"),
    ({**GOOD_BIOPSY, "culture": "positive"}, "not_met"),
])
def test_criterion_2(biopsy, expected):
    assert item(case({"biopsies": [biopsy]}), "bristol_2016", "criterion_2").status == expected


@pytest.mark.parametrize("changes,expected", [
    ({}, "met"),
    ({"symptoms.bone_pain": False}, "not_met"),
    ({"symptoms.warmth_erythema": True}, "not_met"),
    ({"symptoms.max_temperature_c": 38.0}, "not_met"),
    ({"symptoms.max_temperature_c": None}, "unknown"),
    ({"symptoms.warmth_erythema": None}, "unknown"),
])
def test_clinical_item(changes, expected):
    assert item(case({**CLINICAL, **changes}), "bristol_2016", "clinical").status == expected


def test_radiological_not_met_only_when_typical_features_recorded_absent():
    absent = lesion("tibia", "left", modalities=["radiograph", "mri"], lytic=False, marrow_edema=False)
    assert item(case({"imaging.lesions": [absent]}), "bristol_2016", "radiological").status == "not_met"
    partly = lesion("tibia", "left", modalities=["radiograph", "mri"], lytic=True, marrow_edema=False)
    assert item(case({"imaging.lesions": [partly]}), "bristol_2016", "radiological").status == "unknown"
    assert item(case(), "bristol_2016", "radiological").status == "unknown"


def test_set_status_and_missing():
    met_via_1 = assess(case({**TWO_BONES, **CLINICAL, "labs.crp": lab(8)})).criteria["bristol_2016"]
    assert met_via_1.status == "met" and met_via_1.missing == []
    via_2 = assess(case({**TWO_BONES, **CLINICAL, "labs.crp": lab(40)})).criteria["bristol_2016"]
    assert via_2.status == "indeterminate" and via_2.missing == ["biopsies"]
    met_via_2 = assess(case({**TWO_BONES, **CLINICAL, "labs.crp": lab(40), "biopsies": [GOOD_BIOPSY]}))
    assert met_via_2.criteria["bristol_2016"].status == "met"
    warm = assess(case({**TWO_BONES, **CLINICAL, "symptoms.warmth_erythema": True, "labs.crp": lab(8)}))
    assert warm.criteria["bristol_2016"].status == "not_met"


def test_notes_carry_the_caveats():
    notes = " ".join(assess(case()).criteria["bristol_2016"].notes)
    assert "[wording unverified]" in notes and '"30 g/L"' in notes and "30 mg/L" in notes
