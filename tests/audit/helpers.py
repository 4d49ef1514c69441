"""Minimal case builders for the clinical audit (independent of the engine's own test helpers)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic import BaseModel

from desktop_app import assess, build_plan
from desktop_app.case.models import Case

ENCOUNTER = dt.date(2026, 11, 20)


def lab(value: float, unit: str, **kw) -> dict:
    return {"value": value, "unit": unit, **kw}


def les(bone: str, side: str | None = None, **kw) -> dict:
    return {"bone": bone, "side": side, **kw}


def make(**sections: Any) -> Case:
    """A Case from top-level sections; the encounter date is fixed unless given."""
    data: dict[str, Any] = {"encounter": {"date": ENCOUNTER.isoformat()}}
    data.update(sections)
    return Case.model_validate(data)


def dob_for_age(years: int, days_offset: int = 0) -> str:
    """A date of birth so that the child turns `years` on the encounter date, shifted by days."""
    born = ENCOUNTER.replace(year=ENCOUNTER.year - years) - dt.timedelta(days=days_offset)
    return born.isoformat()


def crit(case: Case, set_id: str):
    return assess(case).criteria[set_id]


def item(case: Case, set_id: str, item_id: str):
    return next(i for i in crit(case, set_id).items if i.id == item_id)


def flags(case: Case) -> dict:
    return {f.id: f for f in assess(case).red_flags}


def plan_of(case: Case):
    return build_plan(case, assess(case))


def elig(case: Case, item_id: str):
    return next(e for e in plan_of(case).ctp_eligibility if e.id == item_id)


_SEG = re.compile(r"^([a-z_]+)(?:\[(\d+)\])?$")


def path_is_valid(case: Case, path: str) -> bool:
    """True when `path` ("biopsies[0].culture", "labs.crp") names a field of the case-format."""
    node: Any = case
    for seg in path.split("."):
        m = _SEG.match(seg)
        if not m or not isinstance(node, BaseModel) or m.group(1) not in type(node).model_fields:
            return False
        node = getattr(node, m.group(1))
        if m.group(2) is not None:
            if not isinstance(node, list) or int(m.group(2)) >= len(node):
                return False
            node = node[int(m.group(2))]
    return True
