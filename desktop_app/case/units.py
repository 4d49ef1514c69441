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
