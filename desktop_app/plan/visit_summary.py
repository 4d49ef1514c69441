"""Summary and recommendations of a follow-up visit (clinical-rules.md §13.6): what the follow-up
note's first page and the assessment pane open with, in the same words.

Pure: built from `course(case)`, the assessment and the plan as of the visit (§13.1: an earlier
visit reads the case with the later visits left out) and the plan as of the previous point (for
"plan changes"). Never recomputes a clinical result.

Recommendations: §13.6 says "at most five" but not which. Conservative reading: the follow-up
alerts' actions first (urgent first, as the alerts
are ordered), then each drug the patient is on that the plan would hold back ("review now", §13.1), then
the tests due or overdue in one sentence, then re-weighing when the weight is more than 90 days old, then as §12 — the plan's work-up (the
next steps, §6), and in mode cno the highest proposed step, which keeps its place when the list is
full (as the §12 summary does) — but never in mode workup, nor beside an urgent alert.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional

from desktop_app.case import labels
from desktop_app.case.labels import lower_first
from desktop_app.case.models import Case
from desktop_app.case.visits import ordered_visits, visit_name
from desktop_app.course.build import course
from desktop_app.course.drugs import drug_group
from desktop_app.course.timeline import case_as_of, drug_key, is_current
from desktop_app.course.types import Course, Point
from desktop_app.course.words import activity_words
from desktop_app.criteria.assess import assess
from desktop_app.criteria.next_steps import blood_tests_in_one
from desktop_app.criteria.types import Assessment
# The §12 box's words and limit, shared: the follow-up note and the pane read them from here too.
from desktop_app.criteria.summary import (  # noqa: F401
    MAX_RECOMMENDATIONS, NO_RECOMMENDATION, REVIEW_WORKUP, SUMMARY_HEADING,
)
from desktop_app.plan.build import plan as build_plan
from desktop_app.plan.first_line import first_line_text
from desktop_app.plan.types import Plan, PlanLine

TITLE_CNO = "CRMO/CNO follow-up note"
TITLE_OTHER = "Bone pain follow-up note"
HEADLINE_CNO = "CRMO/CNO follow-up"
HEADLINE_OTHER = "Bone pain follow-up"
HEADLINE_WORKUP = f"{HEADLINE_OTHER} — work-up needed"
URGENT_HEADLINE = "{stem} — URGENT: {finding}"  # §13.7 item 34
# §13.7 item 24: the alerts that threaten the diagnosis itself (a re-exclusion not yet done too, item 34);
# the other alerts are about a drug's safety and change the headline, not the title.
DIAGNOSIS_THREATS = ("fu_blasts", "fu_severe_anaemia", "fu_bicytopenia", "fu_new_aggressive_lesion")
# §13.4 v4, §13.7 item 22: the next review with an alert standing.
REVIEW_ALERTS = "as the alerts require: {action}"
REVIEW_DATE_ALERTS = "{date} — the alerts require: {action}"
# §13.6: the 3-monthly assessments of Beck 2010 and Schnabel 2017.
REVIEW_CNO = "in about 3 months"
# The summary's headings and empty-list words: the note's first page and the pane print these (one wording).
ALERTS_HEADING, NO_ALERT = "Follow-up alerts", "none raised by the recorded data"
MONITORING_HEADING, NO_MONITORING = "Monitoring due", "no test due or overdue"
CHANGES_HEADING = "Plan changes since {previous}"  # previous: VisitSummary.previous
NO_CHANGE = "None"  # how renderers show an empty list of plan changes
RECOMMENDATIONS_HEADING = "Recommendations"
NEXT_REVIEW_HEADING = "Next review"
# A plan line's status in words (plan --json vocabulary; "current" since rules v3, §13.1).
STATUS_WORDS = {"proposed": "proposed", "not_proposed": "not proposed", "current": "current",
                "removed": "removed by the clinician",
                # §13.7 item 23: a current line held (its amount disappears) or released counts as a change.
                "current_held": "current, held (no amount: review now)",
                "current_withheld": "current, withhold now"}
NOT_IN_PLAN = "not in the plan"
WITHHOLD = "withhold now: "  # how the plan words a current drug an alert withholds (§13.7 items 4, 28)


@dataclass(frozen=True)
class VisitSummary:
    visit_id: str  # the visit the summary (and the note) is for
    date: Optional[dt.date]
    title: str  # "CRMO/CNO follow-up note" by the diagnosis (§13.7 item 24), otherwise "Bone pain follow-up note"
    headline: str  # by the plan's mode, e.g. "CRMO/CNO follow-up — active disease"; "… — URGENT: <finding>"
    urgent: bool = False  # an urgent follow-up alert is raised (shown first, in the alert colour)
    alerts: list[str] = field(default_factory=list)  # urgent first, then table order, in words
    monitoring: list[str] = field(default_factory=list)  # tests due or overdue, in words
    plan_changes: list[str] = field(default_factory=list)  # lines whose status differs from the previous point's
    recommendations: list[str] = field(default_factory=list)  # at most MAX_RECOMMENDATIONS
    next_review: str = ""
    mode: str = "workup"  # the plan's mode as of the visit (governs the title and headline)
    previous: str = ""  # the point plan changes are measured from: "the visit of 2027-01-11 (V1)"
    urgent_alerts: int = 0  # how many of `alerts` (the first ones) are urgent
    care: list[str] = field(default_factory=list)  # immunosuppression care (§13.6 v4), not a recommendation


def resolve_visit(case: Case, which: Optional[str]) -> Optional[str]:
    """The id of the visit `which` names: "latest" (or None) → the latest visit, "first" → None (the
    first consultation), else a visit id. None when the case has no visits. Raises ValueError with one
    sentence when `which` names no visit."""
    order = ordered_visits(case)
    if which in (None, "latest"):
        return order[-1].id if order else None
    if which == "first":
        return None
    for v in order:
        if v.id == which:
            return v.id
    known = ", ".join(v.id for v in order) or "none"
    raise ValueError(f"no visit has the id {which!r} (visits: {known})")


def threatens_diagnosis(alert) -> bool:
    """An alert that puts CNO itself in question (item 24), or a re-exclusion still needed (item 34)."""
    return alert.id in DIAGNOSIS_THREATS or alert.needs_reexclusion


def title_of(assessment: Assessment, c: Course) -> str:
    """§13.7 item 24: the title follows the diagnosis (the assessment's mode), not the plan's."""
    cno = assessment.mode == "cno" and not any(threatens_diagnosis(a) for a in c.alerts)
    return TITLE_CNO if cno else TITLE_OTHER


def alert_finding(alert) -> str:
    """"Severe neutropenia: neutrophils 0.6 ×10⁹/L at the visit of …" — the finding, once."""
    return f"{alert.label}: {alert.evidence}"


def headline(mode: str, point: Point, case: Case, assessment: Assessment, c: Optional[Course] = None) -> str:
    urgent = [a for a in (c.alerts if c is not None else []) if a.tier == "urgent"]
    if urgent:  # §13.6 v4, §13.7 item 34: the stem by the title rule, then the first urgent finding
        stem = HEADLINE_CNO if title_of(assessment, c) == TITLE_CNO else HEADLINE_OTHER
        return URGENT_HEADLINE.format(stem=stem, finding=alert_finding(urgent[0]))
    if mode == "cno":
        return f"{HEADLINE_CNO} — {lower_first(activity_words(point))}"
    if mode == "alternative_diagnosis":  # as §12
        from desktop_app.criteria.summary import headline as first_headline

        return first_headline(case, assessment)[0]
    return HEADLINE_WORKUP


def alert_words(c: Course) -> list[str]:
    """"Urgent: <label>: <evidence>", in course() order (urgent first, then table order)."""
    return [f"{labels.value_label('alert_tier', a.tier)}: {a.label}: {a.evidence}" for a in c.alerts]


def monitoring_words(c: Course) -> list[str]:
    """The tests due or overdue, e.g. "naproxen: ALT overdue (last 2026-01-05; every 6–12 months)"."""
    out = []
    for m in c.monitoring:
        if m.status == "up_to_date":
            continue
        last = f"last {m.last.isoformat()}" if m.last else "never recorded"
        out.append(f"{m.drug}: {m.test} {labels.value_label('monitoring_status', m.status).lower()} "
                   f"({last}; {m.interval})")
    return out


def _monitoring_sentence(c: Course) -> Optional[str]:
    """One recommendation for every test due or overdue, overdue first."""
    parts = []
    for status in ("overdue", "due"):
        by_drug: dict[str, list[str]] = {}
        for m in c.monitoring:
            if m.status == status:
                by_drug.setdefault(m.drug, []).append(m.test)
        if by_drug:
            tests = "; ".join(f"{', '.join(t)} ({d})" for d, t in by_drug.items())
            parts.append(f"{status}: {tests}")
    return ("Monitoring tests — " + "; ".join(parts) + ".") if parts else None


def _drug_status(line: PlanLine, drug: str) -> str:
    """A drug's status as plan --json gives it: the clinician's removal wins, then the drug's own state
    at follow-up (§13.1: current, or held back while the rest of the line stands), else the line's."""
    if line.decision == "removed":
        return "removed"
    state_of = getattr(line, "state_of", None)  # per-drug states: plans built at the reference date
    state = state_of(drug) if state_of is not None else None
    if state is None:
        return line.status
    if state.status == "current" and state.review:
        return "current_withheld" if state.review.startswith(WITHHOLD) else "current_held"
    return state.status


def _line_statuses(p: Plan) -> dict[tuple[str, str], tuple[str, str]]:
    """(line id, drug) → (name in words, status), one entry per drug as plan --json gives them."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    for line in p.lines:
        drugs = list(dict.fromkeys([*line.drugs, *(d.generic for d in line.doses if d.generic)]))
        if drugs:
            for d in drugs:
                out.setdefault((line.id, d), (d, _drug_status(line, d)))
        else:  # a line without a drug (physiotherapy, a school letter): its step and its words
            out[(line.id, "")] = (f"{line.step}: {_short(line.shown_text)}", line.final_status)
    return out


def _short(text: str, limit: int = 60) -> str:
    """The first sentence of a line's text, cut at a word within `limit` characters."""
    text = text.strip().split(". ")[0].rstrip(".")
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def plan_changes(before: Plan, now: Plan) -> list[str]:
    """"naproxen: proposed → current" for each drug (or line without a drug) whose status differs;
    the drugs of one line that change alike share a sentence. Three or more options of one line read as
    the line's choice ("Step 3: … (one of methotrexate, sulfasalazine, …): proposed → not proposed"), so
    the sentence never reads as if every option were proposed (GUI review 2026-12-05, item 13)."""
    old, new = _line_statuses(before), _line_statuses(now)
    steps = {line.id: line.step for line in [*before.lines, *now.lines]}
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for key in list(new) + [k for k in old if k not in new]:
        name = (new.get(key) or old[key])[0]
        a = STATUS_WORDS.get(old[key][1], old[key][1]) if key in old else NOT_IN_PLAN
        b = STATUS_WORDS.get(new[key][1], new[key][1]) if key in new else NOT_IN_PLAN
        if a != b and {a, b} != {NOT_IN_PLAN, STATUS_WORDS["not_proposed"]}:  # not proposed either way
            grouped.setdefault((key[0], a, b), []).append(name)
    out = []
    for (line_id, a, b), names in grouped.items():
        who = (f"{steps.get(line_id, 'one line')} (one of {', '.join(names)})" if len(names) >= 3
               and "current" not in (a + b) else ", ".join(names))
        out.append(f"{who}: {a} → {b}")
    return out


def _review_now(p: Plan) -> list[str]:
    """A drug the patient is on that the plan would hold back (§13.1 "review now"), one sentence each."""
    out = []
    for line in p.lines:
        for st in line.drug_states:
            if st.status == "current" and st.review and line.decision != "removed":
                if st.review.startswith(WITHHOLD):  # "Withhold methotrexate now (…): <alert>", not "Review … withhold"
                    out.append(f"Withhold {st.generic} now ({st.reason}): {st.review.removeprefix(WITHHOLD)}.")
                else:
                    out.append(f"Review {st.generic} now ({st.reason}): {st.review.removeprefix('review now: ')}.")
    return out


def _reweigh(p: Plan) -> list[str]:
    """§13.1: a weight more than 90 days old is said on every amount; once here, as an action."""
    w = p.weight_used
    if w is None or not w.stale or not p.at_follow_up:
        return []
    return [f"Re-weigh before prescribing: the latest weight ({w.kg:g} kg) is from {w.date.isoformat()}, "
            f"{w.days_before_reference} days before this visit."]


def recommendations(c: Course, p: Plan) -> list[str]:
    """The highest proposed step only in the plan's mode cno (never beside an urgent alert: §13.4 makes
    that plan a work-up)."""
    highest = first_line_text(p) if p.mode == "cno" else None
    room = MAX_RECOMMENDATIONS - (1 if highest else 0)
    recs: list[str] = []
    for a in c.alerts:  # urgent first (course order)
        recs.append(f"{a.label}: {a.action}")
    recs += _review_now(p)
    sentence = _monitoring_sentence(c)
    if sentence:
        recs.append(sentence)
    recs += _reweigh(p)
    recs += blood_tests_in_one(list(p.workup))  # as §12: the routine bloods as one recommendation
    recs = list(dict.fromkeys(recs))[:room]
    if highest:
        recs.append(highest)
    return recs


def next_review(case: Case, visit_id: Optional[str], mode: str, c: Optional[Course] = None) -> str:
    """The visit's next_review_date (None: the first consultation's), else by the mode; with an alert
    standing, what the first alert requires is said too (§13.4 v4, §13.7 item 22)."""
    if visit_id is None:
        when = case.encounter.next_review_date
    else:
        v = next((v for v in case.visits if v.id == visit_id), None)
        when = v.next_review_date if v is not None else None
    action = c.alerts[0].action if c is not None and c.alerts else None
    if when is not None:
        return REVIEW_DATE_ALERTS.format(date=when.isoformat(), action=action) if action else when.isoformat()
    if action:
        return REVIEW_ALERTS.format(action=action)
    return REVIEW_CNO if mode == "cno" else REVIEW_WORKUP


class Results:
    """Where visit_results gets a case's assessment, plan and course: computed on each call here. The
    window passes one that remembers them by the case's value (ui/results.py), so that one edit computes
    each once for the pane, the Visits tab and the chart; the results are the same either way."""

    def assessment(self, case: Case) -> Assessment:
        return assess(case)

    def plan(self, case: Case) -> Plan:
        return build_plan(case, self.assessment(case))

    def course(self, case: Case) -> Course:
        return course(case)


COMPUTED = Results()


def point_plan(case: Case, visit_id: Optional[str], results: Results = COMPUTED) -> tuple[Case, Assessment, Plan]:
    """The case as of `visit_id` (None: the first consultation), its assessment and its plan."""
    at = case_as_of(case, visit_id)
    return at, results.assessment(at), results.plan(at)


@dataclass(frozen=True)
class VisitResults:
    """What a visit's summary was built from, for the follow-up note (computed once, rendered there)."""

    summary: VisitSummary
    at: Case  # the case as of the visit (§13.1)
    assessment: Assessment
    plan: Plan
    course: Course


def visit_results(case: Case, visit_id: Optional[str] = None, results: Results = COMPUTED) -> Optional[VisitResults]:
    """As visit_summary, with the case, assessment, plan and course as of the visit it read."""
    vid = resolve_visit(case, "latest" if visit_id is None else visit_id)
    if vid is None:
        return None
    order = ordered_visits(case)
    index = [v.id for v in order].index(vid)
    visit = order[index]
    at, a, p = point_plan(case, vid, results)
    c = results.course(at)
    prev_id = order[index - 1].id if index > 0 else None
    _, _, before = point_plan(case, prev_id, results)
    n_urgent = sum(1 for al in c.alerts if al.tier == "urgent")
    mode = p.mode  # the plan's mode governs (§13.4: an urgent alert has made it workup)
    summary = VisitSummary(
        visit_id=vid, date=visit.date, title=title_of(a, c),
        headline=headline(mode, c.points[-1], at, a, c), urgent=n_urgent > 0, alerts=alert_words(c),
        monitoring=monitoring_words(c), plan_changes=plan_changes(before, p),
        recommendations=recommendations(c, p), next_review=next_review(case, vid, mode, c), mode=mode,
        previous="the first consultation" if prev_id is None else visit_name(order[index - 1]),
        urgent_alerts=n_urgent, care=immunosuppression_care(at, visit.date))
    return VisitResults(summary=summary, at=at, assessment=a, plan=p, course=c)


def visit_summary(case: Case, visit_id: Optional[str] = None, results: Results = COMPUTED) -> Optional[VisitSummary]:
    """The §13.6 summary of `visit_id` (None: the latest visit); None when the case has no visits.
    Raises ValueError (one sentence) when `visit_id` names no visit."""
    found = visit_results(case, visit_id, results)
    return None if found is None else found.summary


# ---- immunosuppression care (§13.6 v4, §13.7 items 25, 31): not one of the five recommendations -------
CARE_HEADING = "Immunosuppression care"
ACR_VACCINES = "ACR 2022 vaccination guideline: Bass AR et al. Arthritis Care Res 2023;75:449, doi:10.1002/acr.25045"
LIVE_VACCINES = "no live attenuated vaccines (ACR 2022 vaccination guideline)"
CARE_METHOTREXATE = ("folic or folinic acid (ACR 2021 JIA guideline)",
                     "contraception when pregnancy is possible (methotrexate label)", LIVE_VACCINES)
CARE_TNF = (LIVE_VACCINES, "fever or infection → same-day review",
            "latent tuberculosis re-screen after an exposure")
CARE_INFLUENZA = f"inactivated influenza vaccine every year ({ACR_VACCINES})"
CARE_GLUCOCORTICOID = ("no live vaccine during and for 1 month after prednisone ≥ 2 mg/kg/day or ≥ 20 mg/day for "
                       "≥ 14 days; chickenpox or measles contact → same-day advice (CDC General Best Practice "
                       "Guidelines for Immunization, altered immunocompetence)")
GLUCOCORTICOIDS = ("prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone")
CARE_MONTH_DAYS = 31  # "1 month after the course's end" (item 31), read as up to 31 days: conservative


def _kind(t) -> Optional[str]:
    if t.drug_class == "glucocorticoid" or (t.drug_class is None and drug_key(t.drug) in GLUCOCORTICOIDS):
        return "glucocorticoid"
    group = drug_group(t)
    return group if group in ("methotrexate", "tnf_inhibitor") else None


def immunosuppression_care(case: Case, when: Optional[dt.date]) -> list[str]:
    """"methotrexate: folic or folinic acid …" for the drugs current at `when`; a glucocorticoid's live-vaccine
    line also for one month after its end (item 31). Methotrexate's list is its own (folic acid is not a
    class effect): another DMARD gets none (conservative reading, the spec names methotrexate)."""
    if when is None:
        return []
    out: list[str] = []
    influenza = False
    for t in case.treatments:
        kind = _kind(t)
        current = is_current(t, when)
        name = drug_key(t.drug) or labels.value_label("drug_class", t.drug_class or "other").lower()
        if kind == "glucocorticoid":
            recent = (t.end_date is not None and t.start_date is not None and t.start_date <= when
                      and 0 <= (when - t.end_date).days <= CARE_MONTH_DAYS)
            if current or recent:
                out.append(f"{name}{'' if current else f' (stopped {t.end_date.isoformat()})'}: {CARE_GLUCOCORTICOID}")
            influenza |= current
        elif kind is not None and current:
            out += [f"{name}: {item}" for item in (CARE_METHOTREXATE if kind == "methotrexate" else CARE_TNF)]
            influenza = True
    if influenza:
        out.append(f"methotrexate, a TNF inhibitor or a glucocorticoid: {CARE_INFLUENZA}")
    return list(dict.fromkeys(out))


# ---- the no-visits exception (§13 v4, §13.7 item 14) ------------------------------------------------
@dataclass(frozen=True)
class OnTreatment:
    """What the first consultation's note adds for a patient referred already on treatment."""

    alerts: list[str]
    urgent_alerts: int
    monitoring: list[str]
    next_review: str


def on_treatment_at_first_consultation(case: Case, mode: str) -> Optional[OnTreatment]:
    """A case without visits whose patient is on a treatment at `encounter.date`: its drug alerts, monitoring
    and next review, as at a visit (reference date = encounter.date). None otherwise."""
    if case.visits or not any(is_current(t, case.encounter.date) for t in case.treatments):
        return None
    c = course(case)
    return OnTreatment(alerts=alert_words(c), urgent_alerts=sum(1 for a in c.alerts if a.tier == "urgent"),
                       monitoring=monitoring_words(c), next_review=next_review(case, None, mode, c))
