"""The assessment sections: derived facts, each criteria set, red flags and next steps.

Renders the `Assessment` object as the criteria engine produced it; nothing is recomputed here.
"""
from __future__ import annotations

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, TableStyle

from desktop_app.case.labels import field_label, value_label
from desktop_app.criteria.derived_rows import derived_rows
from desktop_app.criteria.red_flags import RED_FLAGS_WARNING, TIER_MEANING, points_to_words
from desktop_app.criteria.result_words import result_words
from desktop_app.criteria.summary import set_line
from desktop_app.criteria.types import TIERS, Assessment, CriteriaResult, Derived, RedFlag
from desktop_app.report import palette
from desktop_app.report.palette import STATUS_COLOURS
from desktop_app.report.references import Citations
from desktop_app.report.styles import (
    CELL, HEAD_BG, SMALL, bullet, esc, gap, heading, key_value_table, markup, para, status_markup, table,
)
from desktop_app.report.template import CONTENT_W
from desktop_app.report.text import number


NEXT_STEPS_POINTER = "The next steps (the work-up, in order) open the treatment plan below."

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


def result_markup(c: CriteriaResult) -> str:
    """The set's own result words (§4: the NBO score never reads just "met"), bold and coloured."""
    colour = STATUS_COLOURS.get(c.status, "#1a1a1a")
    return f'<font color="{colour}"><b>{esc(result_words(c).upper())}</b></font>'


def criteria_block(c: CriteriaResult, cite: Citations, lead: list[Flowable] = ()) -> list[Flowable]:
    head = markup(f"<b>{esc(c.name)}</b> — {esc(value_label('criteria_kind', c.kind).lower())}: {result_markup(c)}")
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
    out.append(para(set_line(assessment)))
    out.append(gap(1))
    out += derived_section(assessment.derived)
    lead = [heading("Criteria and scores", 3)]
    for result in assessment.criteria.values():
        out += criteria_block(result, cite, lead)
        lead = []
    return out


ADDRESSED = palette.MUTED  # greyed: still part of the record, but it withholds nothing (§6)


def _flag_row(flag: RedFlag, cite: Citations) -> list[object]:
    """One flag in words (label, never its id); an addressed flag greyed, with what addressed it."""
    name = f"<b>{esc(flag.label)}</b>"
    if flag.addressed:
        name += f"<br/><i>addressed: {esc(flag.addressed_by or '')}</i>"
    cells = [name, esc(flag.evidence), esc(points_to_words(flag)) or "—", esc(flag.action),
             esc(cite.cite(flag.source)) or "—"]
    if flag.addressed:
        cells = [f'<font color="{ADDRESSED}">{c}</font>' for c in cells]
    return [markup(c, CELL) for c in cells]


def tier_heading(tier: str) -> str:
    """E.g. "Urgent — act today; no CNO treatment"."""
    return f"{value_label('tier', tier)} — {TIER_MEANING[tier]}"


def red_flags_section(assessment: Assessment, cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("Red flags")]
    if assessment.red_flags:
        out.append(para(RED_FLAGS_WARNING))
        for tier in TIERS:  # urgent, exclude first, caution (§6)
            flags = [f for f in assessment.red_flags if f.tier == tier]
            if not flags:
                continue
            # The tier's words are the table's first row (repeated with the column names when the
            # table continues): a separate heading kept with the whole table left half pages blank.
            columns = [markup(f"<b>{c}</b>", CELL) for c in ("Red flag", "Why (from the data)", "Points to",
                                                             "Action", "Source")]
            rows: list[list[object]] = [[markup(f"<b>{esc(tier_heading(tier))}</b>"), "", "", "", ""], columns]
            rows += [_flag_row(f, cite) for f in flags]
            t = table(rows, [CONTENT_W * w for w in (0.19, 0.2, 0.17, 0.26, 0.18)])
            t.repeatRows = 2
            t.setStyle(TableStyle([("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 1), (-1, 1), HEAD_BG),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.white)]))
            out += [gap(2), t]
    else:
        out.append(para("No red flag is raised by the recorded data (flags are raised only when the data show them)."))
    # The next steps are printed once, where the treatment plan opens with them (§8.0).
    out.append(para(NEXT_STEPS_POINTER if assessment.next_steps else "No further work-up is suggested by the "
                    "recorded data."))
    return out
