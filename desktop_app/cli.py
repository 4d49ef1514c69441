"""Command line: `crmo-consult [CASE] [--screenshot PNG]` opens the window; subcommands run headless.

    crmo-consult evaluate CASE [--json]   criteria, red flags and what is missing
    crmo-consult plan CASE [--json]       the treatment plan (work-up, lines, prognosis, codes)
    crmo-consult course CASE [--json]     the follow-up course (points, alerts, monitoring due)
    crmo-consult pdf CASE -o NOTE.pdf [--visit ID|first|latest]
                                          write the consult note (a case with visits: the latest
                                          visit's follow-up note unless --visit says otherwise)
    crmo-consult fhir CASE -o BUNDLE.json [--visit ID|first|latest] [--no-pdf]
                                          the same note as a FHIR R4 document Bundle
    crmo-consult schema                   JSON Schema of the case file
    crmo-consult library FOLDER [--json] [--attention] [--due-before DATE] [--today DATE]
                                          the clinic's worklist of every case file in FOLDER
    crmo-consult library FOLDER --csv OUT.csv [--per-visit]
                                          the audit table (one row per patient, or per point)
    crmo-consult --self-test              check an installed bundle end to end
    crmo-consult --version

Each command lives in desktop_app/commands/ and is imported only when used, so that the window's
start-up never pays for ReportLab. Exit 0 on success, 2 with one line on stderr on bad input.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from desktop_app.about import __version__
from desktop_app.commands.failure import PROG, fail


def _subcommand_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG)
    sub = parser.add_subparsers(dest="command", required=True)
    ev = sub.add_parser("evaluate", help="assess a case file")
    ev.add_argument("case", help="path to a .crmo case file")
    ev.add_argument("--json", action="store_true", help="print the assessment as JSON")
    pl = sub.add_parser("plan", help="the treatment plan of a case")
    pl.add_argument("case", help="path to a .crmo case file")
    pl.add_argument("--json", action="store_true", help="print the plan as JSON")
    co = sub.add_parser("course", help="the follow-up course of a case")
    co.add_argument("case", help="path to a .crmo case file")
    co.add_argument("--json", action="store_true", help="print the course as JSON")
    pdf = sub.add_parser("pdf", help="write the PDF consult note")
    pdf.add_argument("case", help="path to a .crmo case file")
    pdf.add_argument("-o", "--output", required=True, help="where to write the PDF")
    pdf.add_argument("--visit", metavar="ID|first|latest",
                     help="the note of this visit (default: latest), or 'first' for the first consultation")
    fh = sub.add_parser("fhir", help="write the note as a FHIR R4 document Bundle (JSON)")
    fh.add_argument("case", help="path to a .crmo case file")
    fh.add_argument("-o", "--output", required=True, help="where to write the Bundle (JSON)")
    fh.add_argument("--visit", metavar="ID|first|latest",
                    help="the note of this visit (default: latest), or 'first' for the first consultation")
    fh.add_argument("--no-pdf", action="store_true", help="leave the PDF of the note out of the Bundle")
    sub.add_parser("schema", help="print the JSON Schema of the case file")
    _library_parser(sub)
    return parser


def _library_parser(sub) -> None:
    lib = sub.add_parser("library", help="the worklist (or audit table) of every case file in a folder")
    lib.add_argument("folder", help="the folder of .crmo case files (subfolders included)")
    lib.add_argument("--json", action="store_true", help="print the worklist as JSON")
    lib.add_argument("--attention", action="store_true",
                     help="only the cases that need attention, and the files that could not be read")
    lib.add_argument("--due-before", metavar="DATE", help="only the cases whose next review is before DATE")
    lib.add_argument("--today", metavar="DATE", help="judge review dates and monitoring at DATE (default: today)")
    lib.add_argument("--csv", metavar="OUT.csv", help="write the audit table as CSV instead")
    lib.add_argument("--per-visit", action="store_true", help="with --csv: one row per point of each course")


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Offline CRMO/CNO consult calculator. Subcommands: evaluate, plan, course, pdf, fhir, schema, library.",
    )
    parser.add_argument("case", nargs="?", help="a .crmo case file to open")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window offscreen to PNG and exit")
    parser.add_argument("--self-test", action="store_true", help="check the installation and exit")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


SUBCOMMANDS = ("evaluate", "plan", "course", "pdf", "fhir", "schema", "library")


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:
        # `crmo-consult schema | head`: the reader left; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback; the line says what broke
        if os.environ.get("CRMO_TRACEBACK"):
            raise
        return fail(f"unexpected {type(exc).__name__}: {exc} (set CRMO_TRACEBACK=1 for details)", status=1)


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] in SUBCOMMANDS:
        args = _subcommand_parser().parse_args(argv)
        if args.command == "evaluate":
            from desktop_app.commands.evaluate import run
        elif args.command == "plan":
            from desktop_app.commands.plan import run
        elif args.command == "course":
            from desktop_app.commands.course import run
        elif args.command == "pdf":
            from desktop_app.commands.pdf import run
        elif args.command == "library":
            from desktop_app.commands.library import run
        elif args.command == "fhir":
            from desktop_app.commands.fhir import run
        else:
            from desktop_app.commands.schema import run
        return run(args)
    args = _gui_parser().parse_args(argv)
    if args.self_test:
        from desktop_app.commands.self_test import run

        return run(args)
    from desktop_app.ui.app import StartupError, run_gui

    try:
        return run_gui(args.case, screenshot=args.screenshot)
    except StartupError as exc:
        return fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
