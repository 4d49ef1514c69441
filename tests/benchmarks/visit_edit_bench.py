"""Round 8 (issue 23): a committed edit at a visit → the window repainted, on a 40-visit case, beside a
bare PySide6 QLineEdit edit → repaint measured in the same process and the same run.

    make bench BENCH_ARGS=--visit-edit-only

What is timed, for both: the text is set, `editingFinished` is emitted (what Enter or Tab does), and
`processEvents()` runs once: the handlers, the layout and the paint of everything that changed, as the
event loop does it for the user. The app's edit is the highest temperature at the latest visit, typed
into the visit editor's own box with the Visits tab in front (the list, the chart and the editor shown):
the document is written, the course, the assessment and the follow-up summary are recomputed, and the
list, the chart and the pane are brought up to date. Each app edit is checked to have reached the case.
"""
from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

WARM_UP = 5
EDITS = 30


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def visits_tab_edit(case, size=(1280, 800)) -> list[float]:
    """Seconds per edit → repaint of the visit editor's temperature, latest visit, Visits tab shown."""
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.prompter import HeadlessPrompter

    app = _app()
    settings = QSettings(str(Path(tempfile.mkdtemp(prefix="crmo-bench-")) / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(prompter=HeadlessPrompter(), settings=settings, check_recovery=False)
    window.doc.replace_case(case)
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)
    index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i).startswith("Visits"))
    window.tabs.setCurrentIndex(index)
    app.processEvents()
    panel = window.tabs.widget(index).panel
    box = next(w for w in panel.findChildren(QLineEdit)
               if w.property("case_path") == "visits.selected.max_temperature_c")
    latest = panel.vdoc.visit()
    assert latest is not None and latest.id == max(case.visits, key=lambda v: v.date).id
    samples = []
    for i in range(EDITS + WARM_UP):
        value = edit_value(i)
        box.setText(f"{value:g}")
        start = time.perf_counter()
        box.editingFinished.emit()
        app.processEvents()
        samples.append(time.perf_counter() - start)
        assert panel.vdoc.visit().max_temperature_c == value, "the edit did not reach the case"
    window.doc.undo_stack.setClean()
    window.close()
    window.deleteLater()
    app.processEvents()
    return samples[WARM_UP:]


def edit_value(i: int) -> float:
    """Normal, then fever, in turn (the summary's words change each time), and never a value typed before:
    the window remembers results by the case's value (ui/results.py), and a value seen before would be a
    lookup, not an edit."""
    return round((36.0 if i % 2 == 0 else 38.5) + 0.1 * (i // 2), 1)


def bare_line_edit(size=(1280, 800)) -> list[float]:
    """The same gesture on a bare PySide6 window: a QLineEdit whose committed text a label shows."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

    app = _app()
    window = QWidget()
    form = QFormLayout(window)
    box, shown = QLineEdit(), QLabel()
    form.addRow("Highest temperature (°C)", box)
    form.addRow("Recorded", shown)
    box.editingFinished.connect(lambda: shown.setText(box.text()))
    window.resize(*size)
    window.show()
    QTest.qWaitForWindowExposed(window)
    samples = []
    for i in range(EDITS + WARM_UP):
        box.setText(f"{edit_value(i):g}")
        start = time.perf_counter()
        box.editingFinished.emit()
        app.processEvents()
        samples.append(time.perf_counter() - start)
        assert shown.text() == box.text()
    window.close()
    window.deleteLater()
    return samples[WARM_UP:]


def visit_edit_rows(tmp: Path, row) -> list[str]:
    from cases import followup_case

    from desktop_app import load_case, save_case

    path = tmp / "40-visits-edit.crmo"
    save_case(followup_case(40), path)  # the loader's rules: save refuses a case it would not open
    case = load_case(path)
    rows = []
    for size in ((1280, 800), (1024, 700)):
        bare = bare_line_edit(size)  # in turn with the app's, in the same process and run
        app_t = visits_tab_edit(case, size)
        bare += bare_line_edit(size)
        t, t0 = statistics.median(app_t), statistics.median(bare)
        worst = sorted(app_t)[int(len(app_t) * 0.9)]
        rows.append(row(f"edit at a visit → repaint, 40 visits, Visits tab, {size[0]}×{size[1]} "
                        f"(baseline: bare QLineEdit edit → repaint); 90th percentile {worst*1000:.0f} ms",
                        f"{t*1000:.1f} ms", f"{t0*1000:.2f} ms", f"{t/t0:.0f}×", "≤ 16 ms", t <= 0.016))
    return rows


if __name__ == "__main__":
    import os
    import sys

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    here = Path(__file__).resolve().parent
    sys.path[:0] = [str(here.parent.parent), str(here)]
    from run_benchmarks import row as table_row

    print("\n".join(visit_edit_rows(Path(tempfile.mkdtemp(prefix="crmo-bench-")), table_row)))
