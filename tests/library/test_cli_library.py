"""`crmo-consult library`: the "Library output" contract, rows that say only what each file says
(compared with `course --json` and `plan --json`), the --today boundaries of §13.5 and the review
date, the filters, the audit CSV and the exit status."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil

import pytest

from desktop_app.case.models import LabValue, Labs, Treatment, Visit
from desktop_app.cli import main
from desktop_app.storage.case_file import load_case, save_case
from tests.conftest import EXAMPLES

ROW_KEYS = {"file", "name", "mrn", "error", "duplicate_mrn_of", "date_of_birth", "age_years", "mode",
            "latest_visit", "next_review", "activity", "current_treatments", "alerts", "monitoring",
            "needs_attention"}


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["library", *map(str, argv)])
    out = capsys.readouterr()
    return code, out.out, out.err


def _library(capsys, folder, *extra) -> dict:
    code, out, err = _run(capsys, folder, "--json", *extra)
    assert code == 0, err
    return json.loads(out)


def _file_json(capsys, command, path) -> dict:
    assert main([command, str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_contract(capsys, clinic):
    out = _library(capsys, clinic, "--today", "2027-06-01")
    assert out["format"] == "crmo-consult/library" and out["version"] == 1
    assert out["folder"] == str(clinic.resolve()) and out["today"] == "2027-06-01"
    assert len(out["rows"]) == 24
    for row in out["rows"]:
        assert set(row) == ROW_KEYS
        assert row["error"] is None and isinstance(row["needs_attention"], bool)
        assert all(set(a) == {"id", "tier"} and a["tier"] in ("urgent", "act") for a in row["alerts"])
        assert all(set(m) == {"drug", "test", "status"} and m["status"] in ("due", "overdue") for m in row["monitoring"])


def test_each_row_says_what_course_and_plan_say(capsys, clinic):
    """The index never says something the file does not: each row against the file's own outputs,
    judged on the file's reference date (then "today" adds nothing)."""
    for name in os.listdir(EXAMPLES):
        shutil.copy(EXAMPLES / name, clinic / name)
    files = sorted(clinic.rglob("*.crmo"))
    assert len(files) == 30
    for path in files:
        course = _file_json(capsys, "course", path)
        plan = _file_json(capsys, "plan", path)
        today = course["reference_date"]
        [row] = [r for r in _library(capsys, clinic, "--today", today)["rows"]
                 if r["file"] == path.relative_to(clinic).as_posix()]
        case = load_case(path)
        last = course["points"][-1]
        assert row["mode"] == plan["mode"], path
        assert row["alerts"] == [{"id": a["id"], "tier": a["tier"]} for a in course["alerts"]], path
        assert row["monitoring"] == [{"drug": m["drug"], "test": m["test"], "status": m["status"]}
                                     for m in course["monitoring"] if m["status"] in ("due", "overdue")], path
        assert row["activity"] == last["activity"]
        assert row["current_treatments"] == [t["drug"] for t in last["current_treatments"]]
        assert row["latest_visit"] == (course["reference_date"] if case.visits else None)
        assert (row["name"], row["mrn"]) == (case.patient.name, case.patient.mrn)
        review = case.visits[-1].next_review_date if case.visits else case.encounter.next_review_date
        assert row["next_review"] == (review.isoformat() if review else None)


# ---- --today boundaries ---------------------------------------------------------------------------
VISIT = dt.date(2027, 1, 10)
START = dt.date(2026, 6, 1)


def _on_methotrexate(tmp_path, review: dt.date | None):
    """One visit on VISIT with a full blood count, ALT and creatinine, on methotrexate since START."""
    case = load_case(EXAMPLES / "followup-two-visits.crmo")
    labs = Labs(wbc=LabValue(value=7, unit="10^9/L"), hemoglobin=LabValue(value=125, unit="g/L"),
                platelets=LabValue(value=300, unit="10^9/L"), alt=LabValue(value=20, unit="U/L"),
                creatinine=LabValue(value=45, unit="umol/L"))
    case = case.model_copy(update={
        "visits": [Visit(id="V1", date=VISIT, labs=labs, next_review_date=review)],
        "treatments": [Treatment(drug="methotrexate", drug_class="dmard", start_date=START)]})
    folder = tmp_path / "one"
    folder.mkdir()
    save_case(case, folder / "mtx.crmo")
    return folder


@pytest.mark.parametrize("days, status", [(91, None), (92, "due"), (122, "due"), (123, "overdue")])
def test_today_moves_monitoring_across_the_13_5_limits(capsys, tmp_path, days, status):
    folder = _on_methotrexate(tmp_path, review=None)
    today = VISIT + dt.timedelta(days=days)  # age of the last bloods = days
    [row] = _library(capsys, folder, "--today", today.isoformat())["rows"]
    expected = [] if status is None else [{"drug": "methotrexate", "test": t, "status": status}
                                         for t in ("full blood count", "ALT", "creatinine")]
    assert row["monitoring"] == expected
    assert row["needs_attention"] is (status == "overdue")


def test_today_before_the_latest_visit_never_hides_what_the_file_says(capsys, tmp_path):
    folder = _on_methotrexate(tmp_path, review=None)
    [row] = _library(capsys, folder, "--today", "2020-01-01")["rows"]
    assert row["monitoring"] == []  # at the visit itself the bloods are up to date: as `course` says


@pytest.mark.parametrize("offset, attention", [(-1, True), (0, True), (1, False)])
def test_a_review_date_reached_needs_attention(capsys, tmp_path, offset, attention):
    review = dt.date(2027, 2, 1)
    folder = _on_methotrexate(tmp_path, review=review)
    [row] = _library(capsys, folder, "--today", (review - dt.timedelta(days=offset)).isoformat())["rows"]
    assert row["next_review"] == "2027-02-01" and row["needs_attention"] is attention


def test_attention_and_due_before_filters(capsys, clinic):
    every = _library(capsys, clinic, "--today", "2027-06-01")["rows"]
    attention = _library(capsys, clinic, "--today", "2027-06-01", "--attention")["rows"]
    assert [r["file"] for r in attention] == [r["file"] for r in every if r["needs_attention"]]
    assert 0 < len(attention) < len(every)
    due = _library(capsys, clinic, "--due-before", "2027-06-01")["rows"]
    assert due and all(r["next_review"] and r["next_review"] < "2027-06-01" for r in due)
    assert len(due) == sum(bool(r["next_review"]) and r["next_review"] < "2027-06-01" for r in every)


def test_the_text_worklist(capsys, clinic):
    code, out, _ = _run(capsys, clinic, "--today", "2027-06-01")
    assert code == 0 and out.startswith("24 case files (today 2027-06-01): ")
    assert "Synthetic Patient 00003" in out and "methotrexate: full blood count: Overdue" in out


# ---- exit status ----------------------------------------------------------------------------------
def test_not_a_readable_folder_exits_2_with_one_line(capsys, tmp_path):
    for target in (tmp_path / "missing", EXAMPLES / "typical-multifocal.crmo"):
        code, out, err = _run(capsys, target)
        assert code == 2 and out == "" and err.count("\n") == 1 and "is not a folder" in err
    code, _, err = _run(capsys, tmp_path, "--today", "tomorrow")
    assert code == 2 and "--today" in err and "YYYY-MM-DD" in err


# ---- the audit CSV --------------------------------------------------------------------------------
def _read_csv(path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")  # a spreadsheet reads the accents right
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_patient_table(capsys, clinic, tmp_path):
    out = tmp_path / "audit.csv"
    code, printed, _ = _run(capsys, clinic, "--csv", out, "--today", "2027-06-01")
    assert code == 0 and printed.strip() == str(out)
    table = _read_csv(out)
    assert table[0][:3] == ["File", "Name", "MRN"] and len(table) == 25
    assert all(len(r) == len(table[0]) for r in table)
    row = next(r for r in table if r[1] == "Synthetic Patient 00003")
    assert "methotrexate: full blood count: Overdue" in row[table[0].index("Monitoring due or overdue")]
    assert row[table[0].index("Needs attention")] == "yes"


def test_the_per_visit_table(capsys, clinic, tmp_path):
    out = tmp_path / "points.csv"
    assert _run(capsys, clinic, "--csv", out, "--per-visit")[0] == 0
    table = _read_csv(out)
    assert table[0][:5] == ["File", "Name", "MRN", "Point", "Date"] and "CRP (mg/L)" in table[0]
    points = sum(1 + len(load_case(p).visits) for p in clinic.rglob("*.crmo"))
    assert len(table) == 1 + points
    assert {r[3] for r in table[1:]} >= {"First consultation", "Visit V1", "Visit V3"}


def test_a_name_that_looks_like_a_formula_stays_text(capsys, tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    case = load_case(EXAMPLES / "typical-multifocal.crmo")
    save_case(case.model_copy(update={"patient": case.patient.model_copy(update={"name": "=HYPERLINK(\"x\")"})}),
              folder / "f.crmo")
    assert _run(capsys, folder, "--csv", tmp_path / "t.csv")[0] == 0
    assert _read_csv(tmp_path / "t.csv")[1][1] == "'=HYPERLINK(\"x\")"


def test_the_csv_is_never_written_over_a_case_or_into_a_pipe(capsys, clinic, tmp_path):
    case = next(clinic.rglob("*.crmo"))
    before = case.read_bytes()
    code, _, err = _run(capsys, clinic, "--csv", case)
    assert code == 2 and ".crmo case file" in err and case.read_bytes() == before
    if os.name == "posix":
        os.mkfifo(tmp_path / "pipe.csv")
        code, _, err = _run(capsys, clinic, "--csv", tmp_path / "pipe.csv")
        assert code == 2 and "named pipe" in err


def test_the_documented_example_has_the_keys_the_command_prints():
    from tests.conftest import REPO

    text = (REPO / "docs" / "assessment-output.md").read_text(encoding="utf-8")
    section = text.split("# Library output", 1)[1]
    example = json.loads(section.split("```json", 1)[1].split("```", 1)[0])
    assert example["format"] == "crmo-consult/library" and example["version"] == 1
    assert all(set(r) == ROW_KEYS for r in example["rows"])


def test_an_mrn_of_digits_keeps_its_zeros_and_the_age_one_decimal(capsys, tmp_path):
    """A spreadsheet reads 000123 as the number 123: such an MRN is written as a text cell."""
    folder = tmp_path / "lib"
    folder.mkdir()
    case = load_case(EXAMPLES / "typical-multifocal.crmo")
    save_case(case.model_copy(update={"patient": case.patient.model_copy(update={"mrn": "000123"})}), folder / "f.crmo")
    out = tmp_path / "t.csv"
    assert _run(capsys, folder, "--csv", out, "--today", "2027-06-01")[0] == 0
    header, row = _read_csv(out)
    assert row[header.index("MRN")] == "'000123"
    age = row[header.index("Age (years, at the latest visit)")]
    assert len(age.split(".")[-1]) == 1
    if shutil.which("ssconvert"):  # Gnumeric, where installed: the cell reads as the text 000123
        import subprocess

        back = tmp_path / "back.csv"
        subprocess.run(["ssconvert", str(out), str(tmp_path / "t.xlsx")], check=True, capture_output=True)
        subprocess.run(["ssconvert", str(tmp_path / "t.xlsx"), str(back)], check=True, capture_output=True)
        header2, row2 = list(csv.reader(io.StringIO(back.read_text(encoding="utf-8"))))[:2]
        assert row2[header2.index("MRN")] == "000123" and row2[header2.index("Name")] == row[header.index("Name")]
