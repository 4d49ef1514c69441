""""Now" at follow-up (clinical-rules.md §13.1): the latest visit, the reference date, the treatments
current at a date, the latest weight and height, and the case as of an earlier visit.

Small pure helpers shared by course/ and (later) plan/; they never raise on incomplete data.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterator, Optional, Sequence

from desktop_app.case.models import Case, LabValue, Treatment, Visit
from desktop_app.case.visits import first_seen_at_visit, ordered_visits
from desktop_app.course.meaning import decimal_canonical

# §13.1: drugs match by lower-case generic name; a salt is its drug; these are the same drug.
_SALT_WORDS = frozenset({"sodium", "disodium", "potassium", "lysine", "hydrochloride", "hcl",
                         "sulfate", "sulphate", "monohydrate", "trihydrate", "salt"})
_SAME_DRUG = {"zoledronate": "zoledronic acid", "zoledronic": "zoledronic acid",
              "sulphasalazine": "sulfasalazine", "pamidronic acid": "pamidronate"}


@functools.lru_cache(maxsize=512)  # pure; called per treatment per point of the course
def drug_key(name: str) -> str:
    """"Naproxen Sodium" → "naproxen"; "Zoledronate" → "zoledronic acid"; "" stays ""."""
    words = [w for w in re.split(r"\s+", (name or "").strip().lower()) if w]
    while len(words) > 1 and words[-1] in _SALT_WORDS:
        words.pop()
    text = " ".join(words)
    return _SAME_DRUG.get(text, text)


_QUANTUM = {places: Decimal(1).scaleb(-places) for places in range(7)}


def round_half_away(x: float, places: int) -> float:
    """Rounding half away from zero (§13.3): 0.125 → 0.13, −71.45 → −71.5 (not banker's rounding)."""
    text = repr(x)
    point = text.find(".")
    if point >= 0 and "e" not in text and len(text) - point - 1 <= places:
        return x  # already has at most `places` decimals: rounding would give the same float back
    q = _QUANTUM.get(places) or Decimal(1).scaleb(-places)
    d = Decimal(text).quantize(q, rounding=ROUND_HALF_UP)  # ROUND_HALF_UP rounds away from zero
    return float(d)


def latest_visit(case: Case) -> Optional[Visit]:
    order = ordered_visits(case)
    return order[-1] if order else None


def reference_date(case: Case) -> Optional[dt.date]:
    """The latest visit's date; without visits, the first consultation's date."""
    last = latest_visit(case)
    return last.date if last is not None else case.encounter.date


def is_current(t: Treatment, when: Optional[dt.date]) -> bool:
    """Started on or before `when` and not stopped by then (a drug stopped on that day is not current)."""
    if when is None or t.start_date is None or t.start_date > when:
        return False
    return t.end_date is None or t.end_date > when


def current_treatments(case: Case, when: Optional[dt.date]) -> list[Treatment]:
    """The treatments current at `when` (§13.1), in the file's order."""
    return [t for t in case.treatments if is_current(t, when)]


def weeks_on(t: Treatment, when: dt.date) -> float:
    """Weeks since the start: days / 7, one decimal (§13.3)."""
    assert t.start_date is not None
    return weeks_of_days((when - t.start_date).days)


def weeks_of_days(days: int) -> float:
    """round_half_away(days / 7, 1) in integers (called per treatment per point of the course): tenths of a
    week are days × 10 / 7, never exactly half-way (7 is odd), so rounding the remainder is exact."""
    tenths, rest = divmod(abs(days) * 10, 7)
    tenths += 2 * rest > 7
    return (tenths if days >= 0 else -tenths) / 10


@dataclass(frozen=True)
class BodySize:
    """The latest recorded weight and, separately, height, each with the date it was recorded."""

    weight_kg: Optional[float] = None
    weight_date: Optional[dt.date] = None
    height_cm: Optional[float] = None
    height_date: Optional[dt.date] = None


def latest_weight(case: Case) -> BodySize:
    """§13.1: a visit's weight, else `patient.weight_kg` (recorded on `encounter.date`); height likewise."""
    w, wd = case.patient.weight_kg, case.encounter.date
    h, hd = case.patient.height_cm, case.encounter.date
    if w is None:
        wd = None
    if h is None:
        hd = None
    for v in ordered_visits(case):
        if v.weight_kg is not None:
            w, wd = v.weight_kg, v.date
        if v.height_cm is not None:
            h, hd = v.height_cm, v.date
    return BodySize(w, wd, h, hd)


def case_as_of(case: Case, visit_id: Optional[str]) -> Case:
    """The case as of a point (§13.1 v4, §13.7 items 15 and 32, "the plan as of an earlier point"): a note
    never shows what had not happened yet.

    `None` (or an id no visit has) is the first consultation: no visits, cut at `encounter.date`. Else
    the point is that visit, cut at its date. Left out: later visits (with their mimics and lesion
    findings), lesions first seen at them, treatments started after the cut, the first consultation's lab
    values and the biopsies dated after it; a course that ended after the cut is running then (no end,
    response or stop reason yet). Undated items are kept, and so are a kept visit's own lab values (item
    32: a value dated after its visit counts as of the reference date — here the point's date; see
    `counted_date`). Without a cut date (no encounter date) only
    the visits and their new lesions are left out.
    """
    order = ordered_visits(case)
    ids = [v.id for v in order]
    keep = order[: ids.index(visit_id) + 1] if visit_id is not None and visit_id in ids else []
    cut = keep[-1].date if keep else case.encounter.date
    kept = {id(v) for v in keep}
    dropped_new = {les_id for les_id, v in first_seen_at_visit(case).items() if id(v) not in kept}
    visits = [v for v in case.visits if id(v) in kept]
    lesions = [les for les in case.imaging.lesions if les.id not in dropped_new]
    update: dict = {"visits": visits, "imaging": case.imaging.model_copy(update={"lesions": lesions})}
    if cut is not None:
        update["treatments"] = [_treatment_as_of(t, cut) for t in case.treatments
                                if t.start_date is None or t.start_date <= cut]
        update["biopsies"] = [b for b in case.biopsies if b.date is None or b.date <= cut]
        later = {name: None for name, lab in case.labs if isinstance(lab, LabValue) and lab.date is not None and lab.date > cut}
        if later:
            update["labs"] = case.labs.model_copy(update=later)
    return case.model_copy(update=update)


def _treatment_as_of(t: Treatment, cut: dt.date) -> Treatment:
    """A course that ended after `cut` was running then: no end, response or stop reason yet."""
    if t.end_date is None or t.end_date <= cut:
        return t
    return t.model_copy(update={"end_date": None, "response": None, "stop_reason": None})


@dataclass(frozen=True)
class DatedLab:
    analyte: str
    lab: LabValue
    date: Optional[dt.date]  # the date it counts as of: its own, else its point's (`counted_date`)
    visit: Optional[Visit]  # None for the first consultation

    @functools.cached_property
    def canonical(self) -> Decimal:
        """The value in the canonical unit, in Decimal (§13.7 items 1, 40), converted once per DatedLab
        however many thresholds it is compared with. A DatedLab is built per call, never kept."""
        return decimal_canonical(self.analyte, self.lab)


def dated_labs(case: Case, analyte: str, visits_only: bool = False) -> Iterator[DatedLab]:
    """Every recorded value of `analyte`, first consultation (unless `visits_only`) then visits in order."""
    return dated_labs_in(case, ordered_visits(case), analyte, visits_only)


def dated_labs_in(case: Case, order: Sequence[Visit], analyte: str, visits_only: bool = False) -> Iterator[DatedLab]:
    """`dated_labs` with the visits already in order (`ordered_visits(case)`): callers reading many
    analytes sort once."""
    return (DatedLab(analyte, lab, when, v) for lab, when, v in lab_values_in(case, order, analyte, visits_only))


def lab_dates_in(case: Case, order: Sequence[Visit], analyte: str) -> list[Optional[dt.date]]:
    """The dates of `dated_labs_in` alone (monitoring asks only when a test was done)."""
    return [when for _, when, _ in lab_values_in(case, order, analyte)]


def counted_date(own: Optional[dt.date], point: Optional[dt.date], ref: Optional[dt.date]) -> Optional[dt.date]:
    """The date a lab value counts as of: its own, else its point's — and never after the reference date
    (§13.7 item 32: a value dated after its visit is an entry check and counts as of the reference date,
    for the alerts, the monitoring and the as-of case alike; so it is never dropped as "in the future")."""
    when = own or point
    return ref if when is not None and ref is not None and when > ref else when


def _ref_of(case: Case, order: Sequence[Visit]) -> Optional[dt.date]:
    """The reference date of `order` (the visits of `case` in order, §13.1)."""
    return order[-1].date if order else case.encounter.date


LabEntry = tuple[LabValue, Optional[dt.date], Optional[Visit]]  # (value, the date it counts as of, its visit)


def lab_values_in(case: Case, order: Sequence[Visit], analyte: str, visits_only: bool = False) -> list[LabEntry]:
    """(value, date, visit) of every recorded value, first consultation (unless `visits_only`) then visits in
    order; the date is `counted_date`'s. A plain loop into a list: the course reads every analyte."""
    ref = _ref_of(case, order)
    out: list[LabEntry] = []
    if not visits_only:
        lab = getattr(case.labs, analyte)
        if lab is not None:
            out.append((lab, counted_date(lab.date, case.encounter.date, ref), None))
    for v in order:
        lab = getattr(v.labs, analyte)
        if lab is not None:
            when = lab.date or v.date  # a visit always has a date, and so has `ref` then
            out.append((lab, ref if when > ref else when, v))  # counted_date, inlined
    return out


def latest_at_visit(case: Case, analyte: str) -> Optional[DatedLab]:
    """The latest value of `analyte` recorded at a visit (§13.4: a result not repeated is not forgotten).
    By date; on one date, the later visit in order wins."""
    return latest_at_visit_in(case, ordered_visits(case), analyte)


def latest_at_visit_in(case: Case, order: Sequence[Visit], analyte: str) -> Optional[DatedLab]:
    """`latest_at_visit` with the visits already in order."""
    # A plain loop (no generator): the plan reads every analyte's latest value at every follow-up.
    best: Optional[tuple[LabValue, dt.date, Visit]] = None
    ref = _ref_of(case, order)
    for v in order:
        lab = getattr(v.labs, analyte)
        if lab is not None:
            when = lab.date or v.date  # a visit always has a date
            if when > ref:
                when = ref  # counted_date (item 32), inlined: the plan reads every analyte at every follow-up
            if best is None or when >= best[1]:
                best = (lab, when, v)
    return None if best is None else DatedLab(analyte, *best)


def latest_any_in(case: Case, order: Sequence[Visit], analyte: str) -> Optional[DatedLab]:
    """The latest value of `analyte` at any point, the first consultation included (§13.7 item 2: the drug
    alerts). By date; on one date, the later point in order wins (a visit over the first consultation)."""
    return with_first_consultation(case, order, analyte, latest_at_visit_in(case, order, analyte))


def with_first_consultation(case: Case, order: Sequence[Visit], analyte: str,
                            at_visit: Optional[DatedLab]) -> Optional[DatedLab]:
    """`latest_any_in` given the latest value at a visit (`latest_at_visit_in`), which callers may have."""
    lab = getattr(case.labs, analyte)
    if lab is None:
        return at_visit
    when = counted_date(lab.date, case.encounter.date, _ref_of(case, order))
    if at_visit is not None and (when is None or at_visit.date >= when):
        return at_visit
    return DatedLab(analyte, lab, when, None)


def value_on_in(case: Case, order: Sequence[Visit], analyte: str, when: dt.date) -> Optional[DatedLab]:
    """The value of `analyte` dated `when` (on one date, the later point in order wins)."""
    return value_on(analyte, lab_values_in(case, order, analyte), when)


def value_on(analyte: str, entries: Sequence[LabEntry], when: dt.date) -> Optional[DatedLab]:
    """`value_on_in` given the analyte's `lab_values_in`."""
    for lab, date, v in reversed(entries):
        if date == when:
            return DatedLab(analyte, lab, date, v)
    return None
