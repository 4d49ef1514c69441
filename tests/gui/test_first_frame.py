"""Start-up shows the window's frame before the case model and criteria engine are imported, then
opens the case into it: what the user sees at each step, and what each step has imported."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QLineEdit

from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.panels import PANELS

pytestmark = pytest.mark.gui


@pytest.fixture
def frame(qtbot, prompter):
    w = MainWindow(prompter=prompter, check_recovery=False, frame_only=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if w.doc is not None:
        w.doc.mark_saved()


def _texts(widget) -> str:
    return " ".join(label.text() for label in widget.findChildren(QLabel))


def test_the_frame_shows_every_tab_title_and_says_the_case_is_opening(frame):
    titles = [frame.tabs.tabText(i).replace("&&", "&") for i in range(frame.tabs.count())]
    assert titles == [title for _m, _c, title in PANELS] + ["Reference"]
    assert frame.doc is None and frame.pane is None
    assert frame.tabs.widget(0).panel is None  # no form before there is a case to show
    assert "Opening…" in _texts(frame.splitter.widget(1))
    assert frame.statusBar().currentMessage() == "Opening…"
    assert frame.act_save.shortcut().isEmpty()  # shortcuts come with the document (attach_case)
    assert not frame.menuBar().isEnabled() and not frame.toolbar.isEnabled()  # nothing to act on yet
    assert not frame.acceptDrops()


def test_start_opens_the_case_into_the_frame(frame, examples_dir, qtbot):
    assert frame.start(examples_dir / "typical-multifocal.crmo") is True
    assert frame.windowTitle() == "CRMO Consult — typical-multifocal.crmo[*]"
    assert frame.splitter.widget(1) is frame.pane and frame.pane.isVisible()
    assert "Bristol" in frame.pane.card_text("bristol_2016")
    name = [w for w in frame.tabs.widget(0).findChildren(QLineEdit) if w.property("case_path") == "patient.name"]
    assert name and name[0].text() == "Example Patient"
    assert frame.recent.paths()[0].name == "typical-multifocal.crmo"
    # Menus, shortcuts and undo/redo work once there is a document to act on.
    assert frame.menuBar().isEnabled() and frame.toolbar.isEnabled() and frame.acceptDrops()
    assert frame.act_save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert frame.act_undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    toolbar = [a.text() for a in frame.toolbar.actions() if not a.isSeparator()]
    assert toolbar == ["&New", "&Open…", "&Save", "&Undo", "&Redo", "Pre&view note", "&Export PDF…", "&Print…"]
    frame.doc.set("patient.name", "B")
    assert frame.isWindowModified()
    frame.act_undo.trigger()
    assert frame.doc.case.patient.name == "Example Patient" and not frame.isWindowModified()


def test_a_bad_case_file_is_reported_and_the_window_opens_with_an_empty_case(frame, tmp_path, prompter):
    bad = tmp_path / "bad.crmo"
    bad.write_text("{ not json", encoding="utf-8")
    record = prompter.error
    ready_when_told: list[bool] = []
    prompter.error = lambda *a: (ready_when_told.append(frame.menuBar().isEnabled()), record(*a))
    assert frame.start(bad) is False
    assert ready_when_told == [True]  # the message opens over a working window, not the frame
    (title, message), = prompter.called("error")
    assert title == "Could not open case" and "bad.crmo" in message
    assert frame.windowTitle() == "CRMO Consult — Untitled[*]"
    assert frame.doc.case.patient.name == "" and frame.pane is not None
    assert bad.read_text(encoding="utf-8") == "{ not json"


def test_start_without_a_case_gives_an_empty_case(frame):
    assert frame.start(None) is True
    assert frame.windowTitle() == "CRMO Consult — Untitled[*]" and frame.doc.case.patient.name == ""


def test_the_first_frame_is_drawn_before_pydantic_or_the_criteria_engine_is_imported(tmp_path, examples_dir):
    """In a fresh process: what is imported at the first frame, and the trace the benchmarks read."""
    png = tmp_path / "shot.png"
    code = (
        "import sys\n"
        "import desktop_app.ui.app as app\n"
        "shown = app._show_first_frame\n"
        "def first_frame(qapp, window):\n"
        "    shown(qapp, window)\n"
        "    heavy = ['pydantic', 'desktop_app.case.models', 'desktop_app.criteria.assess']\n"
        "    print('at first frame:', [m for m in heavy if m in sys.modules])\n"
        "app._show_first_frame = first_frame\n"
        "from desktop_app.cli import main\n"
        f"sys.exit(main([{str(examples_dir / 'typical-multifocal.crmo')!r}, '--screenshot', {str(png)!r}]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               CRMO_CONSULT_DATA_DIR=str(tmp_path / "data"), CRMO_CONSULT_TRACE_STARTUP="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "at first frame: []" in out.stdout
    trace = dict(line.split() for line in out.stderr.splitlines() if line.startswith(("first-frame", "case-shown")))
    assert float(trace["first-frame"]) < float(trace["case-shown"])
    assert png.stat().st_size > 10_000
