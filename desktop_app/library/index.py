"""The library's index: an SQLite file in the per-user cache, one per library folder.

It is only a cache of the folder: every row can be rebuilt from the files, so a damaged index or one
of an older layout is deleted and rebuilt without a word. It is never written beside the cases: SQLite's
locks are unreliable on network filesystems, and the cases often sit on a shared drive.

Patient data lives here, so the folder is owner-only (0700), the file 0600, and secure_delete is on
(a deleted row is overwritten, not left in free pages). When the cache folder cannot be written, the
library works from an index in memory and says so once (`Index.note`).
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import Callable, Iterable, Optional

from desktop_app.library.scan import case_files, check_folder, mark_duplicate_mrns
from desktop_app.library.summary import Row, StoredRow, error_row, monitoring_turns, summarise
from desktop_app.storage.case_file import load_case
from desktop_app.storage.errors import CaseFileError
from desktop_app.storage.recovery import APP_DIR_NAME

SCHEMA = 4  # PRAGMA user_version: any other value → rebuild (3: the course's points apart, unread;
# 4: what the window needs of every row in columns of their own, see StoredRow)
CACHE_DIR_ENV = "CRMO_CONSULT_CACHE_DIR"  # tests and portable installs point this elsewhere
_COMMIT_EVERY = 100  # rows; a cancelled or interrupted scan keeps what it committed

Progress = Callable[[int, int], None]  # (files done, files in the folder)


def cache_dir() -> Path:
    env = os.environ.get(CACHE_DIR_ENV)
    if env:
        return Path(env) / "library"
    import platformdirs  # lazy, as storage/recovery.py

    return Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)) / "library"


def index_path(folder: Path) -> Path:
    """One index per library folder, named by a hash of its resolved path (no patient or folder name)."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:24]
    return cache_dir() / f"{digest}.sqlite"


class ScanResult:
    def __init__(self, rows: list[Row], read: int, removed: int, cancelled: bool):
        self.rows = rows  # one per case file, by file name (empty when the scan was asked for none)
        self.read = read  # how many files were (re)read this time
        self.removed = removed  # rows dropped: their files are gone
        self.cancelled = cancelled

    @property
    def changed(self) -> bool:
        return bool(self.read or self.removed)


class Index:
    """The index of one library folder. Not shared between threads: open one per thread."""

    def __init__(self, folder: str | os.PathLike[str]):
        self.folder = check_folder(Path(folder))
        self.path = index_path(self.folder)
        self.note = ""  # one sentence when the index could not be kept on disk
        self.db = self._open()

    # ------------------------------------------------------------------------------- opening
    def _open(self) -> sqlite3.Connection:
        try:
            _private_dir(self.path.parent)
            db = self._connect(self.path)
        except (OSError, sqlite3.Error):
            self.note = ("The library's index could not be kept in the cache folder (it is read-only or "
                         "missing); this time the files are read into memory.")
            return self._connect(":memory:")
        return db

    def _connect(self, target) -> sqlite3.Connection:
        if target != ":memory:":
            try:
                return self._prepare(target)
            except sqlite3.DatabaseError as exc:
                if isinstance(exc, sqlite3.OperationalError) and not _is_damage(exc):
                    raise
                _remove_db(target)  # damaged: rebuilt from the files
        return self._prepare(target)

    def _prepare(self, target) -> sqlite3.Connection:
        if target != ":memory:" and not Path(target).exists():
            fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)  # never briefly 0644
            os.close(fd)
        db = sqlite3.connect(target, isolation_level=None)
        try:
            db.execute("PRAGMA secure_delete = ON")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA:
                db.execute("DROP TABLE IF EXISTS files")
                # `points` apart from the row: only the per-visit audit table reads them.
                # `unread`: the file could not be read; such a row is read again on every scan, as a
                # file made readable (chmod) keeps its size and mtime.
                # The columns after `unread`: what the library window needs of every row at open
                # (StoredRow), so that it decodes `data` only for the rows it paints.
                db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, "
                           "mtime_ns INTEGER NOT NULL, unread INTEGER NOT NULL, error TEXT, "
                           "name TEXT NOT NULL, mrn TEXT NOT NULL, next_review TEXT, reference_date TEXT, "
                           "first_tier TEXT NOT NULL, due_from TEXT NOT NULL, overdue_from TEXT NOT NULL, "
                           "data TEXT NOT NULL, points TEXT NOT NULL)")
                db.execute(f"PRAGMA user_version = {SCHEMA}")
            db.execute("SELECT count(*) FROM files").fetchone()
            # A quick check: a page damaged by a crash or a copy raises here, not mid-scan.
            if db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("index failed its check")
        except BaseException:
            db.close()
            raise
        if target != ":memory:" and os.name == "posix":
            os.chmod(target, 0o600)
        return db

    def close(self) -> None:
        self.db.close()

    def forget(self) -> None:
        """"Forget this library": delete its index (the files are untouched)."""
        self.db.close()
        if not self.note:
            _remove_db(self.path)
        self.db = self._connect(":memory:")

    # ------------------------------------------------------------------------------- scanning
    def scan(self, progress: Optional[Progress] = None, cancelled: Callable[[], bool] = lambda: False,
             rows: bool = True, points: bool = False) -> ScanResult:
        """Rescan the folder: read only the files whose size or mtime changed, drop rows of deleted
        files. A cancelled scan keeps (and returns) what it indexed so far. Nothing changed costs one
        query and a stat per file; `rows=False` then returns without decoding a single row (the window
        keeps the rows it shows). `points`: the course's points too (the per-visit audit table)."""
        check_folder(self.folder)  # the folder may have disappeared since the window opened
        stored = {p: (s, m) for p, s, m in self.db.execute("SELECT path, size, mtime_ns FROM files")}
        unread = dict(self.db.execute("SELECT path, data FROM files WHERE unread"))  # a few, if any
        files = list(case_files(self.folder))
        seen: list[str] = []
        pending: list[Row] = []
        read = 0
        stop = False
        for i, (rel, full) in enumerate(files):
            if cancelled():
                stop = True
                break
            size, mtime = _stat(full)
            # A file that could not be read is tried again each time (it fails fast); it counts as a
            # change only when its row does change.
            same = stored.get(rel) == (size, mtime)
            if not same or rel in unread:
                row = _read_row(rel, full, size, mtime)
                seen.append(rel)
                if same and _row_json(row) == unread[rel]:
                    continue  # still unreadable, for the same reason: not a change
                pending.append(row)
                read += 1
                if len(pending) >= _COMMIT_EVERY:
                    self._put(pending)
                    pending = []
                if progress is not None:
                    progress(i + 1, len(files))
                continue
            seen.append(rel)
        self._put(pending)
        gone = [] if stop else set(stored).difference(seen)
        if gone:
            self._write("DELETE FROM files WHERE path = ?", [(p,) for p in gone])
        if progress is not None and not stop:
            progress(len(files), len(files))
        return ScanResult(self.rows(seen, points) if rows else [], read, len(gone), stop)

    def update_file(self, full: str | os.PathLike[str]) -> Optional[Row]:
        """Re-read one file (the window saved it); None when it is not in this library."""
        full = Path(full).resolve()
        try:
            rel = full.relative_to(self.folder).as_posix()
        except ValueError:
            return None
        size, mtime = _stat(full)
        row = _read_row(rel, full, size, mtime)
        self._put([row])
        return row

    def stamps(self) -> dict[str, tuple[int, int, bool]]:
        """(size, mtime_ns, could not read) of every stored row: one query, no row decoded. A window
        compares them with the rows it shows (another window may have updated the index)."""
        return {p: (s, m, bool(u)) for p, s, m, u in self.db.execute("SELECT path, size, mtime_ns, unread FROM files")}

    def rows(self, paths: Optional[Iterable[str]] = None, points: bool = False) -> list[Row]:
        """The stored rows (all, or these paths), by file name, with duplicate MRNs marked."""
        query = "SELECT path, data, points FROM files" if points else "SELECT path, data, NULL FROM files"
        data = {p: (d, pts) for p, d, pts in self.db.execute(query)}
        wanted = sorted(data) if paths is None else [p for p in paths if p in data]
        rows = []
        for p in wanted:
            row = Row.from_dict(json.loads(data[p][0]))
            if points:  # else the row's own empty list: nothing to decode (a window opens on thousands)
                row.points = json.loads(data[p][1])
            rows.append(row)
        mark_duplicate_mrns(rows)
        return rows

    def stored_rows(self) -> list[StoredRow]:
        """Every stored row for the window, by file name, with duplicate MRNs marked: read from the
        columns of their own, each row's JSON kept undecoded until it is painted or opened."""
        rows = [StoredRow(*values) for values in self.db.execute(
            "SELECT path, size, mtime_ns, error, name, mrn, next_review, reference_date, first_tier, "
            "due_from, overdue_from, CAST(data AS BLOB) FROM files ORDER BY path")]  # bytes: nothing decoded
        mark_duplicate_mrns(rows)
        return rows

    def _put(self, rows: list[Row]) -> None:
        """Store these rows in one transaction (a cancelled or interrupted scan keeps what it committed)."""
        if not rows:
            return
        self._write("INSERT OR REPLACE INTO files (path, size, mtime_ns, unread, error, name, mrn, next_review, "
                    "reference_date, first_tier, due_from, overdue_from, data, points) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [(r.file, r.size, r.mtime_ns, r.error is not None, r.error, r.name, r.mrn, r.next_review,
                      r.reference_date, r.first_tier, *monitoring_turns(r), _row_json(r),
                      json.dumps(r.points, ensure_ascii=False)) for r in rows])

    def _write(self, sql: str, params: list[tuple]) -> None:
        """One transaction (the connection is in autocommit mode: one per statement would sync each)."""
        self.db.execute("BEGIN")
        try:
            self.db.executemany(sql, params)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")


def scan_folder(folder: str | os.PathLike[str], **kwargs) -> tuple[ScanResult, str]:
    """Open the folder's index, rescan, close: (result, the index's note or "")."""
    index = Index(folder)
    try:
        return index.scan(**kwargs), index.note
    finally:
        index.close()


def _private_dir(folder: Path) -> None:
    """Create the cache folder owner-only; on an existing one only take away others' access (a
    folder made read-only on purpose stays read-only, and the library then works from memory)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        mode = folder.stat().st_mode & 0o777
        if mode & 0o077:
            os.chmod(folder, mode & 0o700)


def _stat(full: Path) -> tuple[int, int]:
    """(size, mtime_ns); (-1, -1) when the file cannot even be stat'ed."""
    try:
        st = os.stat(full)
    except OSError:
        return -1, -1
    return st.st_size, st.st_mtime_ns


def _read_row(rel: str, full: Path, size: int, mtime: int) -> Row:
    try:
        case = load_case(full)  # the same checks and the same one-line words as `crmo-consult evaluate`
    except CaseFileError as exc:
        return error_row(rel, size, mtime, str(exc))
    try:
        return summarise(case, rel, size, mtime)
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop a scan of hundreds
        return error_row(rel, size, mtime, f"could not be summarised ({type(exc).__name__}).")


def _row_json(row: Row) -> str:
    return json.dumps(row.to_dict(points=False), ensure_ascii=False)


def _is_damage(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text or "failed its check" in text


def _remove_db(path) -> None:
    for p in (Path(path), Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass
