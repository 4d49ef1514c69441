import pytest

from desktop_app.criteria.assess import assess
from tests.criteria.build import case, item, lesion

GOOD_BX = {"histology": "chronic_inflammation", "culture": "negative"}


@pytest.mark.parametrize("paths,expected", [
    ({"biopsies": [GOOD_BX]}, "met"),
    ({"biopsies": [{"histology": "normal_bone", "culture": "negative"}]}, "met"),
    ({"biopsies": [GOOD_BX], "labs.blood_culture": "positive"}, "not_met"),
    ({"biopsies": [{"histology": "granulomatous", "culture": "negative"}]}, "not_met"),
    ({"biopsies": [{"histology": "chronic_inflammation", "culture": "not_done"}]}, "unknown"),
    ({"biopsies": [{"histology": "nondiagnostic", "culture": "negative"}]}, "unknown"),
    ({}, "unknown"),
])
def test_classic_pathology(paths, expected):
    assert item(case(paths), "classic", "pathology_cultures_negative").status == expected


@pytest.mark.parametrize("responses,expected", [(["none"], "met"), (["complete"], "not_met"),
                                                (["partial"], "unknown"), ([None], "unknown"), ([], "unknown"),
                                                (["none", "complete"], "not_met")])
def test_classic_antibiotic_response(responses, expected):
    tx = [{"drug": "cefalexin", "drug_class": "antibiotic", "response": r} for r in responses]
    assert item(case({"treatments": tx}), "classic", "no_antibiotic_response").status == expected


def test_classic_met_with_all_three():
    c = case({"imaging.lesions": [lesion("tibia", "left"), lesion("clavicle", "right")], "biopsies": [GOOD_BX],
              "treatments": [{"drug_class": "antibiotic", "response": "none"}]})
    assert assess(c).criteria["classic"].status == "met"


ENTRY = {"patient.date_of_birth": "2015-01-01", "symptoms.first_symptom_date": "2026-09-01",
         "imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True)]}


def eular(**paths):
    return assess(case(paths)).criteria["eular_acr_2025"]


def test_eular_is_indeterminate_at_best_and_says_why():
    e = eular(**ENTRY)
    assert e.status == "indeterminate" and e.kind == "classification"
    assert any("not a diagnostic rule" in n for n in e.notes)
    assert any("the point table is not verified, so the app gives no points" in n for n in e.notes)
    domains = [i for i in e.items if i.id.startswith("domain_")]
    assert len(domains) == 9 and all(i.points is None for i in domains)
    assert next(i for i in domains if i.id == "domain_site").evidence.startswith("Left tibia")


@pytest.mark.parametrize("changes", [
    {"symptoms.first_symptom_date": "2026-10-20"},  # 4.3 weeks
    {"patient.date_of_birth": "2005-01-01"},  # onset at 21
    {"imaging.lesions": [lesion("tibia", "left", modalities=["bone_scan"])]},
    {"mimics.hypophosphatasia": True},
    {"mimics.vitamin_c_deficiency": True},
    {"labs.blood_culture": "positive"},
    {"biopsies": [{"histology": "langerhans_cell_histiocytosis"}]},
    {"treatments": [{"drug_class": "antibiotic", "response": "complete"}]},
])
def test_eular_entry_failures_and_exclusions(changes):
    assert eular(**{**ENTRY, **changes}).status == "not_met"


def test_eular_six_weeks_boundary_and_onset_rule():
    assert eular(**{**ENTRY, "symptoms.first_symptom_date": "2026-10-09"}).status == "indeterminate"  # 6.0 weeks
    # no dates of birth or onset, but the child is 11 now: onset was before 18
    it = item(case({"patient.age_years": 11}), "eular_acr_2025", "onset_before_18")
    assert it.status == "met"


def test_eular_young_onset_caveat():
    e = eular(**{**ENTRY, "patient.date_of_birth": "2024-06-01", "symptoms.first_symptom_date": "2026-01-01"})
    assert any("DIRA" in n for n in e.notes)
    assert not any("DIRA" in n for n in eular(**ENTRY).notes)
