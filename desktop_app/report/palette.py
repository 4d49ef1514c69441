"""Colours that carry meaning, defined once for the window and the consult note.

Plain hex strings (no ReportLab, no Qt), so the window can import this at start-up. A status is
never shown by colour alone: the window adds a symbol and the word, the note prints the word.
Red is kept for red flags; "not met" is a neutral grey, since it is not an alarm.
"""
from __future__ import annotations

STATUS_COLOURS = {
    "met": "#1e7b34",
    "not_met": "#5f6368",
    "indeterminate": "#a15c00",  # a criteria set the missing data could still change
    "unknown": "#a15c00",  # an item the missing data would decide
}
RED_FLAG = "#b3261e"
MUTED = "#555555"  # secondary text: hints, sources, notes
