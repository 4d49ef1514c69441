"""Follow-up alerts (clinical-rules.md §13.4, rules v4 with §13.7): urgent first, then in table order.

Lab alerts read, per analyte, its latest value recorded at a visit (timeline.latest_at_visit); values
of the first consultation feed the §6 red flags instead — except the **drug alerts**, which read the
latest value at any point and also apply in a case without visits when a treatment is current at
`encounter.date` (§13 intro, items 2, 14, 39). Ranges: the lab's own limits, else the §7 default at the
age on the value's date; without either, only the §13.4 default thresholds (ALT, creatinine, calcium,
vitamin D) raise an alert, and the evidence says "no laboratory range entered". Every comparison is in
Decimal, in the canonical unit (items 1, 40).

Each alert lists the drugs it holds (item 28) and whether malignancy must be excluded again
(`needs_reexclusion`, §13.4 "Re-exclusion"; items 10, 27, 30).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable, Optional, Union

from desktop_app.case import labels, units
from desktop_app.case.models import Case, Lesion, Visit
from desktop_app.case.reference_ranges import LabReading, age_at, reading_of
from desktop_app.case.sources import source
from desktop_app.case.visits import first_seen_at_visit, mri_date_of, ordered_visits, visit_name
from desktop_app.course.drugs import (
    BISPHOSPHONATES, GLUCOCORTICOIDS, METHOTREXATE, NSAID_LINES, STEP3_DRUGS, SULFASALAZINE, TNF_INHIBITORS,
    drug_group, held_names,
)
from desktop_app.course.meaning import (
    ALT_DEFAULT_HIGH, CALCIUM_DEFAULT_LOW, SEVERE_HYPOCALCAEMIA_BELOW, VITAMIN_D_LOW, decimal_canonical,
    value_words,
)
from desktop_app.course.timeline import (
    DatedLab, counted_date, current_treatments, dated_labs_in, drug_key, latest_at_visit_in, with_first_consultation,
)
from desktop_app.course.types import Alert
from desktop_app.criteria.derived import FEVER_C
from desktop_app.criteria.red_flags import (
    AGGRESSIVE_FEATURES, NEUTROPHILS_BELOW, PLATELETS_BELOW, RULES_BY_ID, SEVERE_HB, WBC_BELOW,
)

# §6 (rules v3) and §13.4 v4 thresholds, compared in Decimal (item 40).
FEVER = Decimal(str(FEVER_C))
FEBRILE_NEUTROPENIA_AT_OR_BELOW = Decimal("0.5")  # ×10⁹/L, with a temperature ≥ 38.0 (NICE CG151)
SEVERE_NEUTROPENIA_BELOW = Decimal("1.0")  # ×10⁹/L (CTCAE v5.0 grade 3)
SEVERE_THROMBOCYTOPENIA_BELOW = Decimal("50")  # ×10⁹/L (CTCAE v5.0 grade 3)
WBC_LOW, NEUTROPHILS_LOW, PLATELETS_LOW = (Decimal(str(x)) for x in (WBC_BELOW, NEUTROPHILS_BELOW, PLATELETS_BELOW))
CREATININE_RISE = Decimal("1.3")  # more than 30 % above the lowest value in the 365 days before (BSR/BHPR 2017)
CREATININE_WINDOW_DAYS = 365
SCHWARTZ_K = Decimal("0.413")  # bedside Schwartz: eGFR = 0.413 × height (cm) / creatinine (mg/dL)
EGFR_BELOW = Decimal("60")  # mL/min/1.73 m² (BSR/BHPR 2017)
SCHWARTZ_AGES = (1, 18)  # ages 1–17
CREATININE_MG_DL = Decimal("88.4")  # µmol/L per mg/dL (case-format.md)
WEIGHT_LOSS_FRACTION = Decimal("0.9")  # at least 10 % below the highest weight
WEIGHT_WINDOW_DAYS = 365
RECENT_FEVER_DAYS = 7  # item 3: "within 7 days" = at most 7 days before the visit
ALT_NSAID_TIMES_HIGH = 3  # item 36: with a range, the NSAIDs are held above 3 × ref_high

MTX_SSZ = (METHOTREXATE, SULFASALAZINE)
# Item 30: a cytopenia or neutropenia on none of these is "unexplained".
EXPLAINING_GROUPS = (METHOTREXATE, SULFASALAZINE, "tnf_inhibitor")
IMMUNOSUPPRESSION = ("tnf_inhibitor", METHOTREXATE, SULFASALAZINE, "glucocorticoid")  # item 3
REEXCLUSION_HOLDS = GLUCOCORTICOIDS + STEP3_DRUGS  # §13.4: prednisone and every step-3 line
NO_RANGE = "no laboratory range entered"
BIOPSY_NOT_SETTLED = "did not settle it: repeat the biopsy or discuss at a multidisciplinary (tumour) meeting"

_ACR2021 = source("acr2021_jia").short


@dataclass(frozen=True)
class _Hit:
    """A raised rule: its evidence and what this case changes in it."""
    evidence: str
    tier: Optional[str] = None  # None: the rule's
    action: Optional[str] = None
    holds: Optional[tuple[str, ...]] = None  # None: the rule's
    finding_visit: Optional[Visit] = None  # set when the alert needs malignancy excluded again


_Result = Union[None, str, _Hit]


@dataclass(frozen=True)
class _Rule:
    id: str
    tier: str
    label: str
    action: str
    source: str
    holds: tuple[str, ...]
    check: Callable[["_Ctx"], _Result]


class _Ctx:
    """What the rules read, each worked out once: the case, its visits in order (maybe none), the groups
    of the treatments current at the reference date, the latest values."""

    def __init__(self, case: Case, order: list[Visit]):
        self.case = case
        self.order = order
        self.index = {id(v): i for i, v in enumerate(order)}
        self.last: Optional[Visit] = order[-1] if order else None
        self.ref = self.last.date if self.last is not None else case.encounter.date
        self.current = current_treatments(case, self.ref)
        self.groups = {drug_group(t) for t in self.current}
        self.new_at = first_seen_at_visit(case, order)
        self.with_findings = [v for v in order if v.lesion_findings]  # item 12: the visits that record any
        self._latest: dict[tuple[str, bool], Optional[DatedLab]] = {}

    def latest(self, analyte: str, any_point: bool = False) -> Optional[DatedLab]:
        """The latest value at a visit, or (drug alerts) at any point, the first consultation included."""
        key = (analyte, any_point)
        if key not in self._latest:
            self._latest[key] = (with_first_consultation(self.case, self.order, analyte, self.latest(analyte))
                                 if any_point else latest_at_visit_in(self.case, self.order, analyte))
        return self._latest[key]

    def reading(self, d: DatedLab) -> LabReading:
        return reading_of(d.analyte, d.lab, age_at(self.case, d.date), self.case.patient.sex)

    def on(self, *groups: str) -> bool:
        return any(g in self.groups for g in groups)

    def names_on(self, *groups: str) -> list[str]:
        return list(dict.fromkeys(drug_key(t.drug) for t in self.current if drug_group(t) in groups))

    def run_start(self, analyte: str, d: DatedLab, shows: Callable[[Decimal], bool]) -> Optional[Visit]:
        """The finding's visit (§13.1): the first visit of the unbroken run of visits whose value shows it,
        ending at `d`'s visit; visits without a value neither extend nor break the run."""
        if d.visit is None:
            return None
        start = d.visit
        for v in reversed(self.order[: self.index[id(d.visit)]]):
            lab = getattr(v.labs, analyte)
            if lab is None:
                continue
            if not shows(decimal_canonical(analyte, lab)):
                break
            start = v
        return start

    def run_lowest(self, d: DatedLab, start: Visit) -> Optional[DatedLab]:
        """The lowest value of the run from `start` to `d`'s visit when it is below `d`'s (the earliest of
        equal lows), else None."""
        low, low_value = None, decimal_canonical(d.analyte, d.lab)
        for v in self.order[self.index[id(start)]: self.index[id(d.visit)]]:
            lab = getattr(v.labs, d.analyte)
            if lab is not None and (value := decimal_canonical(d.analyte, lab)) < low_value:
                low, low_value = DatedLab(d.analyte, lab, counted_date(lab.date, v.date, self.ref), v), value
        return low

    def reexcluded(self, finding: Visit) -> Optional[Visit]:
        """The visit at or after the finding's that records malignancy excluded, when the latest record
        from then on says excluded (§13.1: an exclusion recorded before the finding did not see it)."""
        last: Optional[tuple[bool, Visit]] = None
        for v in self.order[self.index[id(finding)]:]:
            if v.mimics.malignancy is not None:
                last = (v.mimics.malignancy, v)
        return last[1] if last is not None and last[0] is False else None


def _where(d: DatedLab) -> str:
    return f"at {visit_name(d.visit)}" if d.visit is not None else "at the first consultation"


def _lab(d: DatedLab) -> str:
    """"ALT 96 U/L" in the unit entered."""
    return value_words(d.analyte, d.lab)


def _val(d: DatedLab) -> Decimal:
    return d.canonical


def _fmt(x: Decimal) -> str:
    return units.fmt_number(float(x))


def _since(c: _Ctx, d: DatedLab, start: Optional[Visit]) -> str:
    """" (since the visit of …)" when the run began at an earlier visit (one marrow covers the run), with
    the run's lowest value when an earlier one was lower than the latest (§13.7 item 27: a worse value in
    the same run updates the evidence, and a better one after it does not hide it)."""
    if start is None or start is d.visit:
        return ""
    low = c.run_lowest(d, start)
    lowest = ""
    if low is not None:
        dated = "" if low.date == low.visit.date else f" (dated {low.date.isoformat()})"
        lowest = f"; lowest in this run: {_lab(low)} at {visit_name(low.visit)}{dated}"
    return f" (since {visit_name(start)}{lowest})"


# ---- urgent ----------------------------------------------------------------------------------------

def _blasts(c: _Ctx) -> _Result:
    for v in reversed(c.order):
        if v.labs.peripheral_smear_blasts is not None:
            return f"blasts on the blood film at {visit_name(v)}" if v.labs.peripheral_smear_blasts else None
    return None


def _severe_anaemia(c: _Ctx) -> _Result:
    d = c.latest("hemoglobin")
    if d is None:
        return None
    age = age_at(c.case, d.date)
    # The §6 table's WHO cut-offs (one definition, criteria/red_flags.py): the last band the age has reached.
    limit = None if age is None else next((below for start, below in reversed(SEVERE_HB) if age >= start), None)
    if limit is None or _val(d) >= Decimal(str(limit)):
        return None
    return f"{_lab(d)} below {units.fmt_number(limit)} g/L {_where(d)}"


def _lineages(c: _Ctx) -> list[str]:
    """The low lineages at the latest visit values (§6 `bicytopenia`; the white cells count once)."""
    out = []
    hb = c.latest("hemoglobin")
    if hb is not None and c.reading(hb).status == "low":
        out.append(f"{_lab(hb)} below range ({c.reading(hb).range_text}) {_where(hb)}")
    white = [f"{_lab(d)} < {_fmt(limit)} ×10⁹/L {_where(d)}"
             for analyte, limit in (("wbc", WBC_LOW), ("neutrophils", NEUTROPHILS_LOW))
             if (d := c.latest(analyte)) is not None and _val(d) < limit]
    if white:
        out.append("; ".join(white))
    plt = c.latest("platelets")
    if plt is not None and _val(plt) < PLATELETS_LOW:
        out.append(f"{_lab(plt)} < {_fmt(PLATELETS_LOW)} ×10⁹/L {_where(plt)}")
    return out


def _bicytopenia(c: _Ctx) -> _Result:
    low = _lineages(c)
    return "; ".join(low) if len(low) >= 2 else None


def _blood_count(c: _Ctx, analyte: str, *drug_groups: str) -> Optional[DatedLab]:
    """A blood count's latest value: at any point while on a drug the alert names (item 2), else at a visit."""
    return c.latest(analyte, any_point=c.on(*drug_groups))


def _neutrophils(c: _Ctx) -> Optional[DatedLab]:
    return _blood_count(c, "neutrophils", *EXPLAINING_GROUPS)


def _latest_temperature(c: _Ctx) -> tuple[Optional[Decimal], Optional[dt.date], str]:
    """(temperature, its date or None when not recorded, where) — the latest visit's only (item 3); in a
    case without visits, the first consultation's (item 39)."""
    if c.last is None:
        t = c.case.symptoms.max_temperature_c
        return (None if t is None else Decimal(str(t))), None, "at the first consultation"
    v = c.last
    if v.max_temperature_c is None:
        return None, None, ""
    when = v.max_temperature_date
    if when is not None and when > v.date:
        when = None  # item 32: a date after the visit is an entry check, read as not recorded
    return Decimal(str(v.max_temperature_c)), when, f"at {visit_name(v)}"


def _febrile(c: _Ctx) -> bool:
    d = _neutrophils(c)
    if c.last is None or d is None or _val(d) > FEBRILE_NEUTROPENIA_AT_OR_BELOW:
        return False
    temp, _, _ = _latest_temperature(c)
    return temp is not None and temp >= FEVER


def _unexplained_neutropenia(c: _Ctx, d: DatedLab, shows: Callable[[Decimal], bool]) -> Optional[Visit]:
    """The finding's visit when the neutropenia is unexplained (item 30: on none of methotrexate,
    sulfasalazine or a TNF inhibitor), else None."""
    return None if c.on(*EXPLAINING_GROUPS) else c.run_start("neutrophils", d, shows)


def _febrile_neutropenia(c: _Ctx) -> _Result:
    if not _febrile(c):
        return None
    d = _neutrophils(c)
    temp, _, where = _latest_temperature(c)
    start = c.run_start("neutrophils", d, lambda x: x <= FEBRILE_NEUTROPENIA_AT_OR_BELOW)
    return _Hit(f"{_lab(d)} {_where(d)}{_since(c, d, start)}; highest temperature {_fmt(temp)} °C {where}",
                finding_visit=_unexplained_neutropenia(c, d, lambda x: x <= FEBRILE_NEUTROPENIA_AT_OR_BELOW))


def _severe_neutropenia(c: _Ctx) -> _Result:
    d = _neutrophils(c)
    if d is None or _val(d) >= SEVERE_NEUTROPENIA_BELOW or _febrile(c):
        return None
    shows = lambda x: x < SEVERE_NEUTROPENIA_BELOW  # noqa: E731
    start = c.run_start("neutrophils", d, shows)
    return _Hit(f"{_lab(d)} < {_fmt(SEVERE_NEUTROPENIA_BELOW)} ×10⁹/L {_where(d)}{_since(c, d, start)}",
                finding_visit=_unexplained_neutropenia(c, d, shows))


def _severe_thrombocytopenia(c: _Ctx) -> _Result:
    d = _blood_count(c, "platelets", *EXPLAINING_GROUPS, "nsaid")
    if d is None or _val(d) >= SEVERE_THROMBOCYTOPENIA_BELOW:
        return None
    return f"{_lab(d)} < {_fmt(SEVERE_THROMBOCYTOPENIA_BELOW)} ×10⁹/L {_where(d)}"


def _calcium(c: _Ctx) -> Optional[DatedLab]:
    # A drug alert on a bisphosphonate (item 2); otherwise a visit's value still raises the severe one.
    return c.latest("calcium", any_point=c.on("bisphosphonate"))


def _severe_hypocalcaemia(c: _Ctx) -> _Result:
    d = _calcium(c)
    if d is None or _val(d) >= SEVERE_HYPOCALCAEMIA_BELOW:
        return None
    return f"{_lab(d)} below {_fmt(SEVERE_HYPOCALCAEMIA_BELOW)} mmol/L (7.6 mg/dL) {_where(d)}"


def _first_seen_features(c: _Ctx, features: tuple[str, ...]) -> list[tuple[Lesion, Visit, list[str]]]:
    """Each lesion with features first recorded at a visit: a lesion `new` at a visit with them, or a known
    lesion whose `lesion_findings` record them at a visit (item 12) — the first such visit."""
    out = []
    for les in c.case.imaging.lesions:
        v = c.new_at.get(les.id)
        if v is not None:
            feats = [k for k in features if getattr(les, k, None)]
            if feats:
                out.append((les, v, feats))
                continue
        for w in c.with_findings:
            f = w.lesion_findings.get(les.id)
            feats = [] if f is None else [k for k in features if getattr(f, k)]
            if feats:
                out.append((les, w, feats))
                break
    return out


def _diagnostic(b, visit: Visit) -> bool:
    """Item 11: a biopsy that settles a new aggressive lesion."""
    return (b.on_antibiotics_at_biopsy is False and b.histology == "chronic_inflammation"
            and b.culture == "negative" and b.mycobacterial_culture != "positive")


def _new_aggressive_lesion(c: _Ctx) -> _Result:
    parts = []
    for les, v, feats in _first_seen_features(c, AGGRESSIVE_FEATURES):
        since = mri_date_of(v) or v.date
        biopsies = [b for b in c.case.biopsies if b.lesion_id == les.id and b.date is not None and b.date >= since]
        if any(_diagnostic(b, v) for b in biopsies):
            continue
        words = ", ".join(labels.field_label(f"lesion.{k}").lower() for k in feats)
        name = labels.lesion_label(les.bone, les.side, les.level)
        tail = (f"the biopsy of {max(b.date for b in biopsies).isoformat()} {BIOPSY_NOT_SETTLED}" if biopsies
                else "no biopsy of it since")
        parts.append(f"{name} ({les.id}): {words} at {visit_name(v)}; {tail}")
    return "; ".join(parts) or None


def _fever(c: _Ctx) -> _Result:
    temp, when, where = _latest_temperature(c)
    if temp is None or temp < FEVER or _febrile(c):
        return None
    if c.last is None and not c.on(*IMMUNOSUPPRESSION):
        return None  # item 39: at the first consultation only on these drugs (§6 `fever` otherwise)
    evidence = f"highest temperature {_fmt(temp)} °C {where}"
    if when is not None and (c.last.date - when).days > RECENT_FEVER_DAYS:
        older = f"fever on {when.isoformat()}, since the last visit: ask about infections since"
        return _Hit(f"{evidence} (on {when.isoformat()})", tier="act", action=older[0].upper() + older[1:], holds=())
    if when is None and c.last is not None:
        evidence += " (date not recorded: read as within 7 days)"
    action = None
    if c.on(SULFASALAZINE):
        action = _FEVER_ACTION + "; on sulfasalazine: full blood count the same day (agranulocytosis)"
    return _Hit(evidence, tier="urgent" if c.on(*IMMUNOSUPPRESSION) else "act", action=action)


# ---- act -------------------------------------------------------------------------------------------

def _cytopenia(c: _Ctx) -> _Result:
    parts, starts = [], []
    for analyte, limit, groups in (("wbc", WBC_LOW, EXPLAINING_GROUPS), ("neutrophils", NEUTROPHILS_LOW, None),
                                   ("platelets", PLATELETS_LOW, EXPLAINING_GROUPS + ("nsaid",))):
        d = _neutrophils(c) if groups is None else _blood_count(c, analyte, *groups)
        if d is None or _val(d) >= limit:
            continue
        if analyte == "neutrophils" and (_val(d) < SEVERE_NEUTROPENIA_BELOW or _febrile(c)):
            continue  # only the most severe neutrophil alert (§13.4)
        start = c.run_start(analyte, d, lambda x, limit=limit: x < limit)
        parts.append(f"{_lab(d)} < {_fmt(limit)} ×10⁹/L {_where(d)}{_since(c, d, start)}")
        starts.append(start)
    if not parts:
        return None
    drugs = c.names_on(METHOTREXATE, SULFASALAZINE)
    if c.on(*EXPLAINING_GROUPS):
        on = (f"on {' and '.join(drugs)}: reduce or withhold it per protocol" if drugs
              else "on a TNF inhibitor: discuss with the specialist team")
        return _Hit("; ".join(parts), action=f"Repeat full blood count with film; {on}")
    # Unexplained: the exclusion must have seen every low lineage, so the latest run start is the finding's.
    visits = [s for s in starts if s is not None]
    finding = max(visits, key=lambda v: c.index[id(v)]) if visits else None
    return _Hit("; ".join(parts), action="Repeat full blood count with film; unexplained (on neither methotrexate "
                "nor sulfasalazine): re-exclude malignancy (bone marrow examination)", finding_visit=finding)


def _anaemia(c: _Ctx) -> _Result:
    d = c.latest("hemoglobin")
    if d is None:
        return None
    r = c.reading(d)
    return f"{_lab(d)} below range ({r.range_text}) {_where(d)}" if r.status == "low" else None


def _range(d: DatedLab) -> str:
    unit = labels.unit_label(d.lab.unit)
    high = f"{units.fmt_number(d.lab.ref_high)} {unit}"
    return f"upper limit {high}" if d.lab.ref_low is None else f"range {units.fmt_number(d.lab.ref_low)}–{high}"


def _drug_value(c: _Ctx, analyte: str, *groups: str) -> Optional[tuple[DatedLab, Decimal]]:
    """A drug alert's value: the latest at any point (item 2) while on a drug of `groups`, with the value in
    the canonical unit; None off those drugs or when never recorded."""
    if not c.on(*groups):
        return None
    d = c.latest(analyte, any_point=True)
    return None if d is None else (d, _val(d))


def _raised_alt(c: _Ctx) -> _Result:
    found = _drug_value(c, "alt", *MTX_SSZ, "nsaid")
    if found is None:
        return None
    d, value = found
    if d.lab.ref_high is not None:
        high = Decimal(str(d.lab.ref_high))
        if value <= high:
            return None
        nsaids = value > ALT_NSAID_TIMES_HIGH * high  # item 36
        evidence = f"{_lab(d)} ({_range(d)}) {_where(d)}"
    else:
        if value <= ALT_DEFAULT_HIGH:
            return None
        nsaids = True
        evidence = f"{_lab(d)}, above {_fmt(ALT_DEFAULT_HIGH)} U/L {_where(d)}: {NO_RANGE}"
    return _Hit(evidence, holds=MTX_SSZ + (NSAID_LINES if nsaids else ()))


def _height_on(case: Case, order: list[Visit], when: Optional[dt.date]) -> Optional[Decimal]:
    """The latest height recorded on or before `when` (first consultation or visit)."""
    best = case.patient.height_cm if (when is None or (case.encounter.date or dt.date.min) <= when) else None
    for v in order:
        if v.height_cm is not None and (when is None or v.date <= when):
            best = v.height_cm
    return None if best is None else Decimal(str(best))


def _raised_creatinine(c: _Ctx) -> _Result:
    found = _drug_value(c, "creatinine", "nsaid", "bisphosphonate")
    if found is None:
        return None
    d, value = found
    if d.lab.ref_high is not None:
        return f"{_lab(d)} ({_range(d)}) {_where(d)}" if value > Decimal(str(d.lab.ref_high)) else None
    phrase = creatinine_beyond_default(c.case, c.order, d)
    return f"{_lab(d)} {_where(d)}, {phrase}: {NO_RANGE}" if phrase else None


def creatinine_beyond_default(case: Case, order: list[Visit], d: DatedLab) -> Optional[str]:
    """Why a creatinine without a range is beyond the §13.4 default, in words, else None: more than 30 %
    above the lowest value in the 365 days before it, or (a first value) a bedside Schwartz eGFR below 60
    (item 26). The alert and the monitoring line's meaning (item 21) both read it."""
    value = _val(d)
    earlier = [e for e in dated_labs_in(case, order, "creatinine")
               if e.date is not None and d.date is not None and e.date < d.date
               and (d.date - e.date).days <= CREATININE_WINDOW_DAYS]
    if earlier:
        low = min(earlier, key=_val)
        if value > _val(low) * CREATININE_RISE:
            return (f"more than 30 % above the lowest value in the 365 days before it "
                    f"({_lab(low)} on {low.date.isoformat()})")
        return None
    age = age_at(case, d.date)
    height = _height_on(case, order, d.date)
    if age is None or not SCHWARTZ_AGES[0] <= age < SCHWARTZ_AGES[1] or height is None or value == 0:
        return None
    egfr = SCHWARTZ_K * height / (value / CREATININE_MG_DL)
    if egfr >= EGFR_BELOW:
        return None
    return (f"bedside Schwartz eGFR {_fmt(round(egfr, 1))} mL/min/1.73 m² (height {_fmt(height)} cm), "
            f"below {_fmt(EGFR_BELOW)}")


def _low_calcium(c: _Ctx) -> _Result:
    if not c.on("bisphosphonate"):
        return None
    d = _calcium(c)
    if d is None or _val(d) < SEVERE_HYPOCALCAEMIA_BELOW:
        return None  # only one calcium alert: the severe one
    if d.lab.ref_low is not None:
        if d.lab.value >= d.lab.ref_low:
            return None
        return f"{_lab(d)} below the laboratory's lower limit {units.fmt_number(d.lab.ref_low)} {_where(d)}"
    if _val(d) >= CALCIUM_DEFAULT_LOW:
        return None
    return f"{_lab(d)} below {_fmt(CALCIUM_DEFAULT_LOW)} mmol/L (8.4 mg/dL) {_where(d)}: {NO_RANGE}"


def _low_vitamin_d(c: _Ctx) -> _Result:
    found = _drug_value(c, "vitamin_d_25oh", "bisphosphonate")
    if found is None or found[1] >= VITAMIN_D_LOW:
        return None
    d, value = found
    converted = "" if d.lab.unit == "nmol/L" else f" ({_fmt(value)} nmol/L)"
    return f"{_lab(d)}{converted} below {_fmt(VITAMIN_D_LOW)} nmol/L {_where(d)}"


def _weights(c: _Ctx) -> list[tuple[dt.date, Decimal, Optional[Visit]]]:
    out = []
    if c.case.patient.weight_kg is not None and c.case.encounter.date is not None:
        out.append((c.case.encounter.date, Decimal(str(c.case.patient.weight_kg)), None))
    out += [(v.date, Decimal(str(v.weight_kg)), v) for v in c.order if v.weight_kg is not None]
    return out


def _loss(weights: list[tuple[dt.date, Decimal, Optional[Visit]]], i: int) -> Optional[tuple[dt.date, Decimal]]:
    """The highest weight in the 365 days before weights[i] when weights[i] is at least 10 % below it."""
    when, kg, _ = weights[i]
    window = [(d, w) for d, w, _ in weights[:i] if d < when and (when - d).days <= WEIGHT_WINDOW_DAYS]
    if not window:
        return None
    top = max(window, key=lambda p: p[1])
    return top if kg <= top[1] * WEIGHT_LOSS_FRACTION else None


def _weight_loss(c: _Ctx) -> _Result:
    if c.last is None:
        return None
    weights = _weights(c)
    if not weights or weights[-1][2] is None:
        return None
    top = _loss(weights, len(weights) - 1)
    if top is None:
        return None
    i = len(weights) - 1
    while i > 0 and weights[i - 1][2] is not None and _loss(weights, i - 1) is not None:
        i -= 1  # the unbroken run of visits showing the loss
    when, kg, v = weights[-1]
    percent = (top[1] - kg) / top[1] * 100
    return _Hit(f"weight {_fmt(kg)} kg at {visit_name(v)}, {_fmt(round(percent, 1))} % below the highest in the "
                f"365 days before it ({_fmt(top[1])} kg on {top[0].isoformat()})", finding_visit=weights[i][2])


def _new_vertebral_collapse(c: _Ctx) -> _Result:
    found = [(les, v) for les, v, _ in _first_seen_features(c, ("vertebral_collapse",)) if les.bone == "vertebra"]
    if not found:
        return None
    parts = [f"new vertebral collapse at {les.level or les.id} ({les.id}) at {visit_name(v)}" for les, v in found]
    return _Hit("; ".join(parts), finding_visit=max((v for _, v in found), key=lambda v: c.index[id(v)]))


def _new_lesion(c: _Ctx) -> _Result:
    last = c.last
    if last is None:
        return None
    ids = [k for k, s in last.lesion_status.items() if s == "new"]
    by_id = {les.id: les for les in c.case.imaging.lesions}
    names = [labels.lesion_label(by_id[k].bone, by_id[k].side, by_id[k].level) for k in ids if k in by_id]
    if not names:
        return None
    return f"new lesion{'s' if len(names) > 1 else ''} at {visit_name(last)}: {', '.join(names)}"


_FBC_ACTION_6 = "Same-day haematology referral: blood film and bone marrow examination; no glucocorticoid before it"
_FEVER_ACTION = ("Assess for infection the same day (examination, blood culture, CRP, blood count); on "
                 "immunosuppression withhold the TNF inhibitor and methotrexate until infection is excluded; "
                 "no bisphosphonate infusion during an acute febrile illness")
_REEXCLUDE = "a re-exclusion of malignancy is needed"
_CTCAE, _BSR = source("ctcae5").short, source("bsr2017_dmard").short

RULES: tuple[_Rule, ...] = (
    _Rule("fu_blasts", "urgent", "Blasts on the blood film at a visit",
          "Same-day haematology/oncology referral; bone marrow examination; no glucocorticoid or NSAID before it",
          f"{source('standard_practice').short}; {source('bmj2004').short}", NSAID_LINES + GLUCOCORTICOIDS, _blasts),
    _Rule("fu_severe_anaemia", "urgent", "Severe anaemia at a visit",
          "Same-day blood film and haematology referral; bone marrow examination if unexplained; "
          "no glucocorticoid before it",
          f"{source('who_hb').short}; {source('bmj2004').short}", GLUCOCORTICOIDS, _severe_anaemia),
    _Rule("fu_bicytopenia", "urgent", "Two or more blood cell lines low at a visit",
          _FBC_ACTION_6 + "; on methotrexate: withhold it",
          f"{source('clinics2011').short}; {source('standard_practice').short}; {_ACR2021}",
          GLUCOCORTICOIDS + (METHOTREXATE,), _bicytopenia),
    _Rule("fu_febrile_neutropenia", "urgent", "Fever with neutrophils at or below 0.5 ×10⁹/L",
          "Same day: blood culture and antibiotics per the local neutropenic sepsis protocol; blood film; haematology",
          source("nice_cg151").short, MTX_SSZ + TNF_INHIBITORS, _febrile_neutropenia),
    _Rule("fu_severe_neutropenia", "urgent", "Neutrophils below 1.0 ×10⁹/L",
          "Same-day review: repeat full blood count with film; withhold methotrexate, sulfasalazine and TNF "
          "inhibitors; any fever → the neutropenic sepsis pathway; unexplained: re-exclude malignancy (bone marrow)",
          f"{_CTCAE} (neutrophil count decreased, grade 3: < 1.0 ×10⁹/L); {_BSR}",
          MTX_SSZ + TNF_INHIBITORS, _severe_neutropenia),
    _Rule("fu_severe_thrombocytopenia", "urgent", "Platelets below 50 ×10⁹/L",
          "Same-day review: repeat full blood count with film, haematology; withhold methotrexate and "
          "sulfasalazine; no NSAID",
          f"{_CTCAE} (platelet count decreased, grade 3: < 50 ×10⁹/L); {source('naproxen_label').short} (bleeding)",
          MTX_SSZ + NSAID_LINES, _severe_thrombocytopenia),
    _Rule("fu_severe_hypocalcaemia", "urgent", "Calcium below 1.9 mmol/L",
          "Same day: ionised calcium, ECG, symptoms (tetany, seizures); no bisphosphonate",
          f"{source('sfe_hypocalcaemia').short} (adult guidance, used conservatively)",
          BISPHOSPHONATES, _severe_hypocalcaemia),
    _Rule("fu_new_aggressive_lesion", "urgent", "New lesion with aggressive imaging features",
          "Malignancy or infection until proven otherwise: imaging review and biopsy (histology, and bacterial and "
          "mycobacterial culture) before any change of treatment (exclusions recorded earlier do not address it)",
          RULES_BY_ID["aggressive_imaging"].source, (), _new_aggressive_lesion),
    _Rule("fu_fever", "act", "Fever at a visit", _FEVER_ACTION,
          f"{source('tnf_labels').short} (serious infection: interrupt treatment); "
          f"{source('starship_bisphosphonate').short}; {source('fever_threshold').short}",
          TNF_INHIBITORS + MTX_SSZ + BISPHOSPHONATES, _fever),
    _Rule("fu_cytopenia", "act", "Low blood count at a visit",
          "Repeat full blood count with film; on methotrexate or sulfasalazine, reduce or withhold per protocol; "
          "unexplained: re-exclude malignancy (bone marrow)", f"{RULES_BY_ID['cytopenia'].source}; {_ACR2021}",
          MTX_SSZ, _cytopenia),
    _Rule("fu_anaemia", "act", "Haemoglobin below range at a visit",
          "Full blood count with film; consider NSAID gastrointestinal loss and inflammatory bowel disease",
          f"{source('clinics2011').short}; {source('naproxen_label').short}", (), _anaemia),
    _Rule("fu_raised_alt", "act",
          "ALT above the laboratory's range on methotrexate, sulfasalazine or an NSAID",
          "Reduce or withhold methotrexate (or sulfasalazine) per protocol; review the NSAID",
          f"{_ACR2021}; {_BSR} (ALT > 100 U/L: withhold and discuss)", MTX_SSZ, _raised_alt),
    _Rule("fu_raised_creatinine", "act",
          "Creatinine above the laboratory's range on an NSAID or a bisphosphonate",
          "Review the NSAID; no bisphosphonate infusion until renal function is assessed",
          f"{source('pamidronate_label').short}; {_BSR} (rise > 30 % over 12 months); "
          f"{source('schwartz2009').short} (bedside eGFR)", NSAID_LINES + BISPHOSPHONATES, _raised_creatinine),
    _Rule("fu_low_calcium", "act", "Low calcium on a bisphosphonate", "Correct before the next infusion",
          source("starship_bisphosphonate").short, BISPHOSPHONATES, _low_calcium),
    _Rule("fu_low_vitamin_d", "act", "Low 25-OH vitamin D on a bisphosphonate",
          "Replete vitamin D before the next infusion",
          f"{source('leeds_bisphosphonate').short}; {source('starship_bisphosphonate').short}", BISPHOSPHONATES,
          _low_vitamin_d),
    _Rule("fu_weight_loss", "act", "Weight loss of 10 % or more",
          "Unexplained weight loss: re-exclude malignancy, and ask about bowel symptoms (inflammatory bowel "
          "disease is associated with CNO); " + _REEXCLUDE,
          f"{source('product_rule').short}; {source('louvigne2020').short}; {source('grote2008').short}",
          (), _weight_loss),
    _Rule("fu_new_vertebral_collapse", "act", "New vertebral collapse",
          "Spine review (orthopaedics); full blood count with film before any glucocorticoid; exclude leukaemia and "
          "Langerhans cell histiocytosis: blood film, bone marrow, biopsy where the vertebra is accessible; "
          + _REEXCLUDE, f"{RULES_BY_ID['vertebral_collapse'].source}; {source('bmj2004').short}",
          (), _new_vertebral_collapse),
    _Rule("fu_new_lesion", "act", "New lesion at the latest visit",
          "Disease not controlled on the current treatment: review the plan (CTP eligibility)",
          source("zhao2018").short, (), _new_lesion),
)


def _alert(c: _Ctx, r: _Rule, hit: Union[str, _Hit]) -> Alert:
    h = hit if isinstance(hit, _Hit) else _Hit(hit)
    holds = r.holds if h.holds is None else h.holds
    evidence = h.evidence
    needs = False
    if h.finding_visit is not None:
        done = c.reexcluded(h.finding_visit)
        if done is None:
            needs = True
            holds = tuple(holds) + REEXCLUSION_HOLDS
            evidence += f"; malignancy not yet excluded again since {visit_name(h.finding_visit)}"
        else:
            evidence += f"; malignancy recorded as excluded again at {visit_name(done)}"
    return Alert(id=r.id, tier=h.tier or r.tier, label=r.label, evidence=evidence, action=h.action or r.action,
                 source=r.source, holds=held_names(holds, c.current), needs_reexclusion=needs)


def follow_up_alerts(case: Case, order: Optional[list[Visit]] = None) -> list[Alert]:
    """The raised alerts, urgent first then in table order. A case without visits gets only the drug
    alerts (and `fu_fever`, item 39) of a treatment current at `encounter.date`, else none (§13).
    `order`: the visits already in order, when the caller has them (the plan does)."""
    order = ordered_visits(case) if order is None else order
    ctx = _Ctx(case, order)
    if not order and not ctx.current:
        return []
    raised = [_alert(ctx, r, hit) for r in RULES if (hit := r.check(ctx))]
    raised.sort(key=lambda a: 0 if a.tier == "urgent" else 1)  # stable: table order within a tier
    return raised
