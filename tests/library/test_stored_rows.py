"""The window's rows read from the index's own columns (StoredRow) answer what the decoded rows (Row)
answer: the same "as of today" monitoring counts on every day, the same first alert tier, review and
duplicate MRNs, and every other field decoded from the row's JSON on first use. And an index of the
previous layout (3) is rebuilt into the new one without a word."""
from __future__ import annotations

import datetime as dt
import sqlite3

from desktop_app.library.index import SCHEMA, Index, index_path
from desktop_app.library.summary import StoredRow
from tests.benchmarks.make_library import TODAY, make_library


def _both(folder):
    index = Index(folder)
    try:
        index.scan(rows=False)
        return index.rows(), index.stored_rows()
    finally:
        index.close()


def test_stored_rows_answer_as_the_decoded_rows_on_every_day(tmp_path):
    folder = tmp_path / "clinic"
    make_library(60, folder)  # with hostile files and duplicate MRNs
    rows, stored = _both(folder)
    assert [r.file for r in stored] == [r.file for r in rows] and len(rows) > 60
    with_monitoring = [r for r in rows if r.monitoring]
    assert with_monitoring and any(m.status != "overdue" for r in with_monitoring for m in r.monitoring)
    # Days before the files' reference dates, on them, and through a year after TODAY: the counts
    # change on the days the §13.5 rule says (each test's due and overdue day) and nowhere else.
    days = [TODAY + dt.timedelta(days=d) for d in range(-800, 400, 3)]
    changed = 0
    for row, s in zip(rows, stored, strict=True):
        assert isinstance(s, StoredRow) and "_full" not in s.__dict__  # nothing decoded yet
        assert (s.error, s.name, s.mrn, s.next_review, s.first_tier, s.duplicate_mrn_of) == \
               (row.error, row.name, row.mrn, row.next_review, row.first_tier, row.duplicate_mrn_of)
        counts = set()
        for day in days:
            assert s.monitoring_counts(day) == row.monitoring_counts(day), (row.file, day)
            assert s.review_passed(day) == row.review_passed(day)
            counts.add(row.monitoring_counts(day))
        changed += len(counts) > 1
        # Any other field: the row's own, decoded on first use.
        assert (s.mode, s.activity, s.age_years, s.treatments, s.alerts, s.first_alert) == \
               (row.mode, row.activity, row.age_years, row.treatments, row.alerts, row.first_alert)
        assert s.monitoring_flagged(TODAY) == row.monitoring_flagged(TODAY)
        assert "_full" in s.__dict__
    assert changed > 5  # the days above do cross tests' due and overdue days


def test_an_index_of_the_previous_layout_is_rebuilt_with_the_same_rows(clinic):
    fresh, _ = _both(clinic)
    path = index_path(clinic)
    path.unlink()
    with sqlite3.connect(path) as db:  # layout 3, as the previous release wrote it
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                   "unread INTEGER NOT NULL, data TEXT NOT NULL, points TEXT NOT NULL)")
        db.execute("INSERT INTO files VALUES ('group-000/patient-00000.crmo', 1, 1, 0, '{}', '[]')")
        db.execute("PRAGMA user_version = 3")
    index = Index(clinic)
    try:
        assert not index.note
        assert index.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA == 4
        assert index.stored_rows() == []  # the old rows are gone, not misread
        result = index.scan(rows=False)
        assert result.read == 24
        stored = index.stored_rows()
    finally:
        index.close()
    assert [(s.file, s.name, s.mrn, s.mode, s.monitoring_counts(TODAY)) for s in stored] == \
           [(r.file, r.name, r.mrn, r.mode, r.monitoring_counts(TODAY)) for r in fresh]
