"""Whatever bytes a .crmo file holds, loading gives a Case or one CaseFileError: never another
exception (a traceback in the window or the CLI), and never a write to the file."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from desktop_app.storage.case_file import load_case
from desktop_app.storage.errors import CaseFileError

EXAMPLE = json.loads((Path(__file__).resolve().parents[2] / "resources" / "examples"
                      / "typical-multifocal.crmo").read_text(encoding="utf-8"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


PATHS = [p for p in _paths(EXAMPLE) if p]


def _replace(obj, path, value):
    obj = json.loads(json.dumps(obj))
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return obj


def _load_only(tmp_path: Path, data: bytes):
    path = tmp_path / "fuzz.crmo"
    path.write_bytes(data)
    try:
        load_case(path)
    except CaseFileError as exc:
        assert str(exc) and "\n" not in str(exc)
    assert path.read_bytes() == data  # never written


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_field_replaced_by_any_json_value(tmp_path, path, value):
    _load_only(tmp_path, json.dumps(_replace(EXAMPLE, path, value)).encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(tmp_path, data):
    _load_only(tmp_path, data)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=len(json.dumps(EXAMPLE))))
def test_truncated_file(tmp_path, cut):
    _load_only(tmp_path, json.dumps(EXAMPLE).encode()[:cut])
