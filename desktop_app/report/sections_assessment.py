"""The assessment sections: derived facts, each criteria set, red flags and next steps.

Renders the `Assessment` object as the criteria engine produced it; nothing is recomputed here.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from desktop_app.case.labels import field_label, value_label
from desktop_app.criteria.derived_rows import derived_rows
from desktop_app.criteria.red_flags import RED_FLAGS_WARNING
from desktop_app.criteria.types import Assessment, CriteriaResult, Derived
from desktop_app.report.references import Citations
from desktop_app.report.styles import (
    CELL, SMALL, bullet, esc, gap, heading, key_value_table, markup, para, status_markup, table,
)
from desktop_app.report.template import CONTENT_W
from desktop_app.report.text import number


def derived_section(derived: Derived) -> list[Flowable]:
    out: list[Flowable] = [heading("Derived facts", 3), key_value_table(derived_rows(derived), CONTENT_W * 0.6, 0.45)]
    out += [bullet(esc(n), CELL) for n in derived.notes]
    return out


def _points_text(c: CriteriaResult) -> str:
    if c.points is not None:
        pts = f"{number(c.points)} points"
    elif c.points_min is not None or c.points_max is not None:
        pts = f"{number(c.points_min)}–{number(c.points_max)} points (range while data are missing)"
    else:
        return ""
    if c.threshold_label:
        pts += f"; threshold {c.threshold_label}"
    elif c.threshold is not None:
        pts += f"; threshold {number(c.threshold)}"
    return pts


def _missing_text(paths: list[str]) -> str:
    return ", ".join(dict.fromkeys(field_label(p) for p in paths))


def criteria_block(c: CriteriaResult, cite: Citations, lead: list[Flowable] = ()) -> list[Flowable]:
    head = markup(f"<b>{esc(c.name)}</b> — {esc(value_label('criteria_kind', c.kind).lower())}: {status_markup(c.status)}")
    out: list[Flowable] = [*lead, head]
    points = _points_text(c)
    if points:
        out.append(para(points))
    has_points = any(i.points is not None for i in c.items)
    header = ["Item", "Status", "Points", "Evidence / what would decide it"] if has_points else \
        ["Item", "Status", "Evidence / what would decide it"]
    rows: list[list[object]] = [header]
    for item in c.items:
        evidence = item.evidence or ""
        if item.missing:
            evidence += ("; " if evidence else "") + "missing: " + _missing_text(item.missing)
        status = markup(status_markup(item.status), CELL)
        row: list[object] = [item.label, status]
        if has_points:
            row.append(number(item.points, 0) if item.points is not None else "")
        row.append(evidence)
        rows.append(row)
    if c.items:
        widths = (0.33, 0.12, 0.08, 0.47) if has_points else (0.36, 0.12, 0.52)
        out.append(table(rows, [CONTENT_W * w for w in widths]))
    if c.missing:
        out.append(para("Data that could change the result: " + _missing_text(c.missing), SMALL))
    for note in c.notes:
        out.append(markup(f"<i>Note:</i> {esc(note)}", SMALL))
    if c.source:
        out.append(para(f"Source: {cite.cite(c.source)}", SMALL))
    out.append(gap(2.5))
    # Keep a set's title (and any lead-in heading) with its points line and table.
    keep = len(lead) + 3
    return [KeepTogether(out[:keep]), *out[keep:]] if len(out) > keep else out


def assessment_section(assessment: Assessment, cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("Assessment")]
    summary = "; ".join(f"{c.name}: {value_label('set_status', c.status).lower()}"
                        for c in assessment.criteria.values())
    out.append(para(summary))
    out.append(gap(1))
    out += derived_section(assessment.derived)
    lead = [heading("Criteria and scores", 3)]
    for result in assessment.criteria.values():
        out += criteria_block(result, cite, lead)
        lead = []
    return out


def red_flags_section(assessment: Assessment, cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("Red flags and next steps")]
    if assessment.red_flags:
        out.append(para(RED_FLAGS_WARNING))
        rows: list[list[object]] = [["Red flag", "Why (from the data)", "Action", "Source"]]
        for flag in assessment.red_flags:
            rows.append([flag.label, flag.evidence, flag.action, cite.cite(flag.source) or "—"])
        out.append(table(rows, [CONTENT_W * w for w in (0.22, 0.25, 0.33, 0.2)]))
    else:
        out.append(para("No red flag is raised by the recorded data (flags are raised only when the data show them)."))
    out.append(heading("Next steps", 3))
    if assessment.next_steps:
        out += [bullet(esc(step)) for step in assessment.next_steps]
    else:
        out.append(para("None suggested by the recorded data."))
    return out
