"""The plan sections: treatment plan with doses, CTP eligibility, prognosis and follow-up, ICD-10
codes, references and the signature block. Renders the `Plan` object; nothing is recomputed."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from desktop_app.case.models import Case
from desktop_app.case.sources import SOURCES
from desktop_app.plan.build import CODES_WITHHELD
from desktop_app.plan.types import AMOUNT_CHECK_LEAD, VERIFY_FORMULARY, DoseLine, Plan, PlanLine
from desktop_app.report import palette
from desktop_app.report.references import Citations
from desktop_app.report.styles import (
    CELL, MUTED, REFERENCE, SMALL, bullet, esc, gap, heading, markup, para, status_markup, table,
)
from desktop_app.report.template import CONTENT_W
from desktop_app.report.text import NOT_RECORDED, label, number

WORKUP_FIRST = "Work-up first: CNO treatment is not proposed until it is done"
WORKUP_OUTSTANDING = "Work-up still outstanding"
# Mode alternative_diagnosis: the list holds only urgent actions, and no CNO treatment follows it.
ALTERNATIVE_FIRST = "Act first: CNO work-up and treatment do not apply"


def _dose_table(doses: list[DoseLine], weight: float | None, cite: Citations) -> Table:
    for_weight = f"For {number(weight)} kg" if weight else "Computed dose"
    rows: list[list[object]] = [["Drug", "Dose per kg", for_weight, "Maximum", "Schedule", "Source"]]
    checked: list[int] = []  # the rows of the weight's checks, each under its amount (§8 v3, §13.3 v4)
    for d in doses:
        rows.append([d.drug, d.per_kg, d.amount_text(), d.maximum or "—", d.schedule or "—",
                     cite.cite(d.source) or "—"])
        if d.amount_check():
            checked.append(len(rows))
            rows.append([markup(f'<font color="{palette.ATTENTION}"><b>{esc(AMOUNT_CHECK_LEAD)}:</b></font> '
                                f"{esc(d.amount_check())}.", CELL), "", "", "", "", ""])
    # A dose row is never split across pages (a drug's amount and its maximum stay together); the source
    # column fits the one DOI among the short names on one line (tests/report/test_note_v3.py).
    t = table(rows, [CONTENT_W * w for w in (0.13, 0.16, 0.21, 0.16, 0.15, 0.19)], split_rows=False)
    # A check spans the row under its amount, and never goes to another page than the amount.
    t.setStyle(TableStyle([c for r in checked for c in (("SPAN", (0, r), (-1, r)), ("NOSPLIT", (0, r - 1), (-1, r)))]))
    return t


def _before_starting(doses: list[DoseLine], cite: Citations) -> list[Flowable]:
    out = []
    for d in doses:
        if d.before_starting:
            src = f" ({cite.cite(d.before_starting_source)})" if d.before_starting_source else ""
            out.append(para(f"Before starting {d.drug.lower()}: {'; '.join(d.before_starting)}{src}.", SMALL))
    return out


def _plan_line(line: PlanLine, weight: float | None, cite: Citations) -> list[Flowable]:
    text = line.shown_text
    # An edited line prints the clinician's wording only: no original wording or doses beside it.
    head = f"<b>{esc(line.step)}</b> ({esc(line.status_words)}): {esc(text)}"
    block: list[Flowable] = [markup(head)]
    if line.reason:
        block.append(para(line.shown_reason, SMALL))
    if line.source and line.source.strip() not in ("—", "-"):
        block.append(para(f"Source: {cite.cite(line.source)}", SMALL))
    doses = line.shown_doses
    if doses:
        block.append(gap(1))
        block.append(_dose_table(doses, weight, cite))
        block += _before_starting(doses, cite)
        notes = sorted({d.note for d in doses if d.note} | {VERIFY_FORMULARY})
        block.append(markup("<b>" + esc("; ".join(n[:1].upper() + n[1:] for n in notes)) + ".</b>", SMALL))
    block.append(gap(2))
    return [KeepTogether(block[:2]), *block[2:]]


def _workup(plan: Plan) -> list[Flowable]:
    if not plan.workup:
        return []
    title = {"cno": WORKUP_OUTSTANDING, "alternative_diagnosis": ALTERNATIVE_FIRST}.get(plan.mode, WORKUP_FIRST)
    out: list[Flowable] = [heading(title, 3)]
    out += [bullet(esc(step)) for step in plan.workup]
    out.append(gap(1))
    return out


def plan_section(case: Case, plan: Plan, cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("Treatment plan")]
    # At follow-up the amounts are for the latest recorded weight (§13.1), said with its date.
    weight = plan.weight_used.kg if plan.at_follow_up and plan.weight_used else case.patient.weight_kg
    if plan.weight_words():
        out.append(para(plan.weight_words(), SMALL))
    elif any(d.amount is not None for line in plan.lines for d in line.doses):
        out.append(para(f"Weight used for doses: {number(weight)} kg", SMALL))
    elif weight is None and plan.mode == "cno":
        out.append(para("No weight recorded: doses are not calculated. Record the weight to see them.", SMALL))
    out.append(gap(1))
    out += _workup(plan)
    kept = [line for line in plan.lines if line.decision != "removed"]
    removed = len(plan.lines) - len(kept)
    for line in kept:
        out += _plan_line(line, weight, cite)
    if removed:
        out.append(para(f"{removed} proposed line(s) removed by the clinician are not printed.", SMALL))
    if not plan.lines:
        out.append(para("No treatment line is proposed for the recorded data."))
    out += [markup(f"<i>Note:</i> {esc(n)}", SMALL) for n in plan.notes]
    if plan.ctp_checklist():
        out.append(heading("Eligibility for a CARRA consensus treatment plan", 3))
        rows: list[list[object]] = [["Criterion", "Status", "Evidence / what would decide it"]]
        for item in plan.ctp_checklist():
            evidence = item.evidence
            if item.missing:
                evidence += ("; " if evidence else "") + "missing: " + ", ".join(label(p) for p in item.missing)
            rows.append([item.label, markup(status_markup(item.status), CELL), evidence])
        out.append(table(rows, [CONTENT_W * w for w in (0.42, 0.12, 0.46)]))
        out.append(para(f"Source: {cite.cite(SOURCES['zhao2018'].short)} (Table 1).", SMALL))
    return out


def prognosis_section(plan: Plan, cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("Prognosis and follow-up")]
    if plan.prognosis_withheld:  # §9: only in mode cno
        out.append(para(plan.prognosis_withheld))
        return out
    for title, lines in (("Prognosis", plan.prognosis), ("Follow-up", plan.follow_up)):
        out.append(heading(title, 3))
        if not lines:
            out.append(para("Nothing to add for the recorded data."))
        for line in lines:
            src = f' <font size="7.5" color="#555555">({esc(cite.cite(line.source))})</font>' if line.source else ""
            out.append(bullet(esc(line.text) + src))
    return out


def icd10_section(plan: Plan, cite: Citations) -> list[Flowable]:
    """The codes of the Plan (§10: the plan carries them only in mode cno)."""
    out: list[Flowable] = [heading("Code suggestion (ICD-10-CM)")]
    if not plan.codes:
        out.append(para(CODES_WITHHELD))
        return out
    rows: list[list[object]] = [["Code", "Description", "Why"]]
    for c in plan.codes:
        rows.append([c.code, c.label, c.note])
    out.append(table(rows, [CONTENT_W * w for w in (0.12, 0.43, 0.45)]))
    cite.cite_key("icd10cm")
    orpha = cite.cite_key("orphanet")
    out.append(para(f"{orpha.short} [{orpha.caveat.rstrip('.').lower()}]. A suggestion only: "
                    "check the code against the record and your coding rules.", SMALL))
    return out


def references_section(cite: Citations) -> list[Flowable]:
    out: list[Flowable] = [heading("References")]
    for n, src in enumerate(cite.sources, start=1):
        text = f"{n}. {esc(src.citation)}"
        if src.caveat:
            text += f" <i>[{esc(src.caveat.rstrip('.'))}]</i>"
        out.append(markup(text, REFERENCE))
    for n, text in enumerate(cite.unmatched, start=len(cite.sources) + 1):
        out.append(para(f"{n}. {text}", REFERENCE))
    return out


def signature_section(case: Case) -> list[Flowable]:
    rows = [[markup("<b>Clinician</b>"), "", markup("<b>Signature</b>"), "", markup("<b>Date</b>")],
            [para(case.encounter.clinician or ""), "", "", "", ""]]
    w = CONTENT_W
    t = Table(rows, colWidths=[w * 0.36, w * 0.04, w * 0.34, w * 0.04, w * 0.22], rowHeights=[None, 12 * mm],
              hAlign="LEFT")
    # Lines to write on, under the name, signature and date cells.
    t.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           *[("LINEBELOW", (c, 1), (c, 1), 0.6, MUTED) for c in (0, 2, 4)]]))
    return [KeepTogether([heading("Signature"), gap(2), t])]


__all__ = ["plan_section", "prognosis_section", "icd10_section", "references_section",
           "signature_section", "NOT_RECORDED"]
