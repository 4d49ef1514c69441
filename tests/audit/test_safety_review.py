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


def _eular(c, item_id):
    return item(c, "eular_acr_2025", item_id)


def test_eular_onset_unknown_at_19_does_not_claim_onset_not_later():
    i = _eular(case({"patient.age_years": 19}), "onset_before_18")
    assert i.status == "unknown"
    assert i.evidence == "age 19.0 y; onset age unknown (first symptom date not recorded)"
    i = _eular(case({"patient.age_years": 11}), "onset_before_18")
    assert i.status == "met" and "so onset before 18" in i.evidence


def test_eular_infection_exclusion_with_positive_culture_is_not_worded_not_assessed():
    i = _eular(case({"labs.blood_culture": "positive"}), "no_infection")
    assert (i.status, i.evidence) == ("not_met", "positive blood culture")
    assert _eular(case({}), "no_infection").evidence == "infection not assessed"


def test_eular_coexisting_conditions_not_recorded_is_not_none():
    ev = _eular(case({}), "domain_coexisting").evidence
    assert ev.startswith("not recorded")
    ev = _eular(case({"associated.psoriasis": False}), "domain_coexisting").evidence
    assert ev.startswith("none recorded as present; not recorded: palmoplantar pustulosis")
    all_no = {f"associated.{k}": False for k in ("palmoplantar_pustulosis", "psoriasis", "severe_acne",
                                                 "inflammatory_bowel_disease", "arthritis")}
    assert _eular(case(all_no), "domain_coexisting").evidence.startswith("none (")
    # A family history is not the patient's coexisting condition.
    fam = _eular(case({**all_no, "associated.family_history_autoinflammatory": True}), "domain_coexisting")
    assert "Family history" not in fam.evidence


def test_pattern_of_unknown_multifocality_says_unknown_not_not_recorded():
    c = case({"imaging.lesions": [lesion("tibia", "left")]})
    assert "multifocal unknown" in _eular(c, "domain_pattern").evidence
    assert _eular(case({}), "domain_pattern").evidence.startswith("no lesions recorded")
    assert item(case({}), "nbods_2023", "multifocal").evidence == "no lesions recorded"


def _plan(c):
    from desktop_app.plan.build import plan
    return plan(c, assess(c))


def test_plan_without_any_met_diagnostic_set_proposes_no_cno_treatment():
    # Rules v2 §8.0 (d): without a met diagnostic set the gate does not hold; the plan says why in words.
    p = _plan(case({}))
    nsaid = next(l for l in p.lines if l.id == "nsaid")
    assert p.mode == "workup" and nsaid.status == "not_proposed" and not nsaid.doses
    assert "No diagnostic criteria are met" in nsaid.reason


def test_ctp_whole_body_item_names_the_modality_in_words():
    wb = next(e for e in _plan(case({"imaging.whole_body_survey": "whole_body_mri"})).ctp_eligibility
              if e.id == "whole_body")
    assert (wb.status, wb.evidence) == ("met", "Whole-body MRI recorded")
    pet = next(e for e in _plan(case({"imaging.whole_body_survey": "pet_ct"})).ctp_eligibility
               if e.id == "whole_body")
    assert pet.status == "not_met" and "PET-CT" in pet.evidence and "whole-body MRI or bone scan" in pet.evidence


def test_high_crp_flag_carries_the_bristol_unit_footnote():
    flag = next(f for f in assess(case({"labs.crp": lab(35)})).red_flags if f.id == "high_crp")
    assert 'prints the cut-off as "30 g/L"; it is read here as 30 mg/L [wording unverified]' in flag.action


def test_no_citation_points_clinicians_at_the_internal_spec_file():
    from desktop_app.case.sources import SOURCES
    for s in SOURCES.values():
        assert "clinical-rules" not in s.citation and "clinical-rules" not in s.caveat, s.key
    assert SOURCES["louvigne2020"].citation == "Louvigné 2020 (full citation not included in the app)."
