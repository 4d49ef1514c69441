"""`crmo-consult evaluate CASE [--json]`: the assessment as readable text or as JSON.

Exit 0 whenever the case was read (whatever the result), 2 with one stderr line when it was not.
"""
from __future__ import annotations

from desktop_app.case import labels, units
from desktop_app.commands.case_output import print_case_result
from desktop_app.criteria.derived_rows import derived_rows
from desktop_app.criteria.red_flags import RED_FLAGS_WARNING, points_to_words
from desktop_app.criteria.result_words import result_words
from desktop_app.criteria.types import Assessment, CriteriaResult, Derived
from desktop_app.storage.errors import escape_controls

ITEM_MARK = {"met": "[x]", "not_met": "[ ]", "unknown": "[?]"}


def run(args) -> int:
    from desktop_app.criteria.assess import assess, assessment_to_json

    return print_case_result(args, assess, assessment_to_json, render_text)


def _derived_lines(d: Derived) -> list[str]:
    lines = ["Derived facts"] + [f"  {label}: {value}" for label, value in derived_rows(d)]
    lines += [f"  note: {n}" for n in d.notes]
    return lines


def _set_lines(c: CriteriaResult) -> list[str]:
    head = f"{c.name}: {result_words(c).upper()}"
    if c.kind == "score":
        pts = (f"{units.fmt_number(c.points)} points" if c.points is not None else
               f"{units.fmt_number(c.points_min)}–{units.fmt_number(c.points_max)} points")
        head += f" ({pts}; {c.threshold_label})"
    lines = [head, f"  {labels.value_label('criteria_kind', c.kind)}; source: {c.source}"]
    for it in c.items:
        pts = f" [{units.fmt_number(it.points)} pts]" if it.points is not None else ""
        lines.append(f"  {ITEM_MARK[it.status]} {it.label}{pts}: {it.evidence}")
    if c.missing:
        lines.append("  missing: " + ", ".join(labels.field_label(p) + f" ({p})" for p in c.missing))
    lines += [f"  note: {n}" for n in c.notes]
    return lines


def render_text(a: Assessment) -> str:
    lines = [f"Mode: {labels.value_label('mode', a.mode)}"]
    lines += [f"  held back: {r}" for r in a.gate_reasons] + [""]
    lines += _derived_lines(a.derived) + [""]
    for c in a.criteria.values():
        lines += _set_lines(c) + [""]
    lines.append("Red flags" + (f" ({RED_FLAGS_WARNING})" if a.red_flags else ": none raised by the recorded data"))
    for f in a.red_flags:
        mark = "  (addressed)" if f.addressed else "  !"
        lines.append(f"{mark} {labels.value_label('tier', f.tier)}: {f.label}: {f.evidence}")
        lines.append(f"    points to: {points_to_words(f)}; action: {f.action} (source: {f.source})")
        if f.addressed:
            lines.append(f"    addressed: {f.addressed_by}")
    lines.append("")
    lines.append("Next steps" + ("" if a.next_steps else ": none"))
    lines += [f"  - {s}" for s in a.next_steps]
    # Free text (names, notes, evidence quoting them) must not drive the terminal: a newline,
    # ESC sequence or bidi override in a case file is printed as a visible escape.
    return "\n".join(escape_controls(line) for line in lines) + "\n"
