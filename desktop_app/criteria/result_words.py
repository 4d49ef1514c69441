"""How a criteria set's result is worded wherever it is summarised (pane, note, CLI): one place.

Most sets read Met / Not met / Indeterminate; the NBO score answers one question only (non-bacterial
versus bacterial osteomyelitis), so it never reads just "met" (clinical-rules.md §4).
"""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.criteria import nbods
from desktop_app.criteria.types import CriteriaResult


def result_words(c: CriteriaResult) -> str:
    """"Met", "Not met", "Indeterminate"; for the NBO score "Favours non-bacterial over bacterial osteomyelitis"."""
    if c.id == nbods.ID:
        words = nbods.RESULT_WORDS[c.status]
        return words[:1].upper() + words[1:]
    return labels.value_label("set_status", c.status)
