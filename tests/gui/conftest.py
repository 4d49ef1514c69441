"""GUI test set-up: a scripted FakePrompter, no modal dialogs ever, and isolated settings/data.

- `FakePrompter` records every prompt and returns scripted answers, so tests drive the window
  without any dialog (pitfalls.md C.2).
- An autouse guard closes and FAILS the test on any visible QDialog/QMessageBox (a dialog that
  slipped past the Prompter would otherwise hang the suite). Mark a test
  `@pytest.mark.allow_dialogs` when it deliberately shows a non-modal dialog.
- An autouse fixture points QSettings and CRMO_CONSULT_DATA_DIR (recovery files) at tmp_path.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app import APP_NAME


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_dialogs: the test may show a (non-modal) QDialog")


class FakePrompter:
    """Records calls as (name, args) and answers from the attributes below."""

    def __init__(self):
        self.parent = None
        self.calls: list[tuple[str, tuple]] = []
        self.discard_answer = "cancel"  # confirm_discard → "save" / "discard" / "cancel"
        self.drop_entries_answer = "cancel"  # confirm_drop_entries → "discard" / "cancel"
        self.open_answer: Optional[Path] = None
        self.save_answer: Optional[Path] = None
        self.pdf_answer: Optional[Path] = None
        self.fhir_answer: Optional[Path] = None
        self.recovery_choice: int | None = None  # index into the offered entries, None = later
        self.recovery_action = "recover"  # or "delete"
        self.printer: Any = None
        self.delete_answer = False  # confirm_delete → True deletes
        self.note_answer: Optional[int] = 0  # choose_note → an index (0: the preselected latest visit), None = cancel

    def _record(self, name: str, *args) -> None:
        self.calls.append((name, args))

    def called(self, name: str) -> list[tuple]:
        return [args for n, args in self.calls if n == name]

    def confirm_discard(self, document_name):
        self._record("confirm_discard", document_name)
        return self.discard_answer

    def confirm_drop_entries(self, document_name, refused):
        self._record("confirm_drop_entries", document_name, refused)
        return self.drop_entries_answer

    def confirm_delete(self, title, message):
        self._record("confirm_delete", title, message)
        return self.delete_answer

    def open_path(self, directory=""):
        self._record("open_path", directory)
        return self.open_answer

    def save_path(self, suggested=""):
        self._record("save_path", suggested)
        return self.save_answer

    def pdf_path(self, suggested=""):
        self._record("pdf_path", suggested)
        return self.pdf_answer

    def fhir_path(self, suggested=""):
        self._record("fhir_path", suggested)
        return self.fhir_answer

    def offer_recovery(self, entries):
        self._record("offer_recovery", list(entries))
        return None if self.recovery_choice is None else (self.recovery_action, entries[self.recovery_choice])

    def choose_note(self, action, labels):
        self._record("choose_note", action, list(labels))
        return self.note_answer

    def choose_printer(self):
        self._record("choose_printer")
        return self.printer

    def error(self, title, message):
        self._record("error", title, message)

    def info(self, title, message):
        self._record("info", title, message)

    def about(self, title, html):
        self._record("about", title, html)


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, qapp):
    qapp.setApplicationName(APP_NAME)
    qapp.setOrganizationName(APP_NAME)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(tmp_path / "settings"))
    monkeypatch.setenv("CRMO_CONSULT_DATA_DIR", str(tmp_path / "data"))
    yield


@pytest.fixture(autouse=True)
def no_dialogs(request, qapp):
    """Fail the test if any dialog becomes visible; close it so a modal exec() cannot hang."""
    if request.node.get_closest_marker("allow_dialogs"):
        yield
        return
    seen: list[str] = []

    def sweep() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                seen.append(f"{type(w).__name__} {w.windowTitle()!r}")
                w.reject()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(sweep)
    timer.start()
    yield
    timer.stop()
    sweep()
    if seen:
        pytest.fail(f"a dialog was shown during the test (use the Prompter): {', '.join(seen)}")


@pytest.fixture
def window(qtbot, prompter):
    """A main window with the fake prompter, not yet shown; closed cleanly afterwards."""
    from desktop_app.ui.main_window import MainWindow

    w = MainWindow(prompter=prompter, settings=QSettings())
    qtbot.addWidget(w)
    yield w
    w.doc.mark_saved()  # don't ask on teardown
    w.close()


@pytest.fixture
def win(window, qtbot):
    """The main window shown at 1280×800, exposed and active (clicks and key presses reach it)."""
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window
