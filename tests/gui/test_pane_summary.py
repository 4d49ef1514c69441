"""The assessment pane opens with the note's Summary and recommendations (§12), in the same words;
sets in their own words (§4), flags by tier with addressed ones greyed, and never a flag id or a field
path in what the reader sees (paths stay inside link hrefs)."""
from __future__ import annotations

import re

import pytest

from desktop_app.case.labels import _FIELDS, field_label
from desktop_app.criteria.assess import assess
from desktop_app.criteria.red_flags import RULES, TIER_MEANING, points_to_words
from desktop_app.criteria.summary import summarise
from desktop_app.plan.build import plan as build_plan
from desktop_app.plan.first_line import first_line_text
from desktop_app.storage.case_file import load_case
from desktop_app.ui.assessment_pane import AssessmentPane, SUMMARY_HEADING
from desktop_app.ui.document import CaseDocument

pytestmark = pytest.mark.gui

MODES = {"typical-multifocal": "cno", "crp-mg-dl-biopsy": "cno", "leukaemia-mimic": "workup",
         "unifocal-tibia-no-survey": "workup", "bacterial-osteomyelitis": "alternative_diagnosis"}
FLAG_IDS = sorted({r.id for r in RULES if "_" in r.id})  # one-word ids ("fever") are also words
FIELD_PATHS = sorted(p for p in _FIELDS if "." in p)


def pane_for(qtbot, examples_dir, name, edit=None) -> AssessmentPane:
    case = load_case(examples_dir / f"{name}.crmo")
    if edit:
        edit(case)
    pane = AssessmentPane(CaseDocument(case))
    qtbot.addWidget(pane)
    # in mode cno the first-line treatment follows once the plan module is loaded
    qtbot.waitUntil(lambda: not pane._plan_timer.isActive(), timeout=3000)
    return pane


def plain(section) -> str:
    return re.sub(r"\s+", " ", section.accessibleDescription())


@pytest.mark.parametrize("name", sorted(MODES))
def test_the_pane_opens_with_the_notes_summary_in_the_same_words(qtbot, examples_dir, name):
    pane = pane_for(qtbot, examples_dir, name)
    case = pane.doc.case
    a = assess(case)
    assert a.mode == MODES[name]
    want = summarise(case, a, first_line_text(build_plan(case, a)))  # what the note prints
    assert pane.summary_words == want
    text = plain(pane.summary)
    assert text.startswith(SUMMARY_HEADING)
    assert want.headline in text
    at = 0
    for rec in want.recommendations:  # in order
        at = text.index(rec, at)
    for row in want.differential:
        assert row.mimic in text
        for label in row.flags:
            assert label in text
    assert f"Next review: {want.next_review}" in text and f"Contact: {want.contact}" in text
    # the summary comes first: above the criteria cards and the flags
    layout_order = [pane._layout.indexOf(w) for w in (pane.summary, pane.flags)]
    assert layout_order[0] < layout_order[1]


@pytest.mark.parametrize("name", sorted(MODES))
def test_treatment_is_proposed_in_the_pane_only_in_mode_cno(qtbot, examples_dir, name):
    pane = pane_for(qtbot, examples_dir, name)
    text = plain(pane.summary)
    assert ("NSAID" in text) is (MODES[name] == "cno")


def test_an_urgent_headline_is_first_and_red(qtbot, examples_dir):
    pane = pane_for(qtbot, examples_dir, "leukaemia-mimic",
                    lambda c: setattr(c.labs, "peripheral_smear_blasts", True))
    assert pane.summary_words.urgent
    text = plain(pane.summary)
    assert text[len(SUMMARY_HEADING):].lstrip().startswith("⚠ URGENT — Blasts")
    assert 'color:#b3261e;font-weight:bold">⚠ URGENT' in pane.summary.text()


def test_the_nbo_card_reads_favours_not_met(qtbot, examples_dir):
    pane = pane_for(qtbot, examples_dir, "leukaemia-mimic")
    card = re.sub(r"<[^>]+>", " ", pane.card_text("nbods_2023"))
    assert "Favours non-bacterial over bacterial osteomyelitis" in card
    assert "✔ Met" not in card


def test_flags_are_grouped_by_tier_with_what_they_point_to(qtbot, examples_dir):
    def edit(case):
        case.labs.peripheral_smear_blasts = True
        case.labs.crp.value = 35  # CRP ≥ 30: a caution flag (v3: onset before 3 is exclude first)

    pane = pane_for(qtbot, examples_dir, "leukaemia-mimic", edit)
    text = plain(pane.flags)
    tiers = ["urgent", "exclude_first", "caution"]
    heads = [text.index(f"{w} — {TIER_MEANING[t]}") for t, w in
             zip(tiers, ("Urgent", "Exclude first", "Caution"))]
    assert heads == sorted(heads)
    for flag in pane.assessment.red_flags:
        at = text.index(flag.label)
        assert max(h for h in heads if h < at) == heads[tiers.index(flag.tier)], flag.label
        assert f"Points to: {points_to_words(flag)}" in text


def test_an_addressed_flag_is_greyed_with_what_addressed_it(qtbot, examples_dir):
    pane = pane_for(qtbot, examples_dir, "leukaemia-mimic", lambda c: setattr(c.mimics, "malignancy", False))
    addressed = [f for f in pane.assessment.red_flags if f.addressed]
    assert addressed
    html = pane.flags.text()
    for f in addressed:
        assert f"addressed: {f.addressed_by}" in plain(pane.flags)
        assert f'<b style="color:#555555">{f.label}</b>' in html  # grey, not the red of an open flag
    open_pane = pane_for(qtbot, examples_dir, "leukaemia-mimic")
    assert "addressed:" not in plain(open_pane.flags)


@pytest.mark.parametrize("name", sorted(MODES))
def test_no_flag_id_or_field_path_is_visible(qtbot, examples_dir, name):
    def edit(case):
        case.labs.peripheral_smear_blasts = True
        case.labs.crp = None  # missing data: links appear

    pane = pane_for(qtbot, examples_dir, name, edit)
    text = pane.visible_text()
    assert SUMMARY_HEADING in text and pane.summary_words.headline in text
    for flag_id in FLAG_IDS:
        assert not re.search(rf"\b{flag_id}\b", text), flag_id
    for path in FIELD_PATHS:
        assert path not in text, path
    assert not re.search(r"\b(imaging\.lesions|biopsies|treatments)\[\d+\]", text)
    # the missing CRP is a link whose visible text is its label, the path only in the href
    html = "".join(pane.card_text(k) for k in pane.assessment.criteria)
    assert f'<a href="missing:labs.crp">{field_label("labs.crp")}</a>' in html
