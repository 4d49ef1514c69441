"""The case library window (File → Case library…, Ctrl+L): every case file of a folder as one row of a
sortable worklist, a search box (name or MRN, as you type), filters with counts, and Enter or a
double-click to open a case in the main window.

Model/view: one LibraryModel (QAbstractTableModel) over the library's rows that also searches, filters
and sorts them (no proxy model: see LibraryModel); no widget per row. The scan runs in a
worker thread with its own index connection (desktop_app/library), so the window stays responsive; a
progress bar with Cancel shows while it runs, and a cancelled scan keeps what it indexed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Optional

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QSettings, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QRadioButton, QSpinBox, QTableView, QVBoxLayout,
                               QWidget)

from desktop_app.about import APP_NAME
from desktop_app.case import labels
from desktop_app.library.summary import Row, StoredRow

FOLDER_KEY = "library/folder"  # QSettings: the last library folder
WEEKS_KEY = "library/review_weeks"
DEFAULT_WEEKS = 4
# Opening a folder shows the index's rows at once; the rescan that checks them against the files starts
# once they are painted (a thread started earlier takes the GIL from the first paint), or after this
# long if the window is not painted (hidden, minimised).
RESCAN_FALLBACK_MS = 1000

# Filters, in the order shown: (key, the words before the count).
FILTERS = (("all", "All"), ("attention", "Needs attention"), ("review", "Review due in the next"),
           ("overdue", "Overdue monitoring"), ("error", "Could not read"))
# What a clinic scans first comes first (visible at 1024 px); the rest scrolls.
COLUMNS = ("Attention", "Name", "MRN", "Next review", "Monitoring due", "Latest visit", "Age", "Mode",
           "Activity", "Current treatments", "Same MRN as", "File")
# What each column must show in full (else its header), measured in the table's font: the columns up to
# the mode fit a 1024-px window; the attention words are elided there, their full text in the tooltip.
_WIDEST = {"Attention": "Act: Weight loss of 10 % or", "Name": "Synthetic Patient 00000",
           "MRN": "S0000000", "Next review": "0000-00-00", "Monitoring due": "3 overdue, 3 due",
           "Latest visit": "0000-00-00", "Age": "00 y", "Mode": ("mode", labels.choices),
           "Activity": ("activity", labels.choices), "Current treatments": "methotrexate, naproxen",
           "Same MRN as": "group-000/patient-00000.crmo"}  # the last column (File) stretches
_CELL_PADDING = 12  # the cell's margins and the header's sort arrow, in pixels


def column_widths(fm) -> list[int]:
    """Each column's width (but the last) from the words it shows, in the font metrics `fm`."""
    out = []
    for column in COLUMNS[:-1]:
        widest = _WIDEST[column]
        texts = [label for _, label in widest[1](widest[0])] if isinstance(widest, tuple) else [widest]
        out.append(max(fm.horizontalAdvance(t) for t in [column, *texts]) + _CELL_PADDING)
    return out
SORT_ROLE = Qt.ItemDataRole.UserRole


def choose_folder(parent: QWidget, start: str) -> Optional[Path]:
    """Ask for a library folder (tests replace this function: no dialog in a test)."""
    chosen = QFileDialog.getExistingDirectory(parent, "Choose the case library folder", start)
    return Path(chosen) if chosen else None


def forget_words(folder: Path) -> str:
    """What "Forget this library" deletes, and what it never touches."""
    return (f"This deletes this computer's index of the case library “{folder}”: the list this window "
            f"shows, kept in this user's cache folder.\n\nThe case files in the folder are not touched: "
            f"none is deleted or changed. The list is read again from them now, and again whenever the "
            f"library is opened.")


# ------------------------------------------------------------------------------------------ model
class _Facts(NamedTuple):
    """What every row needs at once, whatever is on screen: the filters, the counts, the search and
    the default sort (the worst first). The "as of today" monitoring is worked out here, once per row.
    A NamedTuple: made for every row at open, and a frozen dataclass costs several times as much."""
    rank: int  # urgent, act, could not read, overdue, review reached, nothing: a worklist sorts the worst first
    flags: frozenset[str]  # attention, overdue, error
    review: Optional[dt.date]  # the recorded next review (not for a file that could not be read)
    search: str  # name and MRN, case-folded
    overdue: int  # monitoring tests overdue today
    flagged: int  # monitoring tests due or overdue today
    review_passed: bool


@dataclass(frozen=True)
class _Shown:
    """A row's cells, sort keys and tooltip: worked out only for the rows painted (or all of them when
    the table is sorted by a column other than the first), then kept until the row changes."""
    cells: tuple[str, ...]
    keys: tuple  # sort keys, one per column
    tooltip: str


def _attention_words(r: Row, overdue: bool, review_passed: bool) -> str:
    if r.error is not None:
        return "Could not read"
    if r.alerts:
        return f"{labels.value_label('alert_tier', r.alerts[0]['tier'])}: {r.first_alert}"
    if overdue:
        return "Monitoring overdue"
    if review_passed:
        return "Review date reached"
    return ""


def _display_name(r: Row) -> str:
    return r.name or Path(r.file).name


def _facts(r: Row | StoredRow, today: dt.date) -> _Facts:
    """From what a StoredRow holds in its own columns: no row decoded (a window opens on thousands)."""
    overdue, flagged = r.monitoring_counts(today)
    review_passed = r.review_passed(today)
    tier = r.first_tier
    rank = (0 if tier == "urgent" else 1 if tier else 2 if r.error else 3 if overdue else 4 if review_passed else 5)
    flags = {"error"} if r.error else set()
    if r.error is None and (tier or overdue or review_passed):  # Row.needs_attention
        flags.add("attention")
    if overdue:
        flags.add("overdue")
    return _Facts(rank, frozenset(flags),
                  dt.date.fromisoformat(r.next_review) if r.next_review and not r.error else None,
                  f"{_display_name(r)} {r.mrn}".casefold(), overdue, flagged, review_passed)


def _shown(r: Row | StoredRow, f: _Facts, today: dt.date) -> _Shown:
    """The cells, keys and tooltip of one row, from its facts (the same "as of today" answers); a
    StoredRow's JSON is decoded here, for the rows painted (or sorted by a cell)."""
    if isinstance(r, StoredRow):
        r = r.full()
    overdue, due = f.overdue, f.flagged - f.overdue
    monitoring = ", ".join(p for p in (f"{overdue} overdue" if overdue else "", f"{due} due" if due else "") if p)
    name = _display_name(r)
    age = "" if r.age_years is None else f"{int(r.age_years)} y"
    mode = labels.value_label("mode", r.mode) if r.mode else ""
    activity = labels.value_label("activity", r.activity) if r.activity else ""
    treatments, same_mrn = ", ".join(r.treatments), ", ".join(r.duplicate_mrn_of)
    by_column = {  # column → (what it shows, how it sorts)
        "Attention": (_attention_words(r, bool(overdue), f.review_passed), f.rank), "Name": (name, name.casefold()),
        "MRN": (r.mrn, r.mrn), "Next review": (r.next_review or "", r.next_review or "9999"),  # not recorded: last
        "Monitoring due": (monitoring, -(overdue * 1000 + f.flagged)),  # the most overdue first
        "Latest visit": (r.latest_visit or "", r.latest_visit or ""),
        "Age": (age, -1.0 if r.age_years is None else r.age_years), "Mode": (mode, mode),
        "Activity": (activity, activity), "Current treatments": (treatments, treatments),
        "Same MRN as": (same_mrn, same_mrn), "File": (r.file, r.file),
    }
    lines = ([r.first_alert] if r.first_alert else []) + [
        f"{m.drug}: {m.test}: {labels.value_label('monitoring_status', m.status)}" for m in r.monitoring_flagged(today)]
    return _Shown(tuple(by_column[c][0] for c in COLUMNS), tuple(by_column[c][1] for c in COLUMNS),
                  r.error or "\n".join(lines))


# Roles as plain ints: Qt passes an int, and a set lookup is the cheapest test in a call made per cell
# and per role on every paint.
_TEXT_ROLES = frozenset({Qt.ItemDataRole.DisplayRole.value, Qt.ItemDataRole.AccessibleTextRole.value})
_TOOLTIP_ROLE = Qt.ItemDataRole.ToolTipRole.value
_SORT_ROLE = SORT_ROLE.value
_TIP_COLUMNS = frozenset(COLUMNS.index(c) for c in ("Attention", "Monitoring due"))


class LibraryModel(QAbstractTableModel):
    """The library's rows, searched, filtered and sorted here, with no proxy model in between: a
    proxy costs Python calls by the thousand on every paint (it asks this model for rowCount and
    columnCount at each index it maps), and sorting through data() by the ten thousand.

    `rows` are every row in the sort order; the table shows `visible` (positions in `rows` that pass
    the search and the filter). A row's facts are worked out when the rows are set (the filters, the
    counts and the default sort need them all); its cells only when it is painted or sorted by."""

    def __init__(self, today: dt.date, parent=None):
        super().__init__(parent)
        self.today = today
        self.rows: list[Row | StoredRow] = []  # StoredRows from the index; a Row once a save re-read it
        self.facts: list[_Facts] = []
        self._shown: list[Optional[_Shown]] = []
        self.visible: list[int] = []
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder
        self.kind, self.weeks, self.text = "all", DEFAULT_WEEKS, ""

    # --- the rows ---------------------------------------------------------------------------------
    def set_rows(self, rows: list[Row | StoredRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.facts = [_facts(r, self.today) for r in self.rows]
        self._shown = [None] * len(self.rows)
        self._order()
        self.visible = self._passing()
        self.endResetModel()

    def put_row(self, row: Row) -> None:
        """One file re-read (saved in the main window): replace its row, or add it; sorted and filtered again."""
        self.layoutAboutToBeChanged.emit()
        old = self._persistent_rows()
        for i, r in enumerate(self.rows):
            if r.file == row.file:
                row.duplicate_mrn_of = r.duplicate_mrn_of if row.mrn == r.mrn else []
                self.rows[i], self.facts[i], self._shown[i] = row, _facts(row, self.today), None
                break
        else:
            self.rows.append(row)
            self.facts.append(_facts(row, self.today))
            self._shown.append(None)
        self._order()
        self.visible = self._passing()
        self._restore(old, replaced=row)
        self.layoutChanged.emit()

    def shown(self, i: int) -> _Shown:
        """Row i's cells (i: its position in `rows`), worked out on first use."""
        s = self._shown[i]
        if s is None:
            s = self._shown[i] = _shown(self.rows[i], self.facts[i], self.today)
        return s

    def row_at(self, view_row: int) -> Row | StoredRow:
        return self.rows[self.visible[view_row]]

    def view_row_of(self, file: str) -> Optional[int]:
        for n, i in enumerate(self.visible):
            if self.rows[i].file == file:
                return n
        return None

    # --- sort, search and filter ------------------------------------------------------------------
    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old = self._persistent_rows()
        self._order()
        self.visible = self._passing()
        self._restore(old)
        self.layoutChanged.emit()

    def set_filter(self, kind: str, weeks: int, text: str) -> None:
        text = text.strip().casefold()
        if (kind, weeks, text) == (self.kind, self.weeks, self.text):
            return
        self.layoutAboutToBeChanged.emit()
        old = self._persistent_rows()
        self.kind, self.weeks, self.text = kind, weeks, text
        self.visible = self._passing()
        self._restore(old)
        self.layoutChanged.emit()

    def _order(self) -> None:
        """Rows by the sort column's key; equal keys stay in file-name order (the scan's)."""
        if not self.rows:
            return
        column, descending = self.sort_column, self.sort_order == Qt.SortOrder.DescendingOrder
        if column == 0:  # the rank: in the facts, no cell worked out
            keys = [f.rank for f in self.facts]
        else:
            keys = [self.shown(i).keys[column] for i in range(len(self.rows))]
        order = sorted(range(len(self.rows)), key=lambda i: (keys[i], self.rows[i].file), reverse=descending)
        self.rows = [self.rows[i] for i in order]
        self.facts = [self.facts[i] for i in order]
        self._shown = [self._shown[i] for i in order]

    def _passing(self) -> list[int]:
        """Positions in `rows` that pass the search and the filter, in the sort order."""
        text, kind = self.text, self.kind
        until = self.today + dt.timedelta(weeks=self.weeks)
        out = []
        for i, f in enumerate(self.facts):
            if text and text not in f.search:
                continue
            if kind == "all" or (kind == "review" and f.review is not None and f.review <= until) or kind in f.flags:
                out.append(i)
        return out

    def _persistent_rows(self) -> list[tuple[QModelIndex, Row]]:
        """The selection's and the current cell's rows, to follow them through a new order or filter."""
        return [(p, self.row_at(p.row())) for p in self.persistentIndexList() if 0 <= p.row() < len(self.visible)]

    def _restore(self, old: list[tuple[QModelIndex, Row]], replaced: Optional[Row] = None) -> None:
        where = {id(self.rows[i]): n for n, i in enumerate(self.visible)}
        new = []
        for p, r in old:
            if replaced is not None and r.file == replaced.file:
                r = replaced
            n = where.get(id(r))
            new.append(QModelIndex() if n is None else self.index(n, p.column()))
        self.changePersistentIndexList([p for p, _ in old], new)

    def counts(self, weeks: int) -> dict[str, int]:
        """Every filter's count in one pass over the rows (once per data change, not per paint)."""
        until = self.today + dt.timedelta(weeks=weeks)
        out = dict.fromkeys((key for key, _ in FILTERS), 0)
        out["all"] = len(self.facts)
        for f in self.facts:
            for flag in f.flags:
                out[flag] += 1
            if f.review is not None and f.review <= until:
                out["review"] += 1
        return out

    # --- Qt's model interface -----------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        # Called per cell and per role on every paint: only the roles this model answers do any work.
        if role in _TEXT_ROLES:
            return self.shown(self.visible[index.row()]).cells[index.column()]
        if role == _TOOLTIP_ROLE and index.column() in _TIP_COLUMNS:
            return self.shown(self.visible[index.row()]).tooltip or None
        if role == _SORT_ROLE:
            return self.shown(self.visible[index.row()]).keys[index.column()]
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None


# ----------------------------------------------------------------------------------------- worker
class ScanThread(QThread):
    """One rescan off the UI thread, with its own index connection (SQLite: one per thread). The rows
    are read back only when the index differs from what the window shows: a refresh with nothing
    changed is a stat per file and one query, and the window keeps its rows."""
    progressed = Signal(int, int)
    scanned = Signal(object, str, bool)  # rows (None: nothing changed), the index's note, cancelled
    failed = Signal(str)

    def __init__(self, folder: Path, shown: dict[str, tuple[int, int, bool]], parent=None):
        super().__init__(parent)
        self.folder = folder
        self.shown = shown  # the window's rows as Index.stamps() gives them
        self.stop = False

    def run(self) -> None:
        from desktop_app.library.index import Index
        from desktop_app.library.scan import LibraryError

        try:
            index = Index(self.folder)
            try:
                result = index.scan(progress=lambda i, n: self.progressed.emit(i, n), cancelled=lambda: self.stop,
                                    rows=False)
                # The index may be newer than the window's rows (another window saved a case).
                stale = result.changed or not self.shown or index.stamps() != self.shown
                rows = index.stored_rows() if stale else None
            finally:
                index.close()
        except LibraryError as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the window says it, never a traceback
            self.failed.emit(f"The library could not be read ({type(exc).__name__}).")
            return
        self.scanned.emit(rows, index.note, result.cancelled)


# ----------------------------------------------------------------------------------------- window
class LibraryWindow(QWidget):
    """The worklist of one library folder. `open_requested(Path)` asks the main window to open a case."""
    open_requested = Signal(object)
    scan_finished = Signal()

    def __init__(self, settings: QSettings | None = None, today: dt.date | None = None,
                 ask_folder: Callable[[QWidget, str], Optional[Path]] | None = None, parent=None,
                 prompter=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.settings = settings or QSettings()
        if prompter is None:
            from desktop_app.ui.prompter import Prompter

            prompter = Prompter(self)
        self.prompter = prompter  # every question goes through it (pitfalls.md C.2)
        self.ask_folder = ask_folder or choose_folder
        self.folder: Optional[Path] = None
        self.thread: Optional[ScanThread] = None
        self._note_said = False
        self._scanned_once = False
        self._left = False  # the user went to another window since the last scan
        self.model = LibraryModel(today or dt.date.today(), self)
        self._rescan_pending = False  # set_folder's rescan waits for the rows' first paint
        self._build()
        self.resize(1280, 800)

    # --- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.setWindowTitle(f"Case library — {APP_NAME}")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.folder_label = QLabel("No library folder chosen")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setAccessibleName("Library folder")
        self.choose_button = QPushButton("&Choose folder…")
        self.choose_button.setAccessibleName("Choose the library folder")
        self.choose_button.clicked.connect(self.choose)
        self.refresh_button = QPushButton("&Refresh (F5)")
        self.refresh_button.setAccessibleName("Refresh: read the files that changed")
        self.refresh_button.clicked.connect(self.refresh)
        self.forget_button = QPushButton("&Forget this library")
        self.forget_button.setToolTip("Delete this folder's index from this computer (the case files stay)")
        self.forget_button.setAccessibleName("Forget this library: delete its index, keep the files")
        self.forget_button.clicked.connect(self.forget)
        top.addWidget(self.folder_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.refresh_button)
        top.addWidget(self.forget_button)
        layout.addLayout(top)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name or MRN")
        self.search.setAccessibleName("Search by name or MRN")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        row = QHBoxLayout()
        row.addWidget(search_label)
        row.addWidget(self.search, 1)
        layout.addLayout(row)

        filters = QHBoxLayout()
        self.filter_group = QButtonGroup(self)
        self.filter_buttons: dict[str, QRadioButton] = {}
        for key, words in FILTERS:
            button = QRadioButton(words)
            button.setProperty("filter", key)
            self.filter_group.addButton(button)
            self.filter_buttons[key] = button
            filters.addWidget(button)
            if key == "review":
                self.weeks = QSpinBox()
                self.weeks.setRange(1, 52)
                self.weeks.setSuffix(" weeks")
                self.weeks.setValue(int(self.settings.value(WEEKS_KEY, DEFAULT_WEEKS)))
                self.weeks.setAccessibleName("Review due within this many weeks")
                self.weeks.valueChanged.connect(self._weeks_changed)
                filters.addWidget(self.weeks)
        filters.addStretch(1)
        self.filter_buttons["all"].setChecked(True)
        self.filter_group.buttonToggled.connect(lambda _b, on: on and self._apply_filter())
        layout.addLayout(filters)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Case files")
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # the worst first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(column_widths(self.table.fontMetrics())):
            header.resizeSection(column, width)
        self.table.activated.connect(self._open_index)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.status = QLabel("")
        self.status.setAccessibleName("Library status")
        self.status.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Reading the case files")
        self.progress.setFormat("Reading %v of %m files")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel reading the case files")
        self.cancel_button.clicked.connect(self.cancel)
        for w in (self.progress, self.cancel_button):
            w.hide()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)

        refresh = QAction("Refresh", self)
        refresh.setShortcut(QKeySequence(Qt.Key.Key_F5))
        refresh.triggered.connect(self.refresh)
        self.addAction(refresh)
        self._update_counts()

    # --- folder and scanning ------------------------------------------------------------------------
    def open_last_or_ask(self) -> bool:
        """The last library folder, else ask for one."""
        last = self.settings.value(FOLDER_KEY, "")
        if last and Path(last).is_dir():
            self.set_folder(Path(last))
            return True
        return self.choose()

    def choose(self) -> bool:
        start = str(self.folder) if self.folder else str(self.settings.value(FOLDER_KEY, "") or Path.home())
        folder = self.ask_folder(self, start)
        if folder is None:
            return False
        self.set_folder(Path(folder))
        return True

    def set_folder(self, folder: Path) -> None:
        self.cancel()
        self.folder = folder
        self.settings.setValue(FOLDER_KEY, str(folder))
        self.folder_label.setText(str(folder))
        self.folder_label.setToolTip(str(folder))
        self.setWindowTitle(f"Case library: {folder.name} — {APP_NAME}")
        self._note_said = False
        self.model.set_rows(self._stored_rows(folder))
        self._update_counts()
        self._rescan_pending = True
        self.table.viewport().installEventFilter(self)
        QTimer.singleShot(RESCAN_FALLBACK_MS, self, self._start_pending_rescan)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt naming)
        """The table's first paint after set_folder: the rescan starts once this event pass is done."""
        if event.type() == QEvent.Type.Paint and watched is self.table.viewport():
            self.table.viewport().removeEventFilter(self)
            QTimer.singleShot(0, self, self._start_pending_rescan)
        return super().eventFilter(watched, event)

    def _start_pending_rescan(self) -> None:
        if self._rescan_pending:
            self._rescan_pending = False
            self.table.viewport().removeEventFilter(self)
            self.refresh()

    def _stored_rows(self, folder: Path) -> list[StoredRow]:
        """What the index already holds, shown at once; the rescan that follows changes only what changed."""
        from desktop_app.library.index import Index

        try:
            index = Index(folder)
        except Exception:  # noqa: BLE001 - e.g. the folder is gone: the rescan says why
            return []
        try:
            return index.stored_rows()
        except Exception:  # noqa: BLE001 - a damaged index: the rescan rebuilds it
            return []
        finally:
            index.close()

    def refresh(self) -> None:
        """Rescan off the UI thread (only changed files are read); a scan already running goes on."""
        if self.folder is None or self.scanning():
            return
        self._rescan_pending = False
        shown = {r.file: (r.size, r.mtime_ns, r.error is not None) for r in self.model.rows}
        self.thread = ScanThread(self.folder, shown, parent=self)
        self.thread.progressed.connect(self._progressed)
        self.thread.scanned.connect(self._scanned)
        self.thread.failed.connect(self._failed)
        self.thread.finished.connect(self._thread_done)
        self.progress.setRange(0, 0)
        for w in (self.progress, self.cancel_button):
            w.show()
        self.status.setText("Reading the case files…")
        self.thread.start()

    def scanning(self) -> bool:
        return self.thread is not None and self.thread.isRunning()

    def cancel(self) -> None:
        if self.thread is not None:
            self.thread.stop = True

    def wait_for_scan(self) -> None:
        """Wait for the rescan to end (starting set_folder's now if it still waits for the first paint)."""
        self._start_pending_rescan()
        if self.thread is not None:
            self.thread.wait()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _scanned(self, rows: Optional[list[StoredRow]], note: str, cancelled: bool) -> None:
        if rows is not None:  # None: nothing changed, the rows shown stay
            current = self._current_file()
            self.model.set_rows(rows)
            self._select_file(current)
            self._update_counts()
        said = []
        if note and not self._note_said:
            said.append(note)
            self._note_said = True
        if cancelled:
            said.append("Stopped: the files read so far are listed; Refresh (F5) reads the rest.")
        self.status.setText(" ".join(said) or self._summary())
        self._scanned_once = True

    def _failed(self, message: str) -> None:
        self.model.set_rows([])
        self._update_counts()
        self.status.setText(message)

    def _thread_done(self) -> None:
        for w in (self.progress, self.cancel_button):
            w.hide()
        self.scan_finished.emit()

    def _summary(self) -> str:
        n = len(self.model.rows)
        return f"{n} case file{'s' if n != 1 else ''} (today {self.model.today.isoformat()})."

    def forget(self) -> None:
        """Delete this folder's index, once the user has confirmed; the list is read again from the files."""
        if self.folder is None or self.scanning():
            return
        from desktop_app.library.index import Index

        parent = getattr(self.prompter, "parent", None)
        self.prompter.parent = self  # the question shows over this window, not the main one
        try:
            confirmed = self.prompter.confirm_delete("Forget this library?", forget_words(self.folder))
        finally:
            self.prompter.parent = parent
        if not confirmed:
            return

        try:
            Index(self.folder).forget()
        except Exception as exc:  # noqa: BLE001 - e.g. the folder is gone: say it
            self.status.setText(str(exc))
            return
        self.model.set_rows([])
        self.refresh()

    def file_saved(self, path: Path) -> None:
        """The main window saved `path`: re-read that one file and update (or add) its row."""
        if self.folder is None:
            return
        from desktop_app.library.index import Index

        try:
            index = Index(self.folder)
            try:
                row = index.update_file(path)
            finally:
                index.close()
        except Exception as exc:  # noqa: BLE001 - the next refresh reads it anyway
            self.status.setText(f"Could not update the list ({type(exc).__name__}); Refresh (F5) reads it again.")
            return
        if row is not None:
            self.model.put_row(row)
            self._update_counts()

    # --- filter, search and opening -------------------------------------------------------------------
    def _weeks_changed(self, value: int) -> None:
        self.settings.setValue(WEEKS_KEY, value)
        self._update_counts()
        self._apply_filter()

    def _apply_filter(self, *_args) -> None:
        button = self.filter_group.checkedButton()
        kind = button.property("filter") if button else "all"
        self.model.set_filter(kind, self.weeks.value(), self.search.text())

    def _update_counts(self) -> None:
        weeks = self.weeks.value()
        counts = self.model.counts(weeks)
        for key, words in FILTERS:
            n = counts[key]
            button = self.filter_buttons[key]
            button.setText(f"{words} ({n})")
            button.setAccessibleName(f"{words}{' ' + str(weeks) + ' weeks' if key == 'review' else ''}: {n} cases")

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid() and self.folder is not None:
            self.open_requested.emit(self.folder / self.model.row_at(index.row()).file)

    def _current_file(self) -> Optional[str]:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).file if index.isValid() else None

    def _select_file(self, file: Optional[str]) -> None:
        if file is None:
            return
        n = self.model.view_row_of(file)
        if n is not None:
            self.table.setCurrentIndex(self.model.index(n, 0))

    # --- events ---------------------------------------------------------------------------------------
    def changeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().changeEvent(event)
        # Returning to the window rescans: a case may have been saved or added meanwhile.
        if event.type() == QEvent.Type.ActivationChange:
            if not self.isActiveWindow():
                self._left = True
            elif self._left and self._scanned_once:
                self._left = False
                self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        # Closed before its first rescan began (that waits for the first paint): shown again, it rescans.
        if self.folder is not None and not self._scanned_once and not self._rescan_pending and not self.scanning():
            self.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802
        self._rescan_pending = False
        self.cancel()
        self.wait_for_scan()
        super().closeEvent(event)
