import pytest

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess
from desktop_app.criteria.red_flags import RULES
from tests.criteria.build import case, lab, lesion


def flags(**paths):
    return {f.id: f for f in assess(case(paths)).red_flags}


def test_empty_case_raises_no_flags():
    assert assess(Case()).red_flags == []


def test_every_rule_has_action_and_source():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == 20  # v2 adds anaemia and scurvy_risk; v3 four more (§6)
    assert all(r.label and r.action and r.source for r in RULES)


@pytest.mark.parametrize("paths,flag_id,evidence", [
    ({"labs.peripheral_smear_blasts": True}, "blasts", "blasts"),
    ({"labs.wbc": lab(3.9, "10^9/L")}, "cytopenia", "WBC 3.9 ×10⁹/L < 4.0"),
    ({"labs.neutrophils": lab(1.9, "10^9/L")}, "cytopenia", "Neutrophils 1.9 ×10⁹/L < 2.0"),
    ({"labs.platelets": lab(99, "10^3/uL")}, "cytopenia", "Platelets 99 ×10⁹/L < 100"),
    ({"labs.wbc": lab(3.1, "10^9/L"), "labs.platelets": lab(150, "10^9/L"), "symptoms.night_pain": True},
     "leukaemia_triad", "night pain"),
    ({"labs.ldh": lab(900, "U/L", ref_high=300)}, "raised_ldh", "LDH 900 U/L > laboratory upper limit 300 U/L"),
    ({"symptoms.max_temperature_c": 38.0}, "fever", "38 °C ≥ 38.0 °C"),
    ({"symptoms.fever_pattern": "persistent", "symptoms.max_temperature_c": 37.2}, "fever", "persistent"),
    ({"labs.crp": lab(3.0, "mg/dL")}, "high_crp", "CRP 30 mg/L (3 mg/dL) ≥ 30 mg/L"),
    ({"symptoms.warmth_erythema": True}, "local_inflammation", "warmth"),
    ({"imaging.lesions": [lesion("femur", "left", cortical_destruction=True)]}, "aggressive_imaging",
     "Left femur: cortical destruction"),
    ({"imaging.lesions": [lesion("tibia", "left")]}, "unifocal_non_clavicle", "single bone (Left tibia); no whole-body survey"),
    ({"symptoms.lymphadenopathy": True}, "systemic_features", "lymphadenopathy"),
    ({"patient.age_years": 2.5}, "young_onset", "age 2.5 y < 3 y"),
    ({"biopsies": [{"culture": "positive"}]}, "positive_culture", "bone culture positive"),
    ({"biopsies": [{"histology": "malignancy"}]}, "alternative_histology", "Malignancy"),
    ({"biopsies": [{"culture": "negative", "on_antibiotics_at_biopsy": True}]}, "culture_on_antibiotics", "on antibiotics"),
])
def test_flag_raised_with_evidence(paths, flag_id, evidence):
    got = flags(**paths)
    assert flag_id in got and evidence in got[flag_id].evidence


@pytest.mark.parametrize("paths,flag_id", [
    ({"labs.wbc": lab(4.0, "10^9/L")}, "cytopenia"),
    ({"labs.wbc": lab(3.1, "10^9/L"), "labs.platelets": lab(251, "10^9/L"), "symptoms.night_pain": True}, "leukaemia_triad"),
    ({"labs.wbc": lab(3.1, "10^9/L"), "labs.platelets": lab(200, "10^9/L")}, "leukaemia_triad"),  # night pain unknown
    ({"labs.ldh": lab(900, "U/L")}, "raised_ldh"),  # no lab range: not shown by the data
    ({"symptoms.max_temperature_c": 37.9}, "fever"),
    ({"labs.crp": lab(29.9)}, "high_crp"),
    ({"imaging.lesions": [lesion("clavicle", "left")]}, "unifocal_non_clavicle"),
    ({"patient.age_years": 3}, "young_onset"),
    ({"patient.date_of_birth": "2020-01-01", "symptoms.first_symptom_date": "2023-06-01"}, "young_onset"),
])
def test_flag_not_raised(paths, flag_id):
    assert flag_id not in flags(**paths)


def test_onset_date_raises_young_onset():
    got = flags(**{"patient.date_of_birth": "2020-01-01", "symptoms.first_symptom_date": "2022-06-01"})
    assert got["young_onset"].evidence == "onset at 2.4 y < 3 y"


def test_high_crp_mentions_nbods_above_55():
    assert "> 55" in flags(**{"labs.crp": lab(60)})["high_crp"].evidence
    assert "> 55" not in flags(**{"labs.crp": lab(55)})["high_crp"].evidence


def test_next_steps():
    steps = assess(case({"labs.crp": lab(40), "imaging.whole_body_survey": "whole_body_mri",
                         "symptoms.bone_pain": True,
                         "imaging.lesions": [lesion("tibia", "left"), lesion("femur", "right")]})).next_steps
    assert not any(s.startswith("Whole-body MRI") for s in steps)
    assert "Full blood count with film: WBC, Haemoglobin, Platelets, blood film (blasts) not recorded" in steps
    assert "CRP and ESR: ESR not recorded" in steps
    assert any(s.startswith("Bone biopsy") for s in steps)
    empty = assess(Case()).next_steps
    assert empty[0].startswith("Full blood count with film")
    assert any(s.startswith("Whole-body MRI") and "47 of 162" in s for s in empty)
    assert not any(s.startswith("Bone biopsy") for s in empty)


def test_ldh_without_the_labs_upper_limit_asks_for_it():
    a = assess(case({"labs.ldh": {"value": 900, "unit": "U/L"}}))
    assert "raised_ldh" not in {f.id for f in a.red_flags}
    assert ("LDH recorded without the lab's upper reference limit: enter it to check for a raised LDH "
            "(malignancy work-up)") in a.next_steps
    judged = assess(case({"labs.ldh": {"value": 900, "unit": "U/L", "ref_high": 300}}))
    assert "raised_ldh" in {f.id for f in judged.red_flags}
    assert not any(s.startswith("LDH recorded") for s in judged.next_steps)
