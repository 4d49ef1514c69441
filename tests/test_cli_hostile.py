"""Issue 12 through the command line: a FIFO, year 9999, very long text, `pdf CASE -o CASE`,
control characters, a 9 MB value and a newline in a file name. Each gives a result or exactly one
short stderr line, never a hang or a traceback. Subprocesses, so that a hang is a timeout."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, REPO

EXAMPLE = EXAMPLES / "typical-multifocal.crmo"


def cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("CRMO_TRACEBACK", None)
    return subprocess.run([sys.executable, "-m", "desktop_app", *map(str, args)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def one_error_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1, done.stderr
    assert len(done.stderr) < 500
    return done.stderr


def case_with(tmp_path: Path, name: str, edit) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", [["evaluate"], ["pdf", "-o", "note.pdf"]])
def test_a_fifo_as_the_case_is_refused_not_waited_on(tmp_path, command):
    fifo = tmp_path / "pipe.crmo"
    os.mkfifo(fifo)
    args = [command[0], fifo, *command[1:]]
    done = cli(*[tmp_path / a if a == "note.pdf" else a for a in args], timeout=30)
    assert "pipe.crmo: is a named pipe, not a case file." in one_error_line(done)
    assert not (tmp_path / "note.pdf").exists()


@pytest.mark.parametrize("when", ["9999-12-31", "0001-01-01"])
def test_dates_at_the_calendars_edges_evaluate_and_print(tmp_path, when):
    def edit(d):
        d["encounter"]["date"] = when
        d["symptoms"]["first_symptom_date"] = when

    path = case_with(tmp_path, "edge.crmo", edit)
    done = cli("evaluate", path, "--json")
    assert done.returncode == 0, done.stderr
    derived = json.loads(done.stdout)["derived"]
    if when.startswith("9999"):  # born 2015-04-02: 7984 years and 9 months
        assert derived["age_years"] == pytest.approx(7984.7, abs=0.1)
    note = tmp_path / "edge.pdf"
    done = cli("pdf", path, "-o", note)
    assert done.returncode == 0, done.stderr
    assert note.read_bytes().startswith(b"%PDF")


def test_very_long_text_prints_across_pages(tmp_path):
    from pypdf import PdfReader

    def edit(d):
        d["encounter"]["reason"] = "pain " * 600  # 3,000 characters
        d["encounter"]["referring_clinician"] = "R" * 2000
        d["patient"]["name"] = "N" * 2000
        d["imaging"]["lesions"][0]["level"] = "L" * 1000

    path = case_with(tmp_path, "long.crmo", edit)
    note = tmp_path / "long.pdf"
    done = cli("pdf", path, "-o", note, timeout=120)
    assert done.returncode == 0, done.stderr  # was ReportLab's LayoutError and a traceback
    text = "".join(p.extract_text() or "" for p in PdfReader(note).pages)
    assert "".join(text.split()).count("pain") >= 600  # the whole reason is printed


@pytest.mark.parametrize("output", ["same", "other.crmo"])
def test_pdf_never_writes_over_a_case_file(tmp_path, output):
    case = tmp_path / "case.crmo"
    case.write_bytes(EXAMPLE.read_bytes())
    other = tmp_path / "other.crmo"
    other.write_bytes(b"keep me")
    done = cli("pdf", case, "-o", case if output == "same" else other)
    assert ".crmo case file" in one_error_line(done)
    assert case.read_bytes() == EXAMPLE.read_bytes() and other.read_bytes() == b"keep me"


def test_pdf_refuses_its_own_input_under_another_name(tmp_path):
    case = tmp_path / "case.json"  # a case file not named .crmo, given as its own output
    case.write_bytes(EXAMPLE.read_bytes())
    done = cli("pdf", case, "-o", case)
    assert "is the case being read" in one_error_line(done)
    assert case.read_bytes() == EXAMPLE.read_bytes()


def test_control_characters_in_free_text_are_neutralised_in_evaluate(tmp_path):
    def edit(d):
        d["imaging"]["lesions"][0]["level"] = "L1\x1b[2J\nFAKE LINE\u202e"  # quoted in the evidence

    done = cli("evaluate", case_with(tmp_path, "ctl.crmo", edit))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u202e" not in done.stdout
    assert "\nFAKE LINE" not in done.stdout and "L1\\x1b[2J\\x0aFAKE LINE\\u202e" in done.stdout


def test_a_9_mb_bad_value_is_one_short_line(tmp_path):
    def edit(d):
        d["patient"]["sex"] = "y" * 9_000_000

    done = cli("evaluate", case_with(tmp_path, "big.crmo", edit))
    assert "big.crmo: patient.sex: 'yyy" in one_error_line(done)


@pytest.mark.skipif(sys.platform == "win32", reason="a newline cannot be in a Windows file name")
def test_a_newline_in_the_file_name_stays_on_one_line(tmp_path):
    path = tmp_path / "two\nlines.crmo"
    path.write_text("{not json", encoding="utf-8")
    assert "two\\x0alines.crmo: not valid JSON" in one_error_line(cli("evaluate", path))


def test_an_unexpected_error_is_one_line_not_a_traceback(tmp_path):
    done = cli("pdf", EXAMPLE, "-o", tmp_path / "no-such-folder" / "x.pdf")
    assert "x.pdf: " in one_error_line(done)
