"""`crmo-consult library FOLDER [--json] [--attention] [--due-before DATE] [--today DATE]` prints the
clinic's worklist; `--csv OUT.csv [--per-visit]` writes the audit table instead.

Exit 0 whenever the folder was read (a file that could not be read is a row that says why, not a
failure); 2 with one stderr line when FOLDER is not a readable folder or the CSV cannot be written.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from desktop_app.case import labels
from desktop_app.commands.failure import fail
from desktop_app.storage.errors import CaseFileError, escape_controls, shown_name


def run(args) -> int:
    from desktop_app.library.index import scan_folder
    from desktop_app.library.output import csv_bytes, library_to_json, patient_table, point_table, select
    from desktop_app.library.scan import LibraryError

    try:
        today = _date(args.today, "--today") if args.today else dt.date.today()
        due_before = _date(args.due_before, "--due-before") if args.due_before else None
    except ValueError as exc:
        return fail(str(exc))
    if args.csv:
        refusal = _refuse_csv(args.csv)
        if refusal:
            return fail(refusal)
    try:
        result, note = scan_folder(args.folder, points=bool(args.csv and args.per_visit))
    except LibraryError as exc:
        return fail(str(exc))
    if note:
        print(f"note: {note}", file=sys.stderr)  # once, and never mixed into the JSON or the table
    rows = select(result.rows, today, attention=args.attention, due_before=due_before)
    if args.csv:
        return _write_csv(args.csv, csv_bytes(point_table(rows) if args.per_visit else patient_table(rows, today)))
    if args.json:
        json.dump(library_to_json(str(Path(args.folder).resolve()), rows, today, note),
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(rows, today))
    return 0


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option}: {text[:40]!r} is not a date (write YYYY-MM-DD).") from None


def _refuse_csv(output: str) -> str | None:
    """The pdf command's rule (never over a case file), then the save's (only a regular, writable file)."""
    from desktop_app.storage.atomic import check_write_target

    if Path(output).suffix.lower() == ".crmo":
        return f"{shown_name(output)}: will not write the table over a .crmo case file; name the output TABLE.csv."
    try:
        check_write_target(output)
    except CaseFileError as exc:
        return str(exc)
    return None


def _write_csv(output: str, data: bytes) -> int:
    from desktop_app.storage.atomic import atomic_write_bytes

    try:
        atomic_write_bytes(output, data)
    except CaseFileError as exc:
        return fail(str(exc))
    print(Path(output))
    return 0


def render_text(rows, today: dt.date) -> str:
    attention = sum(r.needs_attention(today) for r in rows)
    unread = sum(r.error is not None for r in rows)
    lines = [f"{len(rows)} case file{'s' if len(rows) != 1 else ''} (today {today.isoformat()}): "
             f"{attention} need{'s' if attention == 1 else ''} attention, {unread} could not be read", ""]
    for r in rows:
        if r.error is not None:
            lines += [f"{r.file}: {r.error}", ""]
            continue
        head = f"{'! ' if r.needs_attention(today) else ''}{r.name or '(no name)'}"
        lines.append(head + (f" (MRN {r.mrn})" if r.mrn else "") + f" — {r.file}")
        lines.append(f"  {labels.value_label('mode', r.mode)}; latest visit {r.latest_visit or 'none'}; "
                     f"next review {r.next_review or 'not recorded'}"
                     + (" (reached)" if r.review_passed(today) else ""))
        if r.activity:
            lines.append(f"  latest activity: {labels.value_label('activity', r.activity)}")
        if r.treatments:
            lines.append(f"  on {', '.join(r.treatments)}")
        for a in r.alerts[:1]:
            more = f" (and {len(r.alerts) - 1} more)" if len(r.alerts) > 1 else ""
            lines.append(f"  {labels.value_label('alert_tier', a['tier'])}: {r.first_alert}{more}")
        for m in r.monitoring_flagged(today):
            lines.append(f"  {m.drug}: {m.test}: {labels.value_label('monitoring_status', m.status)}")
        if r.duplicate_mrn_of:
            lines.append(f"  same MRN as {', '.join(r.duplicate_mrn_of)}")
        lines.append("")
    return "\n".join(escape_controls(line) for line in lines) + "\n"
