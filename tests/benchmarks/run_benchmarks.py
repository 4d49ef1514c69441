"""CRMO Consult benchmarks: each figure beside its bare baseline, measured in the same run.

    make bench            (or: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/run_benchmarks.py)
    make bench BENCH_ARGS=--followup-only     (only the follow-up rows of issue 18)
    make bench BENCH_ARGS=--library-only      (only the case library rows of issue 24)
    make bench BENCH_ARGS=--visit-edit-only   (only the edit at a visit → repaint rows of issue 23)

Prints a Markdown table of medians over repeated runs. Not a test: nothing here asserts a time.
Targets come from the benchmarks issue; the last column says whether this run met them.
"""
from __future__ import annotations

import argparse
import inspect
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

from cases import followup_case, large_case, typical_case_path, without_visits  # noqa: E402

PY = sys.executable


def child_env(pycache: Path) -> dict[str, str]:
    """The environment of every measured process, app and baseline alike.

    An installed app (wheel or PyInstaller bundle) runs from compiled bytecode, as do the
    baselines' site-packages. With PYTHONDONTWRITEBYTECODE set (as on the build machines), every
    app start recompiled ~40 of our modules from source (+30 ms), which no user pays. Bytecode
    goes to a throw-away prefix, so the work tree gets no __pycache__.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    # Each process reports its own peak memory at exit (peak_rss/sitecustomize.py says why).
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE / "peak_rss"), env.get("PYTHONPATH", "")) if p)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


ENV: dict[str, str] = dict(os.environ)
LOAD_AT_START = os.getloadavg()


def run_traced(cmd: list[str]) -> tuple[float, float, dict[str, str]]:
    """Wall time (s), peak RSS (MiB; the process's own `peak-rss-kib` line, else ru_maxrss) and the
    `<event> <value>` lines of one child process's stderr.

    The window processes print `first-frame <time.monotonic()>` and `case-shown <…>` (the
    system-wide clock, so comparable with ours); those two come back as seconds since the start."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    err_bytes = proc.stderr.read()  # before waiting: a full pipe would block the child
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.monotonic() - start
    err = err_bytes.decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}\n{err}")
    events: dict[str, str] = {}
    for line in err.splitlines():
        name, _, value = line.partition(" ")
        if name in ("first-frame", "case-shown"):
            events.setdefault(name, str(float(value) - start))
        elif name in ("visits-panel-imported", "peak-rss-kib"):
            events[name] = value
    peak_kib = float(events.get("peak-rss-kib", usage.ru_maxrss))  # ru_maxrss: KiB on Linux
    return elapsed, peak_kib / 1024, events


def run_process(cmd: list[str]) -> tuple[float, float, float]:
    """Wall time (s), peak RSS (MiB) and time to the first frame (s; NaN if the process did not
    say) of one child process."""
    elapsed, rss, events = run_traced(cmd)
    return elapsed, rss, float(events.get("first-frame", "nan"))


def median_process(cmd: list[str], runs: int) -> tuple[float, float, float]:
    run_process(cmd)  # warm the OS file cache: we compare steady cold-process starts
    samples = [run_process(cmd) for _ in range(runs)]
    return tuple(statistics.median(s[i] for s in samples) for i in range(3))


def median_call(fn, runs: int) -> float:
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def row(what: str, value: str, baseline: str, ratio: str, target: str, ok: bool | None) -> str:
    verdict = "" if ok is None else ("yes" if ok else "**no**")
    return f"| {what} | {value} | {baseline} | {ratio} | {target} | {verdict} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="process runs per figure (median)")
    parser.add_argument("--followup-only", action="store_true", help="only the follow-up rows (issue 18)")
    parser.add_argument("--library-only", action="store_true", help="only the case library rows (issue 24)")
    parser.add_argument("--visit-edit-only", action="store_true",
                        help="only the edit at a visit → repaint rows, 40 visits (issue 23)")
    args = parser.parse_args()

    from desktop_app import assess, load_case, save_case, write_consult_pdf

    tmp = Path(tempfile.mkdtemp(prefix="crmo-bench-"))
    ENV.clear()
    ENV.update(child_env(tmp / "pycache"))
    ENV["XDG_CONFIG_HOME"] = str(tmp / "config")  # recent files: not the real user's settings
    ENV["CRMO_CONSULT_DATA_DIR"] = str(tmp / "data")  # no crash-recovery files of a real session
    ENV["CRMO_CONSULT_TRACE_STARTUP"] = "1"  # the window prints when its first frame is painted
    if args.followup_only:
        print_table(args.runs, followup_rows(tmp, args.runs))
        return 0
    from library_bench import library_rows
    from visit_edit_bench import visit_edit_rows

    if args.visit_edit_only:
        print_table(args.runs, visit_edit_rows(tmp, row))
        return 0

    if args.library_only:
        print_table(args.runs, library_rows(tmp, row))
        return 0
    typical_path = typical_case_path()
    big_path = tmp / "forty-lesions.crmo"
    save_case(large_case(40), big_path)
    typical, big = load_case(typical_path), load_case(big_path)
    rows = []

    # 1. Cold start: the window's first frame, the whole process to the PNG of the open case, and
    #    peak memory. The app draws its frame before importing pydantic and the criteria engine,
    #    then opens the case into it (desktop_app/ui/app.py); the bare window has no case to open.
    app_s, app_mb, app_frame = median_process(
        [PY, "-m", "desktop_app", str(typical_path), "--screenshot", str(tmp / "a.png")], args.runs)
    bare_s, bare_mb, bare_frame = median_process([PY, str(HERE / "baseline_window.py"), str(tmp / "b.png")], args.runs)
    rows.append(row("cold start → first frame of the main window (case named on the command line)",
                    f"{app_frame*1000:.0f} ms", f"{bare_frame*1000:.0f} ms", f"{app_frame/bare_frame:.2f}×",
                    "≤ 1.5×", app_frame / bare_frame <= 1.5))
    rows.append(row("cold start → case shown, PNG written, process exited (`CASE --screenshot`)",
                    f"{app_s*1000:.0f} ms", f"{bare_s*1000:.0f} ms", f"{app_s/bare_s:.2f}×", "≤ 1.5×",
                    app_s / bare_s <= 1.5))
    rows.append(row("peak memory of the window process", f"{app_mb:.0f} MiB", f"{bare_mb:.0f} MiB",
                    f"{app_mb/bare_mb:.2f}×", "≤ 1.5×", app_mb / bare_mb <= 1.5))

    # 2. assess() latency.
    for label, case in (("typical", typical), ("40 lesions", big)):
        t = median_call(lambda: assess(case), 300)
        rows.append(row(f"assess(), {label}", f"{t*1000:.2f} ms", "", "", "≤ 2 ms", t <= 0.002))

    # 3. One edit-to-repaint cycle in the window (20-lesion case).
    t = edit_to_repaint(large_case(20))
    rows.append(row("edit → assessment → repaint, 20 lesions", f"{t*1000:.1f} ms", "", "", "≤ 16 ms", t <= 0.016))
    t = edit_to_repaint(large_case(20), full_repaint=True)
    rows.append(row("same, plus a second, full-window `repaint()` (old measure)", f"{t*1000:.1f} ms",
                    "", "", "", None))

    # 4. PDF: whole process vs bare ReportLab, and in-process export.
    pdf_s, _, _ = median_process([PY, "-m", "desktop_app", "pdf", str(typical_path), "-o", str(tmp / "n.pdf")], args.runs)
    rl_s, _, _ = median_process([PY, str(HERE / "baseline_pdf.py"), str(tmp / "r.pdf")], args.runs)
    rows.append(row("`crmo-consult pdf` process", f"{pdf_s*1000:.0f} ms", f"{rl_s*1000:.0f} ms",
                    f"{pdf_s/rl_s:.2f}×", "≤ 2.0×", pdf_s / rl_s <= 2.0))
    for label, case in (("typical", typical), ("40 lesions", big)):
        t = median_call(lambda: write_consult_pdf(case, tmp / "x.pdf"), 15)
        target_ok = t <= 0.150 if label == "typical" else None
        rows.append(row(f"in-process PDF export, {label}", f"{t*1000:.0f} ms", "", "",
                        "≤ 150 ms" if label == "typical" else "", target_ok))

    # 5. Open and save.
    for label, path, case in (("typical", typical_path, typical), ("40 lesions", big_path, big)):
        t_open = median_call(lambda: load_case(path), 100)
        t_save = median_call(lambda: save_case(case, tmp / "s.crmo"), 100)
        rows.append(row(f"open, {label}", f"{t_open*1000:.2f} ms", "", "", "≤ 20 ms", t_open <= 0.020))
        rows.append(row(f"save (atomic, fsync), {label}", f"{t_save*1000:.2f} ms", "", "", "≤ 20 ms", t_save <= 0.020))

    # 6. Follow-up visits (issue 18).
    rows += followup_rows(tmp, args.runs)
    # 7. The case library (issue 24).
    rows += library_rows(tmp, row)
    # 8. An edit at a visit → repaint, 40 visits (issue 23).
    rows += visit_edit_rows(tmp, row)
    print_table(args.runs, rows)
    return 0


def print_table(runs: int, rows: list[str]) -> None:
    from desktop_app import __version__

    print(f"CRMO Consult {__version__} benchmarks — {time.strftime('%Y-%m-%d')}, "
          f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"medians of {runs} process runs / 15–300 calls; load average before/after "
          f"{LOAD_AT_START[0]:.2f}/{os.getloadavg()[0]:.2f} (other jobs on the machine slow every figure)\n")
    print("| measure | app | baseline | ratio | target | met |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))


FOLLOWUP_VISITS = 40


def followup_rows(tmp: Path, runs: int) -> list[str]:
    """Issue 18's budgets: a case of 40 visits with full labs beside the same case without visits,
    each figure measured in this run (cases.followup_case / cases.without_visits)."""
    from desktop_app import assess, build_plan, course, load_case, save_case
    from desktop_app.case.visits import ordered_visits
    from desktop_app.report.note import build_consult_pdf

    n = FOLLOWUP_VISITS
    visits_path, bare_path = tmp / f"{n}-visits.crmo", tmp / f"{n}-visits-without-visits.crmo"
    built = followup_case(n)
    save_case(built, visits_path)  # the loader's rules: save refuses a case it would not open
    save_case(without_visits(built), bare_path)
    case, bare = load_case(visits_path), load_case(bare_path)
    assert len(case.visits) == n and not bare.visits and len(course(case).points) == n + 1
    label = f"{n} visits"
    rows = []

    def ratio_row(what, value, baseline, unit, target, limit, fmt="{:.2f}"):
        """A figure beside its baseline; `limit` None: shown for context, no budget of its own."""
        r = value / baseline
        rows.append(row(what, f"{fmt.format(value)} {unit}", f"{fmt.format(baseline)} {unit}", f"{r:.2f}×",
                        target, None if limit is None else r <= limit))

    # course(): the budget is absolute; the case without visits (one point, nothing else) beside it.
    t, t0 = median_call(lambda: course(case), 300), median_call(lambda: course(bare), 300)
    rows.append(row(f"course(), {label} (baseline: without visits)", f"{t*1000:.2f} ms", f"{t0*1000:.2f} ms",
                    "", "≤ 5 ms", t <= 0.005))

    def assess_plan(c):
        return build_plan(c, assess(c))

    t, t0 = median_call_pair(lambda: assess_plan(case), lambda: assess_plan(bare), 200)
    ratio_row(f"assess() + plan(), {label} vs without", t * 1000, t0 * 1000, "ms", "≤ 1.10×", 1.10)

    # Opening: the app's own start on the case (`CASE --screenshot`), from the process start to the
    # case shown in the window; the whole process and its peak memory from the same runs.
    def app(path, name):
        return [PY, "-m", "desktop_app", str(path), "--screenshot", str(tmp / name)]

    opened, opened0 = _median_traced_pair(app(visits_path, "v.png"), app(bare_path, "b.png"), runs)
    ratio_row(f"open: process start → case shown in the window, {label} vs without",
              opened["case-shown"] * 1000, opened0["case-shown"] * 1000, "ms", "≤ 1.2×", 1.2, "{:.0f}")
    ratio_row(f"open: whole `CASE --screenshot` process, {label} vs without", opened["elapsed"] * 1000,
              opened0["elapsed"] * 1000, "ms", "", None, "{:.0f}")
    ratio_row(f"peak memory of that process, {label} vs without", opened["rss"], opened0["rss"], "MiB",
              "≤ 1.10×", 1.10, "{:.0f}")

    # The note: the consultation note, and (once build_consult_pdf takes `visit_id`) the follow-up
    # note of the latest visit, each against the note of the case without visits.
    t, t0 = median_call_pair(lambda: build_consult_pdf(case), lambda: build_consult_pdf(bare), 15)
    ratio_row(f"note (build_consult_pdf), {label} vs without", t * 1000, t0 * 1000, "ms", "≤ 1.3×", 1.3, "{:.0f}")
    if "visit_id" in inspect.signature(build_consult_pdf).parameters:
        latest = ordered_visits(case)[-1].id
        t, t0 = median_call_pair(lambda: build_consult_pdf(case, visit_id=latest), lambda: build_consult_pdf(bare), 15)
        ratio_row(f"follow-up note of the latest visit, {label} vs the note without visits", t * 1000,
                  t0 * 1000, "ms", "≤ 1.3×", 1.3, "{:.0f}")
    else:
        rows.append(row("follow-up note of the latest visit", "not measured: build_consult_pdf has no "
                        "`visit_id` yet", "", "", "≤ 1.3×", None))

    # Start-up: the same start with and without the Visits tab in the window (app_variant.py). The two
    # should not differ at all, so the runs are tripled: on this shared machine ±10 % is noise.
    def variant(*flags, name):
        return [PY, str(HERE / "app_variant.py"), *flags, str(visits_path), str(tmp / name)]

    with_tab, without_tab = _median_traced_pair(variant(name="w.png"), variant("--no-visits-tab", name="n.png"),
                                                3 * runs)
    ratio_row(f"start-up → first frame, with the Visits tab vs without ({label} case)",
              with_tab["first-frame"] * 1000, without_tab["first-frame"] * 1000, "ms", "unchanged (≤ 1.05×)",
              1.05, "{:.0f}")
    ratio_row(f"start-up → case shown, with the Visits tab vs without ({label} case)",
              with_tab["case-shown"] * 1000, without_tab["case-shown"] * 1000, "ms", "unchanged (≤ 1.05×)",
              1.05, "{:.0f}")
    rows.append(row("Visits tab built at start-up (Visits panel module imported)", with_tab["visits-panel"], "",
                    "", "no (built when first shown)", with_tab["visits-panel"] == "no"))

    # Peak memory with the Visits tab shown (its list and chart drawn), against the case without visits
    # with its Visits tab shown too.
    shown, shown0 = _median_traced_pair(variant("--show-visits-tab", name="s.png"),
                                        [PY, str(HERE / "app_variant.py"), "--show-visits-tab", str(bare_path),
                                         str(tmp / "s0.png")], runs)
    assert shown["visits-panel"] == "yes", "the Visits tab was not shown"
    ratio_row(f"peak memory, Visits tab shown, {label} vs without", shown["rss"], shown0["rss"], "MiB",
              "≤ 1.10×", 1.10, "{:.0f}")

    # Context, no budget: an edit on another tab once the Visits tab exists (hidden), against the same
    # edit while it was never shown.
    runs_of: dict[bool, list[float]] = {True: [], False: []}
    for order in ((True, False), (False, True)):  # in turn, as above
        for built in order:
            runs_of[built].append(edit_to_repaint(case, visits_tab=built))
    t_built, t_never = min(runs_of[True]), min(runs_of[False])  # each a median of 35 edits already
    ratio_row(f"edit → repaint on the Symptoms tab, {label}: Visits tab built (hidden) vs never shown",
              t_built * 1000, t_never * 1000, "ms", "", None, "{:.1f}")

    # Context, no budget: showing the Visits tab the first time (building it: course(), the list, the chart).
    t_tab = visits_tab_first_show(case)
    rows.append(row(f"Visits tab shown the first time (built and painted), {label}", f"{t_tab*1000:.0f} ms",
                    "", "", "", None))
    return rows


def _median_traced_pair(cmd: list[str], baseline: list[str], runs: int) -> tuple[dict, dict]:
    """The medians of two window processes compared with each other, their runs taken in turn
    (A B B A A B …), so that a busy spell on this shared machine falls on both, not on one, and
    neither always goes first."""
    run_traced(cmd), run_traced(baseline)  # warm the OS file cache
    samples: tuple[list, list] = ([], [])
    for i in range(runs):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            samples[which].append(run_traced((cmd, baseline)[which]))
    return _medians(samples[0]), _medians(samples[1])


def median_call_pair(fn, baseline, runs: int) -> tuple[float, float]:
    """`median_call` of two functions compared with each other, their calls taken in turn (A B B A …)."""
    fn(), baseline()
    samples: tuple[list, list] = ([], [])
    for i in range(runs):
        for which in ((0, 1) if i % 2 == 0 else (1, 0)):
            start = time.perf_counter()
            (fn, baseline)[which]()
            samples[which].append(time.perf_counter() - start)
    return statistics.median(samples[0]), statistics.median(samples[1])


def _medians(samples: list) -> dict:
    """Medians of a window process's figures over its runs."""
    out = {"elapsed": statistics.median(s[0] for s in samples), "rss": statistics.median(s[1] for s in samples)}
    for event in ("first-frame", "case-shown"):
        out[event] = statistics.median(float(s[2].get(event, "nan")) for s in samples)
    seen = {s[2].get("visits-panel-imported", "?") for s in samples}
    out["visits-panel"] = seen.pop() if len(seen) == 1 else "varies"
    return out


def visits_tab_first_show(case) -> float:
    """Median time of: the Visits tab made current for the first time → built (course(), the list,
    the chart) and the frame painted, in a fresh window each run."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.prompter import HeadlessPrompter

    app = QApplication.instance() or QApplication([])
    samples = []
    for _ in range(6):
        settings = QSettings(str(Path(tempfile.mkdtemp(prefix="crmo-bench-")) / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(prompter=HeadlessPrompter(), settings=settings, check_recovery=False)
        window.doc.replace_case(case)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        index = next(i for i in range(window.tabs.count()) if window.tabs.tabText(i).startswith("Visits"))
        page = window.tabs.widget(index)
        assert page.panel is None, "the Visits tab was built before it was shown"
        start = time.perf_counter()
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        samples.append(time.perf_counter() - start)
        assert page.panel is not None and page.panel.isVisible(), "the Visits tab was not built"
        window.doc.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return statistics.median(samples[1:])  # the first run also imports the panel's modules


WARM_UP = 5  # edits left out of the edit → repaint median


def edit_to_repaint(case, full_repaint: bool = False, visits_tab: bool | None = None) -> float:
    """Median time of: one field edit → assess → assessment pane updated → the frame painted.

    One frame is what `processEvents()` does after the edit: the pane's pending layout, then the
    paint of everything that changed or moved (the cards below a section whose height changed),
    flushed to the window, as the event loop does it for the user. Each timed edit is checked to
    have painted the pane. `full_repaint` adds the old measure's `window.repaint()`: a second,
    synchronous paint of the whole window (menus, tabs, form, pane) that no edit causes.
    `visits_tab`: None, every tab is built (the field is found by searching the tabs, which builds
    them all: the measure of earlier rounds); True, only the Symptoms tab and the Visits tab, shown once
    before (hidden during the edits); False, only the Symptoms tab (the Visits tab never shown).
    """
    from PySide6.QtCore import QEvent, QObject, QSettings
    from PySide6.QtWidgets import QApplication, QLineEdit

    from desktop_app.ui.prompter import HeadlessPrompter
    from desktop_app.ui.main_window import MainWindow

    class PanePaints(QObject):
        """Counts paint events of the pane's sections: the frame must include their paint."""
        count = 0

        def eventFilter(self, obj, event):  # noqa: N802 (Qt naming)
            if event.type() == QEvent.Type.Paint and obj.parent() is window.pane.widget():
                self.count += 1
            return False

    app = QApplication.instance() or QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp(prefix="crmo-bench-")) / "s.ini"), QSettings.Format.IniFormat)
    # No dialogs (the recovery offer would block a benchmark) and not the user's settings.
    window = MainWindow(prompter=HeadlessPrompter(), settings=settings, check_recovery=False)
    window.doc.replace_case(case)
    window.resize(1280, 800)
    if visits_tab:
        window.show()
        window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                         if window.tabs.tabText(i).startswith("Visits")))
        app.processEvents()
    window.tabs.setCurrentIndex(1)  # the Symptoms tab, where the user types the temperature
    window.show()
    from PySide6.QtTest import QTest

    QTest.qWaitForWindowExposed(window)  # a second window in one process may not be exposed at once
    app.processEvents()
    searched = window.tabs if visits_tab is None else window.tabs.widget(1)  # LazyTabs' search builds all
    box = next(w for w in searched.findChildren(QLineEdit)
               if w.property("case_path") == "symptoms.max_temperature_c")
    paints = PanePaints()
    for section in window.pane.widget().findChildren(QObject):
        section.installEventFilter(paints)
    samples = []
    for i in range(1, 40):  # from 38.5: the first edit must change the case (a case may hold 37.0 already)
        # What the user does: type a value into the field and press Enter (37.0 normal, 38.5
        # fever: the red flags, three cards and the derived facts change each time). Timed: the
        # widget writes the document, the assessment is recomputed, the pane and the tab update,
        # and the frame is laid out and painted.
        box.setText(f"{37.0 + (i % 2) * 1.5:g}")
        painted = paints.count
        start = time.perf_counter()
        box.editingFinished.emit()
        app.processEvents()
        if full_repaint:
            window.repaint()
        samples.append(time.perf_counter() - start)
        # Every edit the median uses painted the pane (the first, warm-up edits may find the frame
        # already flushed by the tab switch before them; they are left out of the figure).
        assert paints.count > painted or len(samples) <= WARM_UP, f"the timed frame did not paint the pane (edit {i})"
    # The last edit (38.5 °C) reached the case and the pane: a timing of nothing would be no figure.
    assert window.doc.case.symptoms.max_temperature_c == 38.5, "the edit did not reach the case"
    assert "Temperature normal</td><td>&nbsp;&nbsp;no<" in window.pane.derived.text(), "pane not updated"
    window.doc.undo_stack.setClean()
    window.close()
    return statistics.median(samples[WARM_UP:])


if __name__ == "__main__":
    sys.exit(main())
