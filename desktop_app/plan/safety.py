"""Safety holds of the plan that read the course (clinical-rules.md §8.3 v4, §13.7 items 4, 10, 17).

- Under 2 years (age at the reference date), steps 2 and 3 show no amount and are not proposed.
- A second-line drug whose latest course stopped for an adverse event is not proposed again; the
  adverse events of the first visit on or after the end date are quoted.
- A re-exclusion alert asks for the bone marrow again.
Pure.
"""
from __future__ import annotations

from desktop_app.case.models import Case, Treatment
from desktop_app.case.visits import ordered_visits
from desktop_app.course.timeline import drug_key
from desktop_app.course.types import Alert
from desktop_app.plan.now import Now
from desktop_app.plan.types import DrugState

# §8.3 v4, verbatim.
UNDER_TWO_CTP = ("under 2 years: a specialist centre's decision (etanercept and adalimumab are licensed from "
                 "2 years; no CNO series at this age)")


def adverse_events_after(case: Case, t: Treatment) -> str:
    """§13.7 item 6: the adverse events recorded at the first visit on or after the course's end ("" when
    none is recorded, or the end date is not)."""
    if t.end_date is None:
        return ""
    v = next((v for v in ordered_visits(case) if v.date >= t.end_date), None)
    return v.adverse_events.strip() if v is not None else ""


def stopped_for_adverse_event(case: Case, t: Treatment, restart: str) -> str:
    """"stopped <date> for an adverse event (<events>): <restart>" (§8.1 v4, §8.3 v4)."""
    when = t.end_date.isoformat() if t.end_date else "(end date not recorded)"
    events = adverse_events_after(case, t)
    return f"stopped {when} for an adverse event{f' ({events})' if events else ''}: {restart}"


def _latest_course(case: Case, generic: str) -> Treatment | None:
    courses = [t for t in case.treatments if drug_key(t.drug) == generic]
    dated = [t for t in courses if t.start_date is not None]
    if dated:
        return max(dated, key=lambda t: t.start_date)
    return courses[-1] if courses else None


def adverse_event_states(case: Case, now: Now, drugs: list[str]) -> list[DrugState]:
    """§8.3 v4: each second-line drug whose latest course stopped for an adverse event, not proposed again
    (a stop reason without an end date blocks too, item 37). The other options are unaffected."""
    current = {drug_key(t.drug) for t in now.current}
    out = []
    for g in drugs:
        t = _latest_course(case, g)
        if t is not None and t.stop_reason == "adverse_event" and g not in current:
            words = stopped_for_adverse_event(case, t, "re-starting it is the clinician's decision")
            out.append(DrugState(generic=g, status="not_proposed", reason=f"not proposed: {words}"))
    return out


def reexclusion_alerts(now: Now) -> list[Alert]:
    """The alerts that need malignancy excluded again (§13.7 item 10)."""
    return [a for a in now.alerts if a.needs_reexclusion]


# §13.1 v4: "where an urgent alert's action says 'no glucocorticoid or NSAID before it' (blasts, fu_blasts,
# and the §6 urgent flags that say so), a current NSAID or glucocorticoid reads 'withhold now: <the alert>'".
_FORBIDS = (("no glucocorticoid or nsaid before it", ("naproxen", "ibuprofen", "prednisone")),
            ("no glucocorticoid before it", ("prednisone",)))


def flag_holds(flags) -> list[Alert]:
    """The §6 urgent flags (not addressed) whose action forbids an NSAID or a glucocorticoid, as holds."""
    out = []
    for f in flags:
        if f.tier != "urgent" or f.addressed:
            continue
        action = f.action.lower()
        holds = next((h for words, h in _FORBIDS if words in action), None)
        if holds:
            out.append(Alert(id=f.id, tier="urgent", label=f.label, evidence=f.evidence, action=f.action,
                             source=f.source, holds=list(holds)))
    return out
