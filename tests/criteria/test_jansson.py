from desktop_app.criteria.assess import assess
from tests.criteria.build import BASE, case, item, lab, lesion

FULL = {**BASE, "symptoms.max_temperature_c": 37.0, "labs.crp": lab(12),
        "imaging.lesions": [lesion("clavicle", "left", sclerosis=True), lesion("clavicle", "right", sclerosis=False)]}


def jansson(**paths):
    return assess(case(paths)).criteria["jansson_2009"]


def test_all_items_met_scores_63():
    j = jansson(**FULL)
    assert (j.points, j.points_min, j.points_max, j.status) == (63, 63, 63, "met")
    assert [i.points for i in j.items] == [13, 10, 10, 9, 8, 7, 6]


def test_crp_exactly_10_mg_l_is_met():
    assert item(case({"labs.crp": lab(10)}), "jansson_2009", "crp_at_least_1_mg_dl").status == "met"
    assert item(case({"labs.crp": lab(1.0, "mg/dL")}), "jansson_2009", "crp_at_least_1_mg_dl").status == "met"
    assert item(case({"labs.crp": lab(9.9)}), "jansson_2009", "crp_at_least_1_mg_dl").status == "not_met"


def test_unknowns_widen_the_range():
    j = jansson(**{**FULL, "labs.crp": None, "symptoms.max_temperature_c": None})
    assert (j.points, j.points_min, j.points_max, j.status) == (None, 48, 63, "met")
    j = jansson(**{**FULL, "labs.crp": None, "labs.platelets": None, "symptoms.max_temperature_c": None})
    assert (j.points_min, j.points_max, j.status) == (35, 63, "indeterminate")
    assert set(j.missing) == {"labs.crp", "labs.platelets", "symptoms.max_temperature_c", "symptoms.fever_pattern"}


def test_empty_case_ranges_over_the_whole_score():
    j = jansson()
    assert (j.points_min, j.points_max, j.status) == (0, 63, "indeterminate")


def test_max_below_39_is_not_met_and_not_diagnostic():
    j = jansson(**{**FULL, "symptoms.max_temperature_c": 38.0, "labs.crp": lab(3),
                   "imaging.lesions": [lesion("tibia", "left", sclerosis=False)],
                   "imaging.whole_body_survey": "whole_body_mri"})
    assert (j.points_min, j.points_max, j.status) == (13, 13, "not_met")
    assert any("not diagnostic" in n for n in j.notes)


def test_boundary_39_is_met():
    # 13 + 10 + 9 + 7 = 39: blood count, sclerosis, temperature, > 1 lesion
    j = jansson(**{**BASE, "symptoms.max_temperature_c": 37.0, "labs.crp": lab(3),
                   "imaging.lesions": [lesion("tibia", "left", sclerosis=True), lesion("femur", "left")]})
    assert (j.points, j.status) == (39, "met")


def test_temperature_and_default_range_caveats():
    notes = " ".join(jansson(**FULL).notes)
    assert "unverified" in notes and "38.0 °C" in notes and "default range" in notes
    assert "38.0 °C" not in " ".join(jansson(**{"symptoms.fever_pattern": "none"}).notes)


def test_lab_range_removes_default_range_note():
    j = jansson(**{**FULL, "labs.wbc": lab(7.0, "10^9/L", ref_low=4, ref_high=11)})
    assert not any(n.startswith("WBC read against") for n in j.notes)
    assert any(n.startswith("Haemoglobin read against a default range") for n in j.notes)
