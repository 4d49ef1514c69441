"""What `pdf` and `fhir` share before they write a note: the output path checked (never over a .crmo
file or the input), the case read, and the note's visit resolved (`--visit ID|first|latest`).

Every refusal is one line for stderr, raised as `Refused`; the command prints it and exits 2.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Optional

from desktop_app.case.models import Case
from desktop_app.storage.errors import CaseFileError, shown_name


class Refused(Exception):
    """Why the note cannot be written: one line naming the file and the problem."""


def read_note_input(args: argparse.Namespace, what: str = "the note",
                    example: str = "NOTE.pdf") -> tuple[Case, Optional[str]]:
    """The case and the note's visit id (None: the first consultation's note), or `Refused`."""
    from desktop_app.plan.visit_summary import resolve_visit
    from desktop_app.storage.case_file import load_case

    refusal = refuse_output(args.case, args.output, what, example)
    if refusal:
        raise Refused(refusal)
    try:
        case = load_case(args.case)
    except CaseFileError as exc:
        raise Refused(str(exc)) from exc
    try:
        return case, resolve_visit(case, getattr(args, "visit", None))
    except ValueError as exc:
        raise Refused(f"{shown_name(args.case)}: {exc}") from exc


def refuse_output(case: str, output: str, what: str = "the note", example: str = "NOTE.pdf") -> str | None:
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
