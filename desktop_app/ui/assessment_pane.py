"""The live assessment pane: Summary and recommendations (§12, the note's words), each criteria set,
red flags by tier, next steps and derived facts. A case with visits opens with the follow-up summary
of its latest visit first (§13.6, the follow-up note's words), then the first consultation's as above.

It recomputes `assess(doc.case)` on every document change and renders the result as a few rich-text
labels (one per section or criteria set), updating only the labels whose text changed: cheap enough
to run on every keystroke-level edit. What is missing is shown as links; clicking one emits
`missingClicked(path)` so the window can jump to that field. All text from the case or the
assessment is HTML-escaped before it becomes markup.
"""
from __future__ import annotations

import re
import sys
import traceback
from html import escape
from typing import TYPE_CHECKING, Optional, Sequence

from PySide6.QtCore import QTimer, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop_app.case.entry_checks import HEADING as CHECKS_HEADING
from desktop_app.case.labels import field_label, value_label
from desktop_app.case.models import Visit
from desktop_app.case.visits import visit_name
from desktop_app.case.sources import SOURCES, Source
from desktop_app.criteria.derived_rows import derived_rows
from desktop_app.criteria.red_flags import RED_FLAGS_WARNING, TIER_MEANING, points_to_words
from desktop_app.criteria.result_words import result_words
from desktop_app.criteria.summary import SUMMARY_HEADING, Summary, summarise
from desktop_app.criteria.types import TIERS, Assessment, CriteriaResult, Derived, RedFlag
from desktop_app.report.palette import RED_FLAG as FLAG_COLOUR
from desktop_app.report.palette import MUTED, STATUS_COLOURS
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.rich_text import RichText

if TYPE_CHECKING:  # the plan (and the course) are imported after the first frame: _load_plan
    from desktop_app.plan.visit_summary import VisitSummary

# Status shown in words, a symbol and a colour, so colour is never the only cue.
STATUS_SYMBOL = {"met": "✔", "not_met": "✘", "indeterminate": "?", "unknown": "?"}
INDETERMINATE_HINT = " — more data could change this"
PLAN_DELAY_MS = 250  # after the first frame: the plan module is not on the start path


def find_source(text: str) -> Optional[Source]:
    """The Source behind a result's `source` string (a key, a short name or a full citation)."""
    if text in SOURCES:
        return SOURCES[text]
    for s in SOURCES.values():
        if text in (s.short, s.citation) or (s.short and text.startswith(s.short)):
            return s
    return None


def _source_html(text: str, notes: tuple[str, ...] = ()) -> tuple[str, str]:
    """(small "Source" line, tooltip with the full citation and any caveat). The caveat is left
    off the line when a note already says it (the criteria set's notes repeat the spec's caveats)."""
    if not text:
        return "", ""
    src = find_source(text)
    short = src.short if src else text
    tip = src.citation if src else text
    caveat = src.caveat if src else ""
    line = f'<div style="color:{MUTED};font-size:small">Source: {escape(short)}'
    said = any(caveat[:30].lower() in n.lower() for n in notes)
    if caveat and not said:
        line += f" <i>[{escape(caveat)}]</i>"
    line += "</div>"
    return line, tip + (f"\n\nCaveat: {caveat}" if caveat else "")


def _missing_links(paths: list[str], verb: str = "Enter", checked: frozenset[str] = frozenset()) -> str:
    # A field that holds an entry to check (a date of birth after the encounter) is not missing:
    # it is listed under "Check these entries" instead.
    paths = [p for p in paths if p not in checked]
    by_label: dict[str, str] = {}  # one link per label: the same field of three lesions is one ask
    for p in paths:
        by_label.setdefault(field_label(p), p)
    links = ", ".join(f'<a href="missing:{escape(p, quote=True)}">{escape(label)}</a>'
                      for label, p in by_label.items())
    return f"{verb} {links} to decide" if paths else ""


# --- "Check these entries" (desktop_app/case/entry_checks.py) -------------------------------------
def _check_field(path: str, visits: Sequence[Visit]) -> str:
    """The field's label, and for a visit's field which visit: "Weight (kg) at the visit of … (V2)"."""
    found = re.match(r"visits\[(\d+)\]\.", path)
    if found and int(found.group(1)) < len(visits):
        return f"{field_label(path)} at {visit_name(visits[int(found.group(1))])}"
    return field_label(path)


def checks_html(checks: dict, visits: Sequence[Visit] = ()) -> str:
    """The cross-field checks as links to their fields; "" when there are none."""
    if not checks:
        return ""
    items = "".join(
        f'<li><a href="missing:{escape(path, quote=True)}">{escape(_check_field(path, visits))}</a>: '
        f"{escape(' '.join(c.message for c in found))}</li>" for path, found in checks.items())
    return (f'<div style="color:{FLAG_COLOUR}"><b>{escape(CHECKS_HEADING)}</b></div>'
            f"<ul style='margin-left:-20px'>{items}</ul>")


def _num(x: Optional[float]) -> str:
    return "—" if x is None else f"{x:g}"


def points_html(r: CriteriaResult) -> str:
    """Points (or the range still possible) against the threshold, for scores."""
    if r.points_min is None and r.points_max is None and r.points is None:
        return ""
    if r.points is not None or r.points_min == r.points_max:
        pts = f"<b>{_num(r.points if r.points is not None else r.points_min)}</b> points"
    else:
        pts = f"<b>{_num(r.points_min)}–{_num(r.points_max)}</b> points possible"
    threshold = escape(r.threshold_label) if r.threshold_label else (
        f"threshold {_num(r.threshold)}" if r.threshold is not None else "")
    return f"<div>{pts}{' · ' + threshold if threshold else ''}</div>"


def card_html(r: CriteriaResult, checked: frozenset[str] = frozenset()) -> tuple[str, str]:
    """Rich text and tooltip of one criteria-set card (`checked`: fields listed as entries to
    check, not as missing)."""
    # The set's own result words: the NBO score never reads just "Met" (§4).
    word = result_words(r) + (INDETERMINATE_HINT if r.status == "indeterminate" else "")
    symbol, colour = STATUS_SYMBOL.get(r.status, "?"), STATUS_COLOURS.get(r.status, "#000")
    parts = [
        f'<div><b style="font-size:large">{escape(r.name)}</b></div>',
        f'<div style="color:{MUTED}">{escape(value_label("criteria_kind", r.kind))}</div>',
        f'<div style="color:{colour};font-weight:bold">{symbol} {escape(word)}</div>',
        points_html(r),
    ]
    rows = []
    for item in r.items:
        sym, col = STATUS_SYMBOL.get(item.status, "?"), STATUS_COLOURS.get(item.status, "#000")
        pts = f" <span style='color:{MUTED}'>({_num(item.points)} pts)</span>" if item.points is not None else ""
        line = f'<span style="color:{col};font-weight:bold">{sym}</span> {escape(item.label)}{pts}'
        detail = escape(item.evidence) if item.evidence else ""
        if item.status == "unknown" and item.missing:
            links = _missing_links(item.missing, checked=checked)
            detail += (" — " if detail and links else "") + links
        if detail:
            line += f'<br/><span style="color:#444;font-size:small">&nbsp;&nbsp;&nbsp;&nbsp;{detail}</span>'
        rows.append(f"<li>{line}</li>")
    if rows:
        parts.append("<ul style='margin-left:-20px'>" + "".join(rows) + "</ul>")
    if r.missing and (links := _missing_links(r.missing, checked=checked)):
        parts.append(f"<div><b>Missing:</b> {links}</div>")
    for note in r.notes:
        parts.append(f'<div style="color:{MUTED};font-size:small"><i>Note: {escape(note)}</i></div>')
    source_line, tip = _source_html(r.source, tuple(r.notes))
    parts.append(source_line)
    return "".join(parts), tip




def summary_html(s: Summary) -> str:
    """The §12 summary in the same words as the note: headline, recommendations, differential,
    next review and contact. An urgent headline is red and bold (its text starts with "URGENT")."""
    colour = FLAG_COLOUR if s.urgent else "#1f3b5a"
    parts = [f"<div><b style='font-size:large'>{SUMMARY_HEADING}</b></div>",
             f'<div style="color:{colour};font-weight:bold">{"⚠ " if s.urgent else ""}{escape(s.headline)}</div>']
    if s.recommendations:
        parts.append("<div style='margin-top:6px'><b>Recommendations</b></div><ol style='margin-left:-20px'>"
                     + "".join(f"<li>{escape(r)}</li>" for r in s.recommendations) + "</ol>")
    rows = "".join(
        f"<tr><td>{escape(r.mimic)}</td><td>&nbsp;{escape(r.status)}</td>"
        f"<td>&nbsp;{escape('; '.join(r.flags)) if r.flags else '—'}</td></tr>" for r in s.differential)
    parts.append("<div style='margin-top:4px'><b>Differential</b></div><table cellspacing='0' cellpadding='1'>"
                 f"<tr style='color:{MUTED}'><td>Mimic</td><td>&nbsp;Recorded</td><td>&nbsp;Flags pointing to it</td></tr>"
                 f"{rows}</table>")
    parts.append(f"<div style='margin-top:4px'><b>Next review:</b> {escape(s.next_review)}</div>")
    parts.append(f"<div><b>Contact:</b> {escape(s.contact)}</div>")
    return "".join(parts)


FOLLOWUP_WAIT = "Follow-up summary of the latest visit: computing…"
FOLLOWUP_FAILED = ("The follow-up summary could not be computed for this case. Check the visits' "
                   "entries; the case itself is unaffected.")


def _followup_list(heading: str, items: list[str], empty: str, red: int = 0, red_heading: bool = False) -> str:
    """A part of the follow-up summary: its heading and items, or "heading: <empty words>"; the first
    `red` items (the urgent alerts) in the alert colour."""
    head = f'<b style="color:{FLAG_COLOUR}">{escape(heading)}</b>' if red_heading else f"<b>{escape(heading)}</b>"
    if not items:
        return f"<div style='margin-top:4px'>{head}: {escape(empty)}</div>"
    rows = "".join(f'<li style="color:{FLAG_COLOUR}">{escape(x)}</li>' if i < red else f"<li>{escape(x)}</li>"
                   for i, x in enumerate(items))
    return f"<div style='margin-top:4px'>{head}</div><ul style='margin-left:-20px'>{rows}</ul>"


def visit_summary_html(v: "VisitSummary") -> str:
    """The §13.6 summary of a visit in the follow-up note's words (the headings and empty-list words
    are plan/visit_summary.py's, which the note prints too): the heading with the visit's date, the
    note's title and the visit, the headline (red and bold when an urgent alert is raised), the
    follow-up alerts (urgent ones red), monitoring due, plan changes, the numbered recommendations
    and the next review."""
    from desktop_app.plan import visit_summary as w  # loaded by then (_show_followup)

    colour = FLAG_COLOUR if v.urgent else "#1f3b5a"
    when = v.date.isoformat() if v.date else "date not recorded"
    parts = [f"<div><b style='font-size:large'>{escape(w.SUMMARY_HEADING)} — visit of {escape(when)}</b></div>",
             f'<div style="color:{MUTED}">{escape(v.title)} — visit {escape(v.visit_id)}</div>',
             f'<div style="color:{colour};font-weight:bold">{"⚠ " if v.urgent else ""}{escape(v.headline)}</div>',
             _followup_list(w.ALERTS_HEADING, v.alerts, w.NO_ALERT, v.urgent_alerts, v.urgent),
             _followup_list(w.MONITORING_HEADING, v.monitoring, w.NO_MONITORING),
             _followup_list(w.CHANGES_HEADING.format(previous=v.previous), v.plan_changes, w.NO_CHANGE)]
    recs = ("<ol style='margin-left:-20px'>" + "".join(f"<li>{escape(r)}</li>" for r in v.recommendations)
            + "</ol>") if v.recommendations else f"<div>{escape(w.NO_RECOMMENDATION)}</div>"
    parts.append(f"<div style='margin-top:6px'><b>{escape(w.RECOMMENDATIONS_HEADING)}</b></div>{recs}")
    parts.append(f"<div style='margin-top:4px'><b>{escape(w.NEXT_REVIEW_HEADING)}:</b> {escape(v.next_review)}</div>")
    return "".join(parts)


FIRST_HEADING = "Diagnosis: the first consultation's findings ({date}), assessed now"
FIRST_NOTE = ("With the lesions, biopsies, treatments and mimics recorded since (as the follow-up note's "
              "diagnosis paragraph). The follow-up summary above is the one for this visit's plan and "
              "next review.")


def first_consultation_html(case) -> str:
    """The line between the follow-up summary and what the pane showed before issue 18: that is the
    diagnosis of §13.1 (the first consultation's symptoms and labs, the case's lists as they stand),
    not the first consultation's note, which reads the case without its visits."""
    when = case.encounter.date.isoformat() if case.encounter.date else "date not recorded"
    return (f"<hr/><div><b style='font-size:large'>{escape(FIRST_HEADING.format(date=when))}</b></div>"
            f'<div style="color:{MUTED}">{escape(FIRST_NOTE)}</div>')


def _flag_html(f: RedFlag) -> str:
    src = find_source(f.source)
    source_text = src.short if src else f.source
    colour = MUTED if f.addressed else FLAG_COLOUR
    html = (f'<li><b style="color:{colour}">{escape(f.label)}</b>'
            + (f' <i style="color:{MUTED}">— addressed: {escape(f.addressed_by or "")}</i>' if f.addressed else "")
            + f"<br/>{escape(f.evidence)}")
    pointed = points_to_words(f)
    if pointed:
        html += f"<br/><b>Points to:</b> {escape(pointed)}"
    html += (f"<br/><b>Action:</b> {escape(f.action)}"
             + (f'<br/><span style="color:{MUTED};font-size:small">Source: {escape(source_text)}</span>'
                if source_text else "") + "</li>")
    # Addressed: still part of the record, greyed, and it withholds nothing (§6).
    return f'<span style="color:{MUTED}">{html}</span>' if f.addressed else html


def flags_html(flags: list[RedFlag]) -> str:
    if not flags:
        return f'<div style="color:{STATUS_COLOURS["met"]}"><b>No red flags</b> in the data entered.</div>'
    parts = [f'<div style="color:{FLAG_COLOUR}"><b>⚠ Red flags ({len(flags)})</b></div>'
             f'<div>{escape(RED_FLAGS_WARNING)}</div>']
    for tier in TIERS:  # urgent, exclude first, caution (§6)
        in_tier = [f for f in flags if f.tier == tier]
        if in_tier:
            parts.append(f"<div><b>{escape(value_label('tier', tier))}</b> — {escape(TIER_MEANING[tier])}</div>"
                         "<ul style='margin-left:-20px'>" + "".join(_flag_html(f) for f in in_tier) + "</ul>")
    return "".join(parts)


def derived_html(d: Derived, next_steps: list[str]) -> str:
    parts = []
    if next_steps:
        parts.append("<div><b>Next steps</b></div><ul style='margin-left:-20px'>"
                     + "".join(f"<li>{escape(s)}</li>" for s in next_steps) + "</ul>")
    parts.append("<div><b>Derived facts</b></div><table cellspacing='0' cellpadding='1'>"
                 + "".join(f"<tr><td style='color:{MUTED}'>{escape(k)}</td><td>&nbsp;&nbsp;{escape(v)}</td></tr>"
                           for k, v in derived_rows(d)) + "</table>")
    for note in d.notes:
        parts.append(f'<div style="color:{MUTED};font-size:small"><i>{escape(note)}</i></div>')
    return "".join(parts)


class _Section(RichText):
    """One section of the pane: rich text whose links are missing-field paths."""

    def __init__(self, pane: "AssessmentPane"):
        super().__init__()
        self.linkActivated.connect(pane._link)

    def update_text(self, html: str, tooltip: str = "") -> None:
        self.setText(html)  # a no-op (no relayout, no repaint) when the text is unchanged
        if tooltip != self.toolTip():
            self.setToolTip(tooltip)


class AssessmentPane(QScrollArea):
    """Always-visible summary of `assess(doc.case)`; `missingClicked(path)` asks for a jump."""

    missingClicked = Signal(str)

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc
        self.assessment: Optional[Assessment] = None
        self.summary_words: Optional[Summary] = None
        self.followup_words: Optional[VisitSummary] = None  # the latest visit's (None without visits)
        self._plan_timer = QTimer(self, singleShot=True, interval=PLAN_DELAY_MS)
        self._plan_timer.timeout.connect(self._load_plan)
        self.setWidgetResizable(True)
        self.setMinimumWidth(340)
        self.setAccessibleName("Assessment")
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel("<b style='font-size:x-large'>Assessment</b>")
        self._layout.addWidget(heading)
        # A case with visits: the latest visit's follow-up summary first, then a line saying what
        # the summary below it reads (the diagnosis as assessed now, §13.1). Hidden without visits (the pane as before).
        self.followup = _Section(self)
        self.followup.setAccessibleName("Follow-up summary of the latest visit")
        self._layout.addWidget(self.followup)
        self.first_heading = _Section(self)
        self.first_heading.setAccessibleName("Diagnosis as assessed now")
        self._layout.addWidget(self.first_heading)
        for w in (self.followup, self.first_heading):
            w.setVisible(False)
        self.summary = _Section(self)
        self.summary.setAccessibleName(SUMMARY_HEADING)
        self._layout.addWidget(self.summary)
        self.checks = _Section(self)  # entries to check (cross-field checks), hidden when none
        self.checks.setAccessibleName(CHECKS_HEADING)
        self._layout.addWidget(self.checks)
        self.flags = _Section(self)
        self.flags.setAccessibleName("Red flags")
        self._layout.addWidget(self.flags)
        self._cards: dict[str, _Section] = {}
        self._cards_layout = QVBoxLayout()
        self._layout.addLayout(self._cards_layout)
        self.derived = _Section(self)
        self.derived.setAccessibleName("Next steps and derived facts")
        self._layout.addWidget(self.derived)
        self._layout.addStretch(1)
        self.setWidget(body)
        doc.changed.connect(self.refresh)
        self.refresh("")

    def _link(self, href: str) -> None:
        if href.startswith("missing:"):
            self.missingClicked.emit(href[len("missing:"):])

    def refresh(self, _path: str = "") -> None:
        try:
            import desktop_app.criteria.assess  # noqa: F401 (a build without the engine says so below)
        except ModuleNotFoundError as exc:
            if exc.name != "desktop_app.criteria.assess":
                raise
            self.summary.update_text("<i>The criteria engine is not available in this build.</i>")
            return
        try:
            assessment = self.doc.results.assessment(self.doc.case)  # shared with the other views
        except Exception:  # never take the window down: say so, keep the trace for the log
            traceback.print_exc()
            self.assessment = None
            self.summary.update_text(f'<b style="color:{FLAG_COLOUR}">The assessment could not be computed '
                                     "for this case. Check the entries; the case itself is unaffected.</b>")
            return
        self.show_assessment(assessment)

    def _first_line(self, a: Assessment) -> Optional[str]:
        """The plan's first-line treatment, in mode cno only: the summary proposes none otherwise
        (§8.0). The plan is not imported on the start path (the first frame must not wait for it):
        until it is, the summary shows without that line and a timer adds it just after."""
        if a.mode != "cno":
            return None
        if self.doc.case.visits and (self.followup_words is None or self.followup_words.mode != "cno"):
            # At follow-up the plan's mode governs treatment (§13.4: an urgent alert makes it
            # "workup"): no treatment is proposed under the follow-up summary when that summary
            # proposes none, or could not be computed (conservative).
            return None
        if "desktop_app.plan.build" not in sys.modules:
            self._plan_timer.start()
            return None
        from desktop_app.plan.first_line import first_line_text

        return first_line_text(self.doc.results.plan(self.doc.case))  # the plan of `a`'s case

    def _load_plan(self) -> None:
        import desktop_app.plan.build  # noqa: F401 (imported here, after the first frame)

        if self.doc.case.visits:
            import desktop_app.plan.visit_summary  # noqa: F401 (the course too: only with visits)
        if self.assessment is not None:
            self._show_followup()  # first: the summary below reads its mode
            self._show_summary(self.assessment)

    def _show_followup(self) -> None:
        """The latest visit's summary (§13.6) above the rest; nothing without visits. Like the first-
        line treatment, it waits for the plan module to be loaded after the first frame."""
        case = self.doc.case
        has_visits = bool(case.visits)
        for w in (self.followup, self.first_heading):
            w.setVisible(has_visits)
        if not has_visits:
            self.followup_words = None
            return
        self.first_heading.update_text(first_consultation_html(case))
        if "desktop_app.plan.visit_summary" not in sys.modules:
            self.followup_words = None
            self.followup.update_text(f'<i style="color:{MUTED}">{escape(FOLLOWUP_WAIT)}</i>')
            self._plan_timer.start()
            return
        try:
            found = self.doc.results.latest_visit(case)  # its course shared with the Visits tab
            words = found.summary if found is not None else None
        except Exception:  # never take the window down: say so, keep the trace for the log
            traceback.print_exc()
            self.followup_words = None
            self.followup.update_text(f'<b style="color:{FLAG_COLOUR}">{escape(FOLLOWUP_FAILED)}</b>')
            return
        self.followup_words = words
        self.followup.update_text(visit_summary_html(words) if words is not None else "")
        self.followup.setVisible(words is not None)

    def _show_summary(self, a: Assessment) -> None:
        self.summary_words = summarise(self.doc.case, a, self._first_line(a))
        self.summary.update_text(summary_html(self.summary_words))

    def show_assessment(self, a: Assessment) -> None:
        self.assessment = a
        self._show_followup()
        self._show_summary(a)
        checks = self.doc.checks()
        self.checks.update_text(checks_html(checks, self.doc.case.visits))
        self.checks.setVisible(bool(checks))
        checked = frozenset(checks)
        self.flags.update_text(flags_html(a.red_flags))
        for key, result in a.criteria.items():
            card = self._cards.get(key)
            if card is None:
                card = self._cards[key] = _Section(self)
                card.setFrameShape(QFrame.Shape.StyledPanel)
                card.setContentsMargins(6, 6, 6, 6)
                card.setAccessibleName(result.name)
                self._cards_layout.addWidget(card)
            card.update_text(*card_html(result, checked))
        for key in set(self._cards) - set(a.criteria):
            self._cards.pop(key).deleteLater()
        self.derived.update_text(derived_html(a.derived, a.next_steps))

    # Plain-text views for tests and accessibility checks.
    def card_text(self, criteria_id: str) -> str:
        card = self._cards.get(criteria_id)
        return card.text() if card else ""

    def visible_text(self) -> str:
        """What the reader sees, section by section, as plain text (link hrefs are not in it)."""
        sections = [self.summary, *self._cards.values(), self.flags, self.derived]
        if self.followup.isVisibleTo(self):
            sections = [self.followup, self.first_heading, *sections]
        return "\n".join(w.accessibleDescription() for w in sections)
