"""The note by mode (clinical-rules.md §8.0, §9, §10, §12): its title, its first page (Summary and
recommendations), codes and prognosis only in mode cno, red flags by tier in words, and the signature
kept with the end of the clinician's impression. Every check reads the text of the built PDF."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from desktop_app.case import labels
from desktop_app.case.labels import _FIELDS
from desktop_app.criteria.assess import assess
from desktop_app.criteria.red_flags import RULES, TIER_MEANING, points_to_words
from desktop_app.criteria.summary import TITLE_CNO, TITLE_OTHER, set_line, summarise
from desktop_app.plan.build import plan as build_plan
from desktop_app.plan.first_line import first_line_text
from desktop_app.report.note import SUMMARY_HEADING, build_consult_pdf

from .conftest import flat, load_example, pdf_pages

FIXED_TIME = dt.datetime(2026, 11, 20, 9, 30)
MODES = {"typical-multifocal": "cno", "crp-mg-dl-biopsy": "cno", "leukaemia-mimic": "workup",
         "unifocal-tibia-no-survey": "workup", "bacterial-osteomyelitis": "alternative_diagnosis"}
PROGNOSIS_LATER = "given once CNO is established"
PROGNOSIS_FACT = "Relapsing–remitting course"  # the first prognosis fact (§9)


def build(case):
    data = build_consult_pdf(case, generated_at=FIXED_TIME)
    return data, pdf_pages(data)


def summary_region(first_page: str) -> str:
    """The first page's text from the summary heading to the first section after it."""
    text = flat(first_page)
    start = text.index(SUMMARY_HEADING)
    return text[start:text.index("Patient and encounter", start)]


@pytest.mark.parametrize("name", sorted(MODES))
def test_the_examples_have_the_mode_the_note_is_built_for(name):
    assert assess(load_example(name)).mode == MODES[name]


@pytest.mark.parametrize("name", sorted(MODES))
def test_title_names_cno_only_in_mode_cno_on_the_page_in_the_header_and_in_the_metadata(name):
    from pypdf import PdfReader

    data, pages = build(load_example(name))
    want = TITLE_CNO if MODES[name] == "cno" else TITLE_OTHER
    assert pages[0].lstrip().startswith(want) or flat(pages[0]).startswith(want)
    for page in pages:  # the running header
        assert want in page
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta.title == want
    if MODES[name] != "cno":
        assert "CNO" not in meta.title and "CNO" not in (meta.subject or "")
        assert not any(TITLE_CNO in p for p in pages)


@pytest.mark.parametrize("name", sorted(MODES))
def test_codes_only_in_mode_cno(name):
    text = flat(" ".join(build(load_example(name))[1]))
    if MODES[name] == "cno":
        assert "M86.3" in text
    else:
        assert "M86" not in text  # §10: no code is suggested while CNO is not established


@pytest.mark.parametrize("name", sorted(MODES))
def test_prognosis_only_in_mode_cno(name):
    text = flat(" ".join(build(load_example(name))[1]))
    assert "Prognosis" in text
    if MODES[name] == "cno":
        assert PROGNOSIS_FACT in text and PROGNOSIS_LATER.lower() not in text.lower()
    else:
        assert PROGNOSIS_LATER.lower() in text.lower() and PROGNOSIS_FACT not in text


@pytest.mark.parametrize("name", sorted(MODES))
def test_no_ctp_checklist_and_no_school_letter_outside_mode_cno(name):
    text = flat(" ".join(build(load_example(name))[1]))
    present = MODES[name] == "cno"
    assert ("School letter" in text) is present
    if not present:
        assert "Eligibility for a CARRA consensus treatment plan" not in text


@pytest.mark.parametrize("name", sorted(MODES))
def test_summary_and_recommendations_open_the_first_page_in_the_summary_words(name):
    case = load_example(name)
    a = assess(case)
    s = summarise(case, a, first_line_text(build_plan(case, a)))
    _, pages = build(case)
    first = flat(pages[0])
    # before any table: the patient table is the first section after the summary
    assert first.index(SUMMARY_HEADING) < first.index("Patient and encounter")
    box = summary_region(pages[0])
    assert flat(s.headline) in box
    assert 1 <= len(s.recommendations) <= 5
    for n, rec in enumerate(s.recommendations, start=1):
        assert f"{n}. {flat(rec)}" in box
    assert f"{len(s.recommendations) + 1}. " not in box
    for row in s.differential:
        assert row.mimic in box
    assert f"Next review: {s.next_review}" in box
    assert f"Contact: {s.contact}" in box
    # v3 (§12): the criteria results are on the first page only in mode cno
    assert (flat(set_line(a)) in box) is (a.mode == "cno")


@pytest.mark.parametrize("name", sorted(MODES))
def test_the_summary_proposes_treatment_only_in_mode_cno(name):
    case = load_example(name)
    box = summary_region(build(case)[1][0])
    proposed = "NSAID" in box or "naproxen" in box
    assert proposed is (MODES[name] == "cno")


def test_the_nbo_score_is_worded_as_section_4_and_kept_off_page_1_beside_an_urgent_flag():
    # v3 (§12): beside bicytopenia, "favours non-bacterial" on page 1 misleads; it is on the later pages.
    pages = build(load_example("leukaemia-mimic"))[1]
    box = summary_region(pages[0])
    assert "favours non-bacterial" not in box
    rest = flat(" ".join(pages))
    assert "favours non-bacterial over bacterial osteomyelitis" in rest
    assert not re.search(r"osteomyelitis \(2023\): met\b", rest)


def test_an_urgent_headline_comes_first_and_is_marked():
    case = load_example("leukaemia-mimic")
    case.labs.peripheral_smear_blasts = True
    box = summary_region(build(case)[1][0])
    after_heading = box[len(SUMMARY_HEADING):].lstrip()
    assert after_heading.startswith("URGENT — Blasts")
    assert "no glucocorticoid or NSAID before it" in box
    assert "1. Same-day haematology/oncology referral" in box or "1. same-day" in box.lower()


def test_red_flags_are_grouped_by_tier_with_what_they_point_to_in_words():
    case = load_example("leukaemia-mimic")
    case.labs.peripheral_smear_blasts = True
    case.labs.crp.value = 35  # CRP ≥ 30: a caution flag too (v3: onset before 3 is exclude first)
    a = assess(case)
    tiers = [t for t in ("urgent", "exclude_first", "caution") if any(f.tier == t for f in a.red_flags)]
    assert tiers == ["urgent", "exclude_first", "caution"]
    text = flat(" ".join(build(case)[1]))
    start = text.index("Red flags Work these up")
    section = text[start:text.index("The next steps (the work-up, in order) open the treatment plan", start)]
    positions = [section.index(f"{labels.value_label('tier', t)} — {TIER_MEANING[t]}") for t in tiers]
    assert positions == sorted(positions)
    for flag in a.red_flags:
        at = section.index(flat(flag.label))
        tier_at = max(p for p in positions if p < at)
        assert tier_at == positions[tiers.index(flag.tier)], flag.label
        assert flat(points_to_words(flag)) in section


def test_an_addressed_flag_is_shown_with_what_addressed_it():
    case = load_example("leukaemia-mimic")
    case.mimics.malignancy = False
    a = assess(case)
    addressed = [f for f in a.red_flags if f.addressed]
    assert addressed
    text = flat(" ".join(build(case)[1]))
    for flag in addressed:
        assert f"addressed: {flat(flag.addressed_by)}" in text
    open_case = load_example("leukaemia-mimic")
    assert "addressed:" not in flat(" ".join(build(open_case)[1]))


FLAG_IDS = sorted({r.id for r in RULES if "_" in r.id})  # one-word ids ("fever") are also words
FIELD_PATHS = sorted(p for p in _FIELDS if "." in p)


@pytest.mark.parametrize("name", sorted(MODES))
def test_no_flag_id_or_field_path_where_the_clinician_reads(name):
    case = load_example(name)
    case.labs.peripheral_smear_blasts = True  # every tier, more flags
    text = flat(" ".join(build(case)[1]))
    for flag_id in FLAG_IDS:
        assert not re.search(rf"\b{flag_id}\b", text), flag_id
    for path in FIELD_PATHS:
        assert path not in text, path
    assert not re.search(r"\b(imaging\.lesions|biopsies|treatments)\[\d+\]", text)


def test_the_signature_stays_on_the_page_of_the_impressions_last_words():
    """A long impression ending near the foot of a page: the signature block goes over with the
    impression's last lines instead of starting the next page alone."""
    base = load_example("typical-multifocal")
    sentence = "Pain over the left distal femur, settled on naproxen; reviewed with the family. "
    tried = 0
    for n in range(30, 110, 3):  # ~2 lines a step over a page: the end lands at every height
        case = base.model_copy(deep=True)
        case.impression = sentence * n + "END-OF-IMPRESSION."
        case.plan_notes = ""
        pages = build(case)[1]
        end = next(i for i, p in enumerate(pages) if "END-OF-IMPRESSION" in p)
        sig = max(i for i, p in enumerate(pages) if "Signature" in p and "Clinician" in p)
        assert sig == end, (n, end, sig)
        tried += 1
    assert tried > 20



def test_entries_to_check_are_listed_in_the_summary_box():
    case = load_example("typical-multifocal")
    case.patient.date_of_birth = dt.date(2027, 1, 1)  # after the encounter
    first = flat(build(case)[1][0])
    assert "Check these entries: Date of birth: Date of birth is after the encounter date" in first
    assert "Check these entries" not in flat(build(load_example("typical-multifocal"))[1][0])
