"""`crmo-consult plan CASE [--json]`: the treatment plan as readable text or as JSON
("Plan output" in assessment-output.md) — the same Plan the Plan tab and the note render,
clinician edits applied.

Exit 0 whenever the case was read (whatever the plan), 2 with one stderr line when it was not.
"""
from __future__ import annotations

import json
import sys
import unicodedata

from desktop_app.cli import fail
from desktop_app.plan.types import Plan, PlanLine

MODE_WORDS = {
    "cno": "Findings consistent with CNO",
    "workup": "CNO not established — work-up needed; no CNO treatment is proposed",
    "alternative_diagnosis": "Alternative diagnosis recorded; CNO criteria and treatment do not apply",
}
# Bidirectional overrides and isolates: they can make a terminal show text in another order.
_BIDI = {*range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def clean(text: str) -> str:
    """One terminal-safe line: control characters from free text (e.g. an edited plan line) cannot move
    the cursor, clear the screen or reorder what the clinician reads."""
    out = []
    for ch in text:
        if ch in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc" or ord(ch) in _BIDI:
            out.append(f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def run(args) -> int:
    from desktop_app.criteria.assess import assess
    from desktop_app.plan.build import plan as build_plan
    from desktop_app.plan.output import plan_to_json
    from desktop_app.storage.case_file import load_case
    from desktop_app.storage.errors import CaseFileError

    try:
        case = load_case(args.case)
    except CaseFileError as e:
        return fail(str(e))
    plan = build_plan(case, assess(case))
    if args.json:
        json.dump(plan_to_json(plan), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_text(plan))
    return 0


def _line(line: PlanLine) -> list[str]:
    out = [f"* {line.step} ({line.status_words}): {line.shown_text}"]
    if line.decision == "edited" and line.edited_text and line.edited_text != line.text:
        out.append(f"    originally proposed: {line.text}")
    if line.reason:
        out.append(f"    {line.reason}" if line.status == "not_proposed" else f"    why: {line.reason}")
    if line.source:
        out.append(f"    source: {line.source}")
    for d in line.doses:
        parts = [f"{d.drug}: {d.per_kg}", f"→ {d.computed_text()}"]
        if d.maximum:
            parts.append(f"maximum: {d.maximum}")
        if d.schedule:
            parts.append(d.schedule)
        if d.source:
            parts.append(f"source: {d.source}")
        parts.append(d.note)
        out.append("    - " + " · ".join(parts))
        if d.before_starting:
            src = f" (source: {d.before_starting_source})" if d.before_starting_source else ""
            out.append(f"      before starting: {'; '.join(d.before_starting)}{src}")
    return out


def render_text(plan: Plan) -> str:
    lines = [MODE_WORDS[plan.mode], ""]
    if plan.workup:
        lines.append("Work-up still outstanding" if plan.mode == "cno" else
                     "Work-up first (CNO treatment is not proposed until it is done)")
        lines += [f"  - {s}" for s in plan.workup] + [""]
    lines.append("Treatment plan" + ("" if plan.lines else ": no line"))
    for line in plan.lines:
        if line.decision == "removed":
            lines.append(f"* {line.step} (removed by the clinician): {line.text}")
            continue
        lines += _line(line)
    if plan.ctp_checklist():
        lines += ["", "Eligibility for a CARRA consensus treatment plan (Zhao 2018, Table 1)"]
        mark = {"met": "[x]", "not_met": "[ ]", "unknown": "[?]"}
        lines += [f"  {mark[i.status]} {i.label}: {i.evidence}" for i in plan.ctp_checklist()]
    lines += ["", "Prognosis"]
    lines += [f"  - {p.text}" + (f" ({p.source})" if p.source else "") for p in plan.prognosis] or \
        [f"  {plan.prognosis_withheld}"]
    if plan.follow_up:
        lines += ["", "Follow-up"] + [f"  - {p.text}" + (f" ({p.source})" if p.source else "") for p in plan.follow_up]
    lines += ["", "Codes (ICD-10-CM)"]
    lines += [f"  {c.code} {c.label}" + (f" — {c.note}" if c.note else "") for c in plan.codes] or \
        ["  No code is suggested: CNO is not established."]
    if plan.notes:
        lines += ["", "Notes"] + [f"  - {n}" for n in plan.notes]
    return "\n".join(clean(l) for l in lines) + "\n"
