"""`crmo-consult pdf CASE -o NOTE.pdf [--visit ID|first|latest]`: write the consult note and print
where it went. A case with visits gives the latest visit's follow-up note by default (§13.6);
`--visit first` the first consultation's note; a case without visits, the consult note (§12).

Exit 0 on success; 2 with one stderr line when the case cannot be read or the note cannot be
written (the message names the file and the problem; never a traceback).
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from desktop_app.cli import fail
from desktop_app.storage.errors import CaseFileError, shown_name


def run(args: argparse.Namespace) -> int:
    from desktop_app.plan.visit_summary import resolve_visit
    from desktop_app.report.note import write_consult_pdf
    from desktop_app.storage.case_file import load_case

    refusal = _refuse_output(args.case, args.output)
    if refusal:
        return fail(refusal)
    try:
        case = load_case(args.case)
    except CaseFileError as exc:
        return fail(str(exc))
    try:
        visit_id = resolve_visit(case, getattr(args, "visit", None))
    except ValueError as exc:
        return fail(f"{shown_name(args.case)}: {exc}")
    try:
        # None: the first consultation's note (the note computes the assessment and plan it renders).
        write_consult_pdf(case, args.output, visit_id=visit_id)
    except CaseFileError as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a ReportLab LayoutError: one line, not a traceback
        return fail(f"{shown_name(args.output)}: the consult note could not be written ({type(exc).__name__}).")
    print(Path(args.output))
    return 0


def _refuse_output(case: str, output: str, what: str = "the note", example: str = "NOTE.pdf") -> str | None:
    """Why `output` must not be written (it is the case itself, or any case file), or None."""
    name = shown_name(output)
    if Path(output).suffix.lower() == ".crmo":
        return f"{name}: will not write {what} over a .crmo case file; name the output {example}."
    try:
        same = os.path.samefile(case, output)
    except (OSError, ValueError):
        same = os.path.realpath(case) == os.path.realpath(output)  # nothing there yet (or unreadable)
    if same:
        return f"{name}: is the case being read; name a different output file."
    return None
