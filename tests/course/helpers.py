"""Small builders for follow-up cases: a first consultation on 2026-10-05 (a girl born 2014-09-02)
and visits after it, as plain models (no file)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from desktop_app.case.models import Case, LabValue, Lesion, Treatment, Visit

SEEN = dt.date(2026, 10, 5)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def days(n: int) -> dt.date:
    return SEEN + dt.timedelta(days=n)


def lab(value: float, unit: str, **kw: Any) -> LabValue:
    return LabValue(value=value, unit=unit, **kw)


def lesion(lid: str, bone: str = "tibia", side: str = "left", **kw: Any) -> Lesion:
    return Lesion(id=lid, bone=bone, side=side, **kw)


def visit(vid: str, when: dt.date | str, **kw: Any) -> Visit:
    return Visit(id=vid, date=d(when) if isinstance(when, str) else when, **kw)


def treatment(drug: str, drug_class: str | None, start: dt.date | None = SEEN, **kw: Any) -> Treatment:
    return Treatment(drug=drug, drug_class=drug_class, start_date=start, **kw)


def case(visits: list[Visit] = (), treatments: list[Treatment] = (), lesions: list[Lesion] = (),
         **top: Any) -> Case:
    data: dict[str, Any] = {
        "patient": {"date_of_birth": "2014-09-02", "sex": "female", "weight_kg": 32, "height_cm": 142},
        "encounter": {"date": SEEN.isoformat()},
    }
    data.update(top)
    c = Case.model_validate(data)
    return c.model_copy(update={"visits": list(visits), "treatments": list(treatments),
                                "imaging": c.imaging.model_copy(update={"lesions": list(lesions)})})
