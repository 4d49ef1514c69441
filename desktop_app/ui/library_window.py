"""The case library window (File → Case library…, Ctrl+L): every case file of a folder as one row of a
sortable worklist, a search box (name or MRN, as you type), filters with counts, and Enter or a
double-click to open a case in the main window.

Model/view: one LibraryModel (QAbstractTableModel) over the library's rows and one LibraryFilter
(QSortFilterProxyModel) for the search, the filter and the sort; no widget per row. The scan runs in a
worker thread with its own index connection (desktop_app/library), so the window stays responsive; a
progress bar with Cancel shows while it runs, and a cancelled scan keeps what it indexed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from PySide6.QtCore import (QAbstractTableModel, QEvent, QModelIndex, QSettings, QSortFilterProxyModel, Qt, QThread,
                            Signal)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QProgressBar, QPushButton, QRadioButton, QSpinBox, QTableView, QVBoxLayout,
                               QWidget)

from desktop_app.about import APP_NAME
from desktop_app.case import labels
from desktop_app.library.summary import Row

FOLDER_KEY = "library/folder"  # QSettings: the last library folder
WEEKS_KEY = "library/review_weeks"
DEFAULT_WEEKS = 4

# Filters, in the order shown: (key, the words before the count).
FILTERS = (("all", "All"), ("attention", "Needs attention"), ("review", "Review due in the next"),
           ("overdue", "Overdue monitoring"), ("error", "Could not read"))
# What a clinic scans first comes first (visible at 1024 px); the rest scrolls.
COLUMNS = ("Attention", "Name", "MRN", "Next review", "Monitoring due", "Latest visit", "Age", "Mode",
           "Activity", "Current treatments", "Same MRN as", "File")
_WIDTHS = (230, 170, 80, 90, 120, 90, 45, 250, 190, 170, 140)  # the last column stretches
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
@dataclass(frozen=True)
class _Shown:
    """A row as the table shows it, worked out once per scan (search and sort then read only this)."""
    cells: tuple[str, ...]
    keys: tuple  # sort keys, one per column
    search: str  # name and MRN, case-folded
    flags: frozenset[str]  # attention, overdue, error
    review: Optional[dt.date]
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


def _shown(r: Row, today: dt.date) -> _Shown:
    """Everything the table, the search, the filters and the counts read for one row, worked out once
    (per scan, or per saved file): the "as of today" monitoring is computed here and nowhere else."""
    flagged = r.monitoring_flagged(today)
    overdue = sum(m.status == "overdue" for m in flagged)
    review_passed = r.review_passed(today)
    monitoring = ", ".join(p for p in (f"{overdue} overdue" if overdue else "",
                                       f"{len(flagged) - overdue} due" if len(flagged) > overdue else "") if p)
    name = r.name or Path(r.file).name
    age = "" if r.age_years is None else f"{int(r.age_years)} y"
    # Rank: urgent, act, could not read, overdue, review reached, nothing: a worklist sorts the worst first.
    rank = (0 if r.alerts and r.alerts[0]["tier"] == "urgent" else 1 if r.alerts else 2 if r.error
            else 3 if overdue else 4 if review_passed else 5)
    mode = labels.value_label("mode", r.mode) if r.mode else ""
    activity = labels.value_label("activity", r.activity) if r.activity else ""
    treatments, same_mrn = ", ".join(r.treatments), ", ".join(r.duplicate_mrn_of)
    by_column = {  # column → (what it shows, how it sorts)
        "Attention": (_attention_words(r, bool(overdue), review_passed), rank), "Name": (name, name.casefold()),
        "MRN": (r.mrn, r.mrn), "Next review": (r.next_review or "", r.next_review or "9999"),  # not recorded: last
        "Monitoring due": (monitoring, -(overdue * 1000 + len(flagged))),  # the most overdue first
        "Latest visit": (r.latest_visit or "", r.latest_visit or ""),
        "Age": (age, -1.0 if r.age_years is None else r.age_years), "Mode": (mode, mode),
        "Activity": (activity, activity), "Current treatments": (treatments, treatments),
        "Same MRN as": (same_mrn, same_mrn), "File": (r.file, r.file),
    }
    cells = tuple(by_column[c][0] for c in COLUMNS)
    keys = tuple(by_column[c][1] for c in COLUMNS)
    flags = {"error"} if r.error else set()
    if r.needs_attention(today):
        flags.add("attention")
    if overdue:
        flags.add("overdue")
    lines = ([r.first_alert] if r.first_alert else []) + [
        f"{m.drug}: {m.test}: {labels.value_label('monitoring_status', m.status)}" for m in flagged]
    tip = r.error or "\n".join(lines)
    return _Shown(cells, keys, f"{name} {r.mrn}".casefold(), frozenset(flags),
                  dt.date.fromisoformat(r.next_review) if r.next_review and not r.error else None, tip)


class LibraryModel(QAbstractTableModel):
    """The rows and what they show (`shown`, worked out once per scan). It sorts itself, by the
    precomputed keys in one list.sort: a proxy sorting through data() calls would make Python calls
    by the ten thousand on every search key."""

    def __init__(self, today: dt.date, parent=None):
        super().__init__(parent)
        self.today = today
        self.rows: list[Row] = []
        self.shown: list[_Shown] = []
        self.sort_column, self.sort_order = 0, Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        pairs = [(r, _shown(r, self.today)) for r in rows]
        self.rows, self.shown = [p[0] for p in pairs], [p[1] for p in pairs]
        self._order()
        self.endResetModel()

    def put_row(self, row: Row) -> None:
        """One file re-read (saved in the main window): replace its row, or add it; the order is kept."""
        for i, r in enumerate(self.rows):
            if r.file == row.file:
                row.duplicate_mrn_of = r.duplicate_mrn_of if row.mrn == r.mrn else []
                self.rows[i], self.shown[i] = row, _shown(row, self.today)
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
                break
        else:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append(row)
            self.shown.append(_shown(row, self.today))
            self.endInsertRows()
        self.sort(self.sort_column, self.sort_order)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = {id(r): i for i, r in enumerate(self.rows)}
        self._order()
        after = {before[id(r)]: i for i, r in enumerate(self.rows)}  # old row → new row
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(after[i.row()], i.column()) for i in old])
        self.layoutChanged.emit()

    def _order(self) -> None:
        """Rows by the sort column's key; equal keys stay in file-name order (the scan's)."""
        if not self.rows:
            return
        column, descending = self.sort_column, self.sort_order == Qt.SortOrder.DescendingOrder
        pairs = sorted(zip(self.rows, self.shown), key=lambda p: (p[1].keys[column], p[0].file), reverse=descending)
        self.rows, self.shown = [p[0] for p in pairs], [p[1] for p in pairs]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt naming)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        s = self.shown[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return s.cells[index.column()]
        if role == SORT_ROLE:
            return s.keys[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and COLUMNS[index.column()] in ("Attention", "Monitoring due"):
            return s.tooltip or None
        return None

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def accepts(self, i: int, kind: str, weeks: int, text: str) -> bool:
        s = self.shown[i]
        if text and text not in s.search:
            return False
        if kind == "all":
            return True
        if kind == "review":  # a recorded review date within N weeks, or already passed
            return s.review is not None and s.review <= self.today + dt.timedelta(weeks=weeks)
        return kind in s.flags

    def counts(self, weeks: int) -> dict[str, int]:
        """Every filter's count in one pass over the rows (once per data change, not per paint)."""
        until = self.today + dt.timedelta(weeks=weeks)
        out = dict.fromkeys((key for key, _ in FILTERS), 0)
        out["all"] = len(self.shown)
        for s in self.shown:
            for flag in s.flags:
                out[flag] += 1
            if s.review is not None and s.review <= until:
                out["review"] += 1
        return out


class LibraryFilter(QSortFilterProxyModel):
    """The search and the filter only; the source model sorts (see LibraryModel)."""

    def __init__(self, model: LibraryModel):
        super().__init__()
        self.setSourceModel(model)
        self.kind, self.weeks, self.text = "all", DEFAULT_WEEKS, ""

    def set_filter(self, kind: str, weeks: int, text: str) -> None:
        self.beginFilterChange()  # Qt 6.9+: the filter changes between begin and end
        self.kind, self.weeks, self.text = kind, weeks, text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        return self.sourceModel().accepts(row, self.kind, self.weeks, self.text)

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # the proxy keeps the source's order


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
                rows = index.rows() if stale else None
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
        self.proxy = LibraryFilter(self.model)
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
        self.table.setModel(self.proxy)
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
        for column, width in enumerate(_WIDTHS):
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
        self.refresh()

    def _stored_rows(self, folder: Path) -> list[Row]:
        """What the index already holds, shown at once; the rescan that follows changes only what changed."""
        from desktop_app.library.index import Index

        try:
            index = Index(folder)
        except Exception:  # noqa: BLE001 - e.g. the folder is gone: the rescan says why
            return []
        try:
            return index.rows()
        except Exception:  # noqa: BLE001 - a damaged index: the rescan rebuilds it
            return []
        finally:
            index.close()

    def refresh(self) -> None:
        """Rescan off the UI thread (only changed files are read); a scan already running goes on."""
        if self.folder is None or self.scanning():
            return
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
        if self.thread is not None:
            self.thread.wait()

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _scanned(self, rows: Optional[list[Row]], note: str, cancelled: bool) -> None:
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
            self.proxy.invalidate()

    # --- filter, search and opening -------------------------------------------------------------------
    def _weeks_changed(self, value: int) -> None:
        self.settings.setValue(WEEKS_KEY, value)
        self._update_counts()
        self._apply_filter()

    def _apply_filter(self, *_args) -> None:
        button = self.filter_group.checkedButton()
        kind = button.property("filter") if button else "all"
        self.proxy.set_filter(kind, self.weeks.value(), self.search.text())

    def _update_counts(self) -> None:
        weeks = self.weeks.value()
        counts = self.model.counts(weeks)
        for key, words in FILTERS:
            n = counts[key]
            button = self.filter_buttons[key]
            button.setText(f"{words} ({n})")
            button.setAccessibleName(f"{words}{' ' + str(weeks) + ' weeks' if key == 'review' else ''}: {n} cases")

    def _open_index(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        if source.isValid() and self.folder is not None:
            self.open_requested.emit(self.folder / self.model.rows[source.row()].file)

    def _current_file(self) -> Optional[str]:
        index = self.proxy.mapToSource(self.table.currentIndex())
        return self.model.rows[index.row()].file if index.isValid() else None

    def _select_file(self, file: Optional[str]) -> None:
        if file is None:
            return
        for i, r in enumerate(self.model.rows):
            if r.file == file:
                self.table.setCurrentIndex(self.proxy.mapFromSource(self.model.index(i, 0)))
                return

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

    def closeEvent(self, event) -> None:  # noqa: N802
        self.cancel()
        self.wait_for_scan()
        super().closeEvent(event)
