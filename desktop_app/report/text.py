"""Plain-text formatting of case values for the note (no markup here: callers escape).

Labels come from desktop_app/case/labels.py, so the window, the CLI and the note use the same words.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case.labels import NOT_RECORDED, field_label, value_label

label = field_label  # "symptoms.bone_pain" → "Bone pain"
choice = value_label  # choice("bone", "tarsal_other") → "Other tarsal bone"


def yes_no(value: Optional[bool], yes: str = "yes", no: str = "no") -> str:
    if value is None:
        return NOT_RECORDED
    return yes if value else no


def date(value: Optional[dt.date]) -> str:
    return value.isoformat() if value else NOT_RECORDED


def number(value: Optional[float], digits: int = 1) -> str:
    if value is None:
        return NOT_RECORDED
    text = f"{value:.{digits}f}"
    if "." in text:  # 7.10 → 7.1, 8.0 → 8; never 10 → 1
        text = text.rstrip("0").rstrip(".")
    return text


def age_text(years: Optional[float]) -> str:
    if years is None:
        return NOT_RECORDED
    return f"{number(years, 1)} years"
