"""Open / save / reopen, bad files, unsaved-changes prompts, autosave and crash recovery."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_app.case.models import Case, LabValue
from desktop_app.storage import recovery
from desktop_app.storage.case_file import load_case
from desktop_app.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def case_file(tmp_path, examples_dir) -> Path:
    path = tmp_path / "typical.crmo"
    shutil.copy(examples_dir / "typical-multifocal.crmo", path)
    return path


def _dirty(window) -> None:
    window.doc.set("labs.crp", LabValue(value=42, unit="mg/L"))
    assert window.doc.dirty


def test_open_edit_save_reopen_keeps_the_edit(window, case_file, qtbot, prompter):
    assert window.open_file(case_file)
    assert window.doc.case.patient.name == "Example Patient"
    assert window.windowTitle() == "CRMO Consult — typical.crmo[*]"
    assert not window.isWindowModified()

    window.doc.set("patient.weight_kg", 41.5)
    assert window.isWindowModified()
    window.act_save.trigger()
    assert not window.isWindowModified()
    assert prompter.called("error") == []
    assert load_case(case_file).patient.weight_kg == 41.5

    other = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(other)
    assert other.open_file(case_file)
    assert other.doc.case.patient.weight_kg == 41.5
    assert other.doc.case.patient.name == "Example Patient"


def test_save_as_for_an_untitled_case_asks_for_a_path(window, tmp_path, prompter):
    window.doc.set("patient.name", "Zoë Łukasz")
    prompter.save_answer = tmp_path / "new.crmo"
    window.act_save.trigger()
    assert len(prompter.called("save_path")) == 1
    assert load_case(tmp_path / "new.crmo").patient.name == "Zoë Łukasz"
    assert window.path == tmp_path / "new.crmo"
    assert "new.crmo" in window.windowTitle() and not window.doc.dirty
    assert window.recent.paths()[0] == (tmp_path / "new.crmo").resolve()


def test_cancelled_save_as_keeps_the_document_dirty(window, prompter):
    _dirty(window)
    prompter.save_answer = None
    assert not window.save()
    assert window.doc.dirty


def test_corrupt_file_reports_one_line_and_leaves_the_window_unchanged(window, case_file, tmp_path, prompter):
    window.open_file(case_file)
    _dirty(window)
    before = window.doc.case.model_dump()
    bad = tmp_path / "broken.crmo"
    bad.write_text('{"format": "crmo-consult/case", "schema_version": 1, "patient": {', encoding="utf-8")
    prompter.discard_answer = "discard"

    assert not window.open_file(bad, ask=False)

    (title, message), = prompter.called("error")
    assert "broken.crmo" in message and "\n" not in message
    assert window.doc.case.model_dump() == before
    assert window.path == case_file and window.doc.dirty
    assert bad.resolve() not in window.recent.paths()


def test_failed_save_reports_and_keeps_the_document_dirty(window, tmp_path, prompter):
    _dirty(window)
    target = tmp_path / "no-such-folder" / "case.crmo"
    assert not window.save_to(target)
    (title, message), = prompter.called("error")
    assert "case.crmo" in message
    assert window.doc.dirty and window.path is None
    assert not target.exists()


def test_new_with_unsaved_changes_cancel_keeps_the_case(window, prompter):
    _dirty(window)
    prompter.discard_answer = "cancel"
    window.act_new.trigger()
    assert prompter.called("confirm_discard") == [("Untitled",)]
    assert window.doc.case.labs.crp.value == 42 and window.doc.dirty


def test_new_with_unsaved_changes_discard_starts_empty(window, prompter):
    _dirty(window)
    prompter.discard_answer = "discard"
    window.act_new.trigger()
    assert window.doc.case == Case() and not window.doc.dirty


def test_new_with_unsaved_changes_save_writes_the_file_first(window, case_file, prompter):
    window.open_file(case_file)
    _dirty(window)
    prompter.discard_answer = "save"
    window.act_new.trigger()
    assert load_case(case_file).labs.crp.value == 42
    assert window.doc.case == Case() and window.path is None


def test_clean_document_closes_without_asking(window, qtbot, prompter):
    window.show()
    qtbot.waitExposed(window)
    assert window.close()
    assert prompter.called("confirm_discard") == []


def test_close_with_unsaved_changes_cancel_keeps_the_window_open(window, qtbot, prompter):
    window.show()
    qtbot.waitExposed(window)
    _dirty(window)
    prompter.discard_answer = "cancel"
    assert not window.close()
    assert window.isVisible() and window.doc.dirty
    prompter.discard_answer = "discard"
    assert window.close()
    assert not window.isVisible()


def test_recent_files_menu_lists_opened_cases_and_drops_missing_ones(window, case_file, prompter):
    window.open_file(case_file)
    window._fill_recent_menu()
    texts = [a.text() for a in window.recent_menu.actions()]
    assert texts == ["&1 typical.crmo"]
    case_file.unlink()
    window.recent_menu.actions()[0].trigger()
    assert "typical.crmo" in prompter.called("error")[0][1]
    assert window.recent.paths() == []


def test_dropping_a_case_file_opens_it(window, case_file):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(case_file))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    assert window.path == case_file
    assert window.doc.case.patient.name == "Example Patient"


# --- autosave and recovery ----------------------------------------------------------------------
def test_first_unsaved_change_starts_the_30_second_autosave(window, case_file):
    window.open_file(case_file)
    assert not window.autosave.timer.isActive()
    _dirty(window)
    assert window.autosave.timer.isActive()
    assert window.autosave.timer.interval() == 30_000
    window.autosave.timer.timeout.emit()  # as if 30 s had passed
    (entry,) = recovery.list_recoveries()
    assert entry.original == case_file.resolve()
    assert recovery.load_recovery(entry).labs.crp.value == 42


def test_clean_save_removes_the_recovery_copy(window, case_file):
    window.open_file(case_file)
    _dirty(window)
    window.autosave.write_now()
    assert len(recovery.list_recoveries()) == 1
    assert window.save()
    assert recovery.list_recoveries() == []


def test_discarding_changes_on_close_removes_the_recovery_copy(window, case_file, prompter):
    window.open_file(case_file)
    _dirty(window)
    window.autosave.write_now()
    prompter.discard_answer = "discard"
    assert window.close()
    assert recovery.list_recoveries() == []


def test_recovery_after_a_crash_restores_the_unsaved_case(case_file, prompter, qtbot):
    crashed = load_case(case_file)
    crashed.labs.crp = LabValue(value=3.2, unit="mg/dL")
    recovery.write_recovery(crashed, case_file)
    prompter.recovery_choice = 0

    window = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(window)

    (entries,) = prompter.called("offer_recovery")
    assert [e.original for e in entries[0]] == [case_file.resolve()]
    assert window.doc.case.labs.crp == LabValue(value=3.2, unit="mg/dL")
    assert window.path == case_file.resolve()
    assert window.doc.dirty and window.isWindowModified()
    window.act_undo.trigger()  # nothing to undo: recovered work stays unsaved
    assert window.doc.dirty
    assert window.save()
    assert load_case(case_file).labs.crp.unit == "mg/dL"
    assert recovery.list_recoveries() == []


def test_deleting_the_recovery_copy_removes_it_and_keeps_the_empty_case(case_file, prompter, qtbot):
    recovery.write_recovery(load_case(case_file), case_file)
    before = case_file.read_bytes()
    prompter.recovery_choice, prompter.recovery_action = 0, "delete"
    window = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(window)
    assert window.doc.case == Case() and not window.doc.dirty
    assert recovery.list_recoveries() == []  # not offered again at the next start
    assert case_file.read_bytes() == before  # only the autosaved copy goes, never the case file
    assert window.statusBar().currentMessage() == "Deleted the autosaved copy"


def test_declined_recovery_keeps_the_copy_for_next_time(case_file, prompter, qtbot):
    recovery.write_recovery(load_case(case_file), case_file)
    prompter.recovery_choice = None
    window = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(window)
    assert window.doc.case == Case() and not window.doc.dirty
    assert len(recovery.list_recoveries()) == 1


def test_no_recovery_prompt_without_recovery_files(window, prompter):
    assert prompter.called("offer_recovery") == []
