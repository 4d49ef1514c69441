"""The MRI that would decide (clinical-rules.md §8.3 v4, §13.7 items 20, 35), in the plan's work-up.

Never in mode `alternative_diagnosis`. At follow-up it is listed only when the latest point lacks a
complete MRI (one within 84 days of the reference date with no lesion not assessed): with step 3 waiting
on the bone-oedema item, or whenever the latest activity is `unknown`. At the first consultation, when a
trigger of step 3 holds and the bone-oedema item is not met or unknown.
Pure.
"""
from __future__ import annotations

from desktop_app.case.models import Case
from desktop_app.plan.now import Now

MRI_WINDOW_DAYS = 84
SYMPTOMATIC = ("MRI (STIR or T2 fat-saturated) of the symptomatic sites: bone oedema within 12 weeks decides "
               "step 3 (CARRA CTP eligibility)")
KNOWN_SITES = ("MRI of the known sites: bone oedema decides whether the disease is active — two-thirds of "
               "radiological relapses are silent (Beck 2010)")


def _complete_mri_now(case: Case, now: Now) -> bool:
    """Item 35: the latest visit's MRI within 84 days of the reference date, every lesion assessed."""
    mri = now.mri
    if mri is None or mri.visit is None or now.date is None:
        return False
    if (now.date - mri.date).days > MRI_WINDOW_DAYS:
        return False
    assessed = mri.visit.lesion_status
    return all(les.id in assessed for les in case.imaging.lesions)


def _step3_waits_on_mri(eligibility) -> bool:
    """A trigger of step 3 holds (the checklist's active-disease item) and the bone-oedema item is not met."""
    status = {i.id: i.status for i in eligibility}
    return status.get("active_disease") == "met" and status.get("mri_oedema", "met") != "met"


def decisive_mri(case: Case, now: Now, mode: str, eligibility) -> list[str]:
    if mode == "alternative_diagnosis":
        return []
    if now.follow_up:
        if _complete_mri_now(case, now):
            return []
        if now.activity == "unknown":
            return [KNOWN_SITES]
    # Conservative reading: the step-3 MRI decides only while the gate is open (mode cno).
    return [SYMPTOMATIC] if mode == "cno" and _step3_waits_on_mri(eligibility) else []
