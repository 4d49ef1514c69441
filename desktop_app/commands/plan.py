"""`crmo-consult plan CASE [--json]`: the treatment plan as readable text or as JSON
("Plan output" in assessment-output.md) — the same Plan the Plan tab and the note render,
clinician edits applied.

Exit 0 whenever the case was read (whatever the plan), 2 with one stderr line when it was not.
"""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.commands.case_output import print_case_result
from desktop_app.plan.types import Plan, PlanLine
from desktop_app.storage.errors import escape_controls

# The mode's words (labels, as the pane and the note say them) and what it means for the plan.
_MODE_CONSEQUENCE = {"cno": "", "workup": "; no CNO treatment is proposed",
                     "alternative_diagnosis": "; CNO criteria and treatment do not apply"}


def mode_words(mode: str, at_follow_up: bool = False) -> str:
    if at_follow_up and mode == "workup":  # §13.4: the diagnosis may stand; the visit needs a work-up
        from desktop_app.plan.visit_summary import HEADLINE_WORKUP

        return HEADLINE_WORKUP + _MODE_CONSEQUENCE[mode]
    return labels.value_label("mode", mode) + _MODE_CONSEQUENCE[mode]


def run(args) -> int:
    from desktop_app.criteria.assess import assess
    from desktop_app.plan.build import plan as build_plan
    from desktop_app.plan.output import plan_to_json

    return print_case_result(args, lambda case: build_plan(case, assess(case)), plan_to_json, render_text)


def _line(line: PlanLine) -> list[str]:
    out = [f"* {line.step} ({line.status_words}): {line.shown_text}"]
    if line.decision == "edited" and line.edited_text and line.edited_text != line.text:
        out.append(f"    originally proposed: {line.text}")
    if line.reason:
        out.append(f"    {line.shown_reason}")
    if line.source:
        out.append(f"    source: {line.source}")
    for d in line.doses:
        out.append(f"    - {d.one_line()}")
        if d.check_line():
            out.append(f"      {d.check_line()}")
        if d.before_starting:
            src = f" (source: {d.before_starting_source})" if d.before_starting_source else ""
            out.append(f"      before starting: {'; '.join(d.before_starting)}{src}")
    return out


def render_text(plan: Plan) -> str:
    lines = [mode_words(plan.mode, plan.at_follow_up), ""] + ([plan.weight_words(), ""] if plan.weight_words() else [])
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
    # Free text (an edited plan line) is printed with control characters escaped, as `evaluate` does.
    return "\n".join(escape_controls(l) for l in lines) + "\n"
