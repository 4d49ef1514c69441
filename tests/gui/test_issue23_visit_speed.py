"""Issue 23, edit → repaint on a 40-visit case: the undo stack keeps values shared with the case (no
deep copies), the list refreshes only the cells that changed, the chart skips an edit that leaves it as
it was. None of that may change what Undo and Redo restore, or what the list and the chart show. The
speed itself is measured in tests/benchmarks/visit_edit_bench.py, not here."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.benchmarks.cases import followup_case
from tests.gui.test_issue23_visits_list import click_row, row_of
from tests.gui.test_visits_tab import type_text, visits_panel

SIZES = [(1024, 700), (1280, 800)]


def forty_visits(win, tmp_path, size):
    from desktop_app.storage.case_file import load_case, save_case

    path = tmp_path / "forty.crmo"
    save_case(followup_case(40), path)
    win.resize(*size)
    assert win.open_file(path, ask=False)
    assert len(load_case(path).visits) == 40
    return visits_panel(win)


def undo_by_keys(win) -> None:
    QTest.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)


def redo_by_keys(win) -> None:
    QTest.keyClick(win, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # the Redo shortcut


@pytest.mark.parametrize("size", SIZES)
def test_edits_at_two_visits_undo_and_redo_to_the_exact_case(win, qtbot, tmp_path, size):
    panel = forty_visits(win, tmp_path, size)
    original = win.doc.case.model_dump_json()
    v40, v39 = panel.vdoc.visit_id, "V39"
    assert v40 == "V40"
    pain = panel.editor.fields["measures.pain"]
    type_text(qtbot, panel.editor.fields["max_temperature_c"], "38.5")
    type_text(qtbot, pain, "9")
    assert panel.table.item(row_of(panel, "V40"), 2).text() == "9"  # the list's pain cell follows
    click_row(qtbot, panel, row_of(panel, v39))
    qtbot.waitUntil(lambda: panel.selected_visit_id() == v39)
    panel.editor_area.ensureWidgetVisible(pain)
    type_text(qtbot, pain, "1")
    edited = win.doc.case.model_dump_json()
    visits = {v.id: v for v in win.doc.case.visits}
    assert (visits["V40"].max_temperature_c, visits["V40"].measures.pain, visits["V39"].measures.pain) == (38.5, 9, 1)
    assert panel.table.item(row_of(panel, "V39"), 2).text() == "1"

    for _ in range(3):
        undo_by_keys(win)
    # The values kept for undo were never changed in place by the later edits.
    assert win.doc.case.model_dump_json() == original
    assert panel.table.item(row_of(panel, "V40"), 2).text() != "9"
    for _ in range(3):
        redo_by_keys(win)
    assert win.doc.case.model_dump_json() == edited
    assert panel.table.item(row_of(panel, "V39"), 2).text() == "1"
    assert panel.table.item(row_of(panel, "V40"), 2).text() == "9"


def test_a_pain_edit_redraws_the_chart_and_a_note_edit_leaves_it(win, qtbot, tmp_path):
    panel = forty_visits(win, tmp_path, (1280, 800))
    before = panel.chart.geometry_now()
    type_text(qtbot, panel.editor.fields["notes"], "Seen with both parents.")
    assert panel.chart.geometry_now() is before  # the same chart: not recomputed for a note
    type_text(qtbot, panel.editor.fields["measures.pain"], "10")
    after = panel.chart.geometry_now()
    assert after is not before
    pain_marks = [p for p in after.primitives if getattr(p, "series", None) == "pain" and getattr(p, "date", None)]
    old_marks = [p for p in before.primitives if getattr(p, "series", None) == "pain" and getattr(p, "date", None)]
    assert pain_marks[-1].y < old_marks[-1].y  # the latest pain marker moved up (10 is the top)
