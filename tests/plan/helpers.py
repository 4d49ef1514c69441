"""Hand-built assessments, so the plan logic is tested apart from the criteria engine."""
from __future__ import annotations

import datetime as dt

from desktop_app.case.models import Case, Lesion, Treatment
from desktop_app.criteria.types import Assessment, CriteriaResult, Derived, ItemResult, RedFlag


def flag(id: str, label: str = "", action: str = "do something", evidence: str = "evidence", **kw) -> RedFlag:
    return RedFlag(id=id, label=label or id.replace("_", " ").capitalize(), evidence=evidence, action=action,
                   source="Some source", **kw)


def assessment(flags: tuple[str, ...] = (), criterion_2: str = "unknown", mode: str = "cno",
               gate_reasons: tuple[str, ...] = (), next_steps: tuple[str, ...] = (), **derived) -> Assessment:
    """A hand-built assessment in the given mode: the plan obeys the mode and never recomputes the gate."""
    bristol = CriteriaResult(id="bristol_2016", name="Bristol", kind="diagnostic", source="Roderick 2016",
                             status="indeterminate",
                             items=[ItemResult(id="criterion_2", label="c2", status=criterion_2)])
    derived.setdefault("age_years", 11.0)
    derived.setdefault("adult", False)
    return Assessment(derived=Derived(**derived), criteria={"bristol_2016": bristol},
                      red_flags=[flag(f) for f in flags], mode=mode, gate_reasons=list(gate_reasons),
                      next_steps=list(next_steps))


def case(**kw) -> Case:
    c = Case()
    c.patient.weight_kg = kw.pop("weight", 34.0)
    c.patient.height_cm = kw.pop("height", None)
    c.patient.age_years = kw.pop("age", None)
    c.encounter.date = kw.pop("encounter", dt.date(2026, 11, 20))
    c.imaging.lesions = [Lesion(**l) for l in kw.pop("lesions", [])]
    c.treatments = [Treatment(**t) for t in kw.pop("treatments", [])]
    for k, v in kw.pop("associated", {}).items():
        setattr(c.associated, k, v)
    for k, v in kw.pop("mimics", {}).items():
        setattr(c.mimics, k, v)
    assert not kw, kw
    return c
