"""Open and save `.crmo` case files (UTF-8 JSON; docs/case-format.md).

Loading is strict and read-only: bytes → UTF-8 → JSON (no pickle, no eval) → format and version
checks → migration ladder on the raw dict → `Case.model_validate`. Every problem becomes one
`CaseFileError` sentence naming the file and the field, e.g.
"typical.crmo: imaging.lesions[2].bone: 'femurr' is not a known bone".
Saving stamps the app version, time and current schema, and writes atomically.

Only regular files are read or replaced (storage/files.py, storage/atomic.py), never more than
MAX_CASE_BYTES, and every value or file name quoted in a message is escaped and shortened
(errors.shown), so a message stays one short line whatever the file holds.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import reprlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from desktop_app.case.models import FORMAT_ID, LAB_UNITS, MAX_LESIONS, Case
from desktop_app.case.visits import missing_date_message, visit_problems
from desktop_app.storage.atomic import atomic_write_bytes, check_write_target
from desktop_app.storage.errors import CaseFileError, shown, shown_name
from desktop_app.storage.files import read_regular_file
from desktop_app.storage.migrations import CURRENT, migrate

MAX_CASE_BYTES = 10 * 1024 * 1024  # a real case is a few kB; anything this big is not one

PathLike = str | os.PathLike[str]


# ---------------------------------------------------------------------------------------- load
def load_case(path: PathLike) -> Case:
    """Read, migrate and validate a case file; raise CaseFileError with one readable sentence."""
    path = Path(path)
    name = shown_name(path)
    raw = read_regular_file(path, MAX_CASE_BYTES)
    try:
        return case_from_dict(parse_case_bytes(raw, name), name)
    except CaseFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a hostile file triggers, one sentence, no traceback
        raise CaseFileError(f"{name}: could not be read ({type(exc).__name__}).") from exc


def parse_case_bytes(raw: bytes, name: str) -> dict[str, Any]:
    """Bytes → the raw JSON object of a case file (format and version checked, not migrated)."""
    if not raw.strip():
        raise CaseFileError(f"{name}: file is empty.")
    try:
        text = raw.decode("utf-8-sig")  # tolerate the BOM that Windows Notepad adds
    except UnicodeDecodeError as exc:
        raise CaseFileError(f"{name}: not a UTF-8 text file (bad byte at offset {exc.start}).") from exc
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float,
                          object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}); "
            "the file may be truncated or damaged."
        ) from exc
    except (ValueError, RecursionError) as exc:
        raise CaseFileError(f"{name}: not valid JSON ({shown(str(exc))}).") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
        raise CaseFileError(f"{name}: is not a CRMO Consult case file (no \"format\": \"{FORMAT_ID}\").")
    version = data.get("schema_version")
    if version is None:
        raise CaseFileError(f"{name}: schema_version: missing (every case file states its version).")
    if isinstance(version, bool) or not isinstance(version, int):
        raise CaseFileError(f"{name}: schema_version: {_given(version)} is not a whole number.")
    return data


def case_from_dict(data: dict[str, Any], name: str) -> Case:
    """Migrate a raw case dict to the current schema and validate it."""
    _check_lesion_count(data, name)
    try:
        current = migrate(data)
    except ValueError as exc:  # includes NewerVersionError
        raise CaseFileError(f"{name}: {shown(str(exc), 200)}.") from exc
    try:
        case = Case.model_validate(current)
    except ValidationError as exc:
        raise CaseFileError(f"{name}: {describe_validation_error(exc)}.") from exc
    check_case_rules(case, name)
    return case


def check_case_rules(case: Case, name: str) -> None:
    """The whole-case rules beyond each field's (schema 4 visits): refuse with the first, one line.

    Run on load and before every save, so the app never writes a file it would refuse to open.
    """
    problems = visit_problems(case)
    if problems:
        more = len(problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise CaseFileError(f"{name}: {shown(problems[0] + extra, 300)}.")


def _check_lesion_count(data: dict[str, Any], name: str) -> None:
    imaging = data.get("imaging")
    lesions = imaging.get("lesions") if isinstance(imaging, dict) else None
    if isinstance(lesions, list) and len(lesions) > MAX_LESIONS:
        raise CaseFileError(f"{name}: imaging.lesions: {len(lesions)} lesions; CRMO Consult opens cases "
                            f"of at most {MAX_LESIONS} lesions.")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json keeps the last of two equal keys without a word; in a case file that silently drops
    # a recorded value, so the file is refused instead.
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise ValueError(f"the key {shown(dup)!r} appears twice in one object")
    return data


def _refuse_constant(token: str) -> Any:
    # json accepts NaN/Infinity by default; they are not JSON and not a measurement.
    raise ValueError(f"{token} is not a number JSON allows")


def _finite_float(token: str) -> float:
    value = float(token)
    if math.isinf(value):  # e.g. 1e400 would silently become infinity
        raise ValueError(f"{token} is too large to be a number")
    return value


# ------------------------------------------------------------------------ validation messages
def describe_validation_error(exc: ValidationError) -> str:
    """The first pydantic error as 'dotted.path[i]: what is wrong' (plus how many more)."""
    errors = exc.errors(include_url=False)
    text = _describe_one(errors[0])
    if len(errors) > 1:
        more = len(errors) - 1
        text += f" (and {more} more problem{'s' if more > 1 else ''})"
    # One line, whatever the file holds: a key or value may contain a newline or other control
    # characters (found by tests/storage/test_fuzz_load.py).
    return shown(text, 300)


# A value from the file in a message: a few items and 60 characters of a string, never all 9 MB.
_REPR = reprlib.Repr(maxlevel=2, maxlist=4, maxdict=4, maxstring=60, maxother=60, maxlong=40)


def _given(value: Any) -> str:
    return shown(_REPR.repr(value))


def dotted_path(loc: tuple[Any, ...]) -> str:
    """('imaging', 'lesions', 2, 'bone') → 'imaging.lesions[2].bone'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _describe_one(err: dict[str, Any]) -> str:
    loc = tuple(err["loc"])
    where = dotted_path(loc) or "case"
    kind = err["type"]
    given = err.get("input")
    field = next((p for p in reversed(loc) if isinstance(p, str)), "")

    if kind == "value_error":
        # Model validators (e.g. the lab unit check) already name their own field.
        msg = str(err["ctx"]["error"]) if "ctx" in err else err["msg"]
        return msg if msg.startswith(f"{where}.") or msg.startswith(f"{where}:") else f"{where}: {msg}"
    analyte = _lab_analyte(loc)
    if analyte and (kind == "model_type" or (kind == "missing" and field == "unit")):
        # A bare number (or a value without a unit) is refused: 8 could be mg/L or mg/dL.
        lab_path = dotted_path(loc[:2] if loc[0] == "labs" else loc[:4])
        return f"{lab_path}: a unit is required ({' or '.join(LAB_UNITS[analyte])})"
    if kind == "missing" and len(loc) == 3 and loc[0] == "visits" and loc[2] == "date":
        return missing_date_message(loc[1], given.get("id") if isinstance(given, dict) else None)
    if kind == "missing":
        return f"{where}: is required but missing"
    if kind == "extra_forbidden":
        return f"{where}: is not a field of a case file (check the spelling)"
    if kind == "literal_error":
        if field == "bone":
            return f"{where}: {_given(given)} is not a known bone"
        return f"{where}: {_given(given)} is not allowed (expected {err['ctx']['expected']})"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{where}: {_given(given)} is not a valid date (write YYYY-MM-DD)"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"{where}: {_given(given)} is out of range ({_plain(err['msg'])})"
    if kind == "model_type" or kind == "dict_type":
        return f"{where}: must be an object {{...}}, not {_given(given)}"
    return f"{where}: {_given(given)} is not valid ({_plain(err['msg'])})"


def _lab_analyte(loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and loc[0] == "labs" and loc[1] in LAB_UNITS:
        return str(loc[1])
    if len(loc) >= 4 and loc[0] == "visits" and loc[2] == "labs" and loc[3] in LAB_UNITS:  # v4
        return str(loc[3])
    return None


def _plain(msg: str) -> str:
    """'Input should be greater than or equal to 0.5' → 'should be greater than or equal to 0.5'."""
    msg = msg.removeprefix("Input ")
    return msg[:1].lower() + msg[1:]


# ---------------------------------------------------------------------------------------- save
def case_to_bytes(case: Case) -> bytes:
    """The bytes `save_case` writes: stamped, None fields omitted, model field order, indent 2."""
    from desktop_app.about import __version__  # lazy: desktop_app/__init__ imports this module lazily

    stamped = case.model_copy(
        update={
            "app_version": __version__,
            "saved_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            "schema_version": CURRENT,
        }
    )
    # None means "not recorded", the same as an absent key, so leave it out to keep files short.
    data = stamped.model_dump(mode="json", exclude_none=True)
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def save_case(case: Case, path: PathLike) -> None:
    """Write `case` to `path` atomically. The caller's `case` object is not modified.

    Overwriting a file of an older schema first keeps a copy of it beside the new one
    (`NAME.crmo.bak-v1`): an older app on another workstation can still open that copy.
    """
    name = shown_name(path)
    try:
        data = case_to_bytes(case)
        # Never write a file the loader would refuse: read the bytes back through the loader's
        # every rule (fields, units, the visits' rules) before anything touches the disk.
        case_from_dict(parse_case_bytes(data, name), name)
        # Every refusal (not a regular file, read-only, newer schema) comes before the backup,
        # so a refused save leaves no .bak-v1 behind.
        target, old_mode = check_write_target(path)
        _backup_older_schema(target, exists=old_mode is not None)
        atomic_write_bytes(target, data)
    except CaseFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - the window and CLI show one sentence, never a traceback
        raise CaseFileError(f"{name}: could not be saved ({type(exc).__name__}).") from exc


def _backup_older_schema(path: Path, exists: bool) -> None:
    """Keep the bytes of an older-schema file before it is overwritten; refuse a newer one."""
    if not exists:
        return
    try:
        raw = read_regular_file(path, MAX_CASE_BYTES)
        version = json.loads(raw.decode("utf-8-sig")).get("schema_version")
    except (CaseFileError, ValueError, AttributeError, RecursionError):
        return  # not a case file we could read (too big, deeply nested...): nothing to keep by version
    if isinstance(version, int) and version > CURRENT:
        raise CaseFileError(f"{shown_name(path)}: was saved by a newer version of CRMO Consult (schema {version}); "
                            "saving over it would lose what this version cannot read: save under another name.")
    if isinstance(version, int) and version < CURRENT:
        backup = path.with_name(f"{path.name}.bak-v{version}")
        if not backup.exists():  # the first upgrade's copy is the one worth keeping
            atomic_write_bytes(backup, raw)
