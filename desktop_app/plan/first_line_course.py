"""The first line follows the course (clinical-rules.md §8.1 v4, §13.7 items 5, 6, 37).

The latest joined NSAID course decides, with precedence current > stopped for an adverse event >
failed > no sign of activity at follow-up; a current NSAID is the follow-up layer's (at_follow_up).
Pure.
"""
from __future__ import annotations

from typing import Literal

from desktop_app.case.models import Case
from desktop_app.course.timeline import drug_key, round_half_away
from desktop_app.plan.now import Now
from desktop_app.plan.nsaid_courses import is_nsaid, joined_nsaid_courses
from desktop_app.plan.safety import stopped_for_adverse_event

TRIAL_DAYS = 28  # §8.3 (i)

Status = Literal["proposed", "not_proposed"]


def nsaid_course_status(case: Case, now: Now) -> tuple[Status, str]:
    """("not_proposed", why) when the course holds the NSAID lines; ("proposed", words to add, maybe "")."""
    if any(is_nsaid(t) for t in now.current):
        return "proposed", ""  # current comes first: the follow-up layer words the current line (item 5)
    courses = [t for t in joined_nsaid_courses(case) if t.start_date is not None]
    # An adverse-event stop without dates still blocks re-proposal (item 37).
    undated_ae = [t for t in joined_nsaid_courses(case) if t.start_date is None and t.stop_reason == "adverse_event"]
    latest = max(courses, key=lambda t: t.start_date) if courses else None
    if latest is not None and latest.stop_reason == "adverse_event" or (latest is None and undated_ae):
        t = latest if latest is not None else undated_ae[-1]
        return "not_proposed", stopped_for_adverse_event(
            case, t, "re-starting it, or another NSAID, is the clinician's decision")
    if latest is not None and latest.end_date is not None and now.date is not None:
        days = (latest.end_date - latest.start_date).days
        response = latest.response or ("none" if latest.stop_reason == "inefficacy" else None)
        name = drug_key(latest.drug) or "NSAID"
        if days >= TRIAL_DAYS and response == "none":
            weeks = round_half_away(days / 7, 1)
            return "not_proposed", f"NSAID tried ({name}, {weeks:g} weeks, no response): second line per §8.3"
        if latest.stop_reason == "inefficacy" and latest.response is None and days < TRIAL_DAYS:
            return "proposed", (f"stopped after {days} days: CARRA's second line needs 4 weeks of an NSAID; "
                                "resume or try the other NSAID")
    if now.follow_up and now.activity == "no_sign":
        return "not_proposed", (f"no sign of active disease at the visit of {now.date.isoformat()}: no new "
                                "treatment; an NSAID again on a flare")
    if latest is not None and latest.response == "partial":
        return "proposed", "continue or resume alongside the next step"
    return "proposed", ""
