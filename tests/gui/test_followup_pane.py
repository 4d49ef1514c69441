"""Issue 18: the assessment pane opens with the latest visit's follow-up summary (§13.6) in the
follow-up note's words, then what it showed before; it follows the visits as they are added and
edited; a case without visits shows the pane exactly as before."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app.plan import visit_summary as vs_words
from desktop_app.plan.visit_summary import VisitSummary, visit_summary
from desktop_app.ui.assessment_pane import SUMMARY_HEADING
from tests.gui.popups import pick_in_popup

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
FOLLOWUP = EXAMPLES / "followup-two-visits.crmo"


def open_example(win, qtbot, path: Path = FOLLOWUP) -> None:
    assert win.open_file(path, ask=False)
    # the plan (and the course) load just after the first frame; the summary follows them
    qtbot.waitUntil(lambda: not win.pane._plan_timer.isActive(), timeout=5000)


def pane_lines(win) -> list[str]:
    return [re.sub(r"\s+", " ", line).strip() for line in win.pane.visible_text().splitlines() if line.strip()]


def expected_first_lines(v: VisitSummary) -> list[str]:
    """The summary's own strings, in the order the note's first page gives them (§13.6)."""
    lines = [f"{SUMMARY_HEADING} — visit of {v.date.isoformat()}", f"{v.title} — visit {v.visit_id}",
             ("⚠ " if v.urgent else "") + v.headline]
    for heading, empty, items in (
            (vs_words.ALERTS_HEADING, vs_words.NO_ALERT, v.alerts),
            (vs_words.MONITORING_HEADING, vs_words.NO_MONITORING, v.monitoring),
            (vs_words.CHANGES_HEADING.format(previous=v.previous), vs_words.NO_CHANGE, v.plan_changes)):
        lines += [heading, *items] if items else [f"{heading}: {empty}"]
    lines += [vs_words.RECOMMENDATIONS_HEADING, *(v.recommendations or [vs_words.NO_RECOMMENDATION])]
    lines.append(f"{vs_words.NEXT_REVIEW_HEADING}: {v.next_review}")
    return lines


def note_first_page(case, visit_id: str) -> str:
    from pypdf import PdfReader

    from desktop_app.report.note import build_consult_pdf

    pdf = PdfReader(io.BytesIO(build_consult_pdf(case, visit_id=visit_id)))
    return re.sub(r"\s+", " ", pdf.pages[0].extract_text())


def test_the_pane_opens_with_the_latest_visits_summary_in_its_words(win, qtbot):
    open_example(win, qtbot)
    want = visit_summary(win.doc.case)
    assert want is not None and want.visit_id == "V2" and want.date == dt.date(2027, 4, 12)
    assert win.pane.followup_words == want
    first = expected_first_lines(want)
    lines = pane_lines(win)
    assert lines[:len(first)] == first
    # then the pane as before, under a line saying what it reads
    rest = lines[len(first):]
    assert rest[0] == "Diagnosis: the first consultation's findings (2026-10-05), assessed now"
    assert SUMMARY_HEADING in rest and win.pane.summary_words.headline in rest
    # the same words as the follow-up note's first page (minus the pane's own "⚠ " and the visit id)
    page = note_first_page(win.doc.case, "V2")
    for line in first[3:]:
        assert re.sub(r"\s+", " ", line) in page, line
    assert first[0] in page and want.title in page and want.headline in page
    # in the window's layout too: the follow-up summary above the diagnosis assessed now
    layout = win.pane._layout
    assert layout.indexOf(win.pane.followup) < layout.indexOf(win.pane.first_heading) < layout.indexOf(win.pane.summary)
    assert win.pane.followup.isVisible() and win.pane.first_heading.isVisible()


def test_an_urgent_follow_up_headline_is_red(win, qtbot, tmp_path):
    from desktop_app.storage.case_file import load_case, save_case

    case = load_case(FOLLOWUP)
    case.visits[-1].labs.peripheral_smear_blasts = True  # §13.4 fu_blasts: urgent
    path = tmp_path / "blasts.crmo"
    save_case(case, path)
    open_example(win, qtbot, path)
    summary = win.pane.followup_words
    assert summary is not None and summary.urgent
    assert any("blast" in a.lower() for a in summary.alerts)
    assert 'color:#b3261e;font-weight:bold">⚠ ' in win.pane.followup.text()
    assert pane_lines(win)[:len(expected_first_lines(summary))] == expected_first_lines(summary)
    # no treatment proposed anywhere in the pane beside the urgent alert (§6: no NSAID before the
    # bone marrow); the summary below the follow-up summary proposes none either
    assert summary.mode == "workup" and not any(r.startswith("First line") for r in summary.recommendations)
    assert "First line" not in win.pane.summary.accessibleDescription()
    assert "First line" not in win.pane.visible_text()


def test_without_visits_the_pane_is_as_before(win, qtbot):
    open_example(win, qtbot, EXAMPLES / "typical-multifocal.crmo")
    assert win.pane.followup_words is None
    assert not win.pane.followup.isVisible() and not win.pane.first_heading.isVisible()
    assert pane_lines(win)[0] == SUMMARY_HEADING
    assert "first consultation's findings" not in win.pane.visible_text()


# --- following the visits ---------------------------------------------------------------------------
def visits_panel(win):
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win.tabs.setCurrentIndex(titles.index("Visits"))
    return win.tabs.currentWidget().panel


def test_the_summary_follows_an_edit_of_the_latest_visit(win, qtbot):
    open_example(win, qtbot)
    before = win.pane.followup_words
    panel = visits_panel(win)
    panel.select_visit("V2")
    combo = panel.editor.status_combos["L1"]
    pick_in_popup(qtbot, combo, "Worse")
    assert win.doc.case.visits[1].lesion_status == {"L1": "worse"}
    after = visit_summary(win.doc.case)
    assert after != before  # an MRI-active lesion at V2: the activity (the headline) changes
    assert win.pane.followup_words == after
    assert pane_lines(win)[:len(expected_first_lines(after))] == expected_first_lines(after)
    win.undo()
    assert win.pane.followup_words == before


def test_a_visit_added_later_becomes_the_summarys_visit(win, qtbot):
    open_example(win, qtbot)
    panel = visits_panel(win)
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    date_box = panel.editor.fields["date"]
    date_box.setFocus()
    qtbot.waitUntil(date_box.hasFocus)
    # issue 23: the date box is typed whole (no stepping): select it all and type the date
    date_box.lineEdit().selectAll()
    QTest.keyClicks(QApplication.focusWidget(), "2027-07-14")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert [v.date for v in win.doc.case.visits][-1] == dt.date(2027, 7, 14)
    summary = win.pane.followup_words
    assert summary is not None and summary.visit_id == "V3" and summary.date == dt.date(2027, 7, 14)
    assert summary == visit_summary(win.doc.case)
    assert pane_lines(win)[:2] == [f"{SUMMARY_HEADING} — visit of 2027-07-14", f"{summary.title} — visit V3"]
