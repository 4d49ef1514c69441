"""ICD-10-CM suggestion rules (clinical-rules.md §10)."""
from __future__ import annotations

from desktop_app.case.models import Lesion
from desktop_app.report.icd10 import suggest_icd10


def codes(*lesions: Lesion) -> list[str]:
    return [c.code for c in suggest_icd10(lesions)]


def test_single_site_with_laterality():
    assert codes(Lesion(bone="clavicle", side="right")) == ["M86.311"]
    assert codes(Lesion(bone="femur", side="left")) == ["M86.352"]
    assert codes(Lesion(bone="calcaneus", side="left")) == ["M86.372"]


def test_missing_or_midline_side_is_unspecified_laterality():
    assert codes(Lesion(bone="tibia")) == ["M86.369"]
    assert codes(Lesion(bone="humerus", side="midline")) == ["M86.329"]


def test_other_site_has_no_laterality():
    assert codes(Lesion(bone="pelvis", side="left")) == ["M86.38"]
    assert codes(Lesion(bone="sternum")) == ["M86.38"]


def test_two_lesions_in_same_site_and_side_is_one_site():
    assert codes(Lesion(bone="tibia", side="left"), Lesion(bone="fibula", side="left")) == ["M86.362"]


def test_two_or_more_sites_is_m86_39():
    assert codes(Lesion(bone="clavicle", side="right"), Lesion(bone="tibia", side="left")) == ["M86.39"]
    # the same bone on both sides is two sites
    assert codes(Lesion(bone="femur", side="right"), Lesion(bone="femur", side="left")) == ["M86.39"]


def test_vertebral_lesion_adds_m46_2_with_levels():
    result = suggest_icd10([Lesion(bone="vertebra", level="t7"), Lesion(bone="clavicle", side="left")])
    assert [c.code for c in result] == ["M86.39", "M46.2-"]
    assert "T7" in result[1].note


def test_vertebra_only():
    assert codes(Lesion(bone="vertebra", level="L2")) == ["M86.38", "M46.2-"]


def test_no_lesions_is_unspecified_site():
    assert codes() == ["M86.30"]


def test_why_counts_code_sites_and_lesions_not_bones():
    """§10 "two or more sites": the site of the code (5th character with its side), named in words."""
    (multi,) = suggest_icd10([Lesion(bone="clavicle", side="right"), Lesion(bone="tibia", side="left"),
                              Lesion(bone="fibula", side="left")])
    assert multi.code == "M86.39"
    assert multi.note == ("3 lesions in 2 code sites (shoulder, right; lower leg, left): two or more sites")
    (one,) = suggest_icd10([Lesion(bone="tibia", side="left"), Lesion(bone="fibula", side="left")])
    assert one.code == "M86.362" and one.note == "2 lesions, all in one code site (lower leg, left)"


def test_report_icd10_is_the_plan_layer_function():
    from desktop_app.plan import codes
    from desktop_app.report import icd10

    assert icd10.suggest_icd10 is codes.suggest_icd10
