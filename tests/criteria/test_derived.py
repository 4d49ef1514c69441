import pytest

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess
from desktop_app.criteria.derived import count_bones, derive
from tests.criteria.build import case, lesion


def d(**paths):
    return assess(case(paths)).derived


def test_empty_case_is_all_unknown():
    der = assess(Case()).derived
    assert (der.sites, der.bones, der.multifocal, der.symmetric, der.clavicle_only) == (0, 0, None, None, None)
    assert der.age_years is None and der.temperature_normal is None and der.blood_count_normal is None


def test_symmetric_pair():
    der = d(**{"imaging.lesions": [lesion("femur", "left"), lesion("femur", "right")]})
    assert der.symmetric is True and der.bones == 2 and der.multifocal is True


def test_different_bones_on_opposite_sides_are_not_symmetric():
    der = d(**{"imaging.lesions": [lesion("femur", "left"), lesion("tibia", "right")]})
    assert der.symmetric is False


def test_mandible_sides_are_not_a_symmetric_pair():
    assert d(**{"imaging.lesions": [lesion("mandible", "left"), lesion("mandible", "right")]}).symmetric is False


def test_vertebral_levels_are_separate_bones():
    der = d(**{"imaging.lesions": [lesion("vertebra", level="T7"), lesion("vertebra", level="t8"),
                                   lesion("vertebra", level="T7")]})
    assert (der.sites, der.bones, der.multifocal) == (3, 2, True)


def test_unsided_paired_lesion_is_not_counted_twice():
    les = Case.model_validate({"imaging": {"lesions": [lesion("tibia", "left"), lesion("tibia")]}}).imaging.lesions
    assert count_bones(les) == 1
    der = d(**{"imaging.lesions": [lesion("tibia", "left"), lesion("tibia")]})
    assert any("Side not recorded" in n for n in der.notes)


@pytest.mark.parametrize("survey,expected", [("whole_body_mri", False), ("bone_scan", False), ("none", None), (None, None)])
def test_single_bone_is_unifocal_only_after_a_survey(survey, expected):
    der = d(**{"imaging.lesions": [lesion("tibia", "left")], "imaging.whole_body_survey": survey})
    assert der.multifocal is expected
    assert any("silent lesions" in n for n in der.notes) is (expected is None)


@pytest.mark.parametrize("temp,pattern,expected", [(37.9, None, True), (38.0, None, False), (39, "none", False),
                                                    (37.0, "persistent", False), (37.9, "episodic", False), (None, "none", True),  # v3 §0
                                                    (None, "episodic", False), (None, None, None)])
def test_temperature_normal(temp, pattern, expected):
    assert d(**{"symptoms.max_temperature_c": temp, "symptoms.fever_pattern": pattern}).temperature_normal is expected


def test_clavicle_only():
    assert d(**{"imaging.lesions": [lesion("clavicle", "left"), lesion("clavicle", "right")]}).clavicle_only is True
    assert d(**{"imaging.lesions": [lesion("clavicle", "left"), lesion("rib", "right")]}).clavicle_only is False


@pytest.mark.parametrize("mods,feats,expected", [
    (["radiograph"], dict(lytic=True, sclerosis=True, new_bone_formation=True), True),
    (["radiograph"], dict(lytic=True, sclerosis=False, new_bone_formation=True), False),
    (["radiograph"], dict(lytic=True, new_bone_formation=True), None),
    (["mri"], dict(marrow_edema=True), True),
    (["ct"], dict(marrow_edema=True), None),  # rules v2 §0: seen only on CT → unknown
    (["bone_scan", "pet_ct"], dict(lytic=False), None),
    (["ct", "radiograph"], dict(lytic=False), False),  # the radiograph settles it
    ([], dict(marrow_edema=True), None),  # how it was seen is not recorded
])
def test_typical_imaging(mods, feats, expected):
    assert d(**{"imaging.lesions": [lesion("tibia", "left", modalities=mods, **feats)]}).typical_imaging is expected


def test_ages_and_duration_from_dates():
    der = d(**{"patient.date_of_birth": "2015-04-02", "symptoms.first_symptom_date": "2026-03-10"})
    assert (der.age_years, der.onset_age_years, der.symptom_weeks) == (11.6, 10.9, 36.4)  # 255 days


def test_onset_settled_by_current_age():
    f = derive(case({"patient.age_years": 11}))
    assert f.onset_age is None
    assert f.onset_below(18) is True and f.onset_below(3) is None
    assert derive(case({"patient.age_years": 20})).onset_below(18) is None


def test_blood_count_normal():
    base = {"patient.age_years": 10, "labs.wbc": {"value": 7, "unit": "10^9/L"},
            "labs.hemoglobin": {"value": 12.5, "unit": "g/dL"}}
    assert d(**base).blood_count_normal is None  # platelets missing
    assert d(**base, **{"labs.platelets": {"value": 300, "unit": "10^9/L"}}).blood_count_normal is True
    assert d(**base, **{"labs.platelets": {"value": 500, "unit": "10^9/L"}}).blood_count_normal is False
    # one value out of range settles it even with another missing
    assert d(**{"patient.age_years": 10, "labs.wbc": {"value": 2, "unit": "10^9/L"}}).blood_count_normal is False


SURVEYED = {"imaging.whole_body_survey": "whole_body_mri"}


@pytest.mark.parametrize("lesions,bones,multifocal,symmetric", [
    ([lesion("tibia", "left"), lesion("tibia")], 1, None, None),  # may be the right tibia
    ([lesion("tibia"), lesion("tibia")], 1, None, None),  # may be left and right
    ([lesion("tibia", "left"), lesion("tibia", "right"), lesion("tibia")], 2, True, True),
    ([lesion("tibia", "left"), lesion("tibia", "left")], 1, False, False),
    ([lesion("vertebra", level="T7"), lesion("vertebra")], 1, None, False),  # may be T7 or another level
    ([lesion("vertebra"), lesion("vertebra")], 1, None, False),
    ([lesion("vertebra", level="T7"), lesion("vertebra"), lesion("femur", "left")], 2, True, False),  # ≥ 2 anyway
    ([lesion("sternum"), lesion("sternum")], 1, False, False),  # an unpaired bone is one bone
])
def test_missing_side_or_level_is_neither_same_nor_different(lesions, bones, multifocal, symmetric):
    der = d(**{**SURVEYED, "imaging.lesions": lesions})
    assert (der.bones, der.multifocal, der.symmetric) == (bones, multifocal, symmetric)


def test_items_name_the_side_or_level_that_would_settle_them():
    a = assess(case({**SURVEYED, "imaging.lesions": [lesion("tibia", "left"), lesion("tibia")],
                     "labs.crp": {"value": 5, "unit": "mg/L"}}))
    items = {(r.id, i.id): i for r in a.criteria.values() for i in r.items}
    for key in [("classic", "multiple_sites"), ("nbods_2023", "multifocal"), ("bristol_2016", "criterion_1"),
                ("jansson_2009", "symmetric_lesions")]:
        assert items[key].status == "unknown" and "imaging.lesions[1].side" in items[key].missing, key
    assert "may be 2 or more bones" in items[("classic", "multiple_sites")].evidence
    assert "imaging.whole_body_survey" not in items[("classic", "multiple_sites")].missing  # survey done
    vert = assess(case({**SURVEYED, "imaging.lesions": [lesion("vertebra", level="T7"), lesion("vertebra")]}))
    assert "imaging.lesions[1].level" in next(i for i in vert.criteria["classic"].items
                                               if i.id == "multiple_sites").missing
