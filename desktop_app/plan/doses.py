"""Every sourced dose (clinical-rules.md §8.1–§8.3, §8.5), defined once, and the calculator.

The Plan tab, the PDF note and the CLI all read these rules through `dose_line()`, so a dose,
its maximum and its source are spelled the same everywhere. Nothing here may carry a number that
§8 does not give: where the source gives no maximum or no dose, the line says so instead.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from typing import Literal, Optional

from desktop_app.case.sources import source
from desktop_app.plan.types import ADULT_DOSING, VERIFY_FORMULARY, DoseAmount, DoseLine, Per

# What the figure is per: body weight, body-surface area (Mosteller), or no figure at all.
Basis = Literal["kg", "m2", "protocol"]

NO_MAX = "no maximum stated in the source: apply your local maximum"
PER_PROTOCOL = "per local protocol (the app gives no dose)"

# §8.3 "Before starting", printed under the drug's line: one wording per drug group.
BISPHOSPHONATE_CHECKS = (
    "serum calcium", "25-OH vitamin D (≥ 50 nmol/L)", "renal function",
    "alkaline phosphatase not below the normal range for age (a low ALP suggests hypophosphatasia)",
    "a pregnancy test when pregnancy is possible", "dental review")
# §8.3 (v3): the baseline of the ACR 2021 monitoring, folic or folinic acid, varicella (BSPAR); the
# pregnancy item is added per patient (methotrexate_checks), since it applies only when pregnancy is possible.
METHOTREXATE_CHECKS = ("full blood count, ALT and creatinine before the start",
                       "folic or folinic acid alongside (ACR 2021, strong recommendation)", "varicella status")
METHOTREXATE_PREGNANCY = "a pregnancy test and advice on contraception (methotrexate is contraindicated in pregnancy)"
PREGNANCY_AGE = 10  # years; conservative product rule: from this age a girl may be able to become pregnant
TNF_CHECKS = ("test for latent tuberculosis", "test for hepatitis B")
CHECKS: dict[str, tuple[tuple[str, ...], str]] = {
    "bisphosphonate": (BISPHOSPHONATE_CHECKS, ("bisphosphonate_checks",)),
    "methotrexate": (METHOTREXATE_CHECKS, ("acr2021_jia", "methotrexate_label", "bspar2011")),
    "tnf_inhibitor": (TNF_CHECKS, ("tnf_labels",)),
}


def pregnancy_possible(sex: Optional[str], age: Optional[float]) -> Optional[str]:
    """Why pregnancy is taken as possible, in words; None when it is not (male, or a girl under 10).
    Conservative (the spec says only "when pregnancy is possible"): a female aged 10 or over, or sex or
    age not recorded."""
    if sex == "male" or (sex == "female" and age is not None and age < PREGNANCY_AGE):
        return None
    if sex is None or age is None:
        return "sex or age not recorded: taken as possible"
    if sex == "female":
        return f"female aged {PREGNANCY_AGE} or over"
    return "sex recorded as other: taken as possible"


def methotrexate_checks(pregnancy: Optional[str]) -> list[str]:
    checks = list(METHOTREXATE_CHECKS)
    if pregnancy:
        checks.insert(1, f"{METHOTREXATE_PREGNANCY} — pregnancy possible ({pregnancy})")
    return checks


@dataclass(frozen=True)
class DoseRule:
    key: str
    drug: str  # as shown
    generic: str  # lower-case generic (the JSON `drug`)
    per_kg: str  # the source's wording
    basis: Basis
    low: Optional[float] = None  # mg/kg or mg/m²
    high: Optional[float] = None  # == low when the source gives one figure
    per: Per = "dose"  # what one computed amount is for
    doses_per_day: int = 1  # to compare a per-dose amount with a daily maximum
    max_mg: Optional[float] = None  # the stated maximum, in mg per `max_per`
    max_per: Optional[Per] = None
    max_mg_kg_year: Optional[float] = None  # a cumulative yearly ceiling per kg (pamidronate)
    maximum: str = NO_MAX
    unit_text: str = ""  # how a computed figure reads, e.g. "mg twice daily"
    schedule: str = ""
    source_keys: tuple[str, ...] = ()
    checks: str = ""  # key of CHECKS


_PRED_MAX = dict(max_mg=60, max_per="day", maximum="60 mg/day")
_PRED_SRC = ("wurzburg2013", "jia_protocol_pmc5678777")

DOSES: dict[str, DoseRule] = {r.key: r for r in [
    DoseRule("naproxen", "Naproxen", "naproxen", "5–7.5 mg/kg twice daily", "kg", 5, 7.5, per="dose",
             doses_per_day=2, max_mg=1000, max_per="day", maximum="1 g/day", unit_text="mg twice daily",
             schedule="twice daily", source_keys=("bnfc",)),
    DoseRule("ibuprofen", "Ibuprofen", "ibuprofen", "30–40 mg/kg/day in 3–4 doses", "kg", 30, 40, per="day",
             max_mg=2400, max_per="day", maximum="2.4 g/day", unit_text="mg/day in 3–4 divided doses",
             schedule="3–4 doses a day", source_keys=("bnfc",)),
    DoseRule("prednisone", "Prednisone", "prednisone", "2 mg/kg/day", "kg", 2, 2, per="day", **_PRED_MAX,
             unit_text="mg/day", schedule="for 2 weeks, then clinical review and MRI after 3 months",
             source_keys=_PRED_SRC),
    DoseRule("prednisone_relapse_short", "Prednisone (relapse)", "prednisone", "2 mg/kg/day", "kg", 2, 2,
             per="day", **_PRED_MAX, unit_text="mg/day", schedule="for 7 days", source_keys=_PRED_SRC),
    DoseRule("prednisone_relapse_low", "Prednisone (relapse, lower dose)", "prednisone", "0.1–0.2 mg/kg/day",
             "kg", 0.1, 0.2, per="day", **_PRED_MAX, unit_text="mg/day",
             schedule="for longer (duration per clinician)", source_keys=_PRED_SRC),
    DoseRule("methotrexate", "Methotrexate", "methotrexate", "15 mg/m² once weekly", "m2", 15, 15, per="week",
             max_mg=25, max_per="week", maximum="25 mg/week", unit_text="mg once weekly",
             schedule="once weekly", source_keys=("uk_jia_guideline",), checks="methotrexate"),
    DoseRule("sulfasalazine", "Sulfasalazine", "sulfasalazine", PER_PROTOCOL, "protocol", maximum="",
             source_keys=("zhao2018",)),
    DoseRule("etanercept", "Etanercept", "etanercept", "0.8 mg/kg once weekly", "kg", 0.8, 0.8, per="dose",
             max_mg=50, max_per="dose", maximum="50 mg/dose", unit_text="mg once weekly",
             schedule="once weekly", source_keys=("ar2619",), checks="tnf_inhibitor"),
    DoseRule("adalimumab", "Adalimumab", "adalimumab", "24 mg/m² every 2 weeks", "m2", 24, 24, per="dose",
             max_mg=40, max_per="dose", maximum="40 mg/dose", unit_text="mg every 2 weeks",
             schedule="every 2 weeks", source_keys=("ar2619",), checks="tnf_inhibitor"),
    DoseRule("infliximab", "Infliximab", "infliximab", PER_PROTOCOL, "protocol", maximum="",
             source_keys=("zhao2018",), checks="tnf_inhibitor"),
    DoseRule("pamidronate", "Pamidronate", "pamidronate", "1 mg/kg per dose, every 2–4 months", "kg", 1, 1,
             per="infusion", max_mg=90, max_per="infusion", max_mg_kg_year=11.5,
             maximum="90 mg per infusion; cumulative ≤ 11.5 mg/kg/year", unit_text="mg per infusion",
             schedule="every 2–4 months", source_keys=("simm2008", "miettunen2009", "pamidronate_label"),
             checks="bisphosphonate"),
    DoseRule("zoledronic_acid", "Zoledronic acid", "zoledronic acid", "0.05 mg/kg every 3 months × 3", "kg",
             0.05, 0.05, per="infusion", max_mg=4, max_per="infusion", maximum="4 mg per infusion",
             unit_text="mg per infusion",
             schedule="every 3 months × 3, with calcium and vitamin D (supplement doses per local protocol); "
                      "pilot study, n = 22",
             source_keys=("zoledronate_pilot", "zoledronic_label"), checks="bisphosphonate"),
]}


def sources_text(keys: tuple[str, ...]) -> str:
    return "; ".join(source(k).short for k in keys)


# §8 "Amounts as given" (v4): 0.01 mg below 1 mg, 0.1 mg from 1 mg to below 10 mg, 0.5 mg from 10 mg.
STEPS = ((Decimal(1), Decimal("0.01")), (Decimal(10), Decimal("0.1")))
COARSE_STEP = Decimal("0.5")

Number = float | int | Decimal


def dec(x: Number) -> Decimal:
    """A number as the decimal it was written as (§8 v4: 5.8 kg is 5.8, not 5.79999…)."""
    return x if isinstance(x, Decimal) else Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def _step(mg: Decimal) -> Decimal:
    return next((step for below, step in STEPS if mg < below), COARSE_STEP)


def round_mg(mg: Number, up: bool = False) -> float:
    """The one rounding of every amount (window, note, CLI, JSON; §8 v4), in decimal arithmetic on the
    unrounded amount: to 0.01 mg below 1 mg, 0.1 mg below 10 mg and 0.5 mg from 10 mg, down by default
    (a single amount, the high end of a range) and up for the low end, so that an amount never leaves its
    mg/kg (or mg/m²) range: 0.29 → 0.29, 0.995 → 0.99 (down) or 1 (up), 9.12 → 9.1, 27.2 → 27."""
    d = dec(mg)
    step = _step(d)
    n = (d / step).to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR)
    return float(n * step)


def fmt_mg(mg: Number, up: bool = False) -> str:
    return f"{round_mg(mg, up):g}"


def fmt_kg(kg: float) -> str:
    return f"{kg:g}"


def bsa_m2(height_cm: Number, weight_kg: Number) -> float:
    """Body-surface area by Mosteller (§8): √(height cm × weight kg / 3600)."""
    return float(bsa_m2_decimal(height_cm, weight_kg))


def bsa_m2_decimal(height_cm: Number, weight_kg: Number) -> Decimal:
    """`bsa_m2` in decimal arithmetic, as the amounts use it (§8 v4)."""
    with localcontext() as ctx:
        ctx.prec = 28
        return (dec(height_cm) * dec(weight_kg) / Decimal(3600)).sqrt()


def amount_range(low: Number, high: Number) -> tuple[float, float]:
    """The low end rounded up and the high end down (one figure, rounded down, when they meet)."""
    lo, hi = round_mg(low, up=True), round_mg(high)
    return (hi, hi) if lo >= hi else (lo, hi)


def _range(low: float, high: float) -> str:
    lo, hi = amount_range(low, high)
    return f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"


@functools.lru_cache(maxsize=512)  # pure, and its result is frozen: the plan recomputes on every edit
def dose_line(key: str, weight_kg: Optional[float], height_cm: Optional[float] = None, *,
              adult: bool = False, pregnancy: Optional[str] = "sex or age not recorded: taken as possible",
              weight_check: str = "", height_check: str = "") -> DoseLine:
    """The dose of `key` for this patient: no figures without a weight (and a height, per m²); none for an
    adult (§8.5: every figure here is from a paediatric source); capped at the source's maximum, with the
    arithmetic shown, when the computed dose exceeds it."""
    rule = DOSES[key]
    checks, checks_src = CHECKS.get(rule.checks, ((), ()))
    if rule.checks == "methotrexate":
        checks = methotrexate_checks(pregnancy)
    base = dict(drug=rule.drug, generic=rule.generic, per_kg=rule.per_kg, maximum=rule.maximum,
                schedule=rule.schedule, source=sources_text(rule.source_keys), note=VERIFY_FORMULARY,
                before_starting=list(checks), before_starting_source=sources_text(checks_src))
    if rule.basis == "protocol":
        return DoseLine(**base)
    if adult:
        return DoseLine(**base, withheld=ADULT_DOSING)
    missing = [] if weight_kg is not None else ["patient.weight_kg"]
    if rule.basis == "m2" and height_cm is None:
        missing.append("patient.height_cm")
    if missing:
        return DoseLine(**base, missing=missing)
    # The entry checks of the weight (§8 v3, §13.3 v4), and of the height for an amount per m² (§13.3 v4),
    # shown on every amount computed from them until the value changes.
    base["weight_check"] = "; ".join(c for c in (weight_check, height_check if rule.basis == "m2" else "") if c)
    if rule.basis == "m2":
        size, size_unit = bsa_m2_decimal(height_cm, weight_kg), "m²"
        basis_note = (f" (body-surface area {float(size):.2f} m², Mosteller: √({fmt_kg(height_cm)} cm × "
                      f"{fmt_kg(weight_kg)} kg / 3600))")
    else:
        size, size_unit, basis_note = dec(weight_kg), "kg", ""
    low, high = dec(rule.low) * size, dec(rule.high) * size  # decimal: 0.05 × 5.8 is 0.29 (§8 v4)
    # The maximum in the unit of one computed amount (a daily maximum over doses for a per-dose figure).
    cap = None
    if rule.max_mg is not None:
        cap = dec(rule.max_mg) / rule.doses_per_day if rule.max_per == "day" and rule.per == "dose" \
            else dec(rule.max_mg)
    max_mg, max_per = rule.max_mg, rule.max_per
    extra = ""
    if rule.max_mg_kg_year is not None:
        extra = (f"; cumulative maximum {rule.max_mg_kg_year:g} mg/kg/year × {fmt_kg(weight_kg)} kg = "
                 f"{fmt_mg(dec(rule.max_mg_kg_year) * dec(weight_kg))} mg/year")
    daily = rule.per == "dose" and rule.doses_per_day > 1
    if cap is None or high <= cap:  # decimal: no float slack needed
        computed = f"{_range(low, high)} {rule.unit_text}"
        if daily:
            computed += f" ({_range(low * rule.doses_per_day, high * rule.doses_per_day)} mg/day)"
        lo, hi = amount_range(low, high)
        amount = DoseAmount(low_mg=lo, high_mg=hi, per=rule.per, max_mg=max_mg, max_per=max_per)
        return DoseLine(**base, computed=computed + basis_note + extra, amount=amount)
    # Above the stated maximum: cap, and show why (the top of the range × weight or BSA > maximum).
    low_c, high_c = min(low, cap), cap
    per_unit = ("mg/kg" if size_unit == "kg" else "mg/m²") + ("/day" if rule.per == "day" else "")
    top_unit = {"day": "mg/day", "week": "mg/week"}.get(rule.per, rule.unit_text)
    # The arithmetic to one decimal, so that it shows why it exceeds the maximum (50.4 > 50, not 50 > 50).
    top = f"{rule.high:g} {per_unit} × {fmt_kg(float(round(size, 2)))} {size_unit} = {float(round(high, 1)):g} {top_unit}"
    computed = f"{_range(low_c, high_c)} {rule.unit_text}"
    if daily:
        top += f" = {float(round(high * rule.doses_per_day, 1)):g} mg/day"
        computed += f" ({_range(low_c * rule.doses_per_day, high_c * rule.doses_per_day)} mg/day)"
    computed += f" — capped: {top} > {_max_words(rule)}, so capped at {float(cap):g} {rule.unit_text}"
    lo, hi = amount_range(low_c, high_c)
    amount = DoseAmount(low_mg=lo, high_mg=hi, per=rule.per, max_mg=max_mg, max_per=max_per, capped=True)
    return DoseLine(**base, computed=computed + basis_note + extra, capped=True, amount=amount)


def _max_words(rule: DoseRule) -> str:
    """The maximum that capped the amount (pamidronate's yearly limit is stated separately)."""
    return rule.maximum.split(";")[0]


def dose_lines(keys: list[str], weight_kg: Optional[float], height_cm: Optional[float] = None, *,
               adult: bool = False, pregnancy: Optional[str] = "sex or age not recorded: taken as possible",
               weight_check: str = "", height_check: str = "") -> list[DoseLine]:
    return [dose_line(k, weight_kg, height_cm, adult=adult, pregnancy=pregnancy, weight_check=weight_check,
                      height_check=height_check) for k in keys]
