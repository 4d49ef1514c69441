"""Follow-up alerts (clinical-rules.md §13.4): urgent first, then in table order.

Lab alerts read, per analyte, its latest value recorded at a visit (timeline.latest_at_visit); values
of the first consultation feed the §6 red flags instead. Ranges: the lab's own limits, else the §7
default at the age on the value's date; where neither gives one the alert is not raised (except
where the table gives a default: calcium). Every threshold names its source.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from desktop_app.case import labels, units
from desktop_app.case.models import Case, Visit
from desktop_app.case.reference_ranges import LabReading, age_at, reading_of
from desktop_app.case.sources import source
from desktop_app.case.visits import first_seen_at_visit, ordered_visits, visit_name
from desktop_app.course.drugs import BISPHOSPHONATES, METHOTREXATE, NSAID_LINES, SULFASALAZINE, drug_group
from desktop_app.course.timeline import DatedLab, current_treatments, latest_at_visit_in
from desktop_app.course.types import Alert
from desktop_app.criteria.derived import FEVER_C
from desktop_app.criteria.red_flags import (
    AGGRESSIVE_FEATURES, NEUTROPHILS_BELOW, PLATELETS_BELOW, RULES_BY_ID, SEVERE_HB, WBC_BELOW,
)

# §6 (rules v3) thresholds, read here at the visit's values.
FEBRILE_NEUTROPENIA_AT_OR_BELOW = 0.5  # ×10⁹/L, with a temperature ≥ FEVER_C (NICE CG151)
LOW_CALCIUM_MMOL_L = 2.1  # default when the lab gives no ref_low (Starship guideline; 8.4 mg/dL)
LOW_VITAMIN_D = {"nmol/L": 50.0, "ng/mL": 20.0}  # compared in the unit entered (Leeds, Starship)
MTX_SSZ = (METHOTREXATE, SULFASALAZINE)

_ACR2021 = source("acr2021_jia").short


@dataclass(frozen=True)
class _Rule:
    id: str
    tier: str
    label: str
    action: str
    source: str
    holds: tuple[str, ...]
    check: Callable[["_Ctx"], Optional[str]]  # the evidence when raised


class _Ctx:
    """What the rules read: the case, its visits in order, its current treatments at the reference date,
    the latest visit values. Each is worked out once, not once per rule."""

    def __init__(self, case: Case, order: Optional[list[Visit]] = None):
        self.case = case
        # Not empty: follow_up_alerts returns early without visits.
        self.order = ordered_visits(case) if order is None else order
        self.last = self.order[-1]
        self.groups = {drug_group(t) for t in current_treatments(case, self.last.date)}
        self.new_at = first_seen_at_visit(case, self.order)
        self._latest: dict[str, Optional[DatedLab]] = {}

    def latest(self, analyte: str) -> Optional[DatedLab]:
        if analyte not in self._latest:
            self._latest[analyte] = latest_at_visit_in(self.case, self.order, analyte)
        return self._latest[analyte]

    def reading(self, d: DatedLab) -> LabReading:
        return reading_of(d.analyte, d.lab, age_at(self.case, d.date), self.case.patient.sex)

    def on(self, *groups: str) -> bool:
        return any(g in self.groups for g in groups)


def _where(d: DatedLab) -> str:
    return f"at {visit_name(d.visit)}" if d.visit is not None else ""


def _lab(d: DatedLab) -> str:
    """"ALT 96 U/L" in the unit entered."""
    return f"{labels.analyte_name(d.analyte)} {units.fmt_number(d.lab.value)} {labels.unit_label(d.lab.unit)}"


def _canon(d: DatedLab) -> float:
    return units.canonical(d.analyte, d.lab)


# ---- urgent ----------------------------------------------------------------------------------------

def _blasts(c: _Ctx) -> Optional[str]:
    for v in reversed(c.order):
        if v.labs.peripheral_smear_blasts is not None:
            return f"blasts on the blood film at {visit_name(v)}" if v.labs.peripheral_smear_blasts else None
    return None


def _severe_anaemia(c: _Ctx) -> Optional[str]:
    d = c.latest("hemoglobin")
    if d is None:
        return None
    age = age_at(c.case, d.date)
    # The §6 table's WHO cut-offs (one definition, criteria/red_flags.py): the last band the age has reached.
    limit = None if age is None else next((below for start, below in reversed(SEVERE_HB) if age >= start), None)
    if limit is None or _canon(d) >= limit:
        return None
    return f"{_lab(d)} below {units.fmt_number(limit)} g/L {_where(d)}"


def _lineages(c: _Ctx) -> list[str]:
    """The low lineages at the latest visit values (§6 `bicytopenia`; the white cells count once)."""
    out = []
    hb = c.latest("hemoglobin")
    if hb is not None and c.reading(hb).status == "low":
        out.append(f"{_lab(hb)} below range ({c.reading(hb).range_text}) {_where(hb)}")
    white = [f"{_lab(d)} < {units.fmt_number(limit)} ×10⁹/L {_where(d)}"
             for analyte, limit in (("wbc", WBC_BELOW), ("neutrophils", NEUTROPHILS_BELOW))
             if (d := c.latest(analyte)) is not None and _canon(d) < limit]
    if white:
        out.append("; ".join(white))
    plt = c.latest("platelets")
    if plt is not None and _canon(plt) < PLATELETS_BELOW:
        out.append(f"{_lab(plt)} < {units.fmt_number(PLATELETS_BELOW)} ×10⁹/L {_where(plt)}")
    return out


def _bicytopenia(c: _Ctx) -> Optional[str]:
    low = _lineages(c)
    if len(low) < 2:
        return None
    return "; ".join(low)


def _febrile_neutropenia(c: _Ctx) -> Optional[str]:
    d = c.latest("neutrophils")
    if d is None or d.visit is None or _canon(d) > FEBRILE_NEUTROPENIA_AT_OR_BELOW:
        return None
    # Conservative reading: a fever at the neutrophils' visit or at any later one.
    start = next(i for i, v in enumerate(c.order) if v is d.visit)
    fevers = [v for v in c.order[start:] if v.max_temperature_c is not None and v.max_temperature_c >= FEVER_C]
    if not fevers:
        return None
    v = fevers[-1]
    return (f"{_lab(d)} {_where(d)}; highest temperature {units.fmt_number(v.max_temperature_c)} °C "
            f"at {visit_name(v)}")


def _new_aggressive_lesion(c: _Ctx) -> Optional[str]:
    parts = []
    for les in c.case.imaging.lesions:
        v = c.new_at.get(les.id)
        if v is None:
            continue
        feats = [labels.field_label(f"lesion.{k}").lower() for k in AGGRESSIVE_FEATURES if getattr(les, k)]
        biopsied = any(b.lesion_id == les.id and b.date is not None and b.date >= v.date for b in c.case.biopsies)
        if feats and not biopsied:
            name = labels.lesion_label(les.bone, les.side, les.level)
            parts.append(f"{name} first seen at {visit_name(v)}: {', '.join(feats)}; no biopsy of it since")
    return "; ".join(parts) or None


# ---- act -------------------------------------------------------------------------------------------

def _cytopenia(c: _Ctx) -> Optional[str]:
    parts = [f"{_lab(d)} < {units.fmt_number(limit)} ×10⁹/L {_where(d)}"
             for analyte, limit in (("wbc", WBC_BELOW), ("neutrophils", NEUTROPHILS_BELOW),
                                    ("platelets", PLATELETS_BELOW))
             if (d := c.latest(analyte)) is not None and _canon(d) < limit]
    return "; ".join(parts) or None


def _anaemia(c: _Ctx) -> Optional[str]:
    d = c.latest("hemoglobin")
    if d is None:
        return None
    r = c.reading(d)
    return f"{_lab(d)} below range ({r.range_text}) {_where(d)}" if r.status == "low" else None


def _above_lab_high(c: _Ctx, analyte: str) -> Optional[str]:
    # No default range: only the lab's own upper limit (§13.4).
    d = c.latest(analyte)
    if d is None or d.lab.ref_high is None or d.lab.value <= d.lab.ref_high:
        return None
    unit = labels.unit_label(d.lab.unit)
    high = f"{units.fmt_number(d.lab.ref_high)} {unit}"
    limit = f"upper limit {high}" if d.lab.ref_low is None else f"range {units.fmt_number(d.lab.ref_low)}–{high}"
    return f"{_lab(d)} ({limit}) {_where(d)}"


def _raised_alt(c: _Ctx) -> Optional[str]:
    return _above_lab_high(c, "alt") if c.on(*MTX_SSZ, "nsaid") else None


def _raised_creatinine(c: _Ctx) -> Optional[str]:
    return _above_lab_high(c, "creatinine") if c.on("nsaid", "bisphosphonate") else None


def _low_calcium(c: _Ctx) -> Optional[str]:
    d = c.latest("calcium")
    if d is None or not c.on("bisphosphonate"):
        return None
    if d.lab.ref_low is not None:
        if d.lab.value >= d.lab.ref_low:
            return None
        return f"{_lab(d)} below the laboratory's lower limit {units.fmt_number(d.lab.ref_low)} {_where(d)}"
    # Compared in mmol/L: 8.4 mg/dL is 2.096 mmol/L, so this also catches 8.4 mg/dL and a little above.
    if _canon(d) >= LOW_CALCIUM_MMOL_L:
        return None
    return f"{_lab(d)} below {units.fmt_number(LOW_CALCIUM_MMOL_L)} mmol/L (8.4 mg/dL) {_where(d)}"


def _low_vitamin_d(c: _Ctx) -> Optional[str]:
    d = c.latest("vitamin_d_25oh")
    if d is None or not c.on("bisphosphonate"):
        return None
    limit = LOW_VITAMIN_D[d.lab.unit]
    if d.lab.value >= limit:
        return None
    return f"{_lab(d)} below {units.fmt_number(limit)} {labels.unit_label(d.lab.unit)} {_where(d)}"


def _new_lesion(c: _Ctx) -> Optional[str]:
    last = c.last
    ids = [k for k, s in last.lesion_status.items() if s == "new"]
    by_id = {les.id: les for les in c.case.imaging.lesions}
    names = [labels.lesion_label(by_id[k].bone, by_id[k].side, by_id[k].level) for k in ids if k in by_id]
    if not names:
        return None
    return f"new lesion{'s' if len(names) > 1 else ''} at {visit_name(last)}: {', '.join(names)}"


_FBC_ACTION_6 = "Same-day haematology referral: blood film and bone marrow examination; no glucocorticoid before it"

RULES: tuple[_Rule, ...] = (
    _Rule("fu_blasts", "urgent", "Blasts on the blood film at a visit",
          "Same-day haematology/oncology referral; bone marrow examination; no glucocorticoid or NSAID before it",
          f"{source('standard_practice').short}; {source('bmj2004').short}", (), _blasts),
    _Rule("fu_severe_anaemia", "urgent", "Severe anaemia at a visit",
          "Same-day blood film and haematology referral; bone marrow examination if unexplained; "
          "no glucocorticoid before it",
          f"{source('who_hb').short}; {source('bmj2004').short}", (), _severe_anaemia),
    _Rule("fu_bicytopenia", "urgent", "Two or more blood cell lines low at a visit",
          _FBC_ACTION_6 + "; on methotrexate: withhold it",
          f"{source('clinics2011').short}; {source('standard_practice').short}; {_ACR2021}", (), _bicytopenia),
    _Rule("fu_febrile_neutropenia", "urgent", "Fever with neutrophils at or below 0.5 ×10⁹/L",
          "Same day: blood culture and antibiotics per the local neutropenic sepsis protocol; blood film; haematology",
          source("nice_cg151").short, (), _febrile_neutropenia),
    _Rule("fu_new_aggressive_lesion", "urgent", "New lesion with aggressive imaging features",
          "Malignancy or infection until proven otherwise: imaging review and biopsy before any change of treatment "
          "(exclusions recorded earlier do not address it)",
          RULES_BY_ID["aggressive_imaging"].source, (),
          _new_aggressive_lesion),
    _Rule("fu_cytopenia", "act", "Low blood count at a visit",
          "Repeat full blood count with film; on methotrexate, reduce or withhold per protocol; unexplained: "
          "re-exclude malignancy (bone marrow)", f"{RULES_BY_ID['cytopenia'].source}; {_ACR2021}", MTX_SSZ, _cytopenia),
    _Rule("fu_anaemia", "act", "Haemoglobin below range at a visit",
          "Full blood count with film; unexplained: re-exclude malignancy; consider NSAID gastrointestinal blood "
          "loss and inflammatory bowel disease",
          f"{source('clinics2011').short}; {source('naproxen_label').short}", (), _anaemia),
    _Rule("fu_raised_alt", "act", "ALT above the laboratory's range on methotrexate, sulfasalazine or an NSAID",
          "Reduce or withhold methotrexate (or sulfasalazine) per protocol; review the NSAID", _ACR2021,
          MTX_SSZ, _raised_alt),
    _Rule("fu_raised_creatinine", "act", "Creatinine above the laboratory's range on an NSAID or a bisphosphonate",
          "Review the NSAID; no bisphosphonate infusion until renal function is assessed",
          source("pamidronate_label").short, NSAID_LINES + BISPHOSPHONATES, _raised_creatinine),
    _Rule("fu_low_calcium", "act", "Low calcium on a bisphosphonate", "Correct before the next infusion",
          source("starship_bisphosphonate").short, BISPHOSPHONATES, _low_calcium),
    _Rule("fu_low_vitamin_d", "act", "Low 25-OH vitamin D on a bisphosphonate",
          "Replete vitamin D before the next infusion",
          f"{source('leeds_bisphosphonate').short}; {source('starship_bisphosphonate').short}", BISPHOSPHONATES,
          _low_vitamin_d),
    _Rule("fu_new_lesion", "act", "New lesion at the latest visit",
          "Disease not controlled on the current treatment: review the plan (CTP eligibility)",
          source("zhao2018").short, (), _new_lesion),
)


def follow_up_alerts(case: Case, order: Optional[list[Visit]] = None) -> list[Alert]:
    """The raised alerts, urgent first then in table order; [] for a case without visits (§13).
    `order`: the visits already in order, when the caller has them (the plan does)."""
    if not case.visits:
        return []
    ctx = _Ctx(case, order)
    raised = [(r, ev) for r in RULES if (ev := r.check(ctx))]
    raised.sort(key=lambda pair: 0 if pair[0].tier == "urgent" else 1)  # stable: table order within a tier
    return [Alert(id=r.id, tier=r.tier, label=r.label, evidence=ev, action=r.action, source=r.source,
                  holds=list(r.holds)) for r, ev in raised]
