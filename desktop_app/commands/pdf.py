"""`crmo-consult pdf CASE -o NOTE.pdf`: write the consult note and print where it went.

Exit 0 on success; 2 with one stderr line when the case cannot be read or the note cannot be
written (the message names the file and the problem; never a traceback).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.cli import fail
from desktop_app.storage.errors import CaseFileError


def run(args: argparse.Namespace) -> int:
    from desktop_app.criteria.assess import assess
    from desktop_app.plan.build import plan
    from desktop_app.report.note import write_consult_pdf
    from desktop_app.storage.case_file import load_case

    try:
        case = load_case(args.case)
    except CaseFileError as exc:
        return fail(str(exc))
    assessment = assess(case)
    try:
        write_consult_pdf(case, args.output, assessment, plan(case, assessment))
    except CaseFileError as exc:
        return fail(str(exc))
    print(Path(args.output))
    return 0
