"""NSAID courses as the plan counts them (clinical-rules.md §8.1 v4, §13.7 item 5).

Two NSAID courses with at most 7 days between the end of one and the start of the next (overlaps
included) are one course, transitively (product rule: a change of NSAID is not a new trial). A joined
course runs from its first start to its last end (or on, while one is running) and takes the later
course's drug, response and stop reason. The latest joined course decides the first line.
Pure.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from desktop_app.case.models import Case, Treatment
from desktop_app.course.drugs import drug_group

JOIN_GAP_DAYS = 7  # §8.1 v4


def is_nsaid(t: Treatment) -> bool:
    return t.drug_class == "nsaid" or drug_group(t) == "nsaid"


def _running(t: Treatment) -> bool:
    return t.end_date is None and t.stop_reason is None  # a stop reason without an end date: stopped (item 6)


def _end(t: Treatment) -> dt.date:
    """A dated course's end for joining; one stopped without an end date is taken as ending at its start."""
    return t.end_date or t.start_date


def joined_nsaid_courses(case: Case) -> list[Treatment]:
    """The NSAID courses, joined (§13.7 item 5), each as one Treatment (first start, last end — None while
    running —, the later course's drug, response and stop reason), by start date; courses without a start
    date cannot be joined and follow, as recorded."""
    dated = sorted((t for t in case.treatments if is_nsaid(t) and t.start_date is not None),
                   key=lambda t: t.start_date)
    groups: list[list[Treatment]] = []
    group_end: Optional[dt.date] = None  # the latest end in the group so far
    group_open = False  # a course of the group is still running
    for t in dated:
        if groups and (group_open or (t.start_date - group_end).days <= JOIN_GAP_DAYS):
            groups[-1].append(t)
        else:
            groups.append([t])
            group_end, group_open = None, False
        if _running(t):
            group_open = True
        else:
            group_end = _end(t) if group_end is None else max(group_end, _end(t))
    undated = [t for t in case.treatments if is_nsaid(t) and t.start_date is None]
    return [_as_one(g) for g in groups] + undated


def _as_one(group: list[Treatment]) -> Treatment:
    if len(group) == 1:
        return group[0]
    end = None if any(_running(t) for t in group) else max(_end(t) for t in group)
    return group[-1].model_copy(update={"start_date": group[0].start_date, "end_date": end})
