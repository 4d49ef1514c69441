"""The first-line treatment the plan proposes, in words, for the Summary and recommendations (§12).

Pure and defensive: it reads only `lines[*].id/step/text/decision/edited_text` and, when present,
a per-line `status` ("proposed" / "not_proposed" / "removed"), so it works before and after the plan
gains that field. It never decides whether treatment may be proposed: the plan (and the mode) do.
"""
from __future__ import annotations

from typing import Any, Optional

FIRST_LINE_ID = "nsaid"


def first_line_text(plan: Any) -> Optional[str]:
    """E.g. "First line: NSAID: naproxen preferred; ibuprofen as an alternative."; None when the plan
    proposes no first-line treatment (no such line, not proposed, or removed by the clinician)."""
    for line in getattr(plan, "lines", None) or ():
        if getattr(line, "id", None) != FIRST_LINE_ID:
            continue
        # A line held back by the gate is listed with its reason, but it is not a proposal.
        if getattr(line, "status", "proposed") != "proposed" or getattr(line, "decision", "") == "removed":
            return None
        edited = getattr(line, "decision", "") == "edited" and getattr(line, "edited_text", "")
        text = (edited or getattr(line, "text", "") or "").strip()
        if not text:
            return None
        step = (getattr(line, "step", "") or "").strip()
        return f"{step}: {text}" if step else text
    return None
