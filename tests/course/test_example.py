"""The shared follow-up example through `course --json`, `evaluate --json` and (later) `plan --json`."""
from __future__ import annotations

import json

import pytest

from desktop_app.cli import main
from tests.conftest import EXAMPLES

HERE = EXAMPLES.parent.parent / "tests" / "examples"
CASE = EXAMPLES / "followup-two-visits.crmo"
# The keys whose wording is ours to choose (issue 18): every other key must equal the contract's.
WORDING = {"app_version", "activity_reason", "label", "evidence", "action", "interval", "source"}


def _without_wording(x):
    if isinstance(x, dict):
        return {k: _without_wording(v) for k, v in x.items() if k not in WORDING}
    if isinstance(x, list):
        return [_without_wording(v) for v in x]
    return x


def _run_json(capsys, *argv) -> dict:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_course_json_equals_the_example_on_every_key_but_wording(capsys):
    out = _run_json(capsys, "course", str(CASE))
    expected = json.loads((HERE / "followup-two-visits.course.json").read_text(encoding="utf-8"))
    assert _without_wording(out) == _without_wording(expected)
    assert out["app_version"] and all(p["activity_reason"] for p in out["points"])


def test_evaluate_json_matches_the_example_and_counts_no_lesion_first_seen_at_follow_up(capsys):
    out = _run_json(capsys, "evaluate", str(CASE))
    expected = json.loads((HERE / "followup-two-visits.expected.json").read_text(encoding="utf-8"))
    assert {k: v["status"] for k, v in out["criteria"].items()} == expected["criteria"]
    assert [out["criteria"]["jansson_2009"]["points_min"], out["criteria"]["jansson_2009"]["points_max"]] \
        == expected["jansson_points"]
    assert [out["criteria"]["nbods_2023"]["points_min"], out["criteria"]["nbods_2023"]["points_max"]] \
        == expected["nbods_points"]
    assert [f["id"] for f in out["red_flags"]] == expected["red_flags"]
    assert {k: out["derived"][k] for k in expected["derived"]} == expected["derived"]
    assert out["mode"] == expected["mode"]
    assert out["derived"]["lesions_first_seen_at_follow_up"] == 0



def test_plan_json_has_the_example_keys(capsys):
    out = _run_json(capsys, "plan", str(CASE))
    expected = json.loads((HERE / "followup-two-visits.plan.json").read_text(encoding="utf-8"))
    assert out["mode"] == expected["mode"]
    assert out["reference_date"] == expected["reference_date"]
    assert {k: out["weight_used"][k] for k in expected["weight_used"]} == expected["weight_used"]
    status = {line["drug"]: line["status"] for line in out["lines"] if line["drug"]}
    assert {k: status.get(k) for k in expected["status"]} == expected["status"]


def test_course_text_says_the_change_and_the_monitoring(capsys):
    assert main(["course", str(CASE)]) == 0
    out = capsys.readouterr().out
    assert "Course (reference date 2027-04-12)" in out
    assert "pain 6 → 1 (−5, −83.3 %)" in out
    assert "CHAQ 0.375 → 0.125 (−0.25, −66.7 %)" in out
    assert "Visit V2 (2027-04-12): Activity unknown: no clinically active lesion recorded; an MRI would decide" in out
    assert "naproxen: ALT: Up to date (last 2027-04-12; every 6–12 months" in out
    assert "on naproxen since 2026-10-05 (27 weeks)" in out


def test_course_text_escapes_control_characters(tmp_path, capsys):
    data = json.loads(CASE.read_text(encoding="utf-8"))
    data["treatments"][0]["drug"] = "naproxen\x1b[31m\nRED"
    path = tmp_path / "evil.crmo"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["course", str(path)]) == 0
    out = capsys.readouterr().out
    # The escape is shown, never sent; the newline splits nothing (the drug's name is one line).
    assert "\x1b" not in out and "on naproxen\\x1b[31m red since 2026-10-05" in out


def test_course_of_a_missing_file_exits_2_with_one_stderr_line(tmp_path, capsys):
    assert main(["course", str(tmp_path / "nope.crmo"), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("crmo-consult: error: nope.crmo: ")


def test_course_of_a_case_without_visits_is_one_point_and_nothing_else(capsys):
    out = _run_json(capsys, "course", str(EXAMPLES / "typical-multifocal.crmo"))
    assert len(out["points"]) == 1 and out["alerts"] == [] and out["monitoring"] == []
    point = out["points"][0]
    assert point["visit"] is None and point["change_from_first"] is None and point["change_from_previous"] is None
    assert out["reference_date"] == point["date"]


def test_public_api_course_is_callable():
    from desktop_app import course, load_case

    result = course(load_case(CASE))
    assert [p.visit for p in result.points] == [None, "V1", "V2"]
    assert course.course_to_json(result)["format"] == "crmo-consult/course"
