"""The course in words, one wording for the Visits tab, the note and the CLI (clinical-rules.md §13.3)."""
from __future__ import annotations

from typing import Optional

from desktop_app.case import labels
from desktop_app.course.types import Change, Point

MINUS = "−"  # U+2212, as the spec writes a change: "pain 7 → 2 (−5, −71.4 %)"


def fmt_measure(x: float) -> str:
    """Up to three decimals (a CHAQ of 0.375 must not read 0.38): 6 → "6", 0.125 → "0.125"."""
    text = f"{x:.3f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _signed(x: float, percent: bool = False) -> str:
    text = f"{abs(x):.1f}" if percent else fmt_measure(abs(x))
    if x > 0:
        return "+" + text
    return (MINUS + text) if x < 0 else text


def value_words(x: Optional[float]) -> str:
    return "not recorded" if x is None else fmt_measure(x)


def change_words(key: str, change: Optional[Change], before: Optional[float] = None,
                 after: Optional[float] = None) -> str:
    """"pain 7 → 2 (−5, −71.4 %)"; "CRP 0 → 3 (+3; no percent change from 0)"; a missing value is said."""
    name = labels.MEASURE_NAMES.get(key, key)
    if change is None:
        return f"{name} {value_words(before)} → {value_words(after)} (no change computed: a value is missing)"
    pct = ("no percent change from 0" if change.percent is None
           else f"{_signed(change.percent, percent=True)} %")
    return f"{name} {fmt_measure(change.from_)} → {fmt_measure(change.to)} ({_signed(change.difference)}, {pct})"


def activity_words(point: Point) -> str:
    """"Active disease: 2 clinically active lesions"; "Activity unknown: …"."""
    head = labels.value_label("activity", point.activity)
    reason = point.activity_reason
    if reason.lower().startswith(head.lower()):
        reason = reason[len(head):].lstrip(": ")
    return f"{head}: {reason}" if reason else head
