"""What one lab value means, in one place: the monitoring line (§13.5), the visit's results in the note
(§13.6) and the UI all read it here (clinical-rules.md §13.4, §13.7 items 1, 21, 38, 40).

A value is read against the lab's own range, else the §7 default (reference_ranges.reading_of). Without
either, a §13.4 **default alert threshold** (ALT, calcium, vitamin D; creatinine's is relative and is
decided by the caller, course/alerts.py) makes it `beyond_alert_threshold`; a default threshold is not a
reference range, so a value within it stays "normality unknown". Every comparison is made in Decimal, in
the canonical unit after conversion (item 40). Pure: no Qt, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Literal, Optional

from desktop_app.case import labels, units
from desktop_app.case.models import LabValue
from desktop_app.case.reference_ranges import LabReading

Meaning = Literal["above_range", "below_range", "within_range", "beyond_alert_threshold", "unknown"]

UNKNOWN_WORDS = "normality unknown — enter the laboratory's range"
_WORDS: dict[str, str] = {
    "above_range": "above range", "below_range": "below range", "within_range": "within range",
    "unknown": UNKNOWN_WORDS,
}
_BY_STATUS: dict[str, Meaning] = {"high": "above_range", "low": "below_range", "normal": "within_range",
                                  "unknown": "unknown"}


@dataclass(frozen=True)
class DefaultThreshold:
    """A §13.4 default threshold for a value without a laboratory range (canonical unit)."""
    analyte: str
    side: Literal["above", "below"]  # the alert fires strictly above / strictly below `limit`
    limit: Decimal
    unit: str  # canonical unit, as written

    def crossed(self, value: Decimal) -> bool:
        return value > self.limit if self.side == "above" else value < self.limit

    def words(self) -> str:
        return f"{self.side} the {units.fmt_number(float(self.limit))} {self.unit} alert threshold"


# §13.4 v4 defaults (BSR/BHPR 2017 and NHS DMARD protocols: ALT > 100 U/L; Starship: calcium < 2.1 mmol/L;
# Leeds and Starship: 25-OH vitamin D < 50 nmol/L). Creatinine's (+30 %, Schwartz eGFR) is relative.
ALT_DEFAULT_HIGH = Decimal("100")
CALCIUM_DEFAULT_LOW = Decimal("2.1")  # mmol/L (8.4 mg/dL, approximate: item 1)
SEVERE_HYPOCALCAEMIA_BELOW = Decimal("1.9")  # mmol/L (7.6 mg/dL, approximate: item 1)
VITAMIN_D_LOW = Decimal("50")  # nmol/L (20 ng/mL = 49.9 nmol/L is below: item 1)
DEFAULT_THRESHOLDS: dict[str, DefaultThreshold] = {
    "alt": DefaultThreshold("alt", "above", ALT_DEFAULT_HIGH, "U/L"),
    "calcium": DefaultThreshold("calcium", "below", CALCIUM_DEFAULT_LOW, "mmol/L"),
    "vitamin_d_25oh": DefaultThreshold("vitamin_d_25oh", "below", VITAMIN_D_LOW, "nmol/L"),
}


def decimal_canonical(analyte: str, lab: LabValue) -> Decimal:
    """The value in the canonical unit, converted in Decimal (item 40: 20 ng/mL × 2.496 = 49.92 nmol/L)."""
    return Decimal(str(lab.value)) * Decimal(str(units.factor(analyte, lab.unit)))


def value_words(analyte: str, lab: LabValue) -> str:
    """"ALT 300 U/L", in the unit entered."""
    return f"{labels.analyte_name(analyte)} {units.fmt_number(lab.value)} {labels.unit_label(lab.unit)}"


@dataclass(frozen=True)
class ValueMeaning:
    code: Meaning
    words: str  # "above range", UNKNOWN_WORDS, "ALT 300 U/L: above the 100 U/L alert threshold; no laboratory range"


def meaning_of(reading: LabReading, lab: Optional[LabValue] = None,
               beyond: Optional[str] = None) -> Optional[ValueMeaning]:
    """The meaning of one value (None when not recorded). `lab` lets a value without a range be read
    against its default alert threshold; `beyond` is the caller's words when a relative default (the
    creatinine rule) raised it."""
    if reading.value is None:
        return None
    code = _BY_STATUS[reading.status]
    if code != "unknown":
        return ValueMeaning(code, _WORDS[code])
    if beyond:
        return ValueMeaning("beyond_alert_threshold", f"{beyond}; no laboratory range")
    t = DEFAULT_THRESHOLDS.get(reading.analyte)
    if lab is not None and t is not None and t.crossed(decimal_canonical(reading.analyte, lab)):
        return ValueMeaning("beyond_alert_threshold",
                            f"{value_words(reading.analyte, lab)}: {t.words()}; no laboratory range")
    return ValueMeaning("unknown", UNKNOWN_WORDS)


# §13.7 item 21: a full blood count takes the worst of its three values in this order.
_WORST_ORDER: tuple[Meaning, ...] = ("below_range", "above_range", "beyond_alert_threshold", "unknown",
                                     "within_range")


def worst(meanings: Iterable[Optional[ValueMeaning]]) -> Optional[ValueMeaning]:
    """The worst of several meanings (below range > above range > unknown > within range); None if none."""
    present = [m for m in meanings if m is not None]
    if not present:
        return None
    return min(present, key=lambda m: _WORST_ORDER.index(m.code))
