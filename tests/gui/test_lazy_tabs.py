"""The start-up and edit-latency work keeps the window correct: lazily built tabs, a Plan tab that
catches up when shown, and a start path that does not import what it does not show."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLineEdit

from desktop_app.ui.panels.lazy_tabs import LazyPage

pytestmark = pytest.mark.gui


class _Prompter:
    parent = None

    def __getattr__(self, name):  # every prompt: decline, never a dialog
        return lambda *a, **k: None


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch, examples_dir):
    from desktop_app.ui.main_window import MainWindow

    monkeypatch.setenv("CRMO_CONSULT_DATA_DIR", str(tmp_path / "data"))
    w = MainWindow(prompter=_Prompter(), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   check_recovery=False)
    qtbot.addWidget(w)
    assert w.open_file(examples_dir / "typical-multifocal.crmo")
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.doc.mark_saved()
    w.close()


def _pages(window) -> list[LazyPage]:
    return [window.tabs.widget(i) for i in range(window.tabs.count())]


def _tab(window, title: str) -> int:
    return next(i for i in range(window.tabs.count()) if window.tabs.tabText(i).startswith(title))


def test_only_the_shown_tab_is_built_at_start_and_others_on_first_show(window):
    built = [p.panel is not None for p in _pages(window)]
    assert built == [True] + [False] * (len(built) - 1)
    labs = _tab(window, "Labs")
    window.tabs.setCurrentIndex(labs)
    page = window.tabs.widget(labs)
    assert page.panel is not None and page.panel.isVisible()
    crp = [w for w in page.findChildren(QLineEdit) if w.property("case_path") == "labs.crp"]
    assert crp and crp[0].text() == "8"  # the open case's value, not an empty form


def test_searching_the_tabs_builds_every_panel(window):
    target = window.field_widget("imaging.whole_body_survey")
    assert target is not None and target.property("case_path") == "imaging.whole_body_survey"
    assert all(p.panel is not None for p in _pages(window))


def test_hidden_plan_tab_does_not_rebuild_per_edit_but_is_current_when_shown(window, qtbot):
    plan_index = _tab(window, "Plan")
    window.tabs.setCurrentIndex(plan_index)
    panel = window.tabs.widget(plan_index).panel
    window.tabs.setCurrentIndex(0)
    before = panel.line_widgets["nsaid"]
    assert "capped at 500 mg" not in before.dose_labels[0].text()

    window.doc.set("patient.weight_kg", 80.0)  # edited on the Patient tab: the plan is hidden
    assert panel.line_widgets["nsaid"] is before  # nothing rebuilt yet

    window.tabs.setCurrentIndex(plan_index)
    assert "capped at 500 mg twice daily" in panel.line_widgets["nsaid"].dose_labels[0].text()
    window.doc.set("patient.weight_kg", None)  # edited while shown (undo, say): rebuilt at once
    assert "not calculated: enter weight (kg)" in panel.line_widgets["nsaid"].dose_labels[0].text()


def test_start_path_imports_neither_the_plan_the_skeleton_map_nor_pdf_libraries(tmp_path, examples_dir):
    """The plan comes only with the pane's warm-up, after the first frame (PLAN_DELAY_MS); the rest never
    on the way to a screenshot. On a loaded machine the warm-up may run before the screenshot is taken,
    so the plan is checked at the moment the warm-up starts (a spy on it), not at the end of the process:
    what the warm-up itself imports is not the start path's doing."""
    png = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               CRMO_CONSULT_DATA_DIR=str(tmp_path / "data"))
    plan = ["desktop_app.plan.build", "desktop_app.plan.visit_summary"]
    never = ["desktop_app.ui.skeleton_map", "desktop_app.ui.plan_panel", "reportlab", "PySide6.QtPdf"]
    code = f"""
import sys
import desktop_app.ui.assessment_pane as pane
warm_up, before_warm_up = pane.AssessmentPane._load_plan, []
def spy(self):
    before_warm_up.append([m for m in {plan!r} if m in sys.modules])
    warm_up(self)
pane.AssessmentPane._load_plan = spy
from desktop_app.cli import main
rc = main([{str(examples_dir / 'typical-multifocal.crmo')!r}, '--screenshot', {str(png)!r}])
plan_at_start = before_warm_up[0] if before_warm_up else [m for m in {plan!r} if m in sys.modules]
print(rc, plan_at_start, [m for m in {never!r} if m in sys.modules])
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "0 [] []", out.stderr
    assert png.stat().st_size > 10_000


def test_assessment_section_heights_follow_the_text_despite_the_size_cache(qtbot):
    from desktop_app.ui.assessment_pane import AssessmentPane
    from desktop_app.ui.document import CaseDocument

    pane = AssessmentPane(CaseDocument())
    qtbot.addWidget(pane)
    section = pane.flags
    section.update_text("<b>short</b>")
    short = section.heightForWidth(300), section.sizeHint().height()
    section.update_text("<br/>".join(["a longer line of text that wraps"] * 12))
    tall = section.heightForWidth(300), section.sizeHint().height()
    assert tall[0] > short[0] * 5 and tall[1] > short[1] * 5
    assert section.heightForWidth(300) == tall[0]  # cached answer is the same answer


def test_tab_titles_written_for_lazy_tabs_match_the_panels_own():
    """The window names tabs before importing their panels; the names must not drift apart."""
    import importlib

    from desktop_app.ui.panels import PANELS, REFERENCE

    for module, cls_name, title in (*PANELS, REFERENCE):
        assert getattr(importlib.import_module(module), cls_name).title == title


def test_visits_tab_is_built_on_its_first_click_not_when_a_case_with_visits_opens(qtbot, tmp_path, monkeypatch,
                                                                                  examples_dir):
    """Issue 18: start-up unchanged, the Visits tab (course, list, chart) built when first shown."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from desktop_app.ui.main_window import MainWindow

    monkeypatch.setenv("CRMO_CONSULT_DATA_DIR", str(tmp_path / "data"))
    w = MainWindow(prompter=_Prompter(), settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                   check_recovery=False)
    qtbot.addWidget(w)
    assert w.open_file(examples_dir / "followup-two-visits.crmo")
    w.show()
    qtbot.waitExposed(w)
    visits = _tab(w, "Visits")
    page = w.tabs.widget(visits)
    assert page.panel is None

    bar = w.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(visits).center())
    assert w.tabs.currentIndex() == visits
    assert page.panel is not None and page.panel.isVisible()
    table = page.panel.table
    assert table.rowCount() == 3  # the first consultation and the two visits, from the opened file
    assert "2027-04-12" in table.item(2, 0).text()
    w.doc.mark_saved()
    w.close()


def test_start_path_with_visits_builds_neither_the_visits_tab_nor_its_chart(tmp_path, examples_dir):
    png = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               CRMO_CONSULT_DATA_DIR=str(tmp_path / "data"))
    heavy = ["desktop_app.ui.panels.visits", "desktop_app.ui.course_chart", "desktop_app.course.chart"]
    code = ("import sys; from desktop_app.cli import main; "
            f"rc = main([{str(examples_dir / 'followup-two-visits.crmo')!r}, '--screenshot', {str(png)!r}]); "
            f"print(rc, [m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "0 []", out.stderr
    assert png.stat().st_size > 10_000
