"""How typed text becomes a number: the one rule for every number field (UI and CLI alike).

A decimal comma with one or two digits ("11,9", "0,45") is read as a decimal point, as the app has
always done. A comma followed by exactly three digits ("1,250") is refused: it is a thousands
separator as often as a decimal comma, and reading it either way silently changes the value by a
factor of 1000 (LDH 1,250 U/L stored as 1.25 would hide a malignancy flag). The user is told what
to type instead. Pure functions: no Qt, no I/O.
"""
from __future__ import annotations

import re

_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")
_PLAIN = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def decimal_text(text: str) -> str:
    """`text` with a decimal comma turned into a point; ValueError (in words) for a comma that may
    be a thousands separator."""
    text = text.strip()
    if _THOUSANDS.search(text):
        whole = text.split(",", 1)[0].lstrip("+-")
        if whole == "0":  # "0,125" cannot be a thousand: only the separator is ambiguous
            raise ValueError(f"use a decimal point: {text.replace(',', '.')}")
        raise ValueError(f"use no thousands separator: {text.replace(',', '')}")
    return text.replace(",", ".")


def parse_number(text: str) -> float:
    """A float from typed text ("12.5", "12,5"); ValueError (in words) otherwise."""
    normal = decimal_text(text)
    # float() also reads "1_000", "inf" and "nan": none of them is a measurement.
    if not _PLAIN.match(normal):
        raise ValueError("type a number only, e.g. 12.5")
    return float(normal)
