"""Kleene three-valued logic for criteria items: True (met), False (not met), None (unknown).

clinical-rules.md: `met AND unknown = unknown`, `not_met AND unknown = not_met`,
`met OR unknown = met`, `not_met OR unknown = unknown`.
"""
from __future__ import annotations

from typing import Iterable, Optional

Tri = Optional[bool]


def tri_and(*values: Tri) -> Tri:
    return all_of(values)


def tri_or(*values: Tri) -> Tri:
    return any_of(values)


def all_of(values: Iterable[Tri]) -> Tri:
    """Kleene AND over any number of values (True for none, the neutral element)."""
    unknown = False
    for v in values:
        if v is False:
            return False
        if v is None:
            unknown = True
    return None if unknown else True


def any_of(values: Iterable[Tri]) -> Tri:
    """Kleene OR over any number of values (False for none)."""
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def tri_not(value: Tri) -> Tri:
    return None if value is None else not value


def item_status(value: Tri) -> str:
    return {True: "met", False: "not_met", None: "unknown"}[value]


def set_status(value: Tri) -> str:
    return {True: "met", False: "not_met", None: "indeterminate"}[value]
