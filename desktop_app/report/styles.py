"""Paragraph styles, table styles and the escaping helpers every section uses.

Rule of the report package: user or data text goes through `esc()` (or `para()`, which calls it)
before it becomes Paragraph markup. "CRP <5" or "S&P" would otherwise break the parser, and an
`<img src=http://...>` in a name would make ReportLab fetch a URL.
"""
from __future__ import annotations

from html import escape  # not xml.sax.saxutils: that imports urllib, http and ssl (~11 ms)

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from desktop_app.report import palette
from desktop_app.report.fonts import BOLD, register_fonts

FONT = register_fonts()

INK_HEX = "#1a1a1a"
INK = colors.HexColor(INK_HEX)
MUTED = colors.HexColor(palette.MUTED)
RULE = colors.HexColor("#9aa5b1")
HEAD_BG = colors.HexColor("#e4eaf1")

BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=11.5, textColor=INK, alignment=TA_LEFT)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5, textColor=MUTED)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8, leading=10)
CELL_HEAD = ParagraphStyle("cell_head", parent=CELL, fontName=BOLD)
H1 = ParagraphStyle("h1", parent=BODY, fontName=BOLD, fontSize=14, leading=18, spaceAfter=4)
# keepWithNext: a heading never ends a page alone.
H2 = ParagraphStyle("h2", parent=BODY, fontName=BOLD, fontSize=11, leading=14, spaceBefore=8,
                    spaceAfter=3, textColor=colors.HexColor("#1f3b5a"), keepWithNext=1)
H3 = ParagraphStyle("h3", parent=BODY, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=5, spaceAfter=2,
                    keepWithNext=1)
REFERENCE = ParagraphStyle("reference", parent=SMALL, leftIndent=12, firstLineIndent=-12, spaceAfter=1.5)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=10, bulletIndent=2)


def esc(value: object) -> str:
    """Text from the case or the engine, made safe for Paragraph markup."""
    return escape("" if value is None else str(value), quote=False)  # & < > (quotes are fine in text)


def para(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph of plain (escaped) text; newlines are kept as line breaks."""
    return Paragraph(esc(text).replace("\n", "<br/>"), style)


def markup(trusted_markup: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A Paragraph whose markup the caller built from esc()-ed pieces."""
    return Paragraph(trusted_markup, style)


def bullet(trusted_markup: str, style: ParagraphStyle = BULLET) -> Paragraph:
    return Paragraph(trusted_markup, style, bulletText="•")


def heading(text: str, level: int = 2) -> Paragraph:
    return para(text, {1: H1, 2: H2, 3: H3}[level])


def status_markup(status: str) -> str:
    """A coloured, bold status word, e.g. 'NOT MET'."""
    colour = palette.STATUS_COLOURS.get(status, INK_HEX)
    return f'<font color="{colour}"><b>{esc(status.replace("_", " ").upper())}</b></font>'


def gap(height_mm: float = 2) -> Spacer:
    return Spacer(1, height_mm * mm)


def table(rows: list[list[object]], col_widths: list[float], header: bool = True,
          split_rows: bool = True) -> Table:
    """A grid table; str cells become wrapped Paragraphs so long text never overflows."""
    cells = []
    for r, row in enumerate(rows):
        style = CELL_HEAD if (header and r == 0) else CELL
        cells.append([para(c, style) if isinstance(c, str) else c for c in row])
    # splitInRow: a row taller than a page (pasted free text) may break inside the row; rows of
    # short computed text (doses) keep together instead.
    t = Table(cells, colWidths=col_widths, repeatRows=1 if header else 0, hAlign="LEFT",
              splitInRow=1 if split_rows else 0)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEAD_BG))
    t.setStyle(TableStyle(commands))
    return t


def key_value_table(pairs: list[tuple[str, object]], width: float, key_frac: float = 0.3) -> Table:
    """Two columns, label | value; values are plain text (escaped) or flowables."""
    rows = [[para(k, CELL_HEAD), para(v, CELL) if not hasattr(v, "wrap") else v] for k, v in pairs]
    t = Table(rows, colWidths=[width * key_frac, width * (1 - key_frac)], hAlign="LEFT", splitInRow=1)
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return t
