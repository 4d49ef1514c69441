"""One case file → one Row of the library, computed by the pure functions every other view uses:
course() for activity, alerts and monitoring, assess() and the plan's own rule for the mode.

A Row holds only what the file says at its own reference date (the latest visit). What depends on
"today" (a review date passed, monitoring overdue by now) is worked out from the row at display time
(`Row.monitoring_at`, `Row.review_passed`), so the cached row stays valid from one day to the next.
"""
from __future__ import annotations

import datetime as dt
import json
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Optional

from desktop_app.case.models import Case
from desktop_app.case.reference_ranges import age_at
from desktop_app.course.build import course
from desktop_app.course.drugs import drug_group
from desktop_app.course.monitoring import SCHEDULES, _test_status_of  # the §13.5 rule itself, not a copy
from desktop_app.course.timeline import current_treatments, latest_visit, reference_date
from desktop_app.course.types import CHANGE_KEYS
from desktop_app.criteria.assess import assess_mode
from desktop_app.plan.at_follow_up import urgent_reason

ATTENTION_MONITORING = ("due", "overdue")
_RANK = {"up_to_date": 0, "due": 1, "overdue": 2}


@dataclass
class MonitoringItem:
    drug: str
    test: str
    group: str  # the §13.5 schedule (methotrexate, nsaid…), to work the status out at another date
    start: str  # the treatment's start date (ISO)
    last: Optional[str]  # the test's last date on or before the reference date (ISO), or None
    status: str  # at the reference date, as `course --json` says it


@dataclass
class Row:
    file: str  # relative to the library folder, with "/" separators
    size: int
    mtime_ns: int
    error: Optional[str] = None  # "could not read: <one line>"
    name: str = ""
    mrn: str = ""
    date_of_birth: Optional[str] = None
    age_years: Optional[float] = None  # at the reference date (§13.1)
    mode: Optional[str] = None
    reference_date: Optional[str] = None
    latest_visit: Optional[str] = None  # the latest visit's date; None without visits
    next_review: Optional[str] = None  # a recorded next review date only (never an estimate)
    activity: Optional[str] = None  # the latest point's (§13.3)
    treatments: list[str] = field(default_factory=list)  # current at the reference date
    alerts: list[dict[str, str]] = field(default_factory=list)  # [{id, tier}] urgent first, as the course
    first_alert: str = ""  # the first alert's words
    monitoring: list[MonitoringItem] = field(default_factory=list)  # every test, any status
    points: list[dict[str, Any]] = field(default_factory=list)  # the course's points, for the audit CSV
    duplicate_mrn_of: list[str] = field(default_factory=list)  # filled by the scan, not stored

    # --------------------------------------------------------------------- as of a date ("today")
    def as_of(self, today: dt.date) -> dt.date:
        """The date monitoring is judged at: today, never before the file's own reference date."""
        ref = dt.date.fromisoformat(self.reference_date) if self.reference_date else None
        return max(today, ref) if ref else today

    def monitoring_at(self, today: dt.date) -> list[MonitoringItem]:
        """Every test with its §13.5 status at `today` (age = today − last): time only makes a status
        more urgent, so a test the file shows due is never shown up to date. Worked out once per date
        (the window's cells, filters and counts and the CLI's lines all ask for the same day)."""
        cached = self.__dict__.get("_monitoring_at")
        if cached is not None and cached[0] == today:
            return cached[1]
        when = self.as_of(today)
        out = []
        for m in self.monitoring:
            if m.status == "overdue":  # already the most urgent: time cannot change it
                out.append(m)
                continue
            last = [dt.date.fromisoformat(m.last)] if m.last else []
            status, _ = _test_status_of(m.group, last, dt.date.fromisoformat(m.start), when)
            # The item itself when its status stays (items are never changed in place).
            out.append(m if _RANK[status] <= _RANK[m.status] else
                       MonitoringItem(m.drug, m.test, m.group, m.start, m.last, status))
        self.__dict__["_monitoring_at"] = (today, out)
        return out

    def monitoring_flagged(self, today: dt.date) -> list[MonitoringItem]:
        return [m for m in self.monitoring_at(today) if m.status in ATTENTION_MONITORING]

    def overdue(self, today: dt.date) -> bool:
        return any(m.status == "overdue" for m in self.monitoring_at(today))

    def review_passed(self, today: dt.date) -> bool:
        """The recorded review date is today or before (conservative: due today counts)."""
        return self.next_review is not None and dt.date.fromisoformat(self.next_review) <= today

    def review_within(self, today: dt.date, weeks: int) -> bool:
        if self.next_review is None:
            return False
        return dt.date.fromisoformat(self.next_review) <= today + dt.timedelta(weeks=weeks)

    def needs_attention(self, today: dt.date) -> bool:
        """An urgent or act alert, overdue monitoring, or a review date reached (issue 24)."""
        return self.error is None and (bool(self.alerts) or self.overdue(today) or self.review_passed(today))

    # What the library window needs of every row at once; a StoredRow answers the same from its columns.
    @property
    def first_tier(self) -> str:
        """The first alert's tier ("urgent" first, as the course orders them), or ""."""
        return self.alerts[0]["tier"] if self.alerts else ""

    def monitoring_counts(self, today: dt.date) -> tuple[int, int]:
        """(tests overdue, tests due or overdue) at `today`."""
        flagged = self.monitoring_flagged(today)
        return sum(m.status == "overdue" for m in flagged), len(flagged)

    # ------------------------------------------------------------------------------- storage
    def to_dict(self, points: bool = True) -> dict[str, Any]:
        """What the index stores (not duplicate_mrn_of: the scan works it out over all rows). By hand,
        not dataclasses.asdict: that deep-copies every point, and a first index does it thousands of times."""
        data = {f: getattr(self, f) for f in _STORED}
        data["monitoring"] = [dict(vars(m)) for m in self.monitoring]
        if points:
            data["points"] = self.points
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Row":
        data = dict(data)
        data["monitoring"] = [MonitoringItem(**m) for m in data.get("monitoring", [])]
        return cls(**data)


_STORED = tuple(f for f in Row.__dataclass_fields__ if f not in ("monitoring", "points", "duplicate_mrn_of"))


class StoredRow:
    """A row as the library window reads it from the index: only what every row needs at once (the
    filters, the counts, the search and the default sort) from the index's own columns; the rest of the
    row (its JSON) is decoded on first use of any other attribute, i.e. for the rows painted or opened.
    Answers `first_tier` and `monitoring_counts` as a Row does (tests/library checks they agree)."""

    def __init__(self, file: str, size: int, mtime_ns: int, error: Optional[str], name: str, mrn: str,
                 next_review: Optional[str], reference_date: Optional[str], first_tier: str,
                 due_from: str, overdue_from: str, data: bytes):
        self.file, self.size, self.mtime_ns, self.error = file, size, mtime_ns, error
        self.name, self.mrn, self.next_review, self.reference_date = name, mrn, next_review, reference_date
        self.first_tier = first_tier
        self._due_from, self._overdue_from = due_from, overdue_from  # ISO dates, space-separated
        self._data = data  # the row's JSON, as stored (bytes: not even made a str until used)
        self.duplicate_mrn_of: list[str] = []  # filled by the scan over all rows, as for a Row

    def monitoring_counts(self, today: dt.date) -> tuple[int, int]:
        if not self._due_from:
            return 0, 0
        when = _iso_of(today)
        if self.reference_date and self.reference_date > when:
            when = self.reference_date  # as Row.as_of: never before the file's own date
        # ISO dates sort as the dates do; the columns hold them sorted.
        return bisect_right(self._overdue_from.split(), when), bisect_right(self._due_from.split(), when)

    def review_passed(self, today: dt.date) -> bool:
        return self.next_review is not None and self.next_review <= _iso_of(today)

    def full(self) -> Row:
        """The whole row, decoded once."""
        row = self.__dict__.get("_full")
        if row is None:
            row = self.__dict__["_full"] = Row.from_dict(json.loads(self._data))
        row.duplicate_mrn_of = self.duplicate_mrn_of
        return row

    def __getattr__(self, name: str):  # only for what is not set above: the decoded row's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.full(), name)


_iso_of = lru_cache(maxsize=4)(dt.date.isoformat)  # "today", asked once per row at open


def monitoring_turns(row: Row) -> tuple[str, str]:
    """For StoredRow: the dates from which each monitoring test counts as due (or overdue), and as
    overdue, space-separated ISO dates; a test that never turns is not listed. Found with the §13.5
    rule itself (Row.monitoring_at), by bisection over the days after the reference date: time only
    makes a status more urgent, so each test turns at most once into each."""
    if not row.monitoring or row.reference_date is None:
        return "", ""
    ref = dt.date.fromisoformat(row.reference_date)
    due, overdue = [], []
    for m in row.monitoring:
        due_day = _turn(m.group, m.last, m.start, m.status, ref, 1)
        if due_day is None:
            continue
        due.append((ref + dt.timedelta(days=due_day)).isoformat())
        overdue_day = _turn(m.group, m.last, m.start, m.status, ref, 2, due_day)  # never before due
        if overdue_day is not None:
            overdue.append((ref + dt.timedelta(days=overdue_day)).isoformat())
    return " ".join(sorted(due)), " ".join(sorted(overdue))


_NEAR_DAYS = 1024  # tests turn within this many days of the reference date: searched first
_HORIZON_DAYS = 200 * 366  # beyond any schedule's days (§13.5): a test not turned by then never turns


@lru_cache(maxsize=4096)
def _turn(group: str, last: Optional[str], start: str, status: str, ref: dt.date, rank: int,
          after: int = 0) -> Optional[int]:
    """The first day after `ref` (counted in days, from `after` on) at which a test's status reaches
    `rank`, or None. Cached: a pure function of immutable values, and a drug's tests are often taken on
    one day (one search for the three of methotrexate)."""
    if _RANK[status] >= rank:
        return 0
    dates = [dt.date.fromisoformat(last)] if last else []
    begun = dt.date.fromisoformat(start)

    def reached(days: int) -> bool:
        return _RANK[_test_status_of(group, dates, begun, ref + dt.timedelta(days=days))[0]] >= rank

    if reached(after):
        return after
    lo = after  # not reached at lo
    for hi in (_NEAR_DAYS, min(_HORIZON_DAYS, (dt.date.max - ref).days)):
        if hi > lo and reached(hi):
            break
        lo = max(lo, hi)
    else:
        return None
    while hi - lo > 1:  # reached at hi, not at lo
        mid = (lo + hi) // 2
        lo, hi = (lo, mid) if reached(mid) else (mid, hi)
    return hi


def error_row(file: str, size: int, mtime_ns: int, message: str) -> Row:
    return Row(file=file, size=size, mtime_ns=mtime_ns, error=f"could not read: {message}")


def summarise(case: Case, file: str, size: int, mtime_ns: int) -> Row:
    """The row of one case: the course's and the plan's answers, nothing the file does not say."""
    c = course(case)
    mode = plan_mode(case, c.alerts)
    ref = reference_date(case)
    last_visit = latest_visit(case)
    review = last_visit.next_review_date if last_visit is not None else case.encounter.next_review_date
    latest = c.points[-1] if c.points else None
    return Row(
        file=file, size=size, mtime_ns=mtime_ns,
        name=case.patient.name, mrn=case.patient.mrn,
        date_of_birth=_iso(case.patient.date_of_birth), age_years=age_at(case, ref),
        mode=mode, reference_date=_iso(ref),
        latest_visit=_iso(last_visit.date) if last_visit is not None else None,
        next_review=_iso(review), activity=latest.activity if latest else None,
        treatments=[t.drug for t in latest.current_treatments] if latest else [],
        alerts=[{"id": a.id, "tier": a.tier} for a in c.alerts],
        first_alert=c.alerts[0].label if c.alerts else "",
        monitoring=_monitoring(case, c, ref),
        points=[_point(p) for p in c.points],
    )


def plan_mode(case: Case, alerts) -> str:
    """The plan's mode as plan() decides it (plan/build.py: the assessment's mode, then follow_up_mode(),
    which makes it workup when a follow-up alert is urgent), without the lines and doses the library
    never shows. `alerts`: the course's, the same follow_up_alerts() the plan's `now` holds (not
    computed twice). tests/library compares the result with plan --json."""
    return "workup" if urgent_reason(alerts) else assess_mode(case)


def _monitoring(case: Case, c, ref: Optional[dt.date]) -> list[MonitoringItem]:
    """The course's monitoring lines, each with its schedule and the treatment's start, walked in the
    same order as monitoring_due() so that line i is the course's line i."""
    if not c.monitoring or ref is None:
        return []
    starts = []
    for t in current_treatments(case, ref):
        group = drug_group(t)
        if group is not None:
            starts += [(group, t.start_date)] * len(SCHEDULES[group].tests)
    return [MonitoringItem(m.drug, m.test, group, start.isoformat(), _iso(m.last), m.status)
            for m, (group, start) in zip(c.monitoring, starts, strict=True)]


def _point(p) -> dict[str, Any]:
    return {"date": _iso(p.date), "visit": p.visit, "activity": p.activity,
            "values": {k: p.value(k) for k in CHANGE_KEYS},
            "treatments": [t.drug for t in p.current_treatments]}


def _iso(d: Optional[dt.date]) -> Optional[str]:
    return d.isoformat() if d is not None else None
