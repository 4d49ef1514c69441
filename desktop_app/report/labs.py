"""Rows of the laboratory table: value, unit, the reference range used, the flag, LOINC.

Normality and the range used come from `case.reference_ranges.lab_reading` (the lab report's
own range, else the §7 default, named), the same reading the window and the criteria use; this
module only formats it. Values are printed as entered, in the entered unit.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional

from desktop_app.case.labels import ANALYTES, unit_label, value_label
from desktop_app.case.models import Case, LabValue
from desktop_app.case.reference_ranges import age_at, lab_reading, reading_of
from desktop_app.case.units import canonical_unit, fmt_number
from desktop_app.course.meaning import meaning_of


@dataclass(frozen=True)
class LabRow:
    name: str
    value: str
    unit: str
    range_text: str
    flag: str
    loinc: str
    source_key: str = ""  # the §7 default range's source, "" for the lab report's own range


def rows(case: Case) -> list[LabRow]:
    out = []
    for analyte, info in ANALYTES.items():
        lab = getattr(case.labs, analyte)
        if lab is None:
            continue
        reading = lab_reading(case, analyte)
        range_text = reading.range_text or reading.reason or "no range available"
        if reading.range_text and lab.unit != canonical_unit(analyte):
            range_text += f" (value {reading.value_text} after conversion)"
        out.append(LabRow(info.name, fmt_number(lab.value), unit_label(lab.unit), range_text,
                          value_label("lab_status", reading.status), info.loinc or "—", reading.source_key))
    return out


@dataclass(frozen=True)
class ResultRow:
    range_text: str  # the range used and where it came from, or why there is none
    words: str  # the meaning (course/meaning.py): "above range", "normality unknown — enter the laboratory's range", …


def value_meaning(case: Case, analyte: str, lab: LabValue, when: Optional[dt.date],
                  beyond: Optional[str] = None) -> ResultRow:
    """A value of any point read against its own range, else the §7 default at the age on its date, and
    what it means (§13.7 items 21, 38: one reading, course/meaning.py). `beyond`: the words of an alert a
    relative default raised (creatinine), when there is one."""
    reading = reading_of(analyte, lab, age_at(case, when), case.patient.sex)
    range_text = reading.range_text or reading.reason or "no range available"
    if reading.range_text and lab.unit != canonical_unit(analyte):
        range_text += f" (value {reading.value_text} after conversion)"
    meaning = meaning_of(reading, lab, beyond)
    return ResultRow(range_text, meaning.words if meaning is not None else "")
