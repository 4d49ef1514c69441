"""Preview and print the consult note: `PdfPreviewDialog`, `print_pdf`, and the menu actions'
small API `export_pdf(case, path, visit_id)`, `show_preview(case, parent, choose_printer, ...)`,
`print_case(case, printer, visit_id)`.

A case with visits has a note per visit besides the first consultation's (§13.6): `visit_id` names
the visit whose follow-up note is made (None: the first consultation's), and the preview offers the
choice in its toolbar ("Note for:", note_choice.py).

QtPdf renders the very PDF that `crmo-consult pdf` writes, so what is previewed and printed is
what is exported. This module never opens the print dialog itself: the caller passes the printer,
or the preview gets a `choose_printer` callable (the window's `Prompter.choose_printer`), so no
test can block on a modal dialog.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Optional, Union

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from desktop_app.case.models import Case
from desktop_app.ui.note_choice import NOTE_FOR, NoteChoiceCombo, NoteOption

PdfSource = Union[bytes, str, os.PathLike]
CurrentPdf = Callable[[bool, Optional[str]], Optional[bytes]]  # (finish, visit_id) → the note now
MAX_PRINT_DPI = 300  # a full-page image at a PDF printer's 1200 dpi would need ~0.5 GB
ZOOM_STEP = 1.25
ChoosePrinter = Callable[[], Optional[QPrinter]]  # a configured printer, or None when cancelled


def _to_bytes(source: PdfSource) -> bytes:
    return bytes(source) if isinstance(source, (bytes, bytearray)) else Path(source).read_bytes()


class _LoadedPdf:
    """A QPdfDocument with the QBuffer it reads from (the buffer must outlive the document)."""

    def __init__(self, source: PdfSource, parent=None):
        self.data = QByteArray(_to_bytes(source))
        self.buffer = QBuffer(parent)
        self.buffer.setData(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            raise ValueError(f"cannot read the PDF ({self.document.error().name})")


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Render every page to the printer, fitted to the printable area; returns pages printed."""
    pages = document.pageCount()
    if pages == 0:
        return 0
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("the printer could not be started")
    try:
        target: QRect = printer.pageLayout().paintRectPixels(printer.resolution())
        target.moveTo(0, 0)
        for index in range(pages):
            if index:
                printer.newPage()
            size_pt = document.pagePointSize(index)
            image = document.render(index, QSize(round(size_pt.width() / 72 * dpi),
                                                 round(size_pt.height() / 72 * dpi)))
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
    finally:
        painter.end()
    return pages


def print_pdf(source: PdfSource, printer: QPrinter) -> int:
    """Print PDF bytes or a PDF file on `printer`; returns the number of pages printed."""
    pdf = _LoadedPdf(source)  # keep the buffer alive while QtPdf reads from it
    return print_document(pdf.document, printer)


class PdfPreviewDialog(QDialog):
    """Non-modal preview: page navigation, zoom, and Print… (shown when `choose_printer` is given).

    Given `current_pdf(finish, visit_id)` (the note of the case as it is now; with finish=True the
    edits in progress are finished first, and None means an entry was refused), the preview follows
    the case: `case_changed()` marks it out of date and rebuilds it after a short pause, and Print…
    always prints the current case, never an older note (issue 17).

    Given `notes()` (the choices of note_choice.note_options for the case as it is now), a "Note
    for:" combo leads the toolbar while the case has visits; choosing rebuilds the preview, and
    Print… and Export PDF… (shown when `export(visit_id)` is given) act on the note chosen there."""

    REFRESH_MS = 400  # typing pauses: one rebuild per burst of edits, not one per keystroke
    TITLE = "Consult note preview"

    def __init__(self, source: PdfSource, parent: Optional[QWidget] = None,
                 choose_printer: Optional[ChoosePrinter] = None,
                 current_pdf: Optional[CurrentPdf] = None,
                 notes: Optional[Callable[[], list[NoteOption]]] = None,
                 visit_id: Optional[str] = None,
                 export: Optional[Callable[[Optional[str]], object]] = None):
        super().__init__(parent)
        self.setWindowTitle(self.TITLE)
        self.resize(self.fitted_size(self._screen_area(parent)))
        self._choose_printer = choose_printer
        self._current_pdf = current_pdf
        self._notes = notes
        self._export = export
        self._note_gone = False  # the chosen visit was deleted: said after the next rebuild
        self.stale = False
        self.generation = 1  # how many times the note was built for this preview
        self._pdf = _LoadedPdf(source, self)
        self.document = self._pdf.document
        self._refresh = QTimer(self, singleShot=True, interval=self.REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setVisible(False)

        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, max(1, self.document.pageCount()))
        self.page_box.setAccessibleName("Page")
        self.page_box.valueChanged.connect(self.go_to_page)
        self.page_total = QLabel(f"of {self.document.pageCount()}", self)
        prev_button = QPushButton("◀ Previous", self)
        next_button = QPushButton("Next ▶", self)
        prev_button.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() - 1))
        next_button.clicked.connect(lambda: self.page_box.setValue(self.page_box.value() + 1))
        zoom_out = QPushButton("−", self)
        zoom_in = QPushButton("+", self)
        fit = QPushButton("Fit width", self)
        zoom_out.setAccessibleName("Zoom out")
        zoom_in.setAccessibleName("Zoom in")
        zoom_out.clicked.connect(lambda: self.zoom(1 / ZOOM_STEP))
        zoom_in.clicked.connect(lambda: self.zoom(ZOOM_STEP))
        fit.clicked.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        self.print_button = QPushButton("Print…", self)
        self.print_button.clicked.connect(lambda: self.print_())
        self.print_button.setVisible(choose_printer is not None)
        self.export_button = QPushButton("Export PDF…", self)
        self.export_button.clicked.connect(self.export)
        self.export_button.setVisible(export is not None)
        # The choice of note (a case with visits); hidden, and never asked, without visits.
        self.note_label = QLabel(f"&{NOTE_FOR}", self)  # Alt+N
        self.note_combo = NoteChoiceCombo((), self)
        self.note_label.setBuddy(self.note_combo)
        self._update_notes()
        if visit_id is not None:
            self.note_combo.select(visit_id)
        self._update_title()
        self.note_combo.currentIndexChanged.connect(self._note_chosen)
        close = QPushButton("Close", self)
        close.clicked.connect(self.close)
        self.view.pageNavigator().currentPageChanged.connect(lambda p: self._sync_page(p + 1))

        # The choice on its own row above the page controls: beside them the window would need
        # ~1100 px, wider than the page it shows.
        note_bar = QHBoxLayout()
        note_bar.addWidget(self.note_label)
        note_bar.addWidget(self.note_combo)
        note_bar.addStretch(1)
        QWidget.setTabOrder(self.note_combo, prev_button)  # the choice first, as on screen
        bar = QHBoxLayout()
        for w in (prev_button, QLabel("Page", self), self.page_box, self.page_total, next_button):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (zoom_out, zoom_in, fit):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export_button)
        bar.addWidget(self.print_button)
        bar.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(note_bar)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        # No default button: Enter in the page box went on to "Next ▶" (QDialog's autoDefault), so
        # typing 3 and Enter showed page 4 (issue 23).
        for b in self.findChildren(QPushButton):
            b.setAutoDefault(False)
            b.setDefault(False)

    # --- size -----------------------------------------------------------------------------------
    PREFERRED = QSize(820, 980)  # an A4 page at fit-to-width, with the toolbars
    FRAME_ALLOWANCE = QSize(16, 48)  # the window manager's frame and title bar, not in resize()

    @staticmethod
    def _screen_area(parent: Optional[QWidget]) -> QRect:
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 820, 980)

    def fitted_size(self, available: QRect) -> QSize:
        """The preferred size, no larger than the screen's free area (980 px did not fit 768 or 800
        px screens, issue 23): the page then scrolls inside the view."""
        room = available.size() - self.FRAME_ALLOWANCE
        return self.PREFERRED.boundedTo(room).expandedTo(QSize(480, 360))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        # Once shown, on the screen it is really on: keep the whole window in that screen's free area.
        area = self._screen_area(self)
        self.resize(self.size().boundedTo(self.fitted_size(area)))
        frame = self.frameGeometry()
        if not area.contains(frame):
            self.move(min(max(frame.x(), area.x()), max(area.x(), area.right() - frame.width())),
                      min(max(frame.y(), area.y()), max(area.y(), area.bottom() - frame.height())))
        super().showEvent(event)

    # --- which note ------------------------------------------------------------------------------
    def visit_id(self) -> Optional[str]:
        """The visit whose follow-up note is shown; None: the first consultation's note."""
        return self.note_combo.visit_id() if self.note_combo.count() else None

    def _update_notes(self) -> None:
        options = self._notes() if self._notes is not None else []
        before = self.visit_id()
        had = self.note_combo.count() > 0
        self.note_combo.set_options(options)
        for w in (self.note_label, self.note_combo):
            w.setVisible(bool(options))
        if had and options and self.visit_id() != before:
            self._note_gone = True  # said once the note is rebuilt (refresh)

    def _update_title(self) -> None:
        chosen = self.note_combo.currentText() if self.note_combo.count() else ""
        self.setWindowTitle(f"Note preview — {chosen}" if chosen else self.TITLE)

    def _note_chosen(self, _index: int) -> None:
        self._update_title()
        self.refresh()

    def export(self) -> object:
        """Export PDF… of the note chosen here (the window asks for the file)."""
        if self._export is None or (self._current_pdf is not None and not self.refresh(finish=True)):
            return None
        return self._export(self.visit_id())

    # --- following the case ------------------------------------------------------------------
    def case_changed(self) -> None:
        """The case was edited: the note shown is out of date until it is rebuilt."""
        if self._current_pdf is None:
            return
        self.stale = True
        self._say("The case changed: updating the note…")
        self._refresh.start()

    def refresh(self, finish: bool = False) -> bool:
        """Rebuild the note from the current case, keeping the page; False when it could not be
        (an entry refused, or the note failed): the preview then says it is out of date.
        `finish`: finish the edits in progress first (Print); the automatic refresh does not, so
        it never commits a field while the user is typing in it."""
        self._refresh.stop()
        if self._current_pdf is None:
            return True
        self._note_gone = False
        self._update_notes()  # a visit added or deleted since: the choices follow the case
        self._update_title()
        try:
            data = self._current_pdf(finish, self.visit_id())
        except Exception as exc:  # noqa: BLE001 - said in the preview; the case is unaffected
            self._say(f"Out of date: the note could not be rebuilt ({exc}). Close and preview again.")
            return False
        if data is None:
            self._say("Out of date: an entry was not accepted (see the message under it). "
                      "This note does not show the case as it is now.")
            return False
        self.load(data)
        self.stale = False
        self._say(f"The visit shown before is no longer in the case: this is the note for "
                  f"{self.note_combo.currentText()}." if self._note_gone else "")
        return True

    def load(self, source: PdfSource) -> None:
        page = self.current_page()
        old = self._pdf
        self._pdf = _LoadedPdf(source, self)
        self.document = self._pdf.document
        self.view.setDocument(self.document)
        self.page_box.setRange(1, max(1, self.document.pageCount()))
        self.page_total.setText(f"of {self.document.pageCount()}")
        self.generation += 1
        self.go_to_page(page)
        old.document.deleteLater()
        old.buffer.deleteLater()

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def page_count(self) -> int:
        return self.document.pageCount()

    def current_page(self) -> int:
        """1-based."""
        return self.view.pageNavigator().currentPage() + 1

    def go_to_page(self, page: int) -> None:
        page = min(max(page, 1), max(1, self.page_count()))
        self.view.pageNavigator().jump(page - 1, QPointF(), self.view.zoomFactor())

    def _sync_page(self, page: int) -> None:
        if self.page_box.value() != page:
            self.page_box.blockSignals(True)
            self.page_box.setValue(page)
            self.page_box.blockSignals(False)

    def zoom(self, factor: float) -> None:
        """Zoom about the middle of the view: the page in view (and the spot on it) stays in view.
        QPdfView keeps the scroll offset in pixels, so on its own a zoom on page 3 showed page 2."""
        bar = self.view.verticalScrollBar()
        seen = bar.pageStep()
        centre = (bar.value() + seen / 2) / max(1, bar.maximum() + seen)  # a fraction of the document
        self.view.setZoomFactor(min(max(self.effective_zoom() * factor, 0.2), 5.0))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        # Pages, margins and gaps all scale with the zoom but the gaps (a few pixels): the same
        # fraction is the same spot on the same page.
        bar.setValue(round(centre * (bar.maximum() + bar.pageStep()) - bar.pageStep() / 2))

    def effective_zoom(self) -> float:
        """The zoom the page is shown at: in Fit width mode QPdfView keeps its last custom factor,
        so + from Fit width started from that factor rather than from what is seen."""
        if self.view.zoomMode() != QPdfView.ZoomMode.FitToWidth or self.page_count() == 0:
            return self.view.zoomFactor()
        margins = self.view.documentMargins()
        room = self.view.viewport().width() - margins.left() - margins.right()
        page_px = self.document.pagePointSize(0).width() * self.view.logicalDpiX() / 72
        return room / page_px if page_px > 0 else self.view.zoomFactor()

    def print_(self, printer: Optional[QPrinter] = None) -> int:
        """Ask for a printer (unless given) and print; returns pages printed (0 if cancelled)."""
        if self._current_pdf is not None and not self.refresh(finish=True):
            return 0  # never print a note that is not the current case
        if printer is None and self._choose_printer is not None:
            printer = self._choose_printer()
        return 0 if printer is None else print_document(self.document, printer)


# --- the small API the main window's menu actions call ------------------------------------------

def export_pdf(case: Case, path: str | os.PathLike, visit_id: Optional[str] = None) -> None:
    """Write the note (of visit `visit_id`; None: the first consultation's) atomically; raises
    CaseFileError with a one-sentence message."""
    from desktop_app.report.note import write_consult_pdf

    write_consult_pdf(case, path, visit_id=visit_id)


def _note_bytes(case: Case, visit_id: Optional[str] = None) -> bytes:
    from desktop_app.report.note import build_consult_pdf  # ReportLab only when first used

    return build_consult_pdf(case, visit_id=visit_id)


def show_preview(case: Case, parent: Optional[QWidget] = None,
                 choose_printer: Optional[ChoosePrinter] = None,
                 current_case: Optional[Callable[[bool], Optional[Case]]] = None,
                 export: Optional[Callable[[Optional[str]], object]] = None) -> PdfPreviewDialog:
    """`current_case(finish)`: the case as it is now (None when an entry was refused), so the
    preview follows it, and offers the note of each visit while it has visits, the latest first
    (see PdfPreviewDialog). `export(visit_id)`: the window's Export PDF… of the chosen note."""
    from desktop_app.ui.note_choice import note_options

    current_pdf = notes = None
    if current_case is not None:
        def current_pdf(finish: bool, visit_id: Optional[str]) -> Optional[bytes]:
            now = current_case(finish)
            return None if now is None else _note_bytes(now, visit_id)

        def notes() -> list[NoteOption]:
            return note_options(current_case(False) or case)
    options = note_options(case)
    visit_id = options[0].visit_id if options else None  # §13.6: the latest visit by default
    dialog = PdfPreviewDialog(_note_bytes(case, visit_id), parent, choose_printer, current_pdf,
                              notes, visit_id, export)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog


def print_case(case: Case, printer: QPrinter, visit_id: Optional[str] = None) -> int:
    """Print the note (of visit `visit_id`; None: the first consultation's) on a printer the caller
    chose (through its Prompter); returns pages printed."""
    return print_pdf(_note_bytes(case, visit_id), printer)
