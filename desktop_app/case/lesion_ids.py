"""Lesion ids: how new ones are made and how every id is shown, for the window and the note.

Files before issue 13 named lesions "L1", "L2"…, which read as lumbar levels beside the spine
ladder (a T8 lesion labelled "L3"). Stored ids are never rewritten (biopsies point at them by
`lesion_id`); new lesions get "#<n>", and every id is *shown* as "#<n>", which no vertebral level
can be confused with. Pure Python.
"""
from __future__ import annotations

import re
from typing import Sequence

_NUMBERED = re.compile(r"(?:L|#)(\d+)")


def next_lesion_id(lesions: Sequence) -> str:
    """"#<n>" with n above every numbered id in the list, old "L<n>" ones included (ids are
    stable and never reused, so a biopsy's link keeps pointing at the same lesion)."""
    numbers = [int(m.group(1)) for les in lesions if (m := _NUMBERED.fullmatch(les.id or ""))]
    return f"#{max(numbers, default=0) + 1}"


def lesion_display_id(lesion_id: str) -> str:
    """The id as the window and the note show it: "L3" and "#3" → "#3"; any other id gets a "#"
    in front, so it never reads as a vertebral level; "" stays ""."""
    if not lesion_id:
        return ""
    m = _NUMBERED.fullmatch(lesion_id)
    if m:
        return f"#{m.group(1)}"
    return lesion_id if lesion_id.startswith("#") else f"#{lesion_id}"
