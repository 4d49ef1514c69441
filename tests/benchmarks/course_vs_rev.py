"""`course()` on the 40-visit case: this tree beside an earlier revision, measured in one process.

    .venv/bin/python tests/benchmarks/course_vs_rev.py REV [--calls N]

This machine's speed moves by ±10–50 % between runs (shared cores), so a figure recorded on another
day says little. Both trees are imported into one process (the earlier one from `git archive REV`, in a
temporary folder; each tree's modules are moved out of `sys.modules` once loaded, and their functions keep
their own globals), each builds the bench case with its own code (cases.followup_case(40), saved and
reopened), and the calls are taken in turn (A B B A …), so a busy spell falls on both. Also measured,
on this tree: `course()` without visits (the bare baseline), and course() + assess() + plan() on 40 visits
with and without the plan's `dose_line` cache. Prints medians; asserts nothing (not a test).
"""
from __future__ import annotations

import argparse
import importlib
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
_OURS = ("desktop_app", "tests")


def _forget_tree() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] in _OURS]:
        del sys.modules[name]


def load_tree(root: Path) -> dict:
    """The functions and cases of the tree at `root`, then its modules out of sys.modules."""
    _forget_tree()
    sys.path.insert(0, str(root))
    try:
        mod = {name: importlib.import_module(name) for name in (
            "desktop_app.course.build", "desktop_app.storage.case_file", "tests.benchmarks.cases",
            "desktop_app.criteria.assess", "desktop_app.plan.build", "desktop_app.plan.doses")}
        cf, cases = mod["desktop_app.storage.case_file"], mod["tests.benchmarks.cases"]
        tmp = Path(tempfile.mkdtemp())
        built = cases.followup_case(40)
        cf.save_case(built, tmp / "v.crmo")
        cf.save_case(cases.without_visits(built), tmp / "b.crmo")
        return {"course": mod["desktop_app.course.build"].course, "assess": mod["desktop_app.criteria.assess"].assess,
                "plan": mod["desktop_app.plan.build"].plan, "doses": mod["desktop_app.plan.doses"],
                "case": cf.load_case(tmp / "v.crmo"), "bare": cf.load_case(tmp / "b.crmo")}
    finally:
        sys.path.remove(str(root))
        _forget_tree()


def in_turn(fns: list, calls: int) -> list[float]:
    """Median ms of each function, their calls taken in turn, the order reversed every round."""
    for f in fns:
        f()
    samples: list[list[float]] = [[] for _ in fns]
    for i in range(calls):
        for w in (range(len(fns)) if i % 2 == 0 else reversed(range(len(fns)))):
            start = time.perf_counter()
            fns[w]()
            samples[w].append(time.perf_counter() - start)
    return [statistics.median(s) * 1000 for s in samples]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="the earlier revision, e.g. a commit before a change")
    ap.add_argument("--calls", type=int, default=300)
    args = ap.parse_args()
    old_root = Path(tempfile.mkdtemp()) / "old"
    old_root.mkdir()
    archive = subprocess.run(["git", "-C", str(REPO), "archive", args.rev], check=True, capture_output=True).stdout
    with tempfile.TemporaryFile() as f:
        f.write(archive)
        f.seek(0)
        tarfile.open(fileobj=f).extractall(old_root, filter="data")
    old, now = load_tree(old_root), load_tree(REPO)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    t_old, t_now, t_bare = in_turn([lambda: old["course"](old["case"]), lambda: now["course"](now["case"]),
                                    lambda: now["course"](now["bare"])], args.calls)
    print(f"course(), 40 visits: {args.rev} {t_old:.2f} ms, this tree {t_now:.2f} ms ({t_now / t_old:.3f}×); "
          f"without visits (this tree) {t_bare:.2f} ms")

    doses, cached = now["doses"], now["doses"].dose_line
    uncached = cached.__wrapped__

    def whole(use_cache: bool):
        doses.dose_line = cached if use_cache else uncached  # dose_lines reads the module's global
        c = now["case"]
        now["course"](c)
        return now["plan"](c, now["assess"](c))

    t_cached, t_uncached = in_turn([lambda: whole(True), lambda: whole(False)], max(args.calls // 3, 50))
    doses.dose_line = cached
    print(f"course() + assess() + plan(), 40 visits: with the dose_line cache {t_cached:.2f} ms, "
          f"without {t_uncached:.2f} ms ({t_uncached / t_cached:.3f}×)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
