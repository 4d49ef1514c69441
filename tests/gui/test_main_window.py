"""The window's frame: title and modified flag, tabs and pane, undo/redo, About, jump to a field."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from desktop_app.case.models import LabValue
from desktop_app import DISCLAIMER
from desktop_app.ui.panels import PANELS

pytestmark = pytest.mark.gui


def test_title_shows_file_name_and_unsaved_marker(window):
    assert window.windowTitle() == "CRMO Consult — Untitled[*]"
    assert not window.isWindowModified()
    window.doc.set("patient.name", "A")
    assert window.isWindowModified()
    window.act_undo.trigger()
    assert not window.isWindowModified()


def test_every_tab_is_present_and_the_pane_is_visible_beside_them(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    titles = [window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())]
    assert titles == [fallback for _m, _c, fallback in PANELS] + ["Reference"]
    assert window.pane.isVisible() and window.pane.width() >= 300
    assert window.pane.geometry().left() > window.tabs.geometry().right() - 10


def test_undo_and_redo_from_the_edit_menu(window):
    window.doc.set("labs.crp", LabValue(value=8, unit="mg/L"))
    window.doc.set("labs.crp", LabValue(value=42, unit="mg/L"))
    assert window.act_undo.isEnabled() and not window.act_redo.isEnabled()
    window.act_undo.trigger()
    assert window.doc.case.labs.crp.value == 8
    window.act_undo.trigger()
    assert window.doc.case.labs.crp is None and not window.act_undo.isEnabled()
    window.act_redo.trigger()
    window.act_redo.trigger()
    assert window.doc.case.labs.crp.value == 42


def test_about_shows_the_disclaimer(window, prompter):
    window.act_about.trigger()
    (title, html), = prompter.called("about")
    assert DISCLAIMER in html


def _field(window, path) -> QWidget:
    return next(w for w in window.tabs.findChildren(QWidget) if w.property("case_path") == path)


@pytest.mark.parametrize("path", ["labs.crp", "symptoms.bone_pain", "patient.weight_kg"])
def test_clicking_a_missing_item_jumps_to_its_field(window, qtbot, path):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    target = window.field_widget(path)
    assert target is not None and target.property("case_path") == path
    window.tabs.setCurrentIndex(window.tabs.count() - 1)  # somewhere else: the Reference tab

    window.pane.missingClicked.emit(path)

    assert window.tabs.currentWidget().isAncestorOf(target)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target)


def test_the_closest_field_is_chosen_for_a_path_without_its_own_input(window):
    # An indexed lesion field falls back to the lesions table (or the imaging inputs under it).
    widget = window.field_widget("labs.crp.value")
    assert widget is not None and widget.property("case_path") == "labs.crp"
    assert window.field_widget("no_such_section.field") is None
    assert not window.jump_to("no_such_section.field")


def test_export_pdf_writes_the_note(window, tmp_path, prompter, examples_dir):
    pytest.importorskip("desktop_app.ui.pdf_preview")
    window.open_file(examples_dir / "typical-multifocal.crmo")
    prompter.pdf_answer = tmp_path / "note.pdf"
    window.act_export.trigger()
    assert prompter.called("error") == []
    assert (tmp_path / "note.pdf").read_bytes().startswith(b"%PDF")


def test_cancelled_print_dialog_prints_nothing(window, prompter):
    prompter.printer = None
    window.act_print.trigger()
    assert prompter.called("choose_printer") == [()]
    assert prompter.called("error") == []


def test_jump_to_a_field_of_one_lesion_selects_that_lesion(window, qtbot, examples_dir):
    from PySide6.QtWidgets import QAbstractItemView

    window.open_file(examples_dir / "leukaemia-mimic.crmo")  # three lesions
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    assert window.jump_to("imaging.lesions[1].sclerosis")
    table = next(v for v in window.tabs.findChildren(QAbstractItemView)
                 if v.property("case_path") == "imaging.lesions")
    assert [i.row() for i in table.selectionModel().selectedRows()] == [1]
    assert window.tabs.currentWidget().isAncestorOf(table)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None
                    and QApplication.focusWidget().property("case_path") == "imaging.lesions.sclerosis")


@pytest.mark.allow_dialogs  # the preview is a non-modal window by design
def test_preview_opens_the_note_beside_the_window(window, examples_dir, qtbot, prompter):
    pytest.importorskip("desktop_app.ui.pdf_preview")
    window.open_file(examples_dir / "typical-multifocal.crmo")
    window.act_preview.trigger()
    assert prompter.called("error") == []
    preview = window._preview
    assert preview is not None and preview.isVisible() and not preview.isModal()
    prompter.printer = None
    preview.print_button.click()  # asks the window's Prompter, never a dialog of its own
    assert prompter.called("choose_printer") == [()]
    preview.close()


def test_print_sends_the_note_to_the_chosen_printer(window, examples_dir, tmp_path, prompter):
    pytest.importorskip("desktop_app.ui.pdf_preview")
    from PySide6.QtPrintSupport import QPrinter

    window.open_file(examples_dir / "typical-multifocal.crmo")
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    prompter.printer = printer
    window.act_print.trigger()
    assert prompter.called("error") == []
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")
