"""Register DejaVu Sans with ReportLab, once per process.

Helvetica has no Cyrillic/Polish glyphs (names would print as boxes), so every style uses the
vendored DejaVu TTFs. They are resolved relative to the package, which PyInstaller maps into the
bundle too (the ReportLab hook deliberately ships no fonts).
"""
from __future__ import annotations


from desktop_app.about import RESOURCES

FAMILY = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

FONTS_DIR = RESOURCES / "fonts"
_FILES = {
    FAMILY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_registered = False


def register_fonts() -> str:
    """Register the family (idempotent) and return its name for use in styles."""
    global _registered
    if _registered:
        return FAMILY
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename)))
    # Without the family mapping, <b> and <i> in Paragraph markup silently do nothing.
    pdfmetrics.registerFontFamily(FAMILY, normal=FAMILY, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    _registered = True
    return FAMILY
