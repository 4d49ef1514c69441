"""The shipped follow-up example (naproxen since 2026-10-05, visits V1 2027-01-11 and V2 2027-04-12) as
plain data to change, and the plan of such data read the way the plan tests read it."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from desktop_app.case.models import Case
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan
from desktop_app.plan.output import plan_to_json

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "followup-two-visits.crmo"
BASE = json.loads(EXAMPLE.read_text(encoding="utf-8"))


def data() -> dict:
    """A fresh copy of the example, to change."""
    return copy.deepcopy(BASE)


def plan_of(d: dict):
    c = Case.model_validate(d)
    return plan(c, assess(c))


def by_id(p) -> dict[str, dict]:
    return {j["id"]: j for j in plan_to_json(p)["lines"]}


def by_drug(p) -> dict[str, dict]:
    return {j["drug"]: j for j in plan_to_json(p)["lines"] if j["drug"]}
