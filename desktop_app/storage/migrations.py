"""Schema migration: bring a raw case dict from any older `schema_version` up to the current one.

Migrations run on plain dicts, before pydantic sees the data, so that the current model never has
to accept old shapes (and a strict version field never rejects an old but valid file).

Version-bump rule (case-format.md; after napari/Spyder): every change to the file format bumps
SCHEMA_VERSION in desktop_app/case/models.py by one and adds one step `_vN_to_vN+1` here.
Fields may only be *added* (optional, with a default); they are never renamed or dropped, so a
file saved today opens in every later version. A file with a higher version than CURRENT is
refused, never half-read.
"""
from __future__ import annotations

from typing import Any, Callable

from desktop_app.case.models import SCHEMA_VERSION

CURRENT = SCHEMA_VERSION


class NewerVersionError(ValueError):
    """The file was written by a newer app; the message is the sentence after the file name."""


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # v2 adds `plan_edits` (the clinician's decisions on plan lines); nothing else changes.
    data.setdefault("plan_edits", {})
    return data


def _v2_to_v3(data: dict[str, Any]) -> dict[str, Any]:
    # v3 only adds optional fields (case-format.md, "(v3)"): absent means "not recorded".
    return data


def _v3_to_v4(data: dict[str, Any]) -> dict[str, Any]:
    # v4 adds `measures`, `visits` and a few optional fields (case-format.md, "(v4)"): a v1–v3 file
    # is a case without visits.
    return data


def _v4_to_v5(data: dict[str, Any]) -> dict[str, Any]:
    # v5 adds a visit's own `mimics`, `max_temperature_date` and `lesion_findings`, and a biopsy's
    # `mycobacterial_culture` (case-format.md, "(v5)"): a v4 file is a v5 file without them.
    return data


# STEPS[n] turns a version-n dict into a version-(n+1) dict.
STEPS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: _v1_to_v2,
    2: _v2_to_v3,
    3: _v3_to_v4,
    4: _v4_to_v5,
}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of `data` at schema CURRENT. `schema_version` must already be a checked int."""
    version = data["schema_version"]
    if version > CURRENT:
        raise NewerVersionError(
            f"was saved by a newer version of CRMO Consult (schema {version}; "
            f"this version reads up to {CURRENT})"
        )
    if version < 1:
        raise ValueError(f"schema_version: {version} is not a valid version (the first is 1)")
    out = dict(data)  # shallow copy: never mutate what the caller read
    while version < CURRENT:
        out = STEPS[version](out)
        version += 1
        out["schema_version"] = version
    return out


assert set(STEPS) == set(range(1, CURRENT)), "every schema version needs a migration step"
