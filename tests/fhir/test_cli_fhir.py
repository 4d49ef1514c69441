"""`crmo-consult fhir` refuses what `crmo-consult pdf` refuses, with one stderr line and exit 2, and
fhir.resources is never imported at start-up. Subprocesses, so that a hang is a timeout and the
imports seen are a fresh interpreter's."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES, REPO
from tests.test_cli_hostile import cli, one_error_line

EXAMPLE = EXAMPLES / "typical-multifocal.crmo"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_as_the_case_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.crmo"
    os.mkfifo(fifo)
    done = cli("fhir", fifo, "-o", tmp_path / "bundle.json", timeout=60)
    assert "pipe.crmo: is a named pipe, not a case file." in one_error_line(done)
    assert not (tmp_path / "bundle.json").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_fifo_as_the_output_is_refused_not_written_into(tmp_path):
    fifo = tmp_path / "bundle.json"
    os.mkfifo(fifo)
    done = cli("fhir", EXAMPLE, "-o", fifo, "--no-pdf", timeout=60)
    assert "bundle.json" in one_error_line(done)
    assert fifo.is_fifo()


def test_a_newer_schema_is_refused(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = 99
    case = tmp_path / "newer.crmo"
    case.write_text(json.dumps(data), encoding="utf-8")
    done = cli("fhir", case, "-o", tmp_path / "bundle.json")
    assert "newer version of CRMO Consult" in one_error_line(done)
    assert not (tmp_path / "bundle.json").exists()


def test_never_over_the_case_or_any_case_file(tmp_path):
    case = tmp_path / "case.crmo"
    case.write_bytes(EXAMPLE.read_bytes())
    other = tmp_path / "other.crmo"
    other.write_bytes(EXAMPLE.read_bytes())
    assert "will not write the FHIR bundle over a .crmo case file" in one_error_line(
        cli("fhir", case, "-o", other))
    same = tmp_path / "case.json"
    same.write_bytes(EXAMPLE.read_bytes())
    assert "is the case being read" in one_error_line(cli("fhir", same, "-o", same))
    assert case.read_bytes() == other.read_bytes() == same.read_bytes() == EXAMPLE.read_bytes()


def test_an_unknown_visit_is_one_line(tmp_path):
    done = cli("fhir", EXAMPLES / "followup-two-visits.crmo", "-o", tmp_path / "b.json", "--visit", "V9")
    assert "no visit has the id 'V9'" in one_error_line(done)


def test_the_bundle_is_written_and_named(tmp_path):
    out = tmp_path / "bundle.json"
    done = cli("fhir", EXAMPLE, "-o", out)
    assert done.returncode == 0 and done.stdout.strip() == str(out), done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    assert out.stat().st_mode & 0o777 == 0o600  # private, like every file the app writes


def test_start_up_never_imports_fhir_resources():
    code = ("import sys\nimport desktop_app.cli, desktop_app.ui.main_window, desktop_app.ui.file_actions\n"
            "print(sorted(m for m in sys.modules if m.startswith(('fhir', 'desktop_app.fhir'))))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
