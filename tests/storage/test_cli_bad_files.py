"""`crmo-consult evaluate BAD` exits 2 with exactly one stderr line naming the file, never a traceback."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.storage.helpers import example_dict, fingerprint

_full = json.dumps(example_dict(), indent=2).encode("utf-8")
_newer = dict(example_dict(), schema_version=99)

BAD_FILES = {
    "corrupt": (b"\x89PNG\r\n\x1a\n\x00\x00 binary garbage", "not a UTF-8 text file"),
    "truncated": (_full[: len(_full) // 2], "not valid JSON"),
    "foreign": (json.dumps({"format": "other-app/project", "version": 3}).encode(), "is not a CRMO Consult case file"),
    "newer": (json.dumps(_newer).encode(), "was saved by a newer version of CRMO Consult (schema 99"),
    "bare_crp": (
        json.dumps(dict(example_dict(), labs={"crp": 8})).encode(),
        "labs.crp: a unit is required (mg/L or mg/dL)",
    ),
}


def _evaluate(path) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", "evaluate", str(path)],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_evaluate_bad_file_is_one_line_exit_2(tmp_path, kind):
    raw, expected = BAD_FILES[kind]
    path = tmp_path / f"{kind}.crmo"
    path.write_bytes(raw)
    before = fingerprint(path)

    result = _evaluate(path)

    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert f"{kind}.crmo" in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    assert fingerprint(path) == before


def test_evaluate_missing_file_is_one_line_exit_2(tmp_path):
    result = _evaluate(tmp_path / "absent.crmo")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "absent.crmo: file not found" in result.stderr
