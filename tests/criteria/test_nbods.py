import pytest

from desktop_app.criteria.assess import assess
from tests.criteria.build import case, item, lab, lesion


@pytest.mark.parametrize("crp,expected", [(lab(55), "met"), (lab(5.5, "mg/dL"), "met"), (lab(55.1), "not_met")])
def test_crp_at_most_55_boundary(crp, expected):
    it = item(case({"labs.crp": crp}), "nbods_2023", "crp_at_most_55")
    assert it.status == expected and it.points == 56


@pytest.mark.parametrize("bands,expected", [(220, "met"), (221, "not_met")])
def test_bands_boundary(bands, expected):
    assert item(case({"labs.band_neutrophils": lab(bands, "cells/uL")}), "nbods_2023", "bands_at_most_220").status == expected


def test_threshold_is_strictly_above_17():
    only_femur = case({"imaging.lesions": [lesion("femur", "right")], "imaging.whole_body_survey": "bone_scan",
                       "labs.crp": lab(120), "labs.band_neutrophils": lab(600, "cells/uL")})
    n = assess(only_femur).criteria["nbods_2023"]
    assert (n.points, n.status, n.threshold) == (17, "not_met", 17)


def test_unknown_multifocality_widens_range():
    n = assess(case({"imaging.lesions": [lesion("tibia", "left")], "labs.crp": lab(12)})).criteria["nbods_2023"]
    assert (n.points_min, n.points_max, n.status) == (56, 98, "met") and n.missing == []
    n = assess(case({"imaging.lesions": [lesion("tibia", "left")], "labs.crp": lab(80)})).criteria["nbods_2023"]
    assert (n.points_min, n.points_max, n.status) == (0, 42, "indeterminate")
    assert n.missing == ["imaging.whole_body_survey", "labs.band_neutrophils"]
