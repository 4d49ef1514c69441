"""Issue 12 in the window: year 9999, hostile save targets, one-line errors, private settings."""
from __future__ import annotations

import json
import os
import signal
import stat

import pytest
from PySide6.QtCore import QSettings

from desktop_app.ui.file_actions import RecentFiles
from tests.conftest import EXAMPLES

pytestmark = pytest.mark.gui
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and permission bits")
EXAMPLE = EXAMPLES / "typical-multifocal.crmo"


@pytest.fixture
def deadline():
    """A hang becomes a failure: SIGALRM interrupts the (main-thread) Qt call after 20 s."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(*_):
        raise TimeoutError("still running after 20 s (it hangs)")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, 20)
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("when", ["9999-12-31", "0001-01-01"])
def test_the_window_opens_and_assesses_a_case_at_the_calendars_edges(window, prompter, tmp_path, when, qtbot):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["encounter"]["date"] = data["symptoms"]["first_symptom_date"] = when
    path = tmp_path / "edge.crmo"
    path.write_text(json.dumps(data), encoding="utf-8")
    window.show()
    assert window.open_file(path)
    window.pane.refresh()  # the pane catches a crash and shows "could not be computed" instead
    assert window.pane.assessment is not None, "the assessment crashed"
    if when.startswith("9999"):
        assert window.pane.assessment.derived.age_years == pytest.approx(7984.7, abs=0.06)
    assert prompter.called("error") == []


@posix
def test_saving_onto_a_fifo_or_a_symlink_loop_is_one_dialog(window, prompter, tmp_path, deadline):
    window.open_file(EXAMPLE)
    fifo = tmp_path / "pipe.crmo"
    os.mkfifo(fifo)
    loop = tmp_path / "loop.crmo"
    loop.symlink_to(loop)
    assert not window.save_to(fifo)
    assert not window.save_to(loop)
    messages = [m for _, m in prompter.called("error")]
    assert len(messages) == 2
    assert messages[0].startswith("pipe.crmo: cannot save: it is a named pipe")
    assert messages[1].startswith("loop.crmo: cannot save: its path is a loop of symbolic links")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and loop.is_symlink()
    assert window.doc.case.patient.name == "Example Patient"


@posix
def test_opening_a_fifo_is_one_dialog(window, prompter, tmp_path, deadline):
    fifo = tmp_path / "pipe.crmo"
    os.mkfifo(fifo)
    assert not window.open_file(fifo)
    (title, message), = prompter.called("error")
    assert message == "pipe.crmo: is a named pipe, not a case file."


@posix
def test_the_recent_files_settings_are_owner_only_under_umask_022(tmp_path):
    old = os.umask(0o022)
    try:
        settings = QSettings(str(tmp_path / "cfg" / "settings.ini"), QSettings.Format.IniFormat)
        RecentFiles(settings).add(EXAMPLE)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "cfg" / "settings.ini").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cfg").stat().st_mode) == 0o700
    assert str(EXAMPLE.resolve()) in (tmp_path / "cfg" / "settings.ini").read_text()
