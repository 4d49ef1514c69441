"""`crmo-consult --self-test`: check an installation end to end, from source or from the frozen bundle.

Runs the real code paths on the bundled example case: load it, assess it, write the PDF note and read
its text back (with QtPdf, which the bundle ships anyway for the preview), build the main window and
render it, and save/reopen the case. Prints one line per check ("ok   ..." or "FAIL ...: reason")
and exits 0 only when every check passed. The Qt checks live in desktop_app/ui/self_test_window.py
(Qt only in ui/). Nothing outside a temporary folder is written (window settings included).
"""
from __future__ import annotations

import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

from desktop_app.about import APP_NAME, RESOURCES, __version__
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan as build_plan
from desktop_app.report.note import write_consult_pdf
from desktop_app.storage.case_file import load_case, save_case

EXAMPLE = RESOURCES / "examples" / "typical-multifocal.crmo"
# What the example must give (tests/examples/typical-multifocal.expected.json).
EXPECTED_STATUS = {"bristol_2016": "met", "jansson_2009": "met"}
EXPECTED_JANSSON_POINTS = 47
EXPECTED_MODE = "cno"  # and so the plan proposes naproxen with a computed dose (34 kg)
PDF_MUST_CONTAIN = ("Bristol",)  # plus the patient's name
SAVE_STAMPS = {"app_version", "saved_at"}  # written by save_case itself, so not part of the round trip


class CheckFailed(Exception):
    """A check's one-line reason."""


def _expect(condition: bool, reason: str) -> None:
    if not condition:
        raise CheckFailed(reason)


class _SelfTest:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.case = None
        self.assessment = None

    def load_example(self) -> None:
        _expect(EXAMPLE.is_file(), f"{EXAMPLE} is missing from the installation")
        self.case = load_case(EXAMPLE)
        _expect(bool(self.case.patient.name), "the example case has no patient name")

    def assess(self) -> None:
        self.assessment = assess(self.case)
        for key, status in EXPECTED_STATUS.items():
            got = self.assessment.criteria[key].status
            _expect(got == status, f"{key} is {got}, expected {status}")
        points = self.assessment.criteria["jansson_2009"].points
        _expect(points == EXPECTED_JANSSON_POINTS, f"Jansson score {points}, expected {EXPECTED_JANSSON_POINTS}")

    def plan(self) -> None:
        _expect(self.assessment.mode == EXPECTED_MODE, f"mode is {self.assessment.mode}, expected {EXPECTED_MODE}")
        plan = build_plan(self.case, self.assessment)
        nsaid = next((line for line in plan.lines if line.id == "nsaid"), None)
        _expect(nsaid is not None and nsaid.status == "proposed", "the plan does not propose the NSAID line")
        _expect(any(d.amount is not None for d in nsaid.doses), "the NSAID line has no computed dose")

    def pdf(self) -> None:
        target = self.workdir / "note.pdf"
        write_consult_pdf(self.case, target)
        _expect(target.stat().st_size > 0, "the PDF is empty")
        text = _pdf_text(target)
        for needle in (self.case.patient.name, *PDF_MUST_CONTAIN):
            _expect(needle in text, f"the PDF text does not contain {needle!r}")

    def window(self) -> None:
        from desktop_app.ui.self_test_window import render_main_window

        width, height = render_main_window(self.case, self.workdir)
        _expect(width > 0 and height > 0, "the window rendered an empty image")

    def round_trip(self) -> None:
        target = self.workdir / "round-trip.crmo"
        save_case(self.case, target)
        reopened = load_case(target)
        before, after = (c.model_dump(exclude=SAVE_STAMPS) for c in (self.case, reopened))
        differs = sorted(key for key in before if before[key] != after[key])
        _expect(not differs, f"the reopened case differs in {', '.join(differs)}")


def _pdf_text(path: Path) -> str:
    """All text of a PDF, read with QtPdf (the same engine as the in-app preview)."""
    from desktop_app.ui.self_test_window import pdf_text

    error, text = pdf_text(path)
    _expect(not error, f"QtPdf could not read the PDF ({error})")
    return text


def _checks(test: _SelfTest) -> list[tuple[str, Callable[[], None]]]:
    return [
        ("load example case", test.load_example),
        ("assess: Bristol met, Jansson met (47)", test.assess),
        ("plan: mode cno, naproxen proposed with a dose", test.plan),
        ("write PDF note", test.pdf),
        ("render main window", test.window),
        ("save/load round trip", test.round_trip),
    ]


def run(args=None) -> int:
    failures = 0
    print(f"{APP_NAME} {__version__} self-test ({'frozen' if getattr(sys, 'frozen', False) else 'source'})")
    with tempfile.TemporaryDirectory(prefix="crmo-self-test-") as tmp:
        test = _SelfTest(Path(tmp))
        for name, check in _checks(test):
            try:
                check()
            except CheckFailed as exc:
                reason = str(exc)
            except Exception as exc:  # noqa: BLE001 - any crash is a failed check, reported in one line
                reason = f"{type(exc).__name__}: {exc}".splitlines()[0]
                if os.environ.get("CRMO_SELF_TEST_TRACEBACK"):
                    traceback.print_exc()
            else:
                print(f"ok   {name}")
                continue
            failures += 1
            print(f"FAIL {name}: {reason}")
            if test.case is None:  # nothing else can run without the case
                break
    print("self-test passed" if failures == 0 else f"self-test FAILED ({failures} check(s))")
    return 0 if failures == 0 else 1
