"""The follow-up note (clinical-rules.md §13.6): what a reader finds in the PDF of a visit."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from desktop_app.case.models import Labs
from desktop_app.course.build import NO_COMPOSITE_NOTE
from desktop_app.report.note import build_consult_pdf
from tests.course.helpers import lab

from .conftest import flat, load_example, pdf_pages


@pytest.fixture(scope="module")
def example():
    return load_example("followup-two-visits")


@pytest.fixture(scope="module")
def v2_text(example):
    return flat(" ".join(pdf_pages(build_consult_pdf(example, visit_id="V2"))))


def _meta(data: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data)).metadata


def test_latest_visit_note_opens_with_the_summary(example, v2_text):
    assert v2_text.index("CRMO/CNO follow-up note") < v2_text.index("Summary and recommendations")
    assert ("CRMO/CNO follow-up — activity unknown: no clinically active lesion recorded; an MRI would decide"
            in v2_text)
    assert "Follow-up alerts: none raised by the recorded data" in v2_text
    assert "Plan changes since the visit of 2027-01-11 (V1)" in v2_text
    assert "Next review: in about 3 months" in v2_text
    assert "Encounter 2027-04-12 (follow-up visit V2)" in v2_text  # the header names the visit


def test_course_table_change_words_and_the_composite_sentence_once(v2_text):
    assert flat(NO_COMPOSITE_NOTE) in v2_text and v2_text.count("no composite score") == 1
    assert "pain 6 → 1 (−5, −83.3 %)" in v2_text
    assert "CHAQ 0.375 → 0 (−0.375, −100.0 %)" in v2_text
    # Every point's row: the value, and its change from the first consultation in brackets.
    assert "First consultation 2026-10-05 6 5 5 0.375 2 18 35 3 Visit V1" in v2_text
    # A visit's values, then under them its changes (a smaller row; the point's name spans both).
    assert ("Visit V1 2027-01-11 3 2 2 0.125 1 6 14 2 (−3, −50.0 %) (−3, −60.0 %) (−3, −60.0 %) (−0.25, −66.7 %) "
            "(−1, −50.0 %) (−12, −66.7 %) (−21, −60.0 %) (−1, −33.3 %)") in v2_text
    assert "Visit V2 2027-04-12 1 1 0 0 0 2 8 — (−5, −83.3 %) (−4, −80.0 %) (−5, −100.0 %)" in v2_text


def test_lesions_treatments_plan_diagnosis_signature(v2_text):
    assert "Lesion status at this visit" in v2_text and "No MRI at this visit" in v2_text
    assert "Right tibia, metaphysis not assessed (resolved at the visit of 2027-01-11)" in v2_text
    assert "naproxen 2026-10-05 current (27 weeks) Partial response" in v2_text  # v4: the whole history
    assert "Treatment plan" in v2_text and "Diagnosis" in v2_text and "Differential:" in v2_text
    assert "vitamin C deficiency: excluded" in v2_text
    assert v2_text.index("References") < v2_text.rindex("Signature")
    assert "Dr A. Example" in v2_text


def test_earlier_visit_note_reads_the_case_as_of_it(example):
    text = flat(" ".join(pdf_pages(build_consult_pdf(example, visit_id="V1"))))
    assert "CRMO/CNO follow-up — active disease: 1 clinically active lesion" in text
    assert "Visit V2" not in text and "2027-04-12 (follow-up" not in text
    assert "Next review: 2027-04-12" in text  # V1's own next review date
    assert "naproxen: ALT due (never recorded" in text


def test_urgent_visit_note_title_and_headline(example):
    visits = [v.model_copy(update={"labs": Labs(hemoglobin=lab(55, "g/L"))}) if v.id == "V2" else v
              for v in example.visits]
    data = build_consult_pdf(example.model_copy(update={"visits": visits}), visit_id="V2")
    text = flat(" ".join(pdf_pages(data)))
    # v4 (§13.7 items 24, 34): the title by the diagnosis, the headline names the urgent finding.
    assert text.index("Bone pain follow-up note") < text.index("Bone pain follow-up — URGENT: Severe anaemia")
    assert "CRMO/CNO follow-up" not in text
    assert text.index("Urgent: Severe anaemia") < text.index("Recommendations")
    assert _meta(data).title == "Bone pain follow-up note"
    # No dose is printed bare beside the alert: the plan holds its lines (mode workup), or the note says so.
    assert "Work-up first" in text or "no treatment below is to be started or changed" in text


def test_first_consultation_note_of_a_case_with_visits_is_the_case_as_it_was(example):
    from desktop_app.course.timeline import case_as_of

    then = case_as_of(example, None)
    at = dt.datetime(2027, 5, 1, 9, 0)
    assert build_consult_pdf(example, generated_at=at) == build_consult_pdf(then, generated_at=at)
    text = flat(" ".join(pdf_pages(build_consult_pdf(example))))
    assert "CRMO/CNO consult note" in text and "follow-up note" not in text


def test_pdf_metadata_title_of_the_follow_up_note(example):
    assert _meta(build_consult_pdf(example, visit_id="V2")).title == "CRMO/CNO follow-up note"


def test_unknown_visit_raises(example):
    with pytest.raises(ValueError, match="V1, V2"):
        build_consult_pdf(example, visit_id="nope")


def test_a_40_visit_note_repeats_the_table_header_and_keeps_every_visit():
    import datetime as dt2

    from desktop_app.case.models import LabValue, Measures

    c = load_example("followup-two-visits")
    last = c.visits[-1]
    visits = list(c.visits) + [
        last.model_copy(update={"id": f"V{i}", "date": last.date + dt2.timedelta(days=91 * (i - 2)),
                                "measures": Measures(pain=i % 7, chaq=0.125 * (i % 5)), "next_review_date": None,
                                "labs": Labs(crp=LabValue(value=float(i % 9), unit="mg/L"))})
        for i in range(3, 41)]
    pages = [flat(p) for p in pdf_pages(build_consult_pdf(c.model_copy(update={"visits": visits}), visit_id="V40"))]
    table_pages = [p for p in pages if "Visit V" in p and "(0–10)" in p]
    assert len(table_pages) >= 2  # the table splits across pages...
    assert all("Point Pain (0–10) Patient global (0–10)" in p for p in table_pages)  # ...with its header each time
    text = " ".join(pages)
    assert all(f"Visit V{i} " in text for i in range(1, 41))
    assert "MRI-active lesions" in text and "MRI-activ e" not in text  # the heading is not broken mid-word


def test_the_visits_results_and_the_course_table_share_page_one_of_the_example(example):
    from desktop_app.report.followup_note import CHART_CAPTION

    pages = [flat(p) for p in pdf_pages(build_consult_pdf(example, visit_id="V2"))]
    # v4: the visit's own results come on page 1 (§13.6, §13.7 item 26), then the course table and the
    # change in words; the chart follows whole at the top of page 2.
    assert "Results at this visit" in pages[0] and "Since the first consultation" in pages[0]
    assert CHART_CAPTION in pages[1] and "Lesion status at this visit" not in pages[0]


def test_an_entry_check_names_its_visit_in_the_summary(example):
    import datetime as dt2

    early = example.visits[0].model_copy(update={"id": "V0", "date": dt2.date(2026, 9, 1)})
    c = example.model_copy(update={"visits": [*example.visits, early]})
    text = flat(" ".join(pdf_pages(build_consult_pdf(c, visit_id="V2"))))
    assert "Visit date (the visit of 2026-09-01 (V0)): This visit is before the first consultation: check the date" in text
    assert ".;" not in text  # the checks run as one sentence: "a; b."
    assert "visits[" not in text  # never a field path


def test_alternative_diagnosis_follow_up_headline_as_the_first_note():
    from desktop_app.criteria.assess import assess
    from desktop_app.criteria.summary import summarise
    from desktop_app.plan.visit_summary import visit_summary
    from tests.course.helpers import visit

    c = load_example("bacterial-osteomyelitis")
    first = summarise(c, assess(c))
    when = c.encounter.date + dt.timedelta(days=30)
    c = c.model_copy(update={"visits": [visit("V1", when)]})
    s = visit_summary(c)
    assert s.mode == "alternative_diagnosis" and s.title == "Bone pain follow-up note"
    assert s.headline == first.headline and s.headline.startswith("Alternative diagnosis recorded")
    text = flat(" ".join(pdf_pages(build_consult_pdf(c, visit_id="V1"))))
    assert "Bone pain follow-up note" in text and "CRMO/CNO follow-up" not in text


def test_a_visit_with_nothing_recorded_has_no_empty_chart():
    from desktop_app.report.followup_note import CHART_CAPTION, NO_CHART
    from tests.course.helpers import case, days, visit

    text = flat(" ".join(pdf_pages(build_consult_pdf(case(visits=[visit("V1", days(30))]), visit_id="V1"))))
    assert NO_CHART in text and CHART_CAPTION not in text
    assert "Visit V1 2026-11-04" in text and "No lesions recorded." in text


def test_first_and_latest_as_visit_ids(example):
    at = dt.datetime(2027, 5, 1, 9, 0)
    assert build_consult_pdf(example, visit_id="first", generated_at=at) == build_consult_pdf(example, generated_at=at)
    assert (build_consult_pdf(example, visit_id="latest", generated_at=at)
            == build_consult_pdf(example, visit_id="V2", generated_at=at))
    plain = load_example("typical-multifocal")  # no visits: "latest" is the consult note
    assert build_consult_pdf(plain, visit_id="latest", generated_at=at) == build_consult_pdf(plain, generated_at=at)
