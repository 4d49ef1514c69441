"""The plan at follow-up (clinical-rules.md §13.1, §13.4): what the visits change in a built plan.

- An urgent follow-up alert makes the plan's mode `workup`: every treatment line is held back with that
  reason and the alert's action opens the work-up (§13.4). The adult rule of §8.0 (c) reads the age at the
  reference date.
- An act alert holds back the drugs it names ("not proposed while <alert>").
- A drug the patient is on at the reference date is `current` ("on <drug> since <date> (<n> weeks)"),
  with the amount for today's weight beside the recorded dose; the other first-line NSAIDs, or the other
  step-3 options, are not proposed while an NSAID, or a second-line drug, is current. A current drug
  the app would hold back shows no amount and says "review now: <why>".
Pure; a case without visits never reaches this module.
"""
from __future__ import annotations

from typing import Optional

from desktop_app.case.labels import lower_first
from desktop_app.case.models import Case, Treatment
from desktop_app.course.drugs import drug_group
from desktop_app.course.timeline import drug_key, weeks_on
from desktop_app.course.types import Alert
from desktop_app.criteria.gate import ADULT_MALIGNANCY
from desktop_app.plan.now import Now
from desktop_app.plan.types import DrugState, PlanLine

TREATMENT_KINDS = ("first_line", "glucocorticoid", "second_line")  # assessment-output.md: only these are held
SECOND_LINE_CLASSES = ("dmard", "tnf_inhibitor", "bisphosphonate")  # §13.1
SECOND_LINE_CHANGE = "a change of second-line treatment is the clinician's decision"


def urgent_reason(alerts: list[Alert]) -> str:
    """§13.4: why every line is held when an urgent follow-up alert is raised ("" when none is)."""
    urgent = [a for a in alerts if a.tier == "urgent"]
    if not urgent:
        return ""
    found = "; ".join(lower_first(a.evidence) for a in urgent)  # the evidence names the finding and its visit
    return f"an urgent finding at follow-up: {found}"


def follow_up_mode(case: Case, now: Now, mode: str) -> tuple[str, str]:
    """The plan's mode at follow-up and, when follow-up made it `workup`, why (in words)."""
    urgent = urgent_reason(now.alerts)
    if urgent:
        return "workup", urgent
    if mode == "cno" and now.adult and case.mimics.malignancy is not False:
        return "workup", f"{ADULT_MALIGNANCY} (age at {now.date.isoformat()})"  # §8.0 (c) at the reference date
    return mode, ""


def _since(t: Treatment, now: Now) -> str:
    weeks = weeks_on(t, now.date)
    dose = f"; recorded dose {t.dose}" if t.dose.strip() else ""
    return f"on {drug_key(t.drug) or t.drug} since {t.start_date.isoformat()} ({weeks:g} weeks{dose})"


def _blocking(line: PlanLine, now: Now) -> Optional[str]:
    """Why the line's other drugs are not proposed while the patient is on a drug of its group, or None."""
    if line.kind == "first_line" and line.id == "nsaid":
        on = [t for t in now.current if drug_group(t) == "nsaid"]
        if on:
            return f"on {drug_key(on[0].drug) or on[0].drug}"
    if line.kind == "second_line":
        on = [t for t in now.current if t.drug_class in SECOND_LINE_CLASSES or
              drug_group(t) in ("methotrexate", "sulfasalazine", "tnf_inhibitor", "bisphosphonate")]
        if on:
            return f"{_since(on[0], now)}: {SECOND_LINE_CHANGE}"
    return None


def _held_words(reason: str) -> str:
    """A held line's reason as the words after "review now:": "not proposed: X" → "X"; "not proposed until
    …" → "it would not be proposed until …" (the patient is on it, so it is not "not proposed")."""
    if reason.startswith("not proposed: "):
        return reason.removeprefix("not proposed: ")
    if reason.startswith("not proposed"):
        return "it would " + reason.replace("not proposed", "not be proposed", 1)
    return reason


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:].rstrip(".") + "."


def apply_follow_up(line: PlanLine, now: Now) -> PlanLine:
    """The line with its drugs' follow-up states (current, held by an alert, not proposed while on
    another drug of its group); lines that are not treatment are unchanged."""
    if line.kind not in TREATMENT_KINDS:
        return line
    held_by, current = now.holds, now.on
    held_line = line.reason if line.status == "not_proposed" else ""
    blocking = _blocking(line, now)
    states: list[DrugState] = []
    for g in line.drugs:
        if g in current:
            # Every reason it would be held: the line's (the mode, a gate, a trigger) and an alert's.
            why = "; ".join(w for w in (_held_words(held_line) if held_line else "", held_by.get(g, "")) if w)
            states.append(DrugState(generic=g, status="current", reason=_since(current[g], now),
                                    review=f"review now: {why}" if why else ""))
        elif line.status == "not_proposed" and any(d in current for d in line.drugs):
            # The line shows as current: the other drugs keep the line's own reason for being held.
            states.append(DrugState(generic=g, status="not_proposed", reason=held_line))
        elif line.status == "proposed" and blocking is not None:
            states.append(DrugState(generic=g, status="not_proposed", reason=f"not proposed ({blocking})"))
        elif line.status == "proposed" and g in held_by:
            states.append(DrugState(generic=g, status="not_proposed", reason=f"not proposed while {held_by[g]}"))
    if not states:
        if line.status == "proposed" and blocking is not None:  # on a drug this line does not name
            return line.model_copy(update={"status": "not_proposed", "doses": [],
                                           "reason": f"not proposed ({blocking})"})
        return line
    by_drug = {s.generic: s for s in states}
    # Amounts only for what is proposed, or current and not under review (§13.1).
    doses = [d for d in line.doses
             if (s := by_drug.get(d.generic)) is None or (s.status == "current" and not s.review)]
    is_current = any(s.status == "current" for s in states)
    all_held = all(by_drug.get(g) is not None and by_drug[g].status == "not_proposed" for g in line.drugs)
    status = "current" if is_current else ("not_proposed" if all_held else line.status)
    words = [s.reason + (f"; {s.review}" if s.review else "") for s in states if s.status == "current"]
    held_for: dict[str, list[str]] = {}  # one sentence per reason, naming its drugs
    for s in states:
        if s.status == "not_proposed":
            held_for.setdefault(s.reason, []).append(s.generic)
    words += [f"{', '.join(drugs)}: {why}" for why, drugs in held_for.items()]
    reason = " ".join(_sentence(w) for w in words)
    if not is_current and not all_held:
        reason = f"{line.reason} {reason}".strip()
    return line.model_copy(update={"status": status, "reason": reason, "doses": doses if status != "not_proposed"
                                   else [], "drug_states": states})
