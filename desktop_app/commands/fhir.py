"""`crmo-consult fhir CASE -o BUNDLE.json [--visit ID|first|latest] [--no-pdf]`: the note as a FHIR R4
document Bundle (desktop_app/fhir), with the PDF the `pdf` command writes attached unless --no-pdf.

The same choice of note and the same refusals as `crmo-consult pdf` (its path checks: never over a
.crmo file or the input; storage's writer refuses anything but a regular file). Exit 0 on success;
2 with one stderr line when the case cannot be read or the bundle cannot be written.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from desktop_app.commands.failure import fail
from desktop_app.commands.note_input import Refused, read_note_input
from desktop_app.storage.errors import CaseFileError, shown_name


def run(args: argparse.Namespace) -> int:
    try:
        case, visit_id = read_note_input(args, "the FHIR bundle", "BUNDLE.json")
    except Refused as exc:
        return fail(str(exc))
    from desktop_app.fhir.bundle import write_bundle  # fhir.resources: only on this path

    try:
        write_bundle(case, args.output, visit_id, include_pdf=not args.no_pdf)
    except CaseFileError as exc:
        return fail(str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a model that refuses a value: one line, not a traceback
        return fail(f"{shown_name(args.output)}: the FHIR bundle could not be written ({type(exc).__name__}).")
    print(Path(args.output))
    return 0
