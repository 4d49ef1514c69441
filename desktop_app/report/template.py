"""The A4 page: header (patient identity) and footer (app, time, "Page X of Y", disclaimer).

"Page X of Y" needs the total, which is only known after the last page: NumberedCanvas (the
classic ReportLab recipe) keeps each page's state and draws the footers when the document is
saved.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from desktop_app.about import DISCLAIMER
from desktop_app.report.fonts import BOLD
from desktop_app.report.styles import FONT, MUTED, RULE

PAGE_W, PAGE_H = A4
MARGIN_X = 16 * mm
TOP = 24 * mm  # room for the header
BOTTOM = 20 * mm  # room for the footer
CONTENT_W = PAGE_W - 2 * MARGIN_X
BODY_H = PAGE_H - TOP - BOTTOM  # the frame's height: a flowable taller than this must split


@dataclass(frozen=True)
class PageInfo:
    """What every page repeats; plain strings (the canvas draws text, no markup is parsed)."""

    title: str
    patient: str
    mrn: str
    dob: str
    encounter: str
    app: str  # e.g. "CRMO Consult 0.2.0"
    generated: str  # e.g. "2026-11-20 14:03"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so a long name cannot run off the page."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _draw_header(c: canvas.Canvas, info: PageInfo) -> None:
    y = PAGE_H - 12 * mm
    c.setFont(BOLD, 10)
    c.drawString(MARGIN_X, y, _fit(info.patient or "(no name recorded)", BOLD, 10, CONTENT_W * 0.55))
    c.setFont(FONT, 8)
    c.setFillColor(MUTED)
    c.drawRightString(PAGE_W - MARGIN_X, y, _fit(info.title, FONT, 8, CONTENT_W * 0.42))
    ident = f"MRN {info.mrn or '—'}   ·   DOB {info.dob or '—'}   ·   Encounter {info.encounter or '—'}"
    c.drawString(MARGIN_X, y - 4.2 * mm, _fit(ident, FONT, 8, CONTENT_W))
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(MARGIN_X, y - 6.5 * mm, PAGE_W - MARGIN_X, y - 6.5 * mm)


def _draw_footer(c: canvas.Canvas, info: PageInfo, page: int, total: int) -> None:
    y = 12 * mm
    c.setStrokeColor(RULE)
    c.setLineWidth(0.6)
    c.line(MARGIN_X, y + 4 * mm, PAGE_W - MARGIN_X, y + 4 * mm)
    c.setFillColor(MUTED)
    c.setFont(FONT, 7)
    c.drawString(MARGIN_X, y, f"{info.app} · generated {info.generated}")
    c.drawRightString(PAGE_W - MARGIN_X, y, f"Page {page} of {total}")
    c.drawString(MARGIN_X, y - 3.5 * mm, _fit(DISCLAIMER, FONT, 7, CONTENT_W))


def numbered_canvas(info: PageInfo):
    """A canvas class that draws header and footer on every page once the total is known."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                _draw_header(self, info)
                _draw_footer(self, info, number, total)
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def make_document(buffer, info: PageInfo) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=TOP,
        bottomMargin=BOTTOM, title=info.title, author=info.app, subject="CRMO/CNO consult note",
        creator=info.app,
    )
    frame = Frame(MARGIN_X, BOTTOM, CONTENT_W, BODY_H, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="note", frames=[frame])])
    return doc
