"""Laboratory unit conversions, in one place.

The canonical unit of an analyte is the first of `LAB_UNITS[analyte]`. Every comparison with a
threshold (CRP ≥ 30 mg/L, haemoglobin ≥ 115 g/L, ...) is made in the canonical unit.
"""
from __future__ import annotations

from desktop_app.case.models import LAB_UNITS, LabValue

# Multiply a value in (analyte, unit) by this to get the canonical unit. Units that are the same
# number (10^3/uL == 10^9/L; cells/uL == 10^6/L) are listed in LAB_UNITS and have factor 1.
_TO_CANONICAL: dict[tuple[str, str], float] = {
    ("crp", "mg/dL"): 10.0,  # 1 mg/dL = 10 mg/L
    ("hemoglobin", "g/dL"): 10.0,  # 1 g/dL = 10 g/L
    # v4 (case-format.md, labs)
    ("creatinine", "mg/dL"): 88.4,  # 1 mg/dL = 88.4 µmol/L
    ("calcium", "mg/dL"): 0.2495,  # 1 mg/dL = 0.2495 mmol/L
    ("vitamin_d_25oh", "ng/mL"): 2.496,  # 1 ng/mL = 2.496 nmol/L
}


def canonical_unit(analyte: str) -> str:
    return LAB_UNITS[analyte][0]


def factor(analyte: str, unit: str) -> float:
    """Multiplier from `unit` to the canonical unit of `analyte`."""
    if unit not in LAB_UNITS[analyte]:
        raise ValueError(f"labs.{analyte}: unit {unit!r} is not allowed")
    return _TO_CANONICAL.get((analyte, unit), 1.0)


def _clean(x: float) -> float:
    # 0.3 mg/dL × 10 must read 3 mg/L, not 3.0000000000000004.
    return round(x, 9)


def to_canonical(analyte: str, value: float, unit: str) -> float:
    return _clean(value * factor(analyte, unit))


def from_canonical(analyte: str, value: float, unit: str) -> float:
    return _clean(value / factor(analyte, unit))


def canonical(analyte: str, lab: LabValue) -> float:
    """The lab value in the canonical unit of `analyte`."""
    return to_canonical(analyte, lab.value, lab.unit)


def canonical_ref(analyte: str, lab: LabValue) -> tuple[float | None, float | None]:
    """The lab report's own reference limits (same unit as the value) in the canonical unit."""
    low = None if lab.ref_low is None else to_canonical(analyte, lab.ref_low, lab.unit)
    high = None if lab.ref_high is None else to_canonical(analyte, lab.ref_high, lab.unit)
    return low, high


def fmt_number(x: float) -> str:
    """A value as a clinician writes it: 32 not 32.0, 3.2 not 3.2000001."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


# --- entry plausibility: values impossible in the unit stated ---------------------------------------
# Limits in the canonical unit, wide on purpose: they are not clinical limits (no flag or alert reads
# them) but the edge of what a human sample can hold, so that a number typed in the other unit of the
# row (Hb 95 in a g/dL row, meaning 95 g/L) is refused where it is typed instead of being stored as
# "Normal". No published source gives them: each cites PLAUSIBLE_SOURCE, which says so (an
# engineering limit for typing errors, not a clinical threshold, pending clinician review), and the
# refusal words say the same. The reasoning behind each edge:
PLAUSIBLE: dict[str, tuple[float | None, float | None]] = {
    # Hb above 250 g/L (25 g/dL) exceeds the most extreme polycythaemia; below 20 g/L (2 g/dL) is not
    # compatible with life: a number outside is the other unit's (g/L vs g/dL, a factor of 10).
    "hemoglobin": (20.0, 250.0),
    # CRP above 1000 mg/L (100 mg/dL) is beyond any reported sepsis value (hundreds of mg/L).
    "crp": (None, 1000.0),
    # Westergren ESR is read on a 200 mm tube: more than 200 mm/h cannot be measured.
    "esr": (None, 200.0),
    # Creatinine below 5 µmol/L (0.06 mg/dL) is below any newborn's; above 3000 µmol/L (34 mg/dL) is
    # beyond end-stage renal failure: µmol/L vs mg/dL differ by a factor of 88.4.
    "creatinine": (5.0, 3000.0),
    # Total calcium outside 0.5–5 mmol/L (2–20 mg/dL) is beyond the extremes of survival; 9.2 typed
    # in mmol/L is a mg/dL value.
    "calcium": (0.5, 5.0),
    # 25-OH vitamin D above 1000 nmol/L (400 ng/mL) is beyond reported intoxication (hundreds nmol/L).
    "vitamin_d_25oh": (None, 1000.0),
    # WBC and neutrophils above 1000 ×10⁹/L exceed extreme leukaemic hyperleukocytosis (hundreds):
    # 5600 is a count per µL.
    "wbc": (None, 1000.0),
    "neutrophils": (None, 1000.0),
    # Platelets above 5000 ×10⁹/L exceed extreme thrombocytosis (a few thousand): 250000 is per µL.
    "platelets": (None, 5000.0),
}

# The source of every limit above (case/sources.py): an engineering limit, not a clinical one.
PLAUSIBLE_SOURCE = "entry_plausibility"
PLAUSIBLE_SOURCES: dict[str, str] = {analyte: PLAUSIBLE_SOURCE for analyte in PLAUSIBLE}

# Analytes reported as whole numbers in these units: "1.250" is a thousands separator as often as a
# decimal point, so it is refused as ambiguous (as "1,250" already is, number_text.decimal_text).
WHOLE_NUMBER_UNITS: dict[str, tuple[str, ...]] = {
    "ldh": ("U/L",), "alkaline_phosphatase": ("U/L",), "alt": ("U/L",),
    "platelets": ("10^9/L", "10^3/uL"),
}


def reported_whole(analyte: str, unit: str | None) -> bool:
    return unit is not None and unit in WHOLE_NUMBER_UNITS.get(analyte, ())


def implausible(analyte: str, value: float, unit: str, unit_label=lambda u: u) -> str:
    """Why `value` in `unit` cannot be a result of `analyte`, with the likely meaning ("95 g/dL is
    not possible: 95 g/L?") or the entry check's edge, or "" when it can be."""
    low, high = PLAUSIBLE.get(analyte, (None, None))
    canon = to_canonical(analyte, value, unit)
    if (low is None or canon >= low) and (high is None or canon <= high):
        return ""
    said = f"{fmt_number(value)} {unit_label(unit)} is not possible"
    for other in LAB_UNITS[analyte]:  # the same number in another unit of the row
        other_canon = to_canonical(analyte, value, other)
        if other != unit and (low is None or other_canon >= low) and (high is None or other_canon <= high):
            return f"{said}: {fmt_number(value)} {unit_label(other)}?"
    edge = f"at most {fmt_number(from_canonical(analyte, high, unit))}" if high is not None and canon > high \
        else f"at least {fmt_number(from_canonical(analyte, low, unit))}"
    # The edge is an engineering limit (PLAUSIBLE_SOURCE): said as one, never as a clinical threshold.
    return (f"{fmt_number(value)} {unit_label(unit)} is refused as a likely typing error (the entry check "
            f"allows {edge} {unit_label(unit)}: a limit for typing errors, not a clinical threshold): "
            "check the number and its unit")


def convert_between(analyte: str, value: float, old_unit: str, new_unit: str) -> float:
    """`value` in `old_unit` as the same quantity in `new_unit` (a lab range follows its unit)."""
    return from_canonical(analyte, to_canonical(analyte, value, old_unit), new_unit)
