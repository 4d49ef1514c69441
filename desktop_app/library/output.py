"""The library as data others read: the worklist's JSON ("Library output" in docs/assessment-output.md),
its filters, and the audit table as CSV (one row per patient, or one per point of the course).

Words a clinician reads (mode, activity, tier, status) come from case/labels, as everywhere else.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any, Iterable, Optional

from desktop_app.case import labels
from desktop_app.course.types import CHANGE_KEYS
from desktop_app.library.summary import Row

OUTPUT_FORMAT = "crmo-consult/library"
OUTPUT_VERSION = 1


def select(rows: Iterable[Row], today: dt.date, attention: bool = False,
           due_before: Optional[dt.date] = None) -> list[Row]:
    """--attention: rows that need attention, and every file that could not be read (it may hide
    anything); --due-before: a recorded next review before that date."""
    out = []
    for r in rows:
        if attention and not (r.error is not None or r.needs_attention(today)):
            continue
        if due_before is not None and not (r.next_review is not None
                                           and dt.date.fromisoformat(r.next_review) < due_before):
            continue
        out.append(r)
    return out


def row_to_json(r: Row, today: dt.date) -> dict[str, Any]:
    return {
        "file": r.file, "name": r.name, "mrn": r.mrn, "error": r.error,
        "duplicate_mrn_of": list(r.duplicate_mrn_of),
        "date_of_birth": r.date_of_birth, "age_years": r.age_years, "mode": r.mode,
        "latest_visit": r.latest_visit, "next_review": r.next_review, "activity": r.activity,
        "current_treatments": list(r.treatments),
        "alerts": [dict(a) for a in r.alerts],
        "monitoring": [{"drug": m.drug, "test": m.test, "status": m.status} for m in r.monitoring_flagged(today)],
        "needs_attention": r.needs_attention(today),
    }


def library_to_json(folder: str, rows: list[Row], today: dt.date, note: str = "") -> dict[str, Any]:
    from desktop_app.about import __version__

    return {"format": OUTPUT_FORMAT, "version": OUTPUT_VERSION, "app_version": __version__,
            "folder": folder, "today": today.isoformat(), "note": note or None,
            "rows": [row_to_json(r, today) for r in rows]}


# ------------------------------------------------------------------------------------------ CSV
PATIENT_COLUMNS = ("File", "Name", "MRN", "Date of birth", "Age (years, at the latest visit)", "Mode",
                   "Latest visit", "Next review", "Latest activity", "Current treatments", "Alerts",
                   "First alert", "Monitoring due or overdue", "Needs attention", "Same MRN as",
                   "Could not read")
_UNITS = {"crp_mg_l": " (mg/L)", "esr_mm_h": " (mm/h)"}  # the course's values are in these units
POINT_COLUMNS = ("File", "Name", "MRN", "Point", "Date",
                 *(labels.MEASURE_NAMES[k] + _UNITS.get(k, "") for k in CHANGE_KEYS),
                 "Activity", "Current treatments")


def _cell(value: Any) -> Any:
    """A spreadsheet must show text from a file as text: a leading = + - @ (or tab, CR) would make it
    a formula, so such a cell starts with an apostrophe (the OWASP advice on CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


# What a spreadsheet would turn into a number or a date: 000123 → 123, 1E5 → 100000, 12-03 → a date.
_NUMBER_LIKE = re.compile(r"[0-9][0-9\s.,/:-]*|[0-9.]+[eE][+-]?[0-9]+")


def _identifier(value: str) -> str:
    """An MRN is text: one a spreadsheet would read as a number or a date (losing its leading zeros)
    starts with an apostrophe, the mark of a text cell (checked in Gnumeric: it shows 000123)."""
    return "'" + value if _NUMBER_LIKE.fullmatch(value) else value


def _age(years: Optional[float]) -> Optional[float]:
    """One decimal, as the note shows an age (report/text.py age_text), not 7.315068493150685."""
    return None if years is None else round(years, 1)


def _label(kind: str, value: Optional[str]) -> str:
    return labels.value_label(kind, value) if value else ""


def patient_table(rows: list[Row], today: dt.date) -> list[list[Any]]:
    out: list[list[Any]] = [list(PATIENT_COLUMNS)]
    for r in rows:
        flagged = r.monitoring_flagged(today)
        out.append([_cell(v) for v in (
            r.file, r.name, _identifier(r.mrn), r.date_of_birth, _age(r.age_years), _label("mode", r.mode), r.latest_visit,
            r.next_review, _label("activity", r.activity), "; ".join(r.treatments),
            "; ".join(_label("alert_tier", a["tier"]) for a in r.alerts), r.first_alert,
            "; ".join(f"{m.drug}: {m.test}: {_label('monitoring_status', m.status)}" for m in flagged),
            "" if r.error else ("yes" if r.needs_attention(today) else "no"),
            "; ".join(r.duplicate_mrn_of), r.error)])
    return out


def point_table(rows: list[Row]) -> list[list[Any]]:
    out: list[list[Any]] = [list(POINT_COLUMNS)]
    for r in rows:
        if r.error is not None:
            continue  # an unreadable file has no course; the patient table lists it
        for p in r.points:
            point = "First consultation" if p["visit"] is None else f"Visit {p['visit']}"
            out.append([_cell(v) for v in (
                r.file, r.name, _identifier(r.mrn), point, p["date"], *(p["values"][k] for k in CHANGE_KEYS),
                _label("activity", p["activity"]), "; ".join(p["treatments"]))])
    return out


def csv_bytes(table: list[list[Any]]) -> bytes:
    """UTF-8 with a BOM, so that Excel reads accents and dashes right; the csv module quotes."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(table)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
