"""Default laboratory reference ranges (clinical-rules.md §7) and how a lab value reads against them.

The lab report's own `ref_low`/`ref_high` always win; the age- and sex-specific defaults below are
used only when the report's range was not entered, and the app names the range it used. Where no
default applies the value's normality is unknown, with the reason.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Literal, Optional

from desktop_app.case import labels, units
from desktop_app.case.models import Case, LabValue
from desktop_app.case.sources import source

LabStatus = Literal["low", "normal", "high", "unknown"]


@dataclass(frozen=True)
class DefaultRange:
    analyte: str
    low: Optional[float]  # canonical unit; None = no limit on that side
    high: Optional[float]
    age_from: float  # years, inclusive
    age_to: Optional[float]  # years, exclusive (None = no upper age)
    age_text: str  # how the age band is written, e.g. "age > 4 y"
    source_key: str
    sex: Optional[str] = None  # only for haemoglobin from 15 years
    age_to_inclusive: bool = False  # the band includes age_to itself


# §7, verbatim bands. Age bands are [from, to) in years unless marked inclusive; the first band
# that matches wins (so age exactly 4 reads as "2–4 y", and "> 4 y" starts after it).
DEFAULT_RANGES: tuple[DefaultRange, ...] = (
    DefaultRange("hemoglobin", 110, None, 0.5, 5, "age 6–59 months", "who_hb"),
    DefaultRange("hemoglobin", 115, None, 5, 12, "age 5–11 y", "who_hb"),
    DefaultRange("hemoglobin", 120, None, 12, 15, "age 12–14 y", "who_hb"),
    DefaultRange("hemoglobin", 120, None, 15, None, "age ≥ 15 y, female", "who_hb", sex="female"),
    DefaultRange("hemoglobin", 130, None, 15, None, "age ≥ 15 y, male", "who_hb", sex="male"),
    DefaultRange("wbc", 6.0, 17.5, 0.25, 1, "age 3 months–1 y", "iowa"),
    DefaultRange("wbc", 6.0, 17.0, 1, 2, "age 1–2 y", "iowa"),
    # "2–4 y" then "> 4 y": read as 2 ≤ age ≤ 4, then age > 4.
    DefaultRange("wbc", 5.5, 15.5, 2, 4, "age 2–4 y", "iowa", age_to_inclusive=True),
    DefaultRange("wbc", 4.5, 13.5, 4, None, "age > 4 y", "common_default"),
    DefaultRange("neutrophils", 1.5, 8.5, 0.5, 5, "age 6 months–5 y", "iowa"),
    DefaultRange("neutrophils", 1.7, 7.5, 5, 18, "age 5–18 y", "iowa"),
    DefaultRange("platelets", 150, 450, 0, None, "all ages", "common_default"),
)


@dataclass(frozen=True)
class LabReading:
    analyte: str
    value: Optional[float]  # canonical unit; None when not recorded
    unit: str  # canonical unit
    status: LabStatus
    low: Optional[float] = None  # the limits used, canonical unit
    high: Optional[float] = None
    range_text: str = ""  # e.g. "4.5–13.5 ×10⁹/L, default for age > 4 y (...)" or "... lab report range"
    source_key: str = ""  # "" for the lab report's own range
    default_used: bool = False
    reason: str = ""  # why normality is unknown

    @property
    def value_text(self) -> str:
        """"7.1 ×10⁹/L", or "not recorded"."""
        if self.value is None:
            return "not recorded"
        return f"{units.fmt_number(self.value)} {labels.unit_label(self.unit)}"


# ---- age ---------------------------------------------------------------------------------------

# Pure on immutable values, so a cache can never be stale: a library scan asks the same few (birth,
# visit date) pairs for every lab value of a case, and the range words for the same few limits.
@functools.lru_cache(maxsize=4096)
def years_between(start: dt.date, end: dt.date) -> float:
    """Calendar-exact age in years (completed years + fraction of the current year)."""
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    last = _add_years(start, years)
    if last.year == dt.MAXYEAR:
        # The next birthday would be in year 10000, which `date` cannot hold. The Gregorian calendar
        # repeats exactly every 400 years, so the year from 400 years earlier has the same length.
        before = _add_years(start, years - 400)
        length = (_add_years(start, years - 399) - before).days
    else:
        length = (_add_years(start, years + 1) - last).days
    return years + (end - last).days / length


def _add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February in a non-leap year
        return d.replace(year=d.year + n, day=28)


def age_years(case: Case) -> Optional[float]:
    """Age at the encounter from the date of birth, else `patient.age_years` (§0)."""
    dob, when = case.patient.date_of_birth, case.encounter.date
    if dob is not None and when is not None and when >= dob:
        return years_between(dob, when)
    return case.patient.age_years


# ---- ranges ------------------------------------------------------------------------------------

def default_range(analyte: str, age: Optional[float], sex: Optional[str]) -> tuple[Optional[DefaultRange], str]:
    """The §7 default for this patient, or (None, reason)."""
    candidates = [r for r in DEFAULT_RANGES if r.analyte == analyte]
    name = labels.analyte_name(analyte)
    if not candidates:
        return None, f"no default range for {name}: enter the lab report's range"
    if age is None and any(r.age_from > 0 or r.age_to is not None for r in candidates):
        return None, f"no default range for {name} while the age is unknown"
    for r in candidates:
        if age is not None:
            above_upper = r.age_to is not None and (age > r.age_to if r.age_to_inclusive else age >= r.age_to)
            if age < r.age_from or above_upper:
                continue
        if r.sex is not None and r.sex != sex:
            continue
        return r, ""
    if analyte == "hemoglobin" and age is not None and age >= 15:
        return None, "no default haemoglobin range from 15 years unless sex is recorded as female or male"
    return None, f"no default range for {name} at this age"


@functools.lru_cache(maxsize=1024, typed=True)  # pure: see years_between
def _range_text(low: Optional[float], high: Optional[float], unit: str) -> str:
    u = labels.unit_label(unit)
    if low is not None and high is not None:
        return f"{units.fmt_number(low)}–{units.fmt_number(high)} {u}"
    if low is not None:
        return f"≥ {units.fmt_number(low)} {u}"
    if high is not None:
        return f"≤ {units.fmt_number(high)} {u}"
    return ""


def _status(value: float, low: Optional[float], high: Optional[float]) -> LabStatus:
    # Limits are inclusive: a value on the limit is within range.
    if low is not None and value < low:
        return "low"
    if high is not None and value > high:
        return "high"
    return "normal"


@functools.lru_cache(maxsize=64)  # pure: one per §7 band
def _default_note(rng: DefaultRange) -> str:
    """"for age > 4 y (common paediatric default; verify against your laboratory)"."""
    src = source(rng.source_key)
    note = src.short if not src.caveat else f"{src.short.lower()}; {src.caveat[:1].lower()}{src.caveat[1:].rstrip('.')}"
    return f"for {rng.age_text} ({note})"


def _default_limits_side(analyte: str, side: str) -> bool:
    """Whether any §7 default for the analyte sets a limit on this side ("low"/"high")."""
    return any(getattr(r, side) is not None for r in DEFAULT_RANGES if r.analyte == analyte)


def age_at(case: Case, when: Optional[dt.date]) -> Optional[float]:
    """Age on a date (clinical-rules.md §13.1): from the date of birth, else `patient.age_years`
    plus the years from `encounter.date` to that date; None when neither can say."""
    dob, seen = case.patient.date_of_birth, case.encounter.date
    if when is None:
        return age_years(case)
    if dob is not None:
        return years_between(dob, when) if when >= dob else None
    if case.patient.age_years is None:
        return None
    if seen is None or when == seen:
        return case.patient.age_years if seen is not None else None
    later = years_between(seen, when) if when >= seen else -years_between(when, seen)
    return max(case.patient.age_years + later, 0.0)


def lab_reading(case: Case, analyte: str) -> LabReading:
    """The value in its canonical unit, read against the lab's own range or the §7 default."""
    return reading_of(analyte, getattr(case.labs, analyte), age_years(case), case.patient.sex)


def reading_of(analyte: str, lab: Optional[LabValue], age: Optional[float], sex: Optional[str]) -> LabReading:
    """One lab value read against its own range, else the §7 default at `age` (a visit's value is read
    at the age on its date, §13.1)."""
    unit = units.canonical_unit(analyte)
    if lab is None:
        return LabReading(analyte, None, unit, "unknown", reason=f"{labels.analyte_name(analyte)} not recorded")
    value = units.canonical(analyte, lab)
    low, high = units.canonical_ref(analyte, lab)
    # One lab limit and §7 has no default for the other side (e.g. LDH, haemoglobin's upper): use it alone.
    one_sided = (low is None) != (high is None)
    other = "high" if low is not None else "low"
    if (low is not None and high is not None) or (one_sided and not _default_limits_side(analyte, other)):
        return LabReading(analyte, value, unit, _status(value, low, high), low, high,
                          f"{_range_text(low, high, unit)}, lab report range")
    rng, reason = default_range(analyte, age, sex)
    if low is None and high is None:
        if rng is None:
            return LabReading(analyte, value, unit, "unknown", reason=reason)
        text = f"{_range_text(rng.low, rng.high, unit)}, default {_default_note(rng)}"
        return LabReading(analyte, value, unit, _status(value, rng.low, rng.high), rng.low, rng.high,
                          text, rng.source_key, default_used=True)
    return _one_lab_limit(analyte, value, unit, low, high, rng, reason)


def _one_lab_limit(analyte: str, value: float, unit: str, low: Optional[float], high: Optional[float],
                   rng: Optional[DefaultRange], reason: str) -> LabReading:
    """The lab report gives one limit: the other comes from the §7 default where one applies (§0/§7)."""
    u = labels.unit_label(unit)
    lab_side, lab_limit = ("lower", low) if low is not None else ("upper", high)
    other_side = "upper" if lab_side == "lower" else "lower"
    lab_text = f"lab report {lab_side} limit {units.fmt_number(lab_limit)} {u}"
    if rng is None:
        # No default for the other side: a value beyond the lab's own limit still reads abnormal.
        status = _status(value, low, high)
        if status != "normal":
            return LabReading(analyte, value, unit, status, low, high, lab_text)
        return LabReading(analyte, value, unit, "unknown", low, high, lab_text,
                          reason=f"{lab_text}; no {other_side} limit ({reason})")
    d_low = low if low is not None else rng.low
    d_high = high if high is not None else rng.high
    d_limit = d_high if lab_side == "lower" else d_low
    if d_limit is None:  # this band of the §7 default sets no limit on that side
        return LabReading(analyte, value, unit, _status(value, d_low, d_high), d_low, d_high, lab_text)
    text = f"{lab_text}; default {other_side} limit {units.fmt_number(d_limit)} {u} {_default_note(rng)}"
    return LabReading(analyte, value, unit, _status(value, d_low, d_high), d_low, d_high,
                      text, rng.source_key, default_used=True)
