"""Clinician-safety review: wording and caveats pinned against clinical-rules.md.

Each test fixes one sentence a clinician reads, where the earlier wording was wrong or silent.
"""
from __future__ import annotations

from desktop_app.criteria.assess import assess
from tests.criteria.build import BASE, case, item, lab, lesion

# One typical tibial lesion with sclerosis, normal count and temperature, CRP 12: 38 points without
# a survey — one short of 39, and a whole-body MRI could add symmetric (10) and > 1 lesion (7).
UNIFOCAL = {**BASE, "symptoms.max_temperature_c": 37.0, "labs.crp": lab(12),
            "imaging.lesions": [lesion("tibia", "left", sclerosis=True)]}


def test_jansson_not_met_without_survey_says_a_survey_could_change_it():
    j = assess(case(UNIFOCAL)).criteria["jansson_2009"]
    assert (j.points, j.status) == (38, "not_met")
    assert any("No whole-body survey recorded" in n and "up to 17 points" in n for n in j.notes)
    sym = next(i for i in j.items if i.id == "symmetric_lesions")
    more = next(i for i in j.items if i.id == "more_than_one_lesion")
    assert "silent lesions may be missed" in sym.evidence
    assert "silent lesions may be missed" in more.evidence


def test_jansson_with_survey_has_no_survey_caveat():
    j = assess(case({**UNIFOCAL, "imaging.whole_body_survey": "whole_body_mri"})).criteria["jansson_2009"]
    assert not any("whole-body" in n.lower() for n in j.notes)
    assert all("silent" not in i.evidence for i in j.items)


def test_jansson_lesion_count_without_lesions_says_not_recorded():
    assert item(case({}), "jansson_2009", "more_than_one_lesion").evidence == "no lesions recorded"
