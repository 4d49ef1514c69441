"""`crmo-consult pdf CASE -o NOTE.pdf [--visit ID|first|latest]`: write the consult note and print
where it went. A case with visits gives the latest visit's follow-up note by default (§13.6);
`--visit first` the first consultation's note; a case without visits, the consult note (§12).

Exit 0 on success; 2 with one stderr line when the case cannot be read or the note cannot be
written (the message names the file and the problem; never a traceback).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.commands.failure import fail
from desktop_app.commands.note_input import Refused, read_note_input
from desktop_app.storage.errors import CaseFileError, shown_name


def run(args: argparse.Namespace) -> int:
    from desktop_app.report.note import write_consult_pdf

    try:
        case, visit_id = read_note_input(args)
    except Refused as exc:
        return fail(str(exc))
    try:
        # None: the first consultation's note (the note computes the assessment and plan it renders).
        write_consult_pdf(case, args.output, visit_id=visit_id)
    except CaseFileError as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a ReportLab LayoutError: one line, not a traceback
        return fail(f"{shown_name(args.output)}: the consult note could not be written ({type(exc).__name__}).")
    print(Path(args.output))
    return 0
