"""The real Prompter's message boxes (run briefly, closed by a timer) and the headless one."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app.ui.prompter import HeadlessPrompter, Prompter

HOSTILE = "<b>bold</b> & <img src='x.png'>.crmo"


def _on_next_dialog(kind: type, act) -> None:
    """Once a `kind` dialog is visible (its exec() is running), call act(dialog) on it."""
    def poll():
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        act(dialog)
    QTimer.singleShot(0, poll)


def _close_next_box(seen: list) -> None:
    """Record the text and format of the next message box, then press Cancel/OK on it."""
    def grab(box: QMessageBox) -> None:
        seen.append((box.text(), box.textFormat()))
        box.reject()
    _on_next_dialog(QMessageBox, grab)


@pytest.mark.allow_dialogs
@pytest.mark.parametrize("ask", [
    lambda p: p.error("Could not open case", f"{HOSTILE}: not a case file."),
    lambda p: p.info("Saved", f"{HOSTILE} saved."),
    lambda p: p.confirm_discard(HOSTILE),
])
def test_messages_show_file_names_as_plain_text(qapp, ask):
    seen: list = []
    _close_next_box(seen)
    ask(Prompter())
    ((text, text_format),) = seen
    assert HOSTILE in text
    assert text_format == Qt.TextFormat.PlainText


@pytest.mark.allow_dialogs
def test_confirm_discard_closed_without_a_choice_cancels(qapp):
    seen: list = []
    _close_next_box(seen)
    # reject() is the window's close button: nothing is saved and nothing is thrown away
    assert Prompter().confirm_discard("case.crmo") == "cancel"


@pytest.mark.allow_dialogs
@pytest.mark.parametrize("button, expected", [
    ("recover_button", ("recover", "second")),
    ("delete_button", ("delete", "second")),
    ("later_button", None),
])
def test_recovery_dialog_recovers_deletes_or_leaves_the_chosen_copy(qapp, qtbot, button, expected):
    from desktop_app.ui.prompter import RecoveryDialog

    entries = ["first", "second"]
    seen: list[list[str]] = []

    def answer(dialog: RecoveryDialog) -> None:
        seen.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        dialog.list.setCurrentRow(1)
        qtbot.mouseClick(getattr(dialog, button), Qt.MouseButton.LeftButton)

    _on_next_dialog(RecoveryDialog, answer)
    prompter = Prompter()
    prompter.recovery_label = lambda entry: f"{entry} copy"
    assert prompter.offer_recovery(entries) == expected
    assert seen == [["first copy", "second copy"]]


def test_headless_prompter_collects_errors_and_declines_everything():
    p = HeadlessPrompter()
    p.error("Could not open case", "bad.crmo: not a case file.")
    assert p.errors == ["bad.crmo: not a case file."]
    assert p.confirm_discard("x.crmo") == "discard"
    assert p.open_path("/tmp") is None and p.choose_printer() is None and p.offer_recovery([1]) is None
