"""The plan at the reference date (clinical-rules.md §13.1 v4, §13.4, §13.7): what the visits, and the
treatments current at the first consultation, change in a built plan.

- An urgent follow-up alert makes the plan's mode `workup`: every line is held back with that reason and
  the alert's action opens the work-up (§13.4). The adult clause of §8.0 (c) reads the age at the
  encounter (item 16): the assessment's mode already holds it, so it is not re-read here.
- An alert holds back the drugs its `holds` name, by class (items 8, 28, 29).
- Continuation (v4): a drug the patient is on is `current` and is held only by a safety reason (an alert
  that holds it: "withhold now: <alert>", a glucocorticoid "review now: … taper"; the plan's mode, its step's
  malignancy gate, under 2 years: "review now: <reason>"); otherwise it keeps its amount and says
  "continue". Every current drug has its line (item 7: by generic name, then by class).
Pure.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case.labels import lower_first
from desktop_app.case.models import Case, Treatment
from desktop_app.course.drugs import drug_group
from desktop_app.course.timeline import drug_key, weeks_on
from desktop_app.course.types import Alert
from desktop_app.plan.now import Now
from desktop_app.plan.types import DoseLine, DrugState, PlanLine

TREATMENT_KINDS = ("first_line", "glucocorticoid", "second_line")  # assessment-output.md: only these are held
SECOND_LINE_CHANGE = "a change of second-line treatment is the clinician's decision"


def urgent_reason(alerts: list[Alert], date: Optional[dt.date] = None) -> str:
    """§13.4: why every line is held when an urgent follow-up alert is raised ("" when none is):
    "an urgent finding at the visit of <date>" and the alerts' names. Their evidence is not repeated:
    it is printed once, with the alerts, and would otherwise fill every held line."""
    urgent = [a for a in alerts if a.tier == "urgent"]
    if not urgent:
        return ""
    where = f"at the visit of {date.isoformat()}" if date is not None else "at the first consultation"
    return f"an urgent finding {where}: " + "; ".join(lower_first(a.label) for a in urgent)


def follow_up_mode(case: Case, now: Now, mode: str) -> tuple[str, str]:
    """The plan's mode at follow-up and, when follow-up made it `workup`, why (in words)."""
    urgent = urgent_reason(now.alerts, now.date if now.follow_up else None)
    if urgent:
        return "workup", urgent
    return mode, ""  # §13.7 item 16: the adult clause of §8.0 (c) reads the encounter's age (the assessment's)


# §13.1 v4 continuation: what a current drug that no safety reason holds says.
CONTINUE = "continue"
CONTINUE_CTP = "continue: a CTP runs for 12 months (Zhao 2018); its review is the clinician's"
# §13.7 item 31 (BNF for Children, glucocorticoid withdrawal): on every current glucocorticoid line.
GC_TAPER = "review now: {alert} — taper per protocol, do not stop abruptly"
GC_WITHDRAWAL = "after 2 mg/kg/day or more for 1 week or longer, stop gradually (BNF for Children, " \
                "glucocorticoid withdrawal)"
REEXCLUSION = "not proposed until malignancy is excluded again: {alert}"
NO_DOSE = "no dose is given for {drug}: per local protocol"

# §13.7 item 7 and 29: the generic names each line's step stands for, and the drugs a class hold names.
NSAIDS = ("naproxen", "ibuprofen")
STEP3 = ("methotrexate", "sulfasalazine", "etanercept", "adalimumab", "infliximab", "pamidronate",
         "zoledronic acid")
GROUP_NAMES = {"nsaid": NSAIDS, "glucocorticoid": ("prednisone",), "methotrexate": ("methotrexate",),
               "sulfasalazine": ("sulfasalazine",), "tnf_inhibitor": ("etanercept", "adalimumab", "infliximab"),
               "bisphosphonate": ("pamidronate", "zoledronic acid")}
MALIGNANCY_GATED = ("prednisone",) + STEP3  # §8.2, §8.3: what a re-exclusion alert holds
STEP_AMOUNT_GLUCOCORTICOIDS = ("prednisone", "prednisolone")  # item 29: a step-2 amount only for these


def line_of(t: Treatment) -> Optional[tuple[str, str]]:
    """(plan line id, the line's drug name) a current treatment belongs to (§13.7 item 7): by generic name,
    then by class; None for `antibiotic`, `other` and unknown drugs (no line)."""
    key = drug_key(t.drug)
    if key in NSAIDS:
        return "nsaid", key
    if key in STEP_AMOUNT_GLUCOCORTICOIDS or key == "prednisone" or t.drug_class == "glucocorticoid":
        return "glucocorticoid", "prednisone"  # the step-2 line is current (prednisolone, methylprednisolone…)
    if key in STEP3:
        return "ctp", key
    group = drug_group(t)
    if group == "nsaid":
        return "nsaid", key
    if group in ("tnf_inhibitor", "bisphosphonate", "methotrexate", "sulfasalazine") or t.drug_class == "dmard":
        return "ctp", key
    return None


def group_names(t: Treatment) -> tuple[str, ...]:
    """The plan-line names an alert's `holds` must contain to hold this treatment (item 29: by class;
    leflunomide, a DMARD, is held like methotrexate)."""
    key = drug_key(t.drug)
    group = drug_group(t)
    if group is None and t.drug_class == "dmard":
        group = "methotrexate"
    if group is None and (t.drug_class == "glucocorticoid" or key in STEP_AMOUNT_GLUCOCORTICOIDS):
        group = "glucocorticoid"
    return (key,) + GROUP_NAMES.get(group or "", ())


def _since(t: Treatment, now: Now) -> str:
    weeks = weeks_on(t, now.date)
    dose = f"; recorded dose {t.dose}" if t.dose.strip() else ""
    return f"on {drug_key(t.drug) or t.drug} since {t.start_date.isoformat()} ({weeks:g} weeks{dose})"


def _blocking(line: PlanLine, now: Now) -> Optional[str]:
    """Why the line's other drugs are not proposed while the patient is on a drug of its group, or None."""
    on = [t for t in now.current if (lo := line_of(t)) is not None and lo[0] == line.id]
    if not on:
        return None
    if line.id == "nsaid":
        return f"on {drug_key(on[0].drug) or on[0].drug}"
    if line.kind == "second_line":
        return f"{_since(on[0], now)}: {SECOND_LINE_CHANGE}"
    return None


def held_words(reason: str) -> str:
    """A held line's reason as the words after "review now:": "not proposed: X" → "X"; "not proposed until
    …" → "it would not be proposed until …" (the patient is on it, so it is not "not proposed")."""
    if reason.startswith("not proposed: "):
        return reason.removeprefix("not proposed: ")
    if reason.startswith("not proposed"):
        return "it would " + reason.replace("not proposed", "not be proposed", 1)
    return reason


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def _alert_words(a: Alert) -> str:
    return f"{lower_first(a.label)} ({lower_first(a.evidence)})" if a.evidence else lower_first(a.label)


def holding_alert(names: tuple[str, ...], now: Now) -> Optional[Alert]:
    """The first alert whose `holds` names one of `names` (§13.7 items 8, 28, 29)."""
    return next((a for a in now.alerts if any(n in a.holds for n in names)), None)


def _is_reexclusion(a: Alert, names: tuple[str, ...]) -> bool:
    """The hold is the re-exclusion's (malignancy to be excluded again), not the alert's own drug hold."""
    return a.needs_reexclusion and any(n in MALIGNANCY_GATED for n in names)


def alert_hold_words(a: Alert, names: tuple[str, ...]) -> str:
    """Why a drug that is not current is not proposed while alert `a` holds it (§13.7 item 8)."""
    if _is_reexclusion(a, names):
        return REEXCLUSION.format(alert=_alert_words(a))
    return f"not proposed: {_alert_words(a)}"


def _current_state(g: str, t: Treatment, line: PlanLine, now: Now, safety: list[str]) -> DrugState:
    """§13.1 v4 continuation: a current drug is held only by a safety reason (an alert that holds it; the
    plan's mode not cno, its step's malignancy gate, under 2 years: `safety`); otherwise it continues."""
    names = group_names(t) + ((g,) if g not in group_names(t) else ())
    glucocorticoid = line.id == "glucocorticoid"
    review: list[str] = []
    alert = holding_alert(names, now)
    if alert is not None:
        if glucocorticoid:  # item 31: never "withhold now"
            review.append(GC_TAPER.format(alert=_alert_words(alert)))
        elif _is_reexclusion(alert, names):
            review.append("review now: it would " + REEXCLUSION.format(alert=_alert_words(alert))
                          .replace("not proposed", "not be proposed", 1))
        else:
            review.append(f"withhold now: {_alert_words(alert)}")
    review += [f"review now: {w}" for w in safety]
    reason = _since(t, now)
    if not review:
        reason += ": " + (CONTINUE_CTP if line.kind == "second_line" else CONTINUE)
    if glucocorticoid:
        reason += f"; {GC_WITHDRAWAL}"
    if not _amount_allowed(g, t):
        reason += f"; {NO_DOSE.format(drug=drug_key(t.drug) or t.drug)}"
    return DrugState(generic=g, status="current", reason=reason, review="; ".join(review))


def apply_follow_up(line: PlanLine, now: Now, safety: Optional[dict[str, list[str]]] = None,
                    amounts: Optional[dict[str, list[DoseLine]]] = None) -> PlanLine:
    """The line with its drugs' states at the reference date (current, held by an alert, not proposed while
    on another drug of its group); lines that are not treatment are unchanged. `safety`: drug → the safety
    reasons (besides alerts) that hold it, worked out by the plan (mode, malignancy gate, under 2 years);
    `amounts`: drug → its dose lines, for a current drug on a line that is held back (it keeps its amount)."""
    if line.kind not in TREATMENT_KINDS:
        return line
    safety = safety or {}
    current: dict[str, Treatment] = {}
    for t in now.current:
        lo = line_of(t)
        if lo is not None and lo[0] == line.id:
            current.setdefault(lo[1], t)
    drugs = list(line.drugs) + [g for g in current if g not in line.drugs]  # item 7: a class match gets its line
    held_line = line.reason if line.status == "not_proposed" else ""
    blocking = _blocking(line, now)
    states: list[DrugState] = []
    for g in drugs:
        if g in current:
            states.append(_current_state(g, current[g], line, now, safety.get(g, [])))
            continue
        alert = holding_alert((g,), now)
        if line.status == "not_proposed" and current:
            # The line shows as current: the other drugs keep the line's own reason for being held.
            states.append(DrugState(generic=g, status="not_proposed", reason=held_line))
        elif line.status == "proposed" and blocking is not None:
            states.append(DrugState(generic=g, status="not_proposed", reason=f"not proposed ({blocking})"))
        elif line.status == "proposed" and alert is not None:
            states.append(DrugState(generic=g, status="not_proposed", reason=alert_hold_words(alert, (g,))))
        elif line.status == "proposed" and g in safety:
            states.append(DrugState(generic=g, status="not_proposed", reason="not proposed: " + "; ".join(safety[g])))
    states += [s for s in line.drug_states if s.generic not in {x.generic for x in states}]
    if not states:
        return line
    by_drug = {s.generic: s for s in states}
    # Amounts only for what is proposed, or current and not held (§13.1 v4).
    doses = [d for d in line.doses if d.generic not in by_drug]
    for s in states:
        if s.status == "current" and not s.review and _amount_allowed(s.generic, current.get(s.generic)):
            doses += [d for d in line.doses if d.generic == s.generic] or (amounts or {}).get(s.generic, [])
    is_current = any(s.status == "current" for s in states)
    all_held = all(by_drug.get(g) is not None and by_drug[g].status == "not_proposed" for g in drugs)
    status = "current" if is_current else ("not_proposed" if all_held else line.status)
    words = [s.reason + (f"; {s.review}" if s.review else "") for s in states if s.status == "current"]
    held_for: dict[str, list[str]] = {}  # one sentence per reason, naming its drugs
    for s in states:
        if s.status == "not_proposed":
            held_for.setdefault(s.reason, []).append(s.generic)
    words += [f"{', '.join(drugs_)}: {why}" for why, drugs_ in held_for.items()]
    reason = " ".join(_sentence(w) for w in words)
    if not is_current and not all_held:
        reason = f"{line.reason} {reason}".strip()
    return line.model_copy(update={"status": status, "reason": reason, "drugs": drugs,
                                   "doses": doses if status != "not_proposed" else [], "drug_states": states})


def _amount_allowed(generic: str, t: Optional[Treatment]) -> bool:
    """A current drug keeps the line's amount only when it is that drug (prednisolone for the prednisone
    line, item 29); a class match (methylprednisolone, indometacin…) gets no amount."""
    if t is None:
        return True
    key = drug_key(t.drug)
    if generic == "prednisone":
        return key in STEP_AMOUNT_GLUCOCORTICOIDS
    return key == generic and generic in NSAIDS + STEP3
