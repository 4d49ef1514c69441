"""The derived facts as (label, value) rows: one wording for the pane, the imaging panel, the CLI and the PDF.

Pure text (no Qt, no ReportLab); callers escape for their markup. An unknown fact reads "unknown",
never "no": an absent value must not look like a negative finding.
"""
from __future__ import annotations

from typing import Iterable, Optional

from desktop_app.case.units import fmt_number
from desktop_app.criteria.types import Derived

UNKNOWN = "unknown"

# Field of `Derived` → (label, unit). Unit None: a yes/no fact; "" a plain count. Display order.
DERIVED_FIELDS: dict[str, tuple[str, Optional[str]]] = {
    "age_years": ("Age", "years"),
    "onset_age_years": ("Age at onset", "years"),
    "symptom_weeks": ("Symptom duration", "weeks"),
    "sites": ("Sites", ""),
    "bones": ("Bones", ""),
    "multifocal": ("Multifocal", None),
    "symmetric": ("Symmetric", None),
    "clavicle_only": ("Clavicle only", None),
    "crp_mg_l": ("CRP", "mg/L"),
    "temperature_normal": ("Temperature normal", None),
    "blood_count_normal": ("Blood count normal", None),
    "typical_imaging": ("Typical imaging", None),
}


def _value(value, unit: Optional[str]) -> str:
    if value is None:
        return UNKNOWN
    if unit is None:
        return "yes" if value else "no"
    text = fmt_number(round(value, 1))  # 11.58 years → 11.6; 32.0 mg/L → 32
    return f"{text} {unit}" if unit else text


def derived_rows(d: Derived, only: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(label, value) of each derived fact in display order; `only` picks some fields."""
    keys = list(DERIVED_FIELDS) if only is None else list(only)
    return [(DERIVED_FIELDS[k][0], _value(getattr(d, k), DERIVED_FIELDS[k][1])) for k in keys]
