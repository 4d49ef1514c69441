"""Every sourced dose (clinical-rules.md §8), defined once, and the weight-based calculator.

The Plan tab, the PDF note and the CLI all read these rules through `dose_line()`, so a dose,
its maximum and its source are spelled the same everywhere. Nothing here may carry a number that
§8 does not give: where the source gives no maximum or no dose, the line says so instead.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Optional

from desktop_app.case.sources import source
from desktop_app.plan.types import VERIFY_FORMULARY, DoseLine

# What the mg/kg figures are per: one dose (naproxen), one day (ibuprofen, prednisone),
# one dose of an infusion schedule (zoledronic acid), or a cumulative yearly ceiling (pamidronate).
Basis = Literal["dose", "day", "cumulative_year", "protocol"]

NO_MAX = "no maximum stated in the source: apply your local maximum"
PER_PROTOCOL = "per local protocol (the CTP dose table is not bundled)"


@dataclass(frozen=True)
class DoseRule:
    key: str
    drug: str
    per_kg: str  # the source's wording
    basis: Basis
    low: Optional[float] = None  # mg/kg
    high: Optional[float] = None  # mg/kg (== low when the source gives one figure)
    doses_per_day: Optional[int] = None  # to turn a per-dose figure into a daily total
    max_mg_day: Optional[float] = None
    maximum: str = NO_MAX
    unit_text: str = ""  # how a computed figure reads, e.g. "mg twice daily"
    schedule: str = ""
    source_keys: tuple[str, ...] = ()


DOSES: dict[str, DoseRule] = {r.key: r for r in [
    DoseRule("naproxen", "Naproxen", "5–7.5 mg/kg twice daily", "dose", 5, 7.5,
             doses_per_day=2, max_mg_day=1000, maximum="1 g/day", unit_text="mg twice daily",
             schedule="twice daily", source_keys=("bnfc",)),
    DoseRule("ibuprofen", "Ibuprofen", "30–40 mg/kg/day in 3–4 doses", "day", 30, 40,
             max_mg_day=2400, maximum="2.4 g/day", unit_text="mg/day in 3–4 divided doses",
             schedule="3–4 doses a day", source_keys=("bnfc",)),
    DoseRule("prednisone", "Prednisone", "2 mg/kg/day", "day", 2, 2,
             unit_text="mg/day", schedule="for 2 weeks, then clinical review and MRI after 3 months",
             source_keys=("wurzburg2013",)),
    DoseRule("prednisone_relapse_short", "Prednisone (relapse)", "2 mg/kg/day", "day", 2, 2,
             unit_text="mg/day", schedule="for 7 days", source_keys=("wurzburg2013",)),
    DoseRule("prednisone_relapse_low", "Prednisone (relapse, lower dose)", "0.1–0.2 mg/kg/day",
             "day", 0.1, 0.2, unit_text="mg/day", schedule="for longer (duration per clinician)",
             source_keys=("wurzburg2013",)),
    DoseRule("pamidronate", "Pamidronate", "cumulative maximum ≤ 11.5 mg/kg/year",
             "cumulative_year", 11.5, 11.5, maximum="≤ 11.5 mg/kg/year cumulative",
             unit_text="mg/year cumulative maximum",
             schedule="3-day cycles; per-cycle dose per local protocol (not stated in the source)",
             source_keys=("miettunen2009",)),
    DoseRule("zoledronic_acid", "Zoledronic acid", "0.05 mg/kg every 3 months × 3", "dose",
             0.05, 0.05, unit_text="mg per infusion",
             schedule="every 3 months × 3, with calcium and vitamin D (supplement doses per local "
                      "protocol); pilot study, n = 22",
             source_keys=("zoledronate_pilot",)),
    DoseRule("methotrexate", "Methotrexate", PER_PROTOCOL, "protocol", maximum="",
             source_keys=("zhao2018",)),
    DoseRule("sulfasalazine", "Sulfasalazine", PER_PROTOCOL, "protocol", maximum="",
             source_keys=("zhao2018",)),
    DoseRule("tnf_inhibitor", "TNF-α inhibitor (± methotrexate)", PER_PROTOCOL, "protocol",
             maximum="", source_keys=("zhao2018",)),
]}


def sources_text(keys: tuple[str, ...]) -> str:
    return "; ".join(source(k).short for k in keys)


def fmt_mg(mg: float) -> str:
    """Whole mg from 10 mg up (half rounds up), else up to two decimals: 0.7, 1.4, 2.75."""
    if mg >= 10:
        return str(int(math.floor(mg + 0.5)))
    return f"{math.floor(mg * 100 + 0.5) / 100:g}"


def fmt_kg(kg: float) -> str:
    return f"{kg:g}"


def _range(low: float, high: float) -> str:
    return fmt_mg(low) if fmt_mg(low) == fmt_mg(high) else f"{fmt_mg(low)}–{fmt_mg(high)}"


def dose_line(key: str, weight_kg: Optional[float]) -> DoseLine:
    """The dose of `key` for a patient of `weight_kg`: no figures without a weight; capped at the
    source's maximum, with the arithmetic shown, when the computed dose exceeds it."""
    rule = DOSES[key]
    base = dict(drug=rule.drug, per_kg=rule.per_kg, maximum=rule.maximum, schedule=rule.schedule,
                source=sources_text(rule.source_keys), note=VERIFY_FORMULARY)
    if rule.basis == "protocol":
        return DoseLine(**base)
    if weight_kg is None:
        return DoseLine(**base, missing=["patient.weight_kg"])
    low, high = rule.low * weight_kg, rule.high * weight_kg
    per_day = rule.doses_per_day or 1
    if rule.max_mg_day is None or high * per_day <= rule.max_mg_day + 1e-9:  # float slack
        computed = f"{_range(low, high)} {rule.unit_text}"
        if rule.basis == "dose" and rule.doses_per_day:
            computed += f" ({_range(low * per_day, high * per_day)} mg/day)"
        return DoseLine(**base, computed=computed)
    # Above the stated maximum: cap, and show why (the top of the range × weight > maximum).
    cap = rule.max_mg_day / per_day
    low_c, high_c = min(low, cap), cap
    if rule.doses_per_day:  # per-dose figure: show the dose and the daily total
        top = (f"{rule.high:g} mg/kg × {fmt_kg(weight_kg)} kg = {fmt_mg(high)} {rule.unit_text}"
               f" = {fmt_mg(high * per_day)} mg/day")
        computed = (f"{_range(low_c, high_c)} {rule.unit_text} "
                    f"({_range(low_c * per_day, high_c * per_day)} mg/day)")
        capped_at = f"{fmt_mg(cap)} {rule.unit_text}"
    else:
        top = f"{rule.high:g} mg/kg/day × {fmt_kg(weight_kg)} kg = {fmt_mg(high)} mg/day"
        computed = f"{_range(low_c, high_c)} {rule.unit_text}"
        capped_at = f"{fmt_mg(cap)} mg/day"
    computed += f" — capped: {top} > {rule.maximum}, so capped at {capped_at}"
    return DoseLine(**base, computed=computed, capped=True)


def dose_lines(keys: list[str], weight_kg: Optional[float]) -> list[DoseLine]:
    return [dose_line(k, weight_kg) for k in keys]
