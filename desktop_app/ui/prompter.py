"""Every question the app asks the user, in one injectable object.

The window never opens a dialog itself: it asks its `Prompter`. Tests swap in a fake that records
the calls and returns scripted answers, so no modal dialog can block a headless test run
(pitfalls.md C.2). File dialogs are Qt's own (non-native) widgets: native ones hang or crash
without a display and look different on every workstation.
"""
from __future__ import annotations

from pathlib import Path
from typing import Literal, Optional, Sequence, TypeVar

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QLabel, QListWidget, QMessageBox,
                               QVBoxLayout, QWidget)

CASE_FILTER = "CRMO case (*.crmo);;All files (*)"
PDF_FILTER = "PDF (*.pdf)"
FHIR_FILTER = "FHIR bundle (*.json)"
Discard = Literal["save", "discard", "cancel"]
T = TypeVar("T")
# offer_recovery's answer: restore this copy, or delete it; None = decide later (copies kept).
RecoveryAnswer = tuple[Literal["recover", "delete"], T]


class Prompter:
    """Qt dialogs parented to the main window (`parent` may be set after construction)."""

    def __init__(self, parent: QWidget | None = None):
        self.parent = parent

    # --- questions -------------------------------------------------------------------------
    def confirm_discard(self, document_name: str) -> Discard:
        box = self._box(QMessageBox.Warning, "Unsaved changes",
                        f"Save the changes to “{document_name}” before closing it?",
                        QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel)
        box.setDefaultButton(QMessageBox.Save)
        answer = box.exec()
        if answer == QMessageBox.Save:
            return "save"
        if answer == QMessageBox.Discard:
            return "discard"
        return "cancel"

    def confirm_drop_entries(self, document_name: str, refused: str) -> Discard:
        """Entries were refused (their words are under the fields): close `document_name` without
        them ("discard"), or go back to them ("cancel")."""
        box = self._box(QMessageBox.Warning, "Entries not accepted",
                        f"These entries in “{document_name}” were not accepted and are not in the case:\n\n"
                        f"{refused}\n\nGo on without them?",
                        QMessageBox.Discard | QMessageBox.Cancel)
        box.button(QMessageBox.Discard).setText("Go on without them")
        box.button(QMessageBox.Cancel).setText("Go back to them")
        box.setDefaultButton(QMessageBox.Cancel)
        return "discard" if box.exec() == QMessageBox.Discard else "cancel"

    def confirm_delete(self, title: str, message: str) -> bool:
        """Delete something the user may still want (a visit, a lesion that visits refer to)?
        The message says what goes with it; the default answer keeps it."""
        box = self._box(QMessageBox.Warning, title, message, QMessageBox.Yes | QMessageBox.Cancel)
        box.button(QMessageBox.Yes).setText("Delete")
        box.setDefaultButton(QMessageBox.Cancel)
        return box.exec() == QMessageBox.Yes

    def open_path(self, directory: str = "") -> Optional[Path]:
        return self._file_dialog("Open case", directory, CASE_FILTER, save=False)

    def save_path(self, suggested: str = "") -> Optional[Path]:
        path = self._file_dialog("Save case as", suggested, CASE_FILTER, save=True)
        if path is not None and not path.suffix:
            path = path.with_suffix(".crmo")
        return path

    def pdf_path(self, suggested: str = "") -> Optional[Path]:
        path = self._file_dialog("Export consult note", suggested, PDF_FILTER, save=True)
        if path is not None and path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        return path

    def fhir_path(self, suggested: str = "") -> Optional[Path]:
        path = self._file_dialog("Export FHIR bundle", suggested, FHIR_FILTER, save=True)
        if path is not None and path.suffix.lower() != ".json":
            path = path.with_suffix(".json")  # never a .crmo: the bundle is always named .json
        return path

    def offer_recovery(self, entries: Sequence[T]) -> Optional[RecoveryAnswer]:
        """Offer unsaved work found after a crash: recover the chosen copy, delete it, or decide
        later (None: the copies are kept and offered again at the next start)."""
        dialog = RecoveryDialog([self.recovery_label(e) for e in entries], self.parent)
        dialog.exec()
        return (dialog.action, entries[dialog.row]) if dialog.action else None

    @staticmethod
    def recovery_label(entry) -> str:
        """"Zoë Example — typical.crmo — autosaved 2026-11-20 14:02" (a storage RecoveryEntry)."""
        name = entry.patient_name or "Unnamed patient"
        original = entry.original.name if entry.original else "never saved"
        when = entry.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{name} — {original} — autosaved {when}"

    def choose_note(self, action: str, labels: Sequence[str]) -> Optional[int]:
        """Before Export PDF… or Print… of a case with visits: which note (note_choice.py). The
        index into `labels` (the first, the latest visit, preselected), or None when cancelled."""
        from desktop_app.ui.note_choice import NoteChoiceDialog, NoteOption

        dialog = NoteChoiceDialog(action, [NoteOption(text, str(i)) for i, text in enumerate(labels)], self.parent)
        dialog.exec()
        return dialog.chosen()

    def choose_printer(self):
        """The system print dialog; returns a configured QPrinter, or None when cancelled."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # only when printing

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self.parent)
        return printer if dialog.exec() == QPrintDialog.DialogCode.Accepted else None

    # --- messages --------------------------------------------------------------------------
    def error(self, title: str, message: str) -> None:
        self._box(QMessageBox.Critical, title, _one_line(message)).exec()

    def info(self, title: str, message: str) -> None:
        self._box(QMessageBox.Information, title, message).exec()

    def _box(self, icon, title: str, text: str, buttons=QMessageBox.Ok) -> QMessageBox:
        # Plain text: messages carry file names and case text, and QMessageBox would otherwise
        # guess that "<b>x.crmo" is rich text and render it.
        box = QMessageBox(icon, title, text, buttons, self.parent)
        from PySide6.QtCore import Qt  # here, not at the top: `Qt` costs ~14 ms before the first frame

        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    def about(self, title: str, html: str) -> None:
        QMessageBox.about(self.parent, title, html)

    def _file_dialog(self, caption: str, start: str, filters: str, save: bool) -> Optional[Path]:
        options = QFileDialog.Option.DontUseNativeDialog
        if save:
            name, _ = QFileDialog.getSaveFileName(self.parent, caption, start, filters, options=options)
        else:
            name, _ = QFileDialog.getOpenFileName(self.parent, caption, start, filters, options=options)
        return Path(name) if name else None


def _one_line(message: object) -> str:
    """Every error the window shows is one short line (the CLI prints the same: errors.one_line)."""
    from desktop_app.storage.errors import one_line  # pure Python, tiny

    return one_line(message)


class RecoveryDialog(QDialog):
    """The autosaved copies, one selected, and three buttons: Recover, Delete this copy, Later.
    After it closes, `action` is "recover", "delete" or "" (Later, or the window closed)."""

    def __init__(self, labels: Sequence[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.action = ""
        self.list = QListWidget()
        self.list.addItems(list(labels))
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox()
        self.recover_button = buttons.addButton("&Recover", QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button = buttons.addButton("&Delete this copy", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.later_button = buttons.addButton("&Later", QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.setDefault(True)
        self.recover_button.clicked.connect(lambda: self._finish("recover"))
        self.delete_button.clicked.connect(lambda: self._finish("delete"))
        self.later_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("CRMO Consult closed with unsaved changes. Recover one of these cases?\n"
                                "Later keeps the copies and asks again at the next start; "
                                "Delete this copy throws its changes away."))
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    @property
    def row(self) -> int:
        return max(self.list.currentRow(), 0)

    def _finish(self, action: str) -> None:
        self.action = action
        self.accept()


class HeadlessPrompter:
    """For runs with nobody at the screen (--screenshot, --self-test, benchmarks): no dialog can
    open; errors are collected in `errors`, every question is declined."""

    parent = None

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, title: str, message: str) -> None:
        self.errors.append(_one_line(message))

    def __getattr__(self, name):  # any other prompt: decline (close without saving, no file)
        return lambda *args, **kwargs: "discard" if name in ("confirm_discard", "confirm_drop_entries") else None
