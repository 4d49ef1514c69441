"""Small builders shared by the criteria modules: items, boolean sets, and points scores."""
from __future__ import annotations

from typing import Iterable, Optional

from desktop_app.case.sources import source
from desktop_app.criteria.tristate import Tri, item_status
from desktop_app.criteria.types import CriteriaResult, ItemResult

# Lesion-feature wording for evidence strings.
ABSENT_WORD = {True: "yes", False: "no", None: "not recorded"}


def item(id: str, label: str, value: Tri, evidence: str, missing: Iterable[str] = (),
         points: Optional[float] = None) -> ItemResult:
    """An item; `missing` is kept only while the item is unknown (it is what would decide it)."""
    return ItemResult(id=id, label=label, status=item_status(value), points=points,
                      evidence=evidence, missing=_unique(missing) if value is None else [])


def _unique(paths: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(paths))


def set_missing(status: str, items: Iterable[ItemResult]) -> list[str]:
    """Paths whose entry could change the set's status: only while it is indeterminate."""
    if status != "indeterminate":
        return []
    return _unique(p for it in items if it.status == "unknown" for p in it.missing)


def score_result(*, id: str, name: str, source_key: str, items: list[ItemResult], threshold: float,
                 strictly_above: bool, threshold_label: str, notes: list[str]) -> CriteriaResult:
    """Points score: min = met items, max = met + unknown; met/not_met only when the range allows."""
    pmin = sum(it.points or 0 for it in items if it.status == "met")
    pmax = pmin + sum(it.points or 0 for it in items if it.status == "unknown")

    def passes(p: float) -> bool:
        return p > threshold if strictly_above else p >= threshold

    status = "met" if passes(pmin) else ("not_met" if not passes(pmax) else "indeterminate")
    return CriteriaResult(
        id=id, name=name, kind="score", source=source(source_key).citation, source_key=source_key,
        status=status, points=pmin if pmin == pmax else None, points_min=pmin, points_max=pmax,
        threshold=threshold, threshold_label=threshold_label, items=items,
        missing=set_missing(status, items), notes=notes,
    )


def tri_of(it: ItemResult) -> Tri:
    """An item's status back as a tri-state value, for combining items."""
    return {"met": True, "not_met": False, "unknown": None}[it.status]


def crp_missing(f) -> list[str]:
    return ["labs.crp"] if f.crp is None else []
