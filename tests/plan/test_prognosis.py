"""Prognosis and follow-up (§9): facts with sources, tailored to the case."""
from __future__ import annotations

from desktop_app.plan.prognosis import follow_up, prognosis
from tests.plan.helpers import assessment, case


def texts(lines):
    return " | ".join(f"{l.text} [{l.source}]" for l in lines)


def test_general_facts_always_present_with_sources():
    t = texts(prognosis(case(), assessment()))
    for fact in ("typically 3–5", "70 % are symptom-free and 90 % off therapy. [Zanon 2011]",
                 "26 % still active at a median of 13 years. [Huber 2002]", "5–7 % after 4 years. [Reiser 2023]",
                 "spondyloarthropathy", "growth disturbance"):
        assert fact in t
    assert "kyphosis" not in t and "OR 1.94" not in t and "OR 6.86" not in t


def test_spinal_lesions_tailoring():
    c = case(lesions=[dict(bone="vertebra", level="T7", vertebral_collapse=True)])
    t = texts(prognosis(c, assessment()))
    assert "(T7): risk of vertebral collapse and kyphosis (collapse already recorded)" in t and "Falip 2013" in t
    assert "Spine imaging (MRI) follow-up: vertebral involvement (T7)" in texts(follow_up(c, assessment()))


def test_multifocal_and_symmetric_second_line_odds():
    t = texts(prognosis(case(), assessment(multifocal=True, bones=3, symmetric=True)))
    assert "3 bones affected" in t and "OR 1.94" in t and "OR 6.86" in t and "PubMed 39754119" in t


def test_growth_tailored_to_long_bones():
    t = texts(prognosis(case(lesions=[dict(bone="femur", side="left")]), assessment()))
    assert "(left femur): watch for growth disturbance and limb-length discrepancy" in t


def test_follow_up_schedule_and_specialists():
    c = case(associated=dict(palmoplantar_pustulosis=True, inflammatory_bowel_disease=True))
    t = texts(follow_up(c, assessment()))
    assert "Clinical review and MRI about 3 months after starting treatment. [Pediatr Rheumatol 2013;11:47]" in t
    assert "no whole-body survey is recorded yet" in t
    assert "palmoplantar pustulosis): dermatology" in t and "gastroenterology" in t
    c.imaging.whole_body_survey = "whole_body_mri"
    assert "no whole-body survey" not in texts(follow_up(c, assessment()))
