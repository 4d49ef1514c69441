"""Colours that carry meaning, defined once for the window and the consult note.

Plain hex strings (no ReportLab, no Qt), so the window can import this at start-up. A status is
never shown by colour alone: the window adds a symbol and the word, the note prints the word.
Red is kept for red flags; "not met" is a neutral grey, since it is not an alarm.
"""
from __future__ import annotations

OK = "#1e7b34"
ATTENTION = "#a15c00"  # look here: missing data could change a result, a lab value out of range
NEUTRAL = "#5f6368"
RED_FLAG = "#b3261e"
MUTED = "#555555"  # secondary text: hints, sources, notes, normality unknown

STATUS_COLOURS = {
    "met": OK,
    "not_met": NEUTRAL,
    "indeterminate": ATTENTION,  # a criteria set the missing data could still change
    "unknown": ATTENTION,  # an item the missing data would decide
}
# A lab value against its range (reference_ranges.LabReading.status); the word is always shown too.
LAB_FLAG_COLOURS = {"high": ATTENTION, "low": ATTENTION, "normal": OK, "unknown": MUTED}
# Lesion markers on the skeleton, the same in the window and the note (the note prints a legend).
LESION_MARKER = "#c0392b"  # symptomatic: filled red
LESION_SILENT = "#1f5fa8"  # silent: white with a blue ring
LESION_UNKNOWN = "#8a8a8a"  # symptomatic not recorded: grey
# (symptomatic value, legend text) in the order both legends list them.
LESION_LEGEND = ((True, "Symptomatic"), (False, "Silent"), (None, "Not recorded"))
