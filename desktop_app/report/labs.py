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


# The meaning of one value in words (§13.5 v4, §13.7 items 21, 38). Until the course's own reading of a
# value (with its alert thresholds) is merged, the range alone decides here.
MEANING_WORDS = {"high": "above range", "low": "below range", "normal": "within range",
                 "unknown": "normality unknown — enter the laboratory's range"}


@dataclass(frozen=True)
class ValueMeaning:
    range_text: str  # the range used and where it came from, or why there is none
    words: str  # "above range", "normality unknown — enter the laboratory's range", …


def value_meaning(case: Case, analyte: str, lab: LabValue, when: Optional[dt.date]) -> ValueMeaning:
    """A value of any point read against its own range, else the §7 default at the age on its date."""
    reading = reading_of(analyte, lab, age_at(case, when), case.patient.sex)
    range_text = reading.range_text or reading.reason or "no range available"
    if reading.range_text and lab.unit != canonical_unit(analyte):
        range_text += f" (value {reading.value_text} after conversion)"
    return ValueMeaning(range_text, MEANING_WORDS[reading.status])
