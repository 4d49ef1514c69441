"""How typed text becomes a number: the one rule for every number field (UI and CLI alike).

A decimal comma with one or two digits ("11,9", "0,45") is read as a decimal point, as the app has
always done. A comma followed by exactly three digits ("1,250") is refused: it is a thousands
separator as often as a decimal comma, and reading it either way silently changes the value by a
factor of 1000 (LDH 1,250 U/L stored as 1.25 would hide a malignancy flag). The user is told what
to type instead. Pure functions: no Qt, no I/O.
"""
from __future__ import annotations

import datetime as dt
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


# --- dates typed as text (every date box reads them the same way) --------------------------------
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")  # 2027-04-15, 2027/4/15
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20270415
_DAY_FIRST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")  # 15/04/2027, 15.04.2027
_SHORT_YEAR = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _date(year: int, month: int, day: int, typed: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"there is no day {typed}: type year-month-day, e.g. 2027-04-15") from None


def parse_date_text(text: str) -> dt.date:
    """The date meant by typed text: 2027-04-15, 20270415 or 15/04/2027 (day first, as in the UK and
    Europe). A day and month that could be swapped (04/05/2027) are refused rather than guessed:
    one reading is a month away from the other. ValueError in words otherwise."""
    typed = text.strip()
    for pattern, order in ((_ISO, (1, 2, 3)), (_COMPACT, (1, 2, 3)), (_DAY_FIRST, (3, 2, 1))):
        match = pattern.match(typed)
        if not match:
            continue
        year, month, day = (int(match.group(i)) for i in order)
        if pattern is _DAY_FIRST and day <= 12 and month <= 12 and day != month:
            raise ValueError(f"it could be {day} {_MONTHS[month - 1]} or {month} {_MONTHS[day - 1]} {year}: "
                             f"type {year:04d}-{month:02d}-{day:02d} or {year:04d}-{day:02d}-{month:02d}")
        return _date(year, month, day, typed)
    if _SHORT_YEAR.match(typed):
        raise ValueError("type the year in full, e.g. 2027-04-15")
    raise ValueError("type the date as year-month-day, e.g. 2027-04-15")


_DOT_THOUSANDS = re.compile(r"^[+-]?([1-9]\d{0,2})\.(\d{3})$")


def whole_number_text(text: str) -> str:
    """For a result reported in whole numbers (U/L, platelets): "1.250" is refused as ambiguous, as
    "1,250" is (it may be 1250 written with a thousands point); `text` unchanged otherwise."""
    match = _DOT_THOUSANDS.match(text.strip())
    if match:
        raise ValueError(f"it is reported in whole numbers, and a point with three digits after it may "
                         f"separate thousands: type {match.group(1)}{match.group(2)} if that is meant")
    return text
