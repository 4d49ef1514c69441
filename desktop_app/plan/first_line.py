"""The highest treatment step the plan proposes, in words, for the Summary and recommendations (§12).

Since rules v3 the first page names the highest proposed step: a proposed second-line plan (step 3),
else the first-line treatment. It never decides whether treatment may be proposed: the plan (and the
mode) do; this only reads it. (The name is kept: the pane and the note both call it.)
"""
from __future__ import annotations

from typing import Optional

from desktop_app.plan.types import Plan

FIRST_LINE_ID = "nsaid"
SECOND_LINE_ID = "ctp"
HIGHEST_FIRST = (SECOND_LINE_ID, FIRST_LINE_ID)


def first_line_text(plan: Plan) -> Optional[str]:
    """E.g. "First line: NSAID: naproxen preferred; ibuprofen as an alternative.", or the step 3 line when
    it is proposed; None when the plan proposes neither (no such line, held back, or removed)."""
    for line_id in HIGHEST_FIRST:
        line = next((line for line in plan.lines if line.id == line_id), None)
        if line is not None and line.final_status == "proposed":
            return f"{line.step}: {line.shown_text.strip()}"
    return None
