"""Issue 18: Preview, Export PDF and Print offer the note of each visit or the first consultation's
when the case has visits ("Note for:", the latest visit first and preselected), and the file written
is the chosen note (read back from the PDF's text). Without visits nothing is asked, as before."""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app.storage.case_file import load_case
from desktop_app.ui.note_choice import NOTE_FOR_NAME, NoteChoiceDialog, note_options
from tests.gui.popups import pick_in_popup

pytestmark = pytest.mark.gui

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
FOLLOWUP = EXAMPLES / "followup-two-visits.crmo"
LABELS = ["Visit of 2027-04-12 (V2)", "Visit of 2027-01-11 (V1)", "First consultation (2026-10-05)"]
CONSULT_TITLE = "CRMO/CNO consult note"  # §12, mode cno
FOLLOWUP_TITLE = "CRMO/CNO follow-up note"  # §13.6, mode cno


def first_page(source) -> str:
    from pypdf import PdfReader

    data = source if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()
    return re.sub(r"\s+", " ", PdfReader(io.BytesIO(bytes(data))).pages[0].extract_text())


def is_followup_note_of(text: str, date: str) -> bool:
    return FOLLOWUP_TITLE in text and date in text and CONSULT_TITLE not in text


def is_consult_note(text: str) -> bool:
    return CONSULT_TITLE in text and "follow-up note" not in text


def open_example(win, path: Path = FOLLOWUP) -> None:
    assert win.open_file(path, ask=False)


def test_the_choices_latest_visit_first_then_the_first_consultation():
    case = load_case(FOLLOWUP)
    assert [o.label for o in note_options(case)] == LABELS
    assert [o.visit_id for o in note_options(case)] == ["V2", "V1", None]
    assert note_options(load_case(EXAMPLES / "typical-multifocal.crmo")) == []


# --- the preview: "Note for:" in its toolbar ---------------------------------------------------------
@pytest.mark.allow_dialogs
def test_the_preview_offers_each_note_and_exports_the_one_shown(win, qtbot, prompter, tmp_path):
    open_example(win)
    win.preview_note()
    preview = win._preview
    qtbot.addWidget(preview)
    combo = preview.note_combo
    assert combo.isVisible() and preview.note_label.isVisible()
    assert combo.accessibleName() == NOTE_FOR_NAME and preview.note_label.buddy() is combo
    assert [combo.itemText(i) for i in range(combo.count())] == LABELS
    assert combo.currentText() == LABELS[0]  # the latest visit, preselected (§13.6)
    assert is_followup_note_of(first_page(preview._pdf.data.data()), "2027-04-12")

    shown = preview.generation
    pick_in_popup(qtbot, combo, LABELS[2])  # the first consultation
    assert preview.generation == shown + 1  # choosing rebuilt the preview
    assert is_consult_note(first_page(preview._pdf.data.data()))
    out = tmp_path / "first.pdf"
    prompter.pdf_answer = out
    qtbot.mouseClick(preview.export_button, Qt.MouseButton.LeftButton)
    assert is_consult_note(first_page(out))
    assert prompter.called("choose_note") == []  # the preview's choice is the answer

    pick_in_popup(qtbot, combo, LABELS[1])  # visit V1
    assert is_followup_note_of(first_page(preview._pdf.data.data()), "2027-01-11")
    out = tmp_path / "v1.pdf"
    prompter.pdf_answer = out
    qtbot.mouseClick(preview.export_button, Qt.MouseButton.LeftButton)
    assert is_followup_note_of(first_page(out), "2027-01-11")
    assert Path(prompter.called("pdf_path")[-1][0]).name == "followup-two-visits-V1.pdf"
    preview.close()


@pytest.mark.allow_dialogs
def test_the_preview_follows_a_deleted_visit(win, qtbot, prompter):
    open_example(win)
    win.preview_note()
    preview = win._preview
    qtbot.addWidget(preview)
    pick_in_popup(qtbot, preview.note_combo, LABELS[1])  # V1
    titles = [win.tabs.tabText(i) for i in range(win.tabs.count())]
    win.tabs.setCurrentIndex(titles.index("Visits"))
    panel = win.tabs.currentWidget().panel
    panel.select_visit("V1")
    prompter.delete_answer = True
    panel.delete_selected()
    assert [v.id for v in win.doc.case.visits] == ["V2"]
    assert preview.refresh()  # what the pause after an edit does
    assert [preview.note_combo.itemText(i) for i in range(preview.note_combo.count())] == [LABELS[0], LABELS[2]]
    assert preview.note_combo.currentText() == LABELS[0]
    assert "no longer in the case" in preview.status.text() and preview.status.isVisible()
    assert is_followup_note_of(first_page(preview._pdf.data.data()), "2027-04-12")
    preview.close()


@pytest.mark.allow_dialogs
def test_without_visits_the_preview_has_no_choice(win, qtbot):
    open_example(win, EXAMPLES / "typical-multifocal.crmo")
    win.preview_note()
    preview = win._preview
    qtbot.addWidget(preview)
    assert preview.note_combo.isHidden() and preview.note_label.isHidden()
    assert preview.visit_id() is None and preview.windowTitle() == "Consult note preview"
    assert is_consult_note(first_page(preview._pdf.data.data()))
    preview.close()


# --- Export PDF… and Print… from the window: the choice asked first ----------------------------------
@pytest.mark.parametrize("answer, check", [
    (0, lambda text: is_followup_note_of(text, "2027-04-12")),
    (1, lambda text: is_followup_note_of(text, "2027-01-11")),
    (2, is_consult_note)])
def test_export_writes_the_chosen_note(win, prompter, tmp_path, answer, check):
    open_example(win)
    prompter.note_answer = answer
    prompter.pdf_answer = tmp_path / "note.pdf"
    assert win.export_pdf()
    assert prompter.called("choose_note") == [("Export PDF", LABELS)]
    assert check(first_page(tmp_path / "note.pdf"))


def test_export_cancelled_at_the_choice_asks_for_no_file(win, prompter, tmp_path):
    open_example(win)
    prompter.note_answer = None
    prompter.pdf_answer = tmp_path / "note.pdf"
    assert win.export_pdf() is False
    assert prompter.called("pdf_path") == [] and not (tmp_path / "note.pdf").exists()


def test_without_visits_export_asks_nothing(win, prompter, tmp_path):
    open_example(win, EXAMPLES / "typical-multifocal.crmo")
    prompter.pdf_answer = tmp_path / "note.pdf"
    assert win.export_pdf()
    assert prompter.called("choose_note") == []
    assert is_consult_note(first_page(tmp_path / "note.pdf"))


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)
    return printer


def page_count(path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


@pytest.mark.parametrize("answer", [0, 2])
def test_print_prints_the_chosen_note(win, prompter, tmp_path, answer):
    from desktop_app.report.note import build_consult_pdf

    open_example(win)
    out = tmp_path / "printed.pdf"
    prompter.note_answer = answer
    prompter.printer = pdf_printer(out)
    win.print_note()
    assert prompter.called("choose_note") == [("Print", LABELS)]
    assert prompter.called("error") == []
    # printed pages are pictures: the chosen note is the one with the same pages
    want = build_consult_pdf(win.doc.case, visit_id=[o.visit_id for o in note_options(win.doc.case)][answer])
    from pypdf import PdfReader

    assert page_count(out) == len(PdfReader(io.BytesIO(want)).pages)


def test_print_cancelled_at_the_choice_asks_for_no_printer(win, prompter):
    open_example(win)
    prompter.note_answer = None
    win.print_note()
    assert prompter.called("choose_printer") == []


# --- the question itself (what Prompter.choose_note shows), driven like a person -------------------
@pytest.mark.allow_dialogs
def test_the_choice_dialog_with_the_mouse(qtbot):
    dialog = NoteChoiceDialog("Export PDF", note_options(load_case(FOLLOWUP)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.combo.currentText() == LABELS[0] and dialog.combo.accessibleName() == NOTE_FOR_NAME
    pick_in_popup(qtbot, dialog.combo, LABELS[2])
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.chosen() == 2 and dialog.combo.visit_id() is None


@pytest.mark.allow_dialogs
def test_the_choice_dialog_with_the_keyboard_and_cancel(qtbot):
    dialog = NoteChoiceDialog("Print", note_options(load_case(FOLLOWUP)))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.combo.hasFocus)
    QTest.keyClick(dialog.combo, Qt.Key.Key_Down)
    assert dialog.combo.currentText() == LABELS[1]
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.chosen() is None


@pytest.mark.allow_dialogs
def test_print_from_the_preview_prints_the_note_chosen_there(win, qtbot, prompter, tmp_path):
    from pypdf import PdfReader

    from desktop_app.report.note import build_consult_pdf

    open_example(win)
    win.preview_note()
    preview = win._preview
    qtbot.addWidget(preview)
    pick_in_popup(qtbot, preview.note_combo, LABELS[2])  # the first consultation
    assert preview.windowTitle() == f"Note preview — {LABELS[2]}"
    out = tmp_path / "printed.pdf"
    prompter.printer = pdf_printer(out)
    qtbot.mouseClick(preview.print_button, Qt.MouseButton.LeftButton)
    consult = len(PdfReader(io.BytesIO(build_consult_pdf(win.doc.case))).pages)
    followup = len(PdfReader(io.BytesIO(build_consult_pdf(win.doc.case, visit_id="V2"))).pages)
    assert consult != followup  # so the page count tells the two notes apart
    assert page_count(out) == consult
    assert prompter.called("choose_note") == []  # the preview's choice is the answer
    preview.close()


@pytest.mark.allow_dialogs
@pytest.mark.parametrize("press, expected", [("ok", 1), ("cancel", None)])
def test_the_real_prompter_asks_with_the_dialog(qapp, qtbot, press, expected):
    """Prompter.choose_note runs the dialog modally; a timer answers it (as test_prompter.py does)."""
    from PySide6.QtCore import QTimer

    from desktop_app.ui.prompter import Prompter

    seen: list = []

    def answer() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, NoteChoiceDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(10, answer)
            return
        seen.append((dialog.windowTitle(), [dialog.combo.itemText(i) for i in range(dialog.combo.count())],
                     dialog.combo.currentIndex()))
        dialog.combo.setCurrentIndex(1)
        dialog.accept() if press == "ok" else dialog.reject()

    QTimer.singleShot(0, answer)
    assert Prompter().choose_note("Print", LABELS) == expected
    assert seen == [("Print", LABELS, 0)]  # the latest visit preselected


@pytest.mark.allow_dialogs
def test_the_preview_choice_with_the_keyboard(win, qtbot):
    open_example(win)
    win.preview_note()
    preview = win._preview
    qtbot.addWidget(preview)
    preview.activateWindow()
    qtbot.waitUntil(preview.isActiveWindow)
    QTest.keyClick(preview, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # "&Note for:"
    qtbot.waitUntil(preview.note_combo.hasFocus)
    shown = preview.generation
    QTest.keyClick(preview.note_combo, Qt.Key.Key_Down)
    assert preview.note_combo.currentText() == LABELS[1] and preview.generation == shown + 1
    assert is_followup_note_of(first_page(preview._pdf.data.data()), "2027-01-11")
    preview.close()
