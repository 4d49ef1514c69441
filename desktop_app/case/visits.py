"""Follow-up visits (schema 4): their order, the rules a file must keep, and the edits that keep them.

The rules here are the loader's (case-format.md, `visits`): the app refuses to open a file that breaks
one, and refuses to save a case that breaks one (desktop_app/storage/case_file.py), so it never writes
a file it would refuse to open. Each problem is one sentence naming the visit in words. Pure Python.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case.lesion_ids import lesion_display_id
from desktop_app.case.models import Case, Mimics, Visit


def ordered_visits(case: Case) -> list[Visit]:
    """Visits by date; two on one date keep their order in the file (clinical-rules.md §13.1)."""
    return sorted(case.visits, key=lambda v: v.date)  # sorted() is stable


def visit_name(visit: Visit) -> str:
    """'the visit of 2027-01-11 (V1)' — how every message names a visit."""
    ident = f" ({visit.id})" if visit.id else ""
    return f"the visit of {visit.date.isoformat()}{ident}"


def missing_date_message(index: int, visit_id: object) -> str:
    """The loader's sentence for a visit without a date (the model refuses it before the rules run)."""
    ident = f" ({visit_id})" if isinstance(visit_id, str) and visit_id else ""
    return f"visits[{index}]: the visit number {index + 1}{ident} has no date (every visit needs one)"


def visit_problems(case: Case) -> list[str]:
    """Every rule of case-format.md `visits` that `case` breaks, one sentence each; [] = fine."""
    out: list[str] = []
    seen_ids: set[str] = set()
    for v in case.visits:
        if v.id and v.id in seen_ids:
            out.append(f"two visits have the id {v.id!r} ({visit_name(v)} is the second)")
        seen_ids.add(v.id)
    lesion_ids = {les.id for les in case.imaging.lesions if les.id}
    new_at: dict[str, Visit] = {}
    order = ordered_visits(case)
    for v in order:
        for lesion_id, status in v.lesion_status.items():
            if lesion_id not in lesion_ids:
                out.append(f"{visit_name(v)} gives a status to lesion {lesion_display_id(lesion_id)!r}, "
                           "which is not in the case's lesions")
            elif status == "new":
                if lesion_id in new_at:
                    out.append(f"lesion {lesion_display_id(lesion_id)} is marked new at two visits: "
                               f"{visit_name(new_at[lesion_id])} and {visit_name(v)}")
                else:
                    new_at[lesion_id] = v
    position = {id(v): i for i, v in enumerate(order)}
    for v in order:
        for lesion_id in v.lesion_status:
            first = new_at.get(lesion_id)
            if first is not None and position[id(v)] < position[id(first)]:
                out.append(f"{visit_name(v)} gives a status to lesion {lesion_display_id(lesion_id)}, "
                           f"which is first seen later, at {visit_name(first)}")
        # v5: findings of a known lesion, under the same rules as its status
        for lesion_id in v.lesion_findings:
            first = new_at.get(lesion_id)
            if lesion_id not in lesion_ids:
                out.append(f"{visit_name(v)} records findings for lesion {lesion_display_id(lesion_id)!r}, "
                           "which is not in the case's lesions")
            elif first is not None and position[id(v)] < position[id(first)]:
                out.append(f"{visit_name(v)} records findings for lesion {lesion_display_id(lesion_id)}, "
                           f"which is first seen later, at {visit_name(first)}")
    return out


def visit_by_id(case: Case, visit_id: str) -> Optional[Visit]:
    return next((v for v in case.visits if v.id == visit_id), None)


def next_visit_id(case: Case) -> str:
    """"V<n>" above every numbered visit id; ids are stable and never reused or renumbered."""
    numbers = [int(v.id[1:]) for v in case.visits if v.id[:1] == "V" and v.id[1:].isdigit()]
    return f"V{max(numbers, default=0) + 1}"


def visits_referring_to(case: Case, lesion_id: str) -> list[Visit]:
    """The visits that give `lesion_id` a status or findings (for the UI's 'this also removes…' sentence)."""
    return [v for v in case.visits if lesion_id in v.lesion_status or lesion_id in v.lesion_findings]


def delete_lesion(case: Case, lesion_id: str) -> Case:
    """A copy of `case` without the lesion and without every visit status that names it.

    One pure step, so the window can undo it as one edit. No id is renumbered: the other lesions,
    the visits and the biopsies keep theirs (a biopsy's `lesion_id` is left as recorded).
    """
    lesions = [les for les in case.imaging.lesions if les.id != lesion_id]
    visits = [
        v.model_copy(update={
            "lesion_status": {k: s for k, s in v.lesion_status.items() if k != lesion_id},
            "lesion_findings": {k: f for k, f in v.lesion_findings.items() if k != lesion_id},
        })
        if lesion_id in v.lesion_status or lesion_id in v.lesion_findings else v
        for v in case.visits
    ]
    return case.model_copy(update={
        "imaging": case.imaging.model_copy(update={"lesions": lesions}),
        "visits": visits,
    })


def first_seen_at_visit(case: Case, order: Optional[list[Visit]] = None) -> dict[str, Visit]:
    """Lesion id → the visit where its status is `new` (the first such visit in order). `order`: the
    visits already in order, when the caller has them."""
    out: dict[str, Visit] = {}
    for v in ordered_visits(case) if order is None else order:
        for lesion_id, status in v.lesion_status.items():
            if status == "new":
                out.setdefault(lesion_id, v)
    return out


def mri_date_of(visit: Visit) -> Optional[dt.date]:
    """The visit's MRI date: `mri_date`, else the visit's date when it records lesion statuses."""
    if visit.mri_date is not None:
        return visit.mri_date
    return visit.date if visit.lesion_status else None


def delete_visit(case: Case, visit_id: str) -> Case:
    """A copy of `case` without the visit; no other id changes (a lesion first seen there stays)."""
    return case.model_copy(update={"visits": [v for v in case.visits if v.id != visit_id]})


MIMIC_NAMES: tuple[str, ...] = tuple(Mimics.model_fields)


def mimics_as_of(case: Case, date: Optional[dt.date] = None) -> Mimics:
    """Each mimic's status at `date` (clinical-rules.md §13.1 v4, dated exclusions): the latest recorded
    on or before it — the top-level `mimics` are the first consultation's, each visit's its own (schema 5).
    `date` None: the latest recorded anywhere ("as of now"). Visits on one date keep their file order."""
    status = case.mimics.model_dump()
    for v in ordered_visits(case):
        if date is not None and v.date > date:
            break
        for name in MIMIC_NAMES:
            value = getattr(v.mimics, name)
            if value is not None:
                status[name] = value
    return Mimics(**status)


def exclusion_dates(case: Case, name: str) -> list[tuple[dt.date, Optional[Visit], bool]]:
    """(date, visit or None for the first consultation, recorded value) of every record of mimic `name`,
    in course order: what a re-exclusion (§13.4) and the entry checks read."""
    out: list[tuple[dt.date, Optional[Visit], bool]] = []
    first = getattr(case.mimics, name)
    if first is not None:  # an undated first consultation still comes first
        out.append((case.encounter.date or dt.date.min, None, first))
    for v in ordered_visits(case):
        value = getattr(v.mimics, name)
        if value is not None:
            out.append((v.date, v, value))
    return out
