"""`crmo-consult pdf`: exit codes, the printed path and one-line errors."""
from __future__ import annotations

from desktop_app.cli import main

from .conftest import EXAMPLES, flat, pdf_pages


def test_pdf_writes_the_note_and_prints_its_path(tmp_path, capsys):
    out = tmp_path / "note.pdf"
    assert main(["pdf", str(EXAMPLES / "typical-multifocal.crmo"), "-o", str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    assert "Bristol diagnostic criteria" in flat(" ".join(pdf_pages(out.read_bytes())))


def test_unreadable_case_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.crmo"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["pdf", str(bad), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.crmo" in err
    assert not (tmp_path / "x.pdf").exists()


def test_missing_case_exits_2(tmp_path, capsys):
    assert main(["pdf", str(tmp_path / "nope.crmo"), "-o", str(tmp_path / "x.pdf")]) == 2
    assert "nope.crmo" in capsys.readouterr().err


def test_unwritable_output_exits_2_with_one_line(tmp_path, capsys):
    out = tmp_path / "no-such-folder" / "note.pdf"
    assert main(["pdf", str(EXAMPLES / "typical-multifocal.crmo"), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "note.pdf" in captured.err


def _note_text(path) -> str:
    return flat(" ".join(pdf_pages(path.read_bytes())))


def test_visit_default_is_the_latest_follow_up_note(tmp_path, capsys):
    out = tmp_path / "note.pdf"
    assert main(["pdf", str(EXAMPLES / "followup-two-visits.crmo"), "-o", str(out)]) == 0
    assert "Encounter 2027-04-12 (follow-up visit V2)" in _note_text(out)
    latest = tmp_path / "latest.pdf"
    assert main(["pdf", str(EXAMPLES / "followup-two-visits.crmo"), "-o", str(latest), "--visit", "latest"]) == 0
    assert "Encounter 2027-04-12 (follow-up visit V2)" in _note_text(latest)


def test_visit_first_and_by_id(tmp_path, capsys):
    first, v1 = tmp_path / "first.pdf", tmp_path / "v1.pdf"
    assert main(["pdf", str(EXAMPLES / "followup-two-visits.crmo"), "-o", str(first), "--visit", "first"]) == 0
    text = _note_text(first)
    assert "CRMO/CNO consult note" in text and "follow-up note" not in text
    assert main(["pdf", str(EXAMPLES / "followup-two-visits.crmo"), "-o", str(v1), "--visit", "V1"]) == 0
    assert "Encounter 2027-01-11 (follow-up visit V1)" in _note_text(v1)


def test_unknown_visit_exits_2_naming_the_visits(tmp_path, capsys):
    out = tmp_path / "x.pdf"
    assert main(["pdf", str(EXAMPLES / "followup-two-visits.crmo"), "-o", str(out), "--visit", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'nope'" in err and "V1, V2" in err
    assert not out.exists()
