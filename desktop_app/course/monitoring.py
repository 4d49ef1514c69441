"""Monitoring due (clinical-rules.md §13.5): for each treatment current at the reference date, each test
the sources ask for, with its status (up to date, due, overdue) and the date it was last done.

The status says only whether a test was done; what its value means is for the alerts (§13.4).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Optional, Sequence

from desktop_app.case import labels, units
from desktop_app.case.models import Case, Visit
from desktop_app.case.reference_ranges import age_at, reading_of
from desktop_app.case.sources import source
from desktop_app.case.visits import ordered_visits
from desktop_app.course.alerts import creatinine_beyond_default
from desktop_app.course.drugs import drug_group
from desktop_app.course.meaning import ValueMeaning, meaning_of, worst
from desktop_app.course.timeline import (
    DatedLab, LabEntry, current_treatments, drug_key, lab_values_in, reference_date, value_on,
)
from desktop_app.course.types import Monitoring

FBC = "full blood count"
# A test → the analytes that make it; "full blood count" needs WBC, haemoglobin and platelets the same day.
TESTS: dict[str, tuple[str, ...]] = {
    FBC: ("wbc", "hemoglobin", "platelets"), "ALT": ("alt",), "creatinine": ("creatinine",),
    "calcium": ("calcium",), "25-OH vitamin D": ("vitamin_d_25oh",),
    "alkaline phosphatase": ("alkaline_phosphatase",),
}


@dataclass(frozen=True)
class Schedule:
    tests: tuple[str, ...]
    up_to_date_days: int  # age ≤ this: up to date
    overdue_after_days: Optional[int]  # age > this: overdue; None = never overdue (due only)
    interval: str
    source: str
    first_check: bool = False  # methotrexate, sulfasalazine: the first check after the start


_ACR = source("acr2021_jia").short
FIRST_CHECK_DUE_FROM_DAY = 31  # "within the first 1–2 months of usage" (ACR 2021 JIA guideline)
FIRST_CHECK_OVERDUE_FROM_DAY = 61
SCHEDULES: dict[str, Schedule] = {
    "nsaid": Schedule((FBC, "ALT", "creatinine"), 182, 365, "every 6–12 months",
                      f"{_ACR} (\"CBC counts, LFTs, and renal function tests every 6–12 months\")"),
    "methotrexate": Schedule((FBC, "ALT", "creatinine"), 91, 122,
                             "within 1–2 months of the start, then every 3–4 months",
                             f"{_ACR} (\"within the first 1–2 months of usage and every 3–4 months thereafter\")",
                             first_check=True),
    "tnf_inhibitor": Schedule((FBC, "ALT"), 365, 456, "annually",
                              f"{_ACR} (\"CBC counts and LFTs annually\"); overdue after 15 months: "
                              f"{source('product_rule').short}"),
    # Overdue after 130 days (§13.7 item 9): an infusion every 2–4 months, with its checks before each.
    "bisphosphonate": Schedule(("creatinine", "calcium", "25-OH vitamin D", "alkaline phosphatase"), 30, 130,
                               "before each infusion (within 30 days); overdue after 130 days",
                               f"{source('pamidronate_label').short}; {source('bisphosphonate_checks').short}; "
                               f"30 and 130 days: {source('product_rule').short}"),
}
SCHEDULES["sulfasalazine"] = SCHEDULES["methotrexate"]  # "sulfasalazine the same" (ACR 2021)
FOLIC_ACID_NOTE = ("Folic or folinic acid with methotrexate (" + _ACR + ").")


def test_dates(case: Case, test: str, until: dt.date) -> list[dt.date]:
    """The dates (on or before `until`) on which `test` was done, oldest first."""
    return _test_dates_in(case, ordered_visits(case), test, until)


def _test_dates_in(case: Case, order: Sequence[Visit], test: str, until: dt.date) -> list[dt.date]:
    """`test_dates` with the visits already in order."""
    return _test_dates_of(_Entries(case, order), test, until)


class _Entries:
    """Each analyte's `lab_values_in`, read from the case once per analyte within one call (never kept
    between calls: the case may change)."""

    def __init__(self, case: Case, order: Sequence[Visit]):
        self.case, self.order = case, order
        self._by: dict[str, list[LabEntry]] = {}

    def __call__(self, analyte: str) -> list[LabEntry]:
        if analyte not in self._by:
            self._by[analyte] = lab_values_in(self.case, self.order, analyte)
        return self._by[analyte]


def _test_dates_of(entries: _Entries, test: str, until: dt.date) -> list[dt.date]:
    per_analyte = [{d for _, d, _ in entries(a) if d is not None and d <= until} for a in TESTS[test]]
    return sorted(set.intersection(*per_analyte)) if per_analyte else []


def _status(age: int, s: Schedule) -> str:
    if age <= s.up_to_date_days:
        return "up_to_date"
    if s.overdue_after_days is not None and age > s.overdue_after_days:
        return "overdue"
    return "due"


def test_status(case: Case, group: str, test: str, start: dt.date, ref: dt.date) -> tuple[str, Optional[dt.date]]:
    """(status, last date) of one test of one current treatment at the reference date."""
    return _test_status_of(group, test_dates(case, test, ref), start, ref)


def _test_status_of(group: str, dates: list[dt.date], start: dt.date, ref: dt.date) -> tuple[str, Optional[dt.date]]:
    """`test_status` given the test's dates (on or before `ref`, oldest first)."""
    s = SCHEDULES[group]
    last = dates[-1] if dates else None
    days_on = (ref - start).days
    if s.first_check and not any(d >= start for d in dates):
        # The first check takes precedence over older values (§13.5).
        if days_on >= FIRST_CHECK_OVERDUE_FROM_DAY:
            return "overdue", last
        return ("due" if days_on >= FIRST_CHECK_DUE_FROM_DAY else "up_to_date"), last
    if last is None:
        overdue = s.overdue_after_days is not None and days_on > s.overdue_after_days
        return ("overdue" if overdue else "due"), None
    return _status((ref - last).days, s), last


def _meaning(case: Case, order: Sequence[Visit], d: DatedLab) -> Optional[ValueMeaning]:
    reading = reading_of(d.analyte, d.lab, age_at(case, d.date), case.patient.sex)
    beyond = None
    if d.analyte == "creatinine" and reading.status == "unknown":
        phrase = creatinine_beyond_default(case, list(order), d)
        beyond = f"{labels.analyte_name('creatinine')} {units.fmt_number(d.lab.value)} " \
                 f"{labels.unit_label(d.lab.unit)}: {phrase}" if phrase else None
    return meaning_of(reading, d.lab, beyond=beyond)


def last_value(case: Case, order: Sequence[Visit], test: str, last: Optional[dt.date]) -> dict:
    """The monitoring line's `value`, `unit`, `values` (full blood count) and `meaning` (§13.5 v4, item 21)."""
    return _last_value_of(case, order, _Entries(case, order), test, last)


def _last_value_of(case: Case, order: Sequence[Visit], entries: _Entries, test: str,
                   last: Optional[dt.date]) -> dict:
    if last is None:
        return {}
    found = {a: value_on(a, entries(a), last) for a in TESTS[test]}
    meanings = {a: (None if d is None else _meaning(case, order, d)) for a, d in found.items()}
    m = worst(meanings.values())
    out: dict = {"meaning": None if m is None else m.code, "meaning_words": "" if m is None else m.words}
    if test == FBC:
        out["values"] = {a: (None if d is None else d.lab.value) for a, d in found.items()}
    else:
        d = found[TESTS[test][0]]
        out.update(value=None if d is None else d.lab.value, unit=None if d is None else d.lab.unit)
    return out


def monitoring_due(case: Case) -> list[Monitoring]:
    """Every test of every treatment current at the reference date (the latest visit's date; without visits,
    `encounter.date`: a patient referred on treatment, §13 v4)."""
    ref = reference_date(case)
    if ref is None:
        return []
    order = ordered_visits(case)
    entries = _Entries(case, order)
    dates: dict[str, list[dt.date]] = {}  # a test's dates, worked out once for every treatment asking for it
    values: dict[tuple[str, Optional[dt.date]], dict] = {}
    out = []
    for t in current_treatments(case, ref):
        group = drug_group(t)
        if group not in SCHEDULES:
            continue
        s = SCHEDULES[group]
        for test in s.tests:
            if test not in dates:
                dates[test] = _test_dates_of(entries, test, ref)
            status, last = _test_status_of(group, dates[test], t.start_date, ref)
            if (test, last) not in values:
                values[(test, last)] = _last_value_of(case, order, entries, test, last)
            out.append(Monitoring(drug=drug_key(t.drug), test=test, status=status, last=last,
                                  interval=s.interval, source=s.source, **values[(test, last)]))
    return out
