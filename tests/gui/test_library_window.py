"""The case library window, driven as a clinician would: type in the search box, click the filters and
the column headers, open a case by keyboard (Enter) and by a double-click, save it in the main window
and see its row change; Cancel a first scan; two windows on one library."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app.library import index as index_module
from desktop_app.ui.library_window import COLUMNS, FOLDER_KEY, RESCAN_FALLBACK_MS, LibraryWindow
from tests.benchmarks.make_library import TODAY, make_library
from tests.gui.popups import wait_past_double_click

N = 30


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMO_CONSULT_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def clinic(tmp_path):
    folder = tmp_path / "clinic"
    make_library(N, folder)  # with one set of hostile files
    return folder


def _open(qtbot, folder, **kwargs) -> LibraryWindow:
    w = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: folder, **kwargs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        assert w.open_last_or_ask()
    return w


def _names(w) -> list[str]:
    col = COLUMNS.index("Name")
    return [w.model.index(i, col).data() for i in range(w.model.rowCount())]


def _cell(w, row: int, column: str) -> str:
    return w.model.index(row, COLUMNS.index(column)).data()


def _click(qtbot, widget) -> None:
    wait_past_double_click(qtbot)
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_search_as_you_type_by_name_and_mrn(qtbot, clinic):
    w = _open(qtbot, clinic)
    assert w.model.rowCount() == N + 7  # 7 hostile files (POSIX): each a row
    qtbot.keyClicks(w.search, "patient 0001")
    assert sorted(_names(w)) == [f"Synthetic Patient {i:05d}" for i in range(10, 20)]
    w.search.clear()
    qtbot.keyClicks(w.search, "s000029")  # an MRN, any case
    assert _names(w) == ["Synthetic Patient 00029"]
    w.search.clear()
    assert w.model.rowCount() == N + 7


def test_filters_with_counts_by_mouse_and_keyboard(qtbot, clinic):
    w = _open(qtbot, clinic)
    overdue = w.filter_buttons["overdue"]
    _click(qtbot, overdue)
    n = w.model.rowCount()
    assert overdue.text() == f"Overdue monitoring ({n})" and 0 < n < N
    assert all("overdue" in _cell(w, i, "Monitoring due") for i in range(n))
    _click(qtbot, w.filter_buttons["error"])
    assert w.model.rowCount() == 7 and all(_cell(w, i, "Attention") == "Could not read" for i in range(7))
    assert w.filter_buttons["error"].text() == "Could not read (7)"
    # Keyboard: the arrow keys move along the filters (Could not read → Overdue monitoring).
    w.filter_buttons["error"].setFocus()
    qtbot.keyClick(w.filter_buttons["error"], Qt.Key.Key_Left)
    assert overdue.isChecked() and w.model.rowCount() == n
    _click(qtbot, w.filter_buttons["review"])
    limit = (TODAY + dt.timedelta(weeks=w.weeks.value())).isoformat()
    reviews = [_cell(w, i, "Next review") for i in range(w.model.rowCount())]
    assert reviews and all(r and r <= limit for r in reviews)
    _click(qtbot, w.filter_buttons["attention"])
    attention = w.model.rowCount()
    assert all(_cell(w, i, "Attention") for i in range(attention))
    assert w.filter_buttons["attention"].text() == f"Needs attention ({attention})"


def test_sort_by_clicking_a_header(qtbot, clinic):
    w = _open(qtbot, clinic)
    header = w.table.horizontalHeader()
    # The default order: the worst first (urgent alerts at the top).
    assert _cell(w, 0, "Attention").startswith("Urgent")
    x = header.sectionViewportPosition(COLUMNS.index("Name")) + 10
    wait_past_double_click(qtbot)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    names = _names(w)
    assert names == sorted(names, key=str.casefold)
    wait_past_double_click(qtbot)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert _names(w) == sorted(names, key=str.casefold, reverse=True)


def _rename_and_save(qtbot, win, new_name: str) -> None:
    win.windowHandle().requestActivate()  # as the user's click on the main window would
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    win.tabs.setCurrentIndex(0)
    name = win.field_widget("patient.name")
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, new_name)
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    qtbot.keyClick(win, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def test_open_by_keyboard_save_and_see_the_row_change(qtbot, clinic, win):
    QSettings().setValue(FOLDER_KEY, str(clinic))
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # File → Case library…
    lib = win.library
    assert lib is not None and lib.isVisible()
    qtbot.waitUntil(lambda: not lib.scanning() and lib.model.rowCount() > 0, timeout=60_000)
    qtbot.keyClicks(lib.search, "00012")
    lib.table.setFocus()
    qtbot.keyClick(lib.table, Qt.Key.Key_Down)
    qtbot.keyClick(lib.table, Qt.Key.Key_Return)
    target = clinic / "group-000" / "patient-00012.crmo"
    assert win.path == target and win.doc.case.patient.name == "Synthetic Patient 00012"
    _rename_and_save(qtbot, win, "Renamed Patient")
    assert not win.isWindowModified() and win.doc.case.patient.name == "Renamed Patient"
    assert _names(lib) == ["Renamed Patient"], lib.status.text()  # the search "00012" still finds it by MRN
    lib.search.clear()
    row = next(r for r in lib.model.rows if r.file == "group-000/patient-00012.crmo")
    assert row.name == "Renamed Patient"
    qtbot.keyClicks(lib.search, "renamed")
    assert _names(lib) == ["Renamed Patient"]
    lib.close()


def test_open_by_double_click(qtbot, clinic, win):
    lib = _open(qtbot, clinic)
    lib.open_requested.connect(win._open_from_library)
    qtbot.keyClicks(lib.search, "00007")
    rect = lib.table.visualRect(lib.model.index(0, COLUMNS.index("Name")))
    wait_past_double_click(qtbot)
    # A double-click as the system delivers it: press, release, then the double-click event.
    qtbot.mouseClick(lib.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(lib.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.path == clinic / "group-000" / "patient-00007.crmo"


def test_cancel_keeps_what_was_read(qtbot, clinic, monkeypatch):
    gate, read = threading.Event(), []
    real = index_module._read_row

    def slow_read(*args):
        read.append(args[0])
        if len(read) == 5:
            gate.wait(30)  # hold the scan until Cancel has been clicked
        return real(*args)

    monkeypatch.setattr(index_module, "_read_row", slow_read)
    w = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: clinic)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.set_folder(clinic)
    qtbot.waitUntil(lambda: w.cancel_button.isVisible() and len(read) == 5)
    assert w.progress.isVisible()
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        _click(qtbot, w.cancel_button)
        gate.set()
    assert 5 <= w.model.rowCount() < N + 7
    assert "Stopped" in w.status.text() and not w.progress.isVisible()
    kept = w.model.rowCount()
    read.clear()
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        qtbot.keyClick(w, Qt.Key.Key_F5)  # Refresh reads the rest
    assert w.model.rowCount() == N + 7
    assert len(read) == N + 7 - kept  # only the rest is read


def test_two_windows_on_one_library(qtbot, clinic):
    a = _open(qtbot, clinic)
    b = _open(qtbot, clinic)
    assert [r.file for r in a.model.rows] == [r.file for r in b.model.rows]
    target = clinic / "group-000" / "patient-00003.crmo"
    from desktop_app.storage.case_file import load_case, save_case

    case = load_case(target)
    save_case(case.model_copy(update={"patient": case.patient.model_copy(update={"name": "Seen Twice"})}), target)
    a.file_saved(target)
    assert any(r.name == "Seen Twice" for r in a.model.rows)
    with qtbot.waitSignal(b.scan_finished, timeout=60_000):
        qtbot.keyClick(b, Qt.Key.Key_F5)
    assert any(r.name == "Seen Twice" for r in b.model.rows)


def test_forget_this_library_asks_first_and_deletes_only_the_index(qtbot, clinic, prompter):
    w = _open(qtbot, clinic, prompter=prompter)
    index_file = index_module.index_path(clinic)
    cases = sorted(p.name for p in clinic.rglob("*.crmo"))
    n = w.model.rowCount()
    assert index_file.exists() and n == N + 7
    with sqlite3.connect(index_file) as db:  # a mark in this index: gone once the index is deleted
        db.execute("CREATE TABLE mark (x)")

    prompter.delete_answer = False  # "Cancel": nothing happens
    _click(qtbot, w.forget_button)
    (title, message), = prompter.called("confirm_delete")
    assert title == "Forget this library?"
    assert str(clinic) in message and "index" in message and "case files in the folder are not touched" in message
    assert index_file.exists() and w.model.rowCount() == n and not w.scanning()
    assert _tables(index_file) == {"files", "mark"}

    prompter.delete_answer = True
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        _click(qtbot, w.forget_button)
    assert len(prompter.called("confirm_delete")) == 2
    assert sorted(p.name for p in clinic.rglob("*.crmo")) == cases  # every case file still there
    assert w.model.rowCount() == n  # read again from the files (a new index)
    assert _tables(index_file) == {"files"}


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _rows_match_their_cells(w) -> None:
    """Each visible row's cells are its own row's (cells are worked out lazily and kept: never another
    row's after a sort, a filter or a save)."""
    for i in range(w.model.rowCount()):
        row = w.model.row_at(i)
        name = row.name or row.file.rsplit("/", 1)[-1]  # a file that could not be read: its file name
        assert (_cell(w, i, "Name"), _cell(w, i, "MRN"), _cell(w, i, "File")) == (name, row.mrn, row.file)


def test_cells_follow_their_rows_through_sort_filter_and_save(qtbot, clinic):
    w = _open(qtbot, clinic)
    w.table.viewport().repaint()  # the first rows' cells worked out (and kept) in the default order
    _rows_match_their_cells(w)
    header = w.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMNS.index("Name")) + 10
    wait_past_double_click(qtbot)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))  # sort by name
    _rows_match_their_cells(w)
    # The current row is followed through a search that keeps it and one that hides it.
    w.table.setFocus()
    target = next(i for i in range(w.model.rowCount()) if w.model.row_at(i).name == "Synthetic Patient 00012")
    w.table.setCurrentIndex(w.model.index(target, 0))
    qtbot.keyClicks(w.search, "patient 0001")
    assert w.model.row_at(w.table.currentIndex().row()).name == "Synthetic Patient 00012"
    _rows_match_their_cells(w)
    # A save changes the row's cells (not the kept ones) and its place in the name order.
    path = clinic / "group-000" / "patient-00012.crmo"
    from desktop_app.storage.case_file import load_case, save_case

    case = load_case(path)
    save_case(case.model_copy(update={"patient": case.patient.model_copy(update={"name": "Patient 0001 Aaron"})}), path)
    w.file_saved(path)
    assert _names(w)[0] == "Patient 0001 Aaron"
    assert w.model.row_at(w.table.currentIndex().row()).name == "Patient 0001 Aaron"
    _rows_match_their_cells(w)
    w.search.clear()
    assert w.model.rowCount() == N + 7
    _rows_match_their_cells(w)


def test_the_important_columns_fit_at_1024_by_700(qtbot, clinic):
    w = _open(qtbot, clinic)
    w.resize(1024, 700)
    qtbot.waitUntil(lambda: w.width() == 1024)
    header, fm = w.table.horizontalHeader(), w.table.fontMetrics()
    mode = COLUMNS.index("Mode")
    # Everything up to the mode is on screen without scrolling sideways …
    assert header.sectionViewportPosition(mode) + header.sectionSize(mode) <= w.table.viewport().width()
    # … and each of those columns shows its words whole (the attention words are elided: tooltip).
    for i in range(w.model.rowCount()):
        for column in COLUMNS[1:mode + 1]:
            c = COLUMNS.index(column)
            assert fm.horizontalAdvance(_cell(w, i, column)) < header.sectionSize(c), (column, _cell(w, i, column))


def _expected_cells(folder) -> dict[str, tuple[str, ...]]:
    """Every file's twelve cells worked out from its fully decoded row (Index.rows), as a Row shows them."""
    from desktop_app.ui.library_window import _facts, _shown

    index = index_module.Index(folder)
    try:
        return {r.file: _shown(r, _facts(r, TODAY), TODAY).cells for r in index.rows()}
    finally:
        index.close()


def _all_cells_match(w, expected) -> None:
    for i in range(w.model.rowCount()):
        cells = tuple(w.model.index(i, c).data() for c in range(len(COLUMNS)))
        assert cells == expected[w.model.row_at(i).file]


def test_an_index_of_the_old_layout_is_rebuilt_and_rows_decode_only_when_shown(qtbot, clinic):
    index_module.Index(clinic).scan()
    expected = _expected_cells(clinic)
    path = index_module.index_path(clinic)
    path.unlink()
    with sqlite3.connect(path) as db:  # layout 3, as the previous release wrote it
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, "
                   "unread INTEGER NOT NULL, data TEXT NOT NULL, points TEXT NOT NULL)")
        db.execute("PRAGMA user_version = 3")
    first = _open(qtbot, clinic)  # rebuilt silently: every file read again
    assert first.model.rowCount() == N + 7 and first.status.text().startswith(f"{N + 7} case files")
    _all_cells_match(first, expected)
    first.close()

    # A window on the indexed folder: its rows straight from the index, decoded only when painted.
    w = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: clinic)
    qtbot.addWidget(w)
    w.resize(1024, 400)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        assert w.open_last_or_ask()
    w.table.viewport().repaint()
    decoded = sum("_full" in vars(r) for r in w.model.rows)
    assert 0 < decoded < N + 7  # the rows painted, not the rest
    # Sorted by a column that is only in the decoded rows, then filtered: every cell its own row's.
    header = w.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMNS.index("Mode")) + 10
    wait_past_double_click(qtbot)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    modes = [_cell(w, i, "Mode") for i in range(w.model.rowCount())]
    assert modes == sorted(modes) and len(set(modes)) > 1
    _all_cells_match(w, expected)
    _click(qtbot, w.filter_buttons["attention"])
    assert 0 < w.model.rowCount() < N + 7
    _all_cells_match(w, expected)


def test_the_rescan_starts_once_the_rows_are_painted(qtbot, clinic):
    index_module.Index(clinic).scan()
    w = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: clinic)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.scan_finished, timeout=60_000):
        w.set_folder(clinic)
        assert w.model.rowCount() == N + 7 and w.thread is None  # the index's rows, no rescan yet
    # A window not shown (never painted) rescans all the same.
    hidden = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: clinic)
    qtbot.addWidget(hidden)
    with qtbot.waitSignal(hidden.scan_finished, timeout=60_000):
        hidden.set_folder(clinic)
        assert hidden.thread is None
    assert hidden.model.rowCount() == N + 7 and hidden.status.text().startswith(f"{N + 7} case files")
    # Closed before its rescan began, then shown again: it rescans then.
    again = LibraryWindow(settings=QSettings(), today=TODAY, ask_folder=lambda *_: clinic)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.set_folder(clinic)
    again.close()
    qtbot.wait(RESCAN_FALLBACK_MS + 200)  # past the fallback too: a closed window does not rescan
    assert again.thread is None
    with qtbot.waitSignal(again.scan_finished, timeout=60_000):
        again.show()
    assert again.status.text().startswith(f"{N + 7} case files")
