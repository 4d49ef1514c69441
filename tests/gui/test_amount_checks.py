"""A visit weight typed wrong (3.4 kg meant 34) is checked on every amount the Plan tab computes from it
(clinical-rules.md §8 v3 weight for age, §13.3 v4 a weight jump over 20 %; issue 22 item 4, issue 23),
in the same words as under the field (case/growth_checks.py, case/entry_checks.py)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop_app.case.growth_checks import weight_check_words
from desktop_app.ui.widgets import WARNING_COLOUR
from tests.gui.test_issue23_visits_list import open_example
from tests.gui.test_visits_tab import type_text

APLS = "3.4 kg is unusual for 12 years (APLS estimate 43 kg): check the weight"
JUMP = "3.4 kg differs by 90 % from 33.5 kg on 2027-02-01 (70 days before): check the weight"


def _plan_tab(win, qtbot):
    """Click the Plan tab as a person does; its panel."""
    bar = win.tabs.tabBar()
    index = next(i for i in range(win.tabs.count()) if win.tabs.tabText(i).startswith("Plan"))
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, bar.tabRect(index).center())
    assert win.tabs.currentIndex() == index
    return win.tabs.currentWidget().panel


def _v1_in_february(case):  # V1's weight (33.5 kg) 70 days before V2: inside the 90-day window of §13.3
    case.visits[0] = case.visits[0].model_copy(update={"date": dt.date(2027, 2, 1), "mri_date": dt.date(2027, 1, 30)})


def _type_v2_weight(win, qtbot, tmp_path, text):
    """The follow-up example open at 1280×800 on the Visits tab; V2's weight typed with the keyboard."""
    panel = open_example(win, tmp_path, (1280, 800), edit=_v1_in_february)
    panel.select_visit("V2")
    panel.editor_area.ensureWidgetVisible(panel.editor.weight)
    type_text(qtbot, panel.editor.weight, text)
    return panel


def test_a_visit_weight_typed_wrong_is_checked_beside_the_amount_on_the_plan_tab(win, qtbot, tmp_path):
    panel = _type_v2_weight(win, qtbot, tmp_path, "3.4")
    assert win.doc.case.visits[1].weight_kg == 3.4
    assert weight_check_words(win.doc.case, "V2") == JUMP  # the words under the field are these
    assert JUMP in panel.editor.weight.message.text()

    plan = _plan_tab(win, qtbot)
    nsaid = plan.line_widgets["nsaid"]
    [naproxen], [check] = nsaid.dose_labels, nsaid.amount_check_labels
    assert "17–25.5 mg twice daily" in naproxen.text()  # the amount for 3.4 kg …
    assert check.isVisibleTo(plan) and naproxen.isVisibleTo(plan)
    assert check.text().startswith(f'<span style="color:{WARNING_COLOUR}"><b>Before giving this amount:</b></span>')
    assert f"{APLS}; {JUMP}." in check.text()  # … and its checks right under it, in the warning colour
    assert check.geometry().top() >= naproxen.geometry().bottom()


def test_a_plausible_visit_weight_puts_no_check_beside_the_amount(win, qtbot, tmp_path):
    _type_v2_weight(win, qtbot, tmp_path, "35")
    assert win.doc.case.visits[1].weight_kg == 35
    nsaid = _plan_tab(win, qtbot).line_widgets["nsaid"]
    [naproxen] = nsaid.dose_labels
    assert "175–262.5 mg twice daily" in naproxen.text()
    assert nsaid.amount_check_labels == [] and "check the weight" not in naproxen.text()
