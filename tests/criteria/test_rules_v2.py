"""Rules version 2 (clinical-rules.md §0, §4, §5, §6, §8.0, §8.5): each rule with the boundary the spec names."""
import re

import pytest

from desktop_app.criteria.assess import assess
from desktop_app.criteria.red_flags import RULES
from tests.criteria.build import BASE, case, item, lab, lesion

# A child who meets Bristol via criterion 1 with a normal count: mode "cno" unless something is added.
CNO = {**BASE, "symptoms.bone_pain": True, "symptoms.warmth_erythema": False, "symptoms.max_temperature_c": 37.0,
       "labs.crp": lab(5), "imaging.whole_body_survey": "whole_body_mri",
       "imaging.lesions": [lesion("clavicle", "right", modalities=["mri"], marrow_edema=True),
                           lesion("tibia", "left", modalities=["mri"], marrow_edema=True)]}


def run(**paths):
    return assess(case({**CNO, **paths}))


def flag(a, flag_id):
    return next((f for f in a.red_flags if f.id == flag_id), None)


def test_the_typical_case_is_cno_with_no_reason_held_back():
    a = run()
    assert a.criteria["bristol_2016"].status == "met"
    assert (a.mode, a.gate_reasons, a.red_flags) == ("cno", [], [])


# ---- anaemia (§6, §7) ---------------------------------------------------------------------------

@pytest.mark.parametrize("hb, raised", [(114, True), (115, False)])  # default lower limit 115 g/L at 5–11 y
def test_anaemia_just_below_and_at_the_default_limit(hb, raised):
    a = run(**{"labs.hemoglobin": lab(hb, "g/L")})
    assert (flag(a, "anaemia") is not None) is raised
    if raised:
        f = flag(a, "anaemia")
        assert (f.tier, f.points_to) == ("exclude_first", ["malignancy"])
        assert "115 g/L" in f.evidence and a.mode == "workup"


def test_anaemia_reads_the_labs_own_lower_limit_and_converts_g_dl():
    assert flag(run(**{"labs.hemoglobin": lab(12.0, "g/dL", ref_low=12.5)}), "anaemia") is not None
    assert flag(run(**{"labs.hemoglobin": lab(11.2, "g/dL", ref_low=11.0)}), "anaemia") is None


# ---- scurvy risk -----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["associated.restricted_diet", "associated.neurodevelopmental_disorder",
                                  "associated.malabsorption", "symptoms.gingival_bleeding", "symptoms.petechiae"])
def test_each_scurvy_sign_or_risk_raises_the_flag_until_vitamin_c_deficiency_is_excluded(path):
    a = run(**{path: True})
    f = flag(a, "scurvy_risk")
    assert f is not None and f.points_to == ["vitamin_c_deficiency"] and not f.addressed
    assert "vitamin C" in f.action and a.mode == "workup"
    done = run(**{path: True, "mimics.vitamin_c_deficiency": False})
    assert flag(done, "scurvy_risk").addressed and done.mode == "cno"
    assert flag(done, "scurvy_risk").addressed_by == "vitamin C deficiency recorded as excluded"
    assert flag(run(**{path: False}), "scurvy_risk") is None


# ---- aggressive imaging ----------------------------------------------------------------------------

@pytest.mark.parametrize("feature, words", [("permeative_destruction", "permeative"),
                                            ("aggressive_periosteal_reaction", "aggressive periosteal reaction"),
                                            ("cortical_destruction", "cortical destruction"),
                                            ("soft_tissue_mass", "soft-tissue mass")])
def test_aggressive_imaging_features(feature, words):
    a = assess(case({**CNO, "imaging.lesions": [lesion("femur", "left", modalities=["mri"], marrow_edema=True,
                                                       **{feature: True})]}))
    f = flag(a, "aggressive_imaging")
    assert f is not None and words in f.evidence.lower() and f.points_to == ["malignancy", "infection"]


# ---- tiers, order and "addressed" ----------------------------------------------------------------

def test_flags_are_listed_urgent_then_exclude_first_then_caution():
    a = run(**{"labs.crp": lab(40), "symptoms.warmth_erythema": True, "labs.blood_culture": "positive"})
    assert [f.tier for f in a.red_flags] == sorted((f.tier for f in a.red_flags),
                                                   key=["urgent", "exclude_first", "caution"].index)
    assert a.red_flags[0].id == "positive_culture" and a.red_flags[-1].id == "high_crp"


def test_every_rule_has_a_tier_and_a_target():
    assert {r.tier for r in RULES} == {"urgent", "exclude_first", "caution"}
    assert all(r.points_to for r in RULES if r.id != "alternative_histology")


def test_fever_is_addressed_only_when_both_infection_and_malignancy_are_excluded():
    one = run(**{"symptoms.max_temperature_c": 38.5, "mimics.infection": False})
    assert not flag(one, "fever").addressed and one.mode == "workup"
    both = run(**{"symptoms.max_temperature_c": 38.5, "mimics.infection": False, "mimics.malignancy": False})
    f = flag(both, "fever")
    assert f.addressed and f.addressed_by == "infection and malignancy recorded as excluded"


def test_fever_reported_is_not_a_normal_temperature():
    a = run(**{"symptoms.max_temperature_c": None, "symptoms.fever_pattern": "reported"})
    assert a.derived.temperature_normal is False and flag(a, "fever") is not None


def test_urgent_flags_are_never_addressed():
    a = run(**{"labs.peripheral_smear_blasts": True, "mimics.malignancy": False})
    f = flag(a, "blasts")
    assert f.tier == "urgent" and not f.addressed
    assert a.mode == "workup" and a.gate_reasons[0].startswith("Urgent: blasts on the blood film")


def test_caution_biopsy_flag_addressed_by_bristol_through_criterion_2():
    biopsy = [{"histology": "chronic_inflammation", "culture": "negative", "on_antibiotics_at_biopsy": False}]
    open_ = run(**{"labs.crp": lab(45)})
    assert not flag(open_, "high_crp").addressed and open_.mode == "workup"
    done = run(**{"labs.crp": lab(45), "biopsies": biopsy})
    assert flag(done, "high_crp").addressed and "criterion 2" in flag(done, "high_crp").addressed_by
    assert done.mode == "cno"


def test_young_onset_is_addressed_by_negative_genetic_testing_and_blocks_until_then():
    # v3: young_onset is exclude first (was: caution, never blocking).
    a = run(**{"patient.age_years": 2.5, "labs.hemoglobin": lab(120, "g/L")})
    f = flag(a, "young_onset")
    assert f.points_to == ["monogenic"] and not f.addressed and f.tier == "exclude_first"
    assert a.mode == "workup"  # §8.0 (b): onset before 3 needs a genetic result first
    assert sum("genetic testing" in s for s in a.next_steps) == 1  # listed once, at step 5
    b = run(**{"patient.age_years": 2.5, "labs.hemoglobin": lab(120, "g/L"), "mimics.monogenic": False})
    assert flag(b, "young_onset").addressed_by == "genetic testing negative"
    assert b.mode == "cno"
    assert not any("genetic testing" in s for s in b.next_steps)


def test_onset_age_recorded_without_dates_is_used():
    a = run(**{"patient.age_years": 9, "symptoms.onset_age_years": 2})
    assert a.derived.onset_age_years == 2 and flag(a, "young_onset") is not None


# ---- the gate and the mode (§8.0) ----------------------------------------------------------------

def test_confirmed_mimic_is_an_alternative_diagnosis():
    a = run(**{"mimics.hypophosphatasia": True})
    assert a.mode == "alternative_diagnosis"
    assert "Alternative diagnosis recorded: hypophosphatasia" in a.gate_reasons
    assert a.next_steps[0].startswith("Alternative diagnosis recorded (hypophosphatasia)")


@pytest.mark.parametrize("paths", [{"labs.blood_culture": "positive"},
                                   {"biopsies": [{"histology": "langerhans_cell_histiocytosis"}]}])
def test_positive_culture_or_alternative_histology_is_an_alternative_diagnosis(paths):
    assert run(**paths).mode == "alternative_diagnosis"


def test_alternative_histology_points_to_its_histology():
    f = flag(run(**{"biopsies": [{"histology": "langerhans_cell_histiocytosis"}]}), "alternative_histology")
    assert f.tier == "urgent" and f.points_to == ["langerhans_cell_histiocytosis"]


def test_incomplete_blood_count_holds_treatment_until_malignancy_is_excluded():
    a = run(**{"labs.platelets": None})
    assert a.mode == "workup"
    assert "Blood count incomplete or not recorded, and malignancy is not recorded as excluded" in a.gate_reasons
    assert run(**{"labs.platelets": None, "mimics.malignancy": False}).mode == "cno"


def test_no_criteria_met_is_workup():
    a = run(**{"imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True)],
               "mimics.malignancy": False})
    assert a.criteria["bristol_2016"].status != "met" and a.mode == "workup"
    assert any(r.startswith("No diagnostic criteria are met") for r in a.gate_reasons)


# ---- §0 typicality: a CT-only lesion ---------------------------------------------------------------

def test_a_lesion_seen_only_on_ct_leaves_bristol_radiological_unknown_not_not_met():
    c = case({**CNO, "imaging.lesions": [lesion("clavicle", "right", modalities=["ct"], lytic=True,
                                                 sclerosis=False)]})
    it = item(c, "bristol_2016", "radiological")
    assert it.status == "unknown" and "a radiograph or MRI of this site would decide" in it.evidence
    assert assess(c).criteria["bristol_2016"].status == "indeterminate"


# ---- §8.5 adults -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dob, adult", [("2008-11-20", True), ("2008-11-21", False)])  # encounter 2026-11-20
def test_adult_from_exactly_18_years(dob, adult):
    a = run(**{"patient.age_years": None, "patient.date_of_birth": dob})
    assert a.derived.adult is adult
    has_note = all(any(n.startswith("Adult patient") for n in c.notes) for c in a.criteria.values())
    assert has_note is adult


# ---- §5 EULAR/ACR: "missing" names only what is missing -----------------------------------------

def test_eular_missing_never_names_a_recorded_field():
    c = case({**CNO, "patient.age_years": None, "patient.date_of_birth": "2000-01-01",
              "imaging.lesions": [lesion("tibia", "left", modalities=["mri"], marrow_edema=True)]})
    r = assess(c).criteria["eular_acr_2025"]
    onset = next(i for i in r.items if i.id == "onset_before_18")
    assert onset.status == "unknown"
    assert "patient.date_of_birth" not in onset.missing and "symptoms.first_symptom_date" in onset.missing
    assert "patient.date_of_birth" not in r.missing


# ---- words, never paths or ids ------------------------------------------------------------------

PATH = re.compile(r"\b(patient|symptoms|labs|imaging|mimics|associated|encounter|biopsies)\.[a-z_]+")
IDS = re.compile(r"\b(" + "|".join(r.id for r in RULES if "_" in r.id) + r")\b")


@pytest.mark.parametrize("paths", [
    {}, {"labs.peripheral_smear_blasts": True}, {"labs.hemoglobin": lab(80, "g/L"), "symptoms.petechiae": True},
    {"labs.crp": lab(80), "imaging.whole_body_survey": None, "patient.age_years": 2},
    {"biopsies": [{"culture": "negative", "on_antibiotics_at_biopsy": True}], "labs.wbc": None},
])
def test_next_steps_and_gate_reasons_are_words(paths):
    a = run(**paths)
    for text in a.next_steps + a.gate_reasons + [f.addressed_by or "" for f in a.red_flags]:
        assert not PATH.search(text) and not IDS.search(text), text
    assert len(a.next_steps) == len(set(a.next_steps))


def test_next_steps_follow_the_order_of_section_6():
    a = assess(case({"patient.age_years": 2, "labs.peripheral_smear_blasts": True, "labs.crp": lab(50),
                     "symptoms.warmth_erythema": True,
                     "imaging.lesions": [lesion("tibia", "left"), lesion("tibia", "right")]}))
    # v3: genetic testing (young_onset, exclude first) comes with the exclude-first actions, at step 5.
    order = ["Same-day haematology", "Full blood count", "CRP and ESR", "LDH and alkaline", "Exclude bacterial",
             "Consider monogenic", "Plasma vitamin C", "Whole-body MRI", "Bone biopsy"]
    found = [next(i for i, s in enumerate(a.next_steps) if s.startswith(p)) for p in order]
    assert found == sorted(found)


# ---- §12 summary and recommendations ---------------------------------------------------------------

def test_summary_by_mode():
    import datetime as dt

    from desktop_app.criteria.summary import summarise

    cno_case = case({**CNO, "encounter.clinician": "Dr A", "encounter.service": "Rheumatology"})
    s = summarise(cno_case, assess(cno_case), first_line="NSAID: naproxen")
    assert s.title == "CRMO/CNO consult note"
    assert s.headline.startswith("Findings consistent with CNO: Bristol diagnostic criteria (2016)")
    assert s.recommendations[-1] == "NSAID: naproxen" and len(s.recommendations) <= 5
    assert (s.next_review, s.contact) == ("about 3 months after starting treatment", "Dr A, Rheumatology")
    assert [r.mimic for r in s.differential] == ["Malignancy", "Infection", "Vitamin C deficiency",  # as the tab
                                                 "Hypophosphatasia", "Monogenic autoinflammatory disease"]

    blasts = case({**CNO, "labs.peripheral_smear_blasts": True, "labs.hemoglobin": lab(80, "g/L"),
                   "encounter.next_review_date": "2026-12-01"})
    s = summarise(blasts, assess(blasts), first_line="NSAID: naproxen")
    assert s.title == "Bone pain work-up — consult note" and s.urgent
    assert s.headline.startswith("URGENT — Blasts on the blood film: Same-day haematology")
    assert s.headline.endswith("CNO not established — work-up needed")
    assert "NSAID: naproxen" not in s.recommendations  # no treatment outside mode cno
    assert s.recommendations[0].startswith("Same-day haematology") and len(s.recommendations) <= 5
    mal = s.differential[0]
    # v3 (§6): an urgent flag marks the mimic it points to as suspected
    assert (mal.status, set(mal.flags)) == ("suspected: blasts on the blood film",
                                            {"Blasts on the blood film", "Anaemia"})
    assert s.next_review == dt.date(2026, 12, 1).isoformat()

    culture = case({**CNO, "labs.blood_culture": "positive", "mimics.malignancy": False})
    s = summarise(culture, assess(culture))
    assert s.headline.startswith("Alternative diagnosis recorded: infection (blood culture positive)")
    assert s.headline.endswith("CNO criteria and treatment do not apply")
    assert s.differential[0].status == "excluded" and s.next_review == "when the work-up results are available"
    assert s.differential[1].status == "confirmed by culture"  # v3: not "not assessed"


def test_summary_set_line_words_the_nbo_score_as_section_4_says():
    from desktop_app.criteria.summary import set_line

    text = set_line(run())
    assert "NBO diagnostic score vs bacterial osteomyelitis (2023): favours non-bacterial over bacterial" in text
    assert ": met" in text  # the other sets keep their own words
