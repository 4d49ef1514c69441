"""`crmo-consult course CASE [--json]`: the follow-up course as readable text or as JSON
("Course output" in assessment-output.md) — the same Course the Visits tab and the note render.

Exit 0 whenever the case was read, 2 with one stderr line when it was not.
"""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.case.units import fmt_number
from desktop_app.commands.case_output import print_case_result
from desktop_app.course.types import CHANGE_KEYS, Course, Point
from desktop_app.course.words import activity_words, change_words, fmt_measure
from desktop_app.storage.errors import escape_controls


def run(args) -> int:
    from desktop_app.course.build import course, course_to_json

    return print_case_result(args, course, course_to_json, render_text)


def _point_lines(p: Point) -> list[str]:
    when = p.date.isoformat() if p.date else "date not recorded"
    name = "First consultation" if p.visit is None else f"Visit {p.visit}"
    lines = [f"{name} ({when}): {activity_words(p)}"]
    values = [f"{labels.MEASURE_NAMES[k]} {fmt_measure(v)}" for k in CHANGE_KEYS if (v := p.value(k)) is not None]
    lines.append("  " + ("; ".join(values) if values else "no measures recorded"))
    if p.visit is not None:
        lines.append(f"  new lesions: {p.new_lesions}" + (
            f"; lesions not assessed on the MRI: {p.lesions_not_assessed}" if p.lesions_not_assessed else ""))
    own = [f"{what} {fmt_number(v)} {unit}" for what, v, unit in (
        ("weight", p.weight_kg, "kg"), ("height", p.height_cm, "cm"),
        ("highest temperature", p.max_temperature_c, "°C"))
        if v is not None]
    if own:
        lines.append("  " + "; ".join(own))
    if p.mri_not_comparable:
        lines.append(f"  MRI-active lesions not comparable: {p.mri_not_comparable}")
    if p.change_from_first:
        shown = [change_words(k, c, None, None) for k, c in p.change_from_first.items() if c is not None]
        if shown:
            lines.append("  since the first consultation: " + "; ".join(shown))
    for t in p.current_treatments:
        lines.append(f"  on {t.drug} since {t.since.isoformat()} ({fmt_number(t.weeks)} weeks)")
    return lines


def render_text(c: Course) -> str:
    ref = c.reference_date.isoformat() if c.reference_date else "not recorded"
    lines = [f"Course (reference date {ref})", ""]
    for p in c.points:
        lines += _point_lines(p) + [""]
    lines.append("Follow-up alerts" + ("" if c.alerts else ": none raised by the recorded data"))
    for a in c.alerts:
        lines.append(f"  ! {labels.value_label('alert_tier', a.tier)}: {a.label}: {a.evidence}")
        lines.append(f"    action: {a.action} (source: {a.source})")
        if a.holds:
            lines.append(f"    holds: {', '.join(a.holds)}")
    lines.append("")
    lines.append("Monitoring due" + ("" if c.monitoring else ": nothing to monitor for the current treatments"))
    for m in c.monitoring:
        last = m.last.isoformat() if m.last else "never recorded"
        lines.append(f"  {m.drug}: {m.test}: {labels.value_label('monitoring_status', m.status)} "
                     f"(last {last}; {m.interval}; source: {m.source})")
        if m.meaning_words:
            value = "" if m.value is None else f"{fmt_number(m.value)} {labels.unit_label(m.unit)}: "
            lines.append(f"    last value: {value}{m.meaning_words}")
    lines.append("")
    lines += [f"Note: {n}" for n in c.notes]
    # Free text (drug names, ids) must not drive the terminal: control characters print as escapes.
    return "\n".join(escape_controls(line) for line in lines) + "\n"
