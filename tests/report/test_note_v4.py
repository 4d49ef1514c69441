"""The follow-up note of rules version 4 (clinical-rules.md §13.6 v4, §13.7 items 22–25, 31, 34): what a
reader finds in the PDF."""
from __future__ import annotations

import datetime as dt

import pytest

from desktop_app.case.models import Lesion, Treatment, Visit
from desktop_app.plan.visit_summary import CARE_GLUCOCORTICOID, plan_changes, visit_summary
from desktop_app.report.note import build_consult_pdf

from .conftest import flat, load_example, pdf_pages


def text_of(case, visit_id=None) -> str:
    return flat(" ".join(pdf_pages(build_consult_pdf(case, visit_id=visit_id))))


@pytest.fixture(scope="module")
def example():
    return load_example("followup-two-visits")


def with_visit(case, visit: Visit, **updates):
    return case.model_copy(update={"visits": [*case.visits, visit], **updates})


def lab(value, unit, **kw):
    return {"value": value, "unit": unit, **kw}


# ---- the visit's results: every value, its range and its meaning, whether or not an alert fired -------

def test_the_visits_results_show_every_value_with_its_range_and_meaning(example):
    text = text_of(example, "V2")
    assert "Results at this visit" in text
    assert "ALT 22 U/L 5–45 U/L, lab report range within range" in text
    assert "Creatinine 48 µmol/L" in text
    assert "Weight: 34 kg (+0.5, +1.5 % since the visit of 2027-01-11: 33.5 kg)" in text
    assert "Highest temperature: Not recorded" in text


def test_a_value_without_a_range_reads_normality_unknown(example):
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), max_temperature_c=37.2,
               labs={"alt": lab(80, "U/L")})  # below the 100 U/L default: no alert either way
    text = text_of(with_visit(example, v3), "V3")
    assert "ALT 80 U/L" in text and "normality unknown — enter the laboratory's range" in text
    assert "Highest temperature: 37.2 °C (−0.1 since the first consultation: 37.3 °C)" in text


def test_a_value_beyond_its_default_alert_threshold_says_so_never_normality_unknown(example):
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), labs={"alt": lab(300, "U/L")})  # no range: the 100 U/L default
    text = text_of(with_visit(example, v3), "V3")
    assert "ALT 300 U/L: above the 100 U/L alert threshold; no laboratory range" in text
    results = text[text.index("Results at this visit"):text.index("Highest temperature")]
    assert "normality unknown" not in results


# ---- title and headline by the diagnosis (items 24, 34) -------------------------------------------------

def test_blasts_at_a_visit_make_the_note_a_bone_pain_follow_up_with_an_urgent_headline(example):
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), labs={"peripheral_smear_blasts": True})
    case = with_visit(example, v3)
    s = visit_summary(case, "V3")
    assert s.title == "Bone pain follow-up note" and s.urgent
    assert s.headline.startswith("Bone pain follow-up — URGENT: ")
    assert s.next_review.startswith("as the alerts require: ")
    text = text_of(case, "V3")
    assert "Bone pain follow-up note" in text and "Bone pain follow-up — URGENT:" in text
    assert "Next review: as the alerts require:" in text and "in about 3 months" not in text


def test_a_new_aggressive_lesion_is_urgent_and_the_diagnosis_is_not_called_cno(example):
    new = Lesion(id="L4", bone="humerus", side="left", modalities=["mri"], marrow_edema=True,
                 cortical_destruction=True, soft_tissue_mass=True)
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), mri_date=dt.date(2027, 7, 10), lesion_status={"L4": "new"},
               next_review_date=dt.date(2027, 7, 19))
    case = with_visit(example, v3, imaging=example.imaging.model_copy(
        update={"lesions": [*example.imaging.lesions, new]}))
    s = visit_summary(case, "V3")
    assert s.title == "Bone pain follow-up note"
    assert s.headline.startswith("Bone pain follow-up — URGENT: ") and "humerus" in s.headline.lower()
    assert s.next_review.startswith("2027-07-19 — the alerts require: ")
    text = text_of(case, "V3")
    assert "— URGENT:" in text and "2027-07-19 — the alerts require:" in text
    # The diagnosis still shows the flag, for the record.
    assert "Aggressive imaging features" in text or "aggressive" in text.lower()


def test_a_drug_safety_act_alert_keeps_the_cno_title_and_sets_the_next_review(example):
    mtx = Treatment(drug="methotrexate", drug_class="dmard", start_date=dt.date(2027, 1, 11), dose="15 mg weekly")
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), labs={"alt": lab(150, "U/L", ref_low=5, ref_high=45)})
    case = with_visit(example, v3, treatments=[*example.treatments, mtx])
    s = visit_summary(case, "V3")
    assert s.title == "CRMO/CNO follow-up note" and not s.urgent
    assert s.next_review.startswith("as the alerts require: ")
    text = text_of(case, "V3")
    assert "ALT 150 U/L 5–45 U/L, lab report range above range" in text
    assert "CRMO/CNO follow-up note" in text


# ---- treatment history, adverse events, immunosuppression care -------------------------------------------

def test_the_whole_treatment_history_with_an_adverse_event_stop_and_every_visits_events(example):
    mtx = Treatment(drug="methotrexate", drug_class="dmard", start_date=dt.date(2026, 11, 1),
                    end_date=dt.date(2027, 1, 11), response="partial", stop_reason="adverse_event")
    eta = Treatment(drug="etanercept", drug_class="tnf_inhibitor", start_date=dt.date(2027, 2, 1))
    pred = Treatment(drug="prednisolone", drug_class="glucocorticoid", start_date=dt.date(2027, 6, 1),
                     end_date=dt.date(2027, 6, 30))
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), adverse_events="Injection-site <redness> & itch.")
    case = with_visit(example, v3, treatments=[*example.treatments, mtx, eta, pred])
    text = text_of(case, "V3")
    assert "Treatment history and adverse events" in text
    assert "methotrexate 2026-11-01 2027-01-11 Partial response stopped for an adverse event" in text
    assert "naproxen 2026-10-05 current" in text
    # Newest first, free text escaped and printed as typed.
    assert text.index("2027-07-12 (V3): Injection-site <redness> & itch.") < text.index(
        "2027-01-11 (V1): Mild dyspepsia")
    # Immunosuppression care for the current etanercept, and prednisolone stopped 12 days before.
    assert "Immunosuppression care" in text
    assert "etanercept: latent tuberculosis re-screen after an exposure" in text
    assert "inactivated influenza vaccine every year" in text
    assert flat(f"prednisolone (stopped 2027-06-30): {CARE_GLUCOCORTICOID}") in text
    s = visit_summary(case, "V3")
    assert len(s.recommendations) <= 5 and not any("influenza" in r for r in s.recommendations)


def test_no_care_list_without_an_immunosuppressive_drug(example):
    assert visit_summary(example, "V2").care == []
    assert "Immunosuppression care" not in text_of(example, "V2")


def test_growth_shows_weight_and_height_at_every_point(example):
    text = text_of(example, "V2")
    assert "Growth" in text
    assert "First consultation 2026-10-05 32 142" in text and "Visit V1 2027-01-11 33.5 —" in text


# ---- plan changes (item 23, GUI review item 13) ---------------------------------------------------------

def test_the_options_of_one_line_read_as_a_choice_not_as_seven_proposals(example):
    s = visit_summary(example, "V2")
    line = next(c for c in s.plan_changes if "methotrexate" in c)
    assert "(one of methotrexate, sulfasalazine" in line and line.startswith("Step 3")


def test_a_current_line_that_becomes_held_is_a_plan_change(example):
    from desktop_app.plan.visit_summary import point_plan

    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), labs={"peripheral_smear_blasts": True})
    case = with_visit(example, v3)
    _, _, before = point_plan(case, "V2")
    _, _, now = point_plan(case, "V3")
    changes = plan_changes(before, now)
    assert any(c.startswith("naproxen: current → current, ") for c in changes), changes


# ---- the no-visits exception (§13.7 item 14) --------------------------------------------------------------

def test_a_patient_referred_on_treatment_gets_alerts_monitoring_and_next_review_on_the_first_note():
    case = load_example("typical-multifocal")
    plain = text_of(case)
    assert "treatment current at this consultation" not in plain
    on = case.model_copy(update={"treatments": [Treatment(drug="methotrexate", drug_class="dmard",
                                                          start_date=case.encounter.date - dt.timedelta(days=200))]})
    text = text_of(on)
    assert "Follow-up alerts (treatment current at this consultation):" in text
    assert "Monitoring due (treatment current at this consultation)" in text and "ALT overdue (never recorded" in text
    assert text.index("Monitoring due") < text.index("Recommendations") < text.index("Next review:")
    # A course that ended before the consultation is not "on treatment".
    ended = case.model_copy(update={"treatments": [Treatment(drug="naproxen", drug_class="nsaid",
                                                             start_date=dt.date(2025, 1, 1),
                                                             end_date=dt.date(2025, 3, 1))]})
    assert "treatment current at this consultation" not in text_of(ended)


# ---- a re-exclusion still needed (§13.7 items 10, 34) -------------------------------------------------

def test_a_re_exclusion_alert_reads_in_the_differential_and_the_title(example, monkeypatch):
    from desktop_app.course.types import Alert

    raised = Alert(id="fu_weight_loss", tier="act", label="Weight loss",
                   evidence="30 kg at the visit of 2027-07-12 (V3), 11.8 % below 34 kg", action="Re-exclude malignancy",
                   source="product rule", holds=["prednisone"], needs_reexclusion=True)
    monkeypatch.setattr("desktop_app.course.build.follow_up_alerts", lambda case, *a, **k: [raised])
    monkeypatch.setattr("desktop_app.plan.now.follow_up_alerts", lambda case, *a, **k: [raised])
    v3 = Visit(id="V3", date=dt.date(2027, 7, 12), weight_kg=30)
    case = with_visit(example, v3)
    assert visit_summary(case, "V3").title == "Bone pain follow-up note"
    text = text_of(case, "V3")
    # The example excluded malignancy at its first consultation (2026-10-05).
    assert ("malignancy: excluded 2026-10-05 — re-exclusion needed: Weight loss: 30 kg at the visit of 2027-07-12 "
            "(V3), 11.8 % below 34 kg") in text
