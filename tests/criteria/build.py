"""Build small test cases from dotted paths: case(**{"labs.crp": lab(30)}) or case(crp=lab(30))."""
from __future__ import annotations

import datetime as dt
from typing import Any

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess

ENCOUNTER = dt.date(2026, 11, 20)


def lab(value: float, unit: str = "mg/L", **kw) -> dict:
    return {"value": value, "unit": unit, **kw}


def lesion(bone: str, side: str | None = None, **kw) -> dict:
    return {"bone": bone, "side": side, **kw}


def case(data: dict[str, Any] | None = None, **paths: Any) -> Case:
    """A Case from dotted paths, e.g. case({"labs.crp": lab(30), "patient.age_years": 10})."""
    tree: dict[str, Any] = {"encounter": {"date": ENCOUNTER.isoformat()}}
    for path, value in {**(data or {}), **paths}.items():
        node = tree
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return Case.model_validate(tree)


def item(c: Case, set_id: str, item_id: str):
    return next(i for i in assess(c).criteria[set_id].items if i.id == item_id)


# A typical child with a normal blood count (defaults for age 10) and no lesions yet.
BASE = {
    "patient.age_years": 10,
    "patient.sex": "female",
    "labs.wbc": lab(7.0, "10^9/L"),
    "labs.hemoglobin": lab(125, "g/L"),
    "labs.platelets": lab(300, "10^9/L"),
}
