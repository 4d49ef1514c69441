"""The first-line treatment the plan proposes, in words, for the Summary and recommendations (§12).

It never decides whether treatment may be proposed: the plan (and the mode) do; this only reads it.
"""
from __future__ import annotations

from typing import Optional

from desktop_app.plan.types import Plan

FIRST_LINE_ID = "nsaid"


def first_line_text(plan: Plan) -> Optional[str]:
    """E.g. "First line: NSAID: naproxen preferred; ibuprofen as an alternative."; None when the plan
    proposes no first-line treatment (no such line, held back, or removed by the clinician)."""
    line = next((line for line in plan.lines if line.id == FIRST_LINE_ID), None)
    if line is None or line.final_status != "proposed":
        return None
    return f"{line.step}: {line.shown_text.strip()}"
