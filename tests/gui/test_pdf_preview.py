"""The PDF preview dialog and printing, headless: no dialog ever blocks (printer choice injected)."""
from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrinter

from desktop_app.report.note import build_consult_pdf
from desktop_app.storage.case_file import load_case
from desktop_app.ui.pdf_preview import PdfPreviewDialog, print_case, print_pdf

@pytest.fixture(scope="module")
def case():
    from pathlib import Path

    return load_case(Path(__file__).resolve().parents[2] / "resources" / "examples" / "typical-multifocal.crmo")


@pytest.fixture(scope="module")
def note_bytes(case) -> bytes:
    return build_consult_pdf(case)


def pdf_printer(path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def page_count(path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


@pytest.mark.allow_dialogs
def test_preview_loads_the_note_and_navigates(qtbot, note_bytes):
    dialog = PdfPreviewDialog(note_bytes)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.page_count() > 1
    assert dialog.page_total.text() == f"of {dialog.page_count()}"
    dialog.page_box.setValue(2)
    qtbot.waitUntil(lambda: dialog.current_page() == 2)
    before = dialog.effective_zoom()  # Fit width: the factor seen, not the view's stale custom one
    dialog.zoom(2.0)
    assert dialog.view.zoomFactor() == pytest.approx(before * 2.0)


def test_preview_from_a_path(qtbot, note_bytes, tmp_path):
    path = tmp_path / "note.pdf"
    path.write_bytes(note_bytes)
    dialog = PdfPreviewDialog(path)
    qtbot.addWidget(dialog)
    assert dialog.page_count() > 0


def test_print_button_asks_the_injected_chooser(qtbot, note_bytes, tmp_path):
    out = tmp_path / "printed.pdf"
    asked = []

    def choose():
        asked.append(True)
        printer = pdf_printer(out)
        printer.setResolution(72)
        return printer

    dialog = PdfPreviewDialog(note_bytes, choose_printer=choose)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isHidden()
    dialog.print_button.click()
    assert asked == [True]
    assert page_count(out) == dialog.page_count()


def test_cancelled_print_prints_nothing(qtbot, note_bytes):
    dialog = PdfPreviewDialog(note_bytes, choose_printer=lambda: None)
    qtbot.addWidget(dialog)
    assert dialog.print_() == 0


def test_without_a_chooser_there_is_no_print_button(qtbot, note_bytes):
    dialog = PdfPreviewDialog(note_bytes)
    qtbot.addWidget(dialog)
    assert dialog.print_button.isHidden()
    assert dialog.print_() == 0


def test_print_pdf_to_a_pdf_printer(qapp, note_bytes, tmp_path):
    out = tmp_path / "printed.pdf"
    pages = print_pdf(note_bytes, pdf_printer(out))
    assert pages > 1 and page_count(out) == pages


def test_print_case_with_a_given_printer(qapp, case, tmp_path):
    out = tmp_path / "case.pdf"
    assert print_case(case, pdf_printer(out)) == page_count(out) > 0


def test_a_broken_pdf_is_refused(qapp):
    with pytest.raises(ValueError):
        PdfPreviewDialog(b"not a pdf")
