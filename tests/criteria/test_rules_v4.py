"""Rules version 4 in the diagnosis (clinical-rules.md §6 v4, §13.1 dated exclusions, §13.7 items 13, 17)."""
import pytest

from desktop_app.course.timeline import case_as_of
from desktop_app.criteria.assess import assess
from desktop_app.criteria.next_steps import BIOPSY_STEP, VITAMIN_C
from desktop_app.criteria.red_flags import VISIT_ONLY
from desktop_app.criteria.summary import differential
from tests.criteria.build import case, lab, lesion
from tests.criteria.test_rules_v2 import CNO, flag, run

TB = "tuberculosis too: interferon-γ release assay or tuberculin skin test, chest radiograph"
BIOPSY_WORDS = "histology, and bacterial and mycobacterial culture"


def visit(vid, date, **kw):
    return {"id": vid, "date": date, **kw}


def status(a, c, mimic="Malignancy"):
    return next(r.status for r in differential(c, a) if r.mimic == mimic)


# ---- §6 v4: tuberculosis in the fever flag's action --------------------------------------------------

@pytest.mark.parametrize("extra, with_tb", [
    ({"symptoms.fever_pattern": "persistent"}, True),
    ({"symptoms.max_temperature_c": 38.5, "symptoms.weight_loss": True}, True),
    ({"symptoms.max_temperature_c": 38.5, "symptoms.lymphadenopathy": True}, True),
    ({"symptoms.max_temperature_c": 38.5, "symptoms.fever_pattern": "episodic"}, False),
])
def test_the_fever_flag_adds_tuberculosis_with_a_persistent_fever_weight_loss_or_lymph_nodes(extra, with_tb):
    a = run(**extra)
    fever = flag(a, "fever")
    assert fever is not None and fever.action.startswith("Exclude infection and malignancy: blood culture, blood film")
    assert (TB in fever.action) is with_tb
    assert any(TB in s for s in a.next_steps) is with_tb


# ---- §6 v4: every bone biopsy names the mycobacterial culture -----------------------------------------

def test_every_bone_biopsy_of_the_work_up_names_histology_and_both_cultures():
    a = run(**{"imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True,
                                          cortical_destruction=True)]})
    assert BIOPSY_WORDS in flag(a, "aggressive_imaging").action
    assert BIOPSY_WORDS in flag(a, "unifocal_non_clavicle").action
    assert BIOPSY_STEP == f"Bone biopsy ({BIOPSY_WORDS}; off antibiotics)"
    assert any(s.startswith(BIOPSY_STEP) for s in a.next_steps)
    collapse = run(**{"imaging.lesions": [lesion("vertebra", level="T7", vertebral_collapse=True)]})
    assert BIOPSY_WORDS in flag(collapse, "vertebral_collapse").action


# ---- §13.7 item 13: a positive mycobacterial culture ---------------------------------------------------

@pytest.mark.parametrize("culture, raised", [("positive", True), ("negative", False), ("not_done", False)])
def test_a_positive_mycobacterial_culture_is_infection_tuberculosis(culture, raised):
    c = case({**CNO, "biopsies": [{"date": "2026-11-10", "histology": "chronic_inflammation", "culture": "negative",
                                   "on_antibiotics_at_biopsy": False, "mycobacterial_culture": culture}]})
    a = assess(c)
    f = flag(a, "positive_culture")
    assert (f is not None) is raised
    if raised:
        assert f.tier == "urgent" and f.points_to == ["infection"]
        assert f.evidence == "mycobacterial culture positive (biopsy 1): tuberculosis"
        assert "tuberculosis" in f.action
        assert a.mode == "alternative_diagnosis" and status(a, c, "Infection") == "confirmed by culture"
    else:
        assert a.mode == "cno"


# ---- §6 step 6 v4: vitamin C under 18 only, never at a visit ----------------------------------------

SYMMETRIC = {"imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True),
                                 lesion("tibia", "right", modalities=["mri"], marrow_edema=True)]}


@pytest.mark.parametrize("age, asked", [(17.99, True), (18, False), (None, True)])
def test_vitamin_c_is_asked_for_under_18_and_with_the_age_unknown(age, asked):
    a = run(**{**SYMMETRIC, "patient.age_years": age})
    assert (VITAMIN_C in a.next_steps) is asked


def test_vitamin_c_is_never_in_a_visits_work_up_but_stays_at_the_first_consultation():
    c = case({**CNO, **SYMMETRIC, "visits": [visit("V1", "2027-01-10", measures={"pain": 3})]})
    assert VITAMIN_C not in assess(c).next_steps
    assert VITAMIN_C in assess(case_as_of(c, None)).next_steps
    risk = assess(case({**CNO, **SYMMETRIC, "patient.age_years": 30, "associated.restricted_diet": True}))
    assert flag(risk, "scurvy_risk") is not None  # the flag still applies at any age


# ---- §13.1 v4: dated exclusions ------------------------------------------------------------------------

ANAEMIC = {**CNO, "labs.hemoglobin": lab(100, "g/L")}  # anaemia at the first consultation (limit 115)


def test_an_exclusion_recorded_at_a_visit_addresses_a_first_consultation_flag_as_of_now():
    before = assess(case(ANAEMIC))
    assert not flag(before, "anaemia").addressed and before.mode == "workup"
    c = case({**ANAEMIC, "visits": [visit("V1", "2027-01-10", mimics={"malignancy": False})]})
    a = assess(c)
    an = flag(a, "anaemia")
    assert an.addressed and an.addressed_by == "malignancy recorded as excluded"
    assert a.mode == "cno" and status(a, c) == "excluded"
    # The first consultation's own note does not see the later exclusion.
    assert not flag(assess(case_as_of(c, None)), "anaemia").addressed


def test_the_latest_recorded_status_wins_confirmed_then_excluded_and_excluded_then_confirmed():
    c = case({**CNO, "mimics.malignancy": False, "visits": [visit("V1", "2027-01-10", mimics={"malignancy": True})]})
    a = assess(c)
    assert a.mode == "alternative_diagnosis" and status(a, c) == "confirmed"
    c2 = case({**CNO, "mimics.malignancy": True, "visits": [visit("V1", "2027-01-10", mimics={"malignancy": False})]})
    assert assess(c2).mode == "cno"


NEW_AGGRESSIVE = {**CNO, "mimics.malignancy": False, "mimics.infection": False,
                  "imaging.lesions": [*CNO["imaging.lesions"],
                                      lesion("humerus", "left", id="L3", modalities=["mri"], marrow_edema=True,
                                             cortical_destruction=True, soft_tissue_mass=True)]}


@pytest.mark.parametrize("where", ["before the finding", "at the same visit", "at a later visit"])
def test_a_lesion_new_at_a_visit_raises_its_flag_for_the_record_without_holding_the_gate(where):
    exclusion = {"malignancy": False, "infection": False}
    visits = [visit("V1", "2027-01-10", measures={"pain": 2}), visit("V2", "2027-03-10", lesion_status={"L3": "new"}),
              visit("V3", "2027-05-10", measures={"pain": 1})]
    at = {"before the finding": 0, "at the same visit": 1, "at a later visit": 2}[where]
    visits[at]["mimics"] = exclusion
    c = case({**NEW_AGGRESSIVE, "visits": visits})
    a = assess(c)
    f = flag(a, "aggressive_imaging")
    assert f is not None and f.evidence == "Left humerus: cortical destruction, soft-tissue mass"
    assert f.addressed and f.addressed_by == VISIT_ONLY
    assert a.mode == "cno" and not any("not yet excluded" in r for r in a.gate_reasons)
    # As of V1 the lesion was not known: no flag at all.
    assert flag(assess(case_as_of(c, "V1")), "aggressive_imaging") is None


def test_a_flag_of_the_first_consultation_still_holds_the_gate_beside_a_visit_one():
    c = case({**NEW_AGGRESSIVE, "mimics.malignancy": None, "mimics.infection": None,
              "imaging.lesions": [lesion("clavicle", "right", modalities=["mri"], marrow_edema=True,
                                         cortical_destruction=True), *NEW_AGGRESSIVE["imaging.lesions"][1:]],
              "visits": [visit("V1", "2027-01-10", lesion_status={"L3": "new"})]})
    a = assess(c)
    f = flag(a, "aggressive_imaging")
    assert not f.addressed and a.mode == "workup"
    assert any("Malignancy and infection not yet excluded" in r for r in a.gate_reasons)


def test_a_known_lesion_that_collapses_at_a_visit_raises_the_flag_for_the_record():
    lesions = [*CNO["imaging.lesions"], lesion("vertebra", id="L3", level="T7", modalities=["mri"], marrow_edema=True)]
    base = {**CNO, "mimics.malignancy": False, "imaging.lesions": lesions}
    assert flag(assess(case(base)), "vertebral_collapse") is None
    c = case({**base, "visits": [visit("V1", "2027-01-10", lesion_status={"L3": "worse"},
                                       lesion_findings={"L3": {"vertebral_collapse": True}})]})
    a = assess(c)
    f = flag(a, "vertebral_collapse")
    assert f is not None and f.evidence == "vertebral collapse (T7)" and f.addressed_by == VISIT_ONLY
    assert a.mode == "cno"
    assert flag(assess(case_as_of(c, None)), "vertebral_collapse") is None


# ---- §13.7 item 10: the differential of a re-exclusion ---------------------------------------------------

def test_the_differential_says_a_re_exclusion_is_needed_with_the_date_of_the_last_exclusion():
    c = case({**CNO, "mimics.malignancy": False, "visits": [visit("V1", "2027-01-10", mimics={"malignancy": False})]})
    a = assess(c)
    rows = {r.mimic: r.status for r in differential(c, a, ["Weight loss: weight 27 kg at the visit of 2027-03-01"])}
    assert rows["Malignancy"] == ("excluded 2027-01-10 — re-exclusion needed: Weight loss: weight 27 kg at the "
                                  "visit of 2027-03-01")
    assert rows["Infection"] == "not assessed"
    assert {r.mimic: r.status for r in differential(c, a)}["Malignancy"] == "excluded"


# ---- §13.7 item 39: fever at the first consultation of a patient on immunosuppression ---------------------

@pytest.mark.parametrize("treatment, temp, held", [
    ({"drug": "Methotrexate", "drug_class": "dmard", "start_date": "2026-06-01"}, 38.0, True),
    ({"drug": "adalimumab", "drug_class": "tnf_inhibitor", "start_date": "2026-06-01"}, 38.5, True),
    ({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2026-06-01"}, 37.9, False),  # no fever flag
    ({"drug": "naproxen", "drug_class": "nsaid", "start_date": "2026-06-01"}, 38.5, False),
    ({"drug": "methotrexate", "drug_class": "dmard", "start_date": "2026-06-01", "end_date": "2026-11-20"}, 38.5, False),
])
def test_fever_on_immunosuppression_is_not_addressed_by_the_exclusions(treatment, temp, held):
    a = run(**{"symptoms.max_temperature_c": temp, "mimics.malignancy": False, "mimics.infection": False,
               "treatments": [treatment]})
    fever = flag(a, "fever")
    if temp < 38.0:
        assert fever is None
        return
    assert fever is not None and fever.addressed is (not held)
    assert ("Infection and malignancy not yet excluded (fever)" in a.gate_reasons) is held
