"""`crmo-consult evaluate` and `schema` end to end, on the shared example cases."""
import json
from pathlib import Path

import pytest

from desktop_app.cli import main

HERE = Path(__file__).parent
EXPECTED = HERE / "examples"
CASES = HERE.parent / "resources" / "examples"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in EXPECTED.glob("*.expected.json"))


def evaluate_json(path, capsys) -> dict:
    assert main(["evaluate", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_there_are_six_examples():
    assert len(NAMES) == 6 and all((CASES / f"{n}.crmo").exists() for n in NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_example_gives_its_expected_result(name, capsys):
    out = evaluate_json(CASES / f"{name}.crmo", capsys)
    expected = json.loads((EXPECTED / f"{name}.expected.json").read_text())
    assert out["format"] == "crmo-consult/assessment" and out["version"] == 1
    assert {k: v["status"] for k, v in out["criteria"].items()} == expected["criteria"]
    for key, set_id in (("jansson_points", "jansson_2009"), ("nbods_points", "nbods_2023")):
        c = out["criteria"][set_id]
        assert [c["points_min"], c["points_max"]] == expected[key]
    assert sorted(f["id"] for f in out["red_flags"]) == sorted(expected["red_flags"])
    assert {k: out["derived"][k] for k in expected["derived"]} == expected["derived"]
    assert out["mode"] == expected["mode"]


def test_json_shape_follows_the_contract(capsys):
    out = evaluate_json(CASES / "crp-mg-dl-biopsy.crmo", capsys)
    assert set(out) >= {"format", "version", "app_version", "derived", "criteria", "red_flags", "next_steps",
                        "mode"}
    assert out["mode"] in ("cno", "workup", "alternative_diagnosis") and "adult" in out["derived"]
    bristol = out["criteria"]["bristol_2016"]
    assert set(bristol) >= {"name", "kind", "source", "status", "points", "points_min", "points_max",
                            "threshold", "items", "missing", "notes"}
    c1 = next(i for i in bristol["items"] if i["id"] == "criterion_1")
    assert c1["status"] == "not_met" and "CRP 32 mg/L (3.2 mg/dL) ≥ 30 mg/L" in c1["evidence"]
    assert set(c1) >= {"id", "label", "status", "points", "evidence", "missing"}
    assert out["derived"]["crp_mg_l"] == 32
    flag = out["red_flags"][0]
    assert flag == {"id": "high_crp", "label": "CRP at or above 30 mg/L",
                    "evidence": "CRP 32 mg/L (3.2 mg/dL) ≥ 30 mg/L", "action": flag["action"],
                    "source": "Roderick 2016; Kostik 2023", "tier": "caution", "points_to": ["biopsy"],
                    "addressed": True, "addressed_by": flag["addressed_by"]}
    assert "criterion 2" in flag["addressed_by"]  # the biopsy met Bristol criterion 2


def test_text_summary(capsys):
    assert main(["evaluate", str(CASES / "unifocal-tibia-no-survey.crmo")]) == 0
    out = capsys.readouterr().out
    assert "Bristol diagnostic criteria (2016): INDETERMINATE" in out
    assert "Jansson clinical score for non-bacterial osteitis (2009): NOT MET (38 points" in out
    assert ("NBO diagnostic score vs bacterial osteomyelitis (2023): FAVOURS NON-BACTERIAL OVER BACTERIAL "
            "OSTEOMYELITIS (56–98 points") in out
    assert "Mode: CNO not established — work-up needed" in out
    assert "missing: Whole-body survey (imaging.whole_body_survey)" in out
    assert "! Caution: Unifocal lesion outside the clavicle: single bone (Left tibia); no whole-body survey" in out
    assert "- Whole-body MRI: no whole-body survey recorded" in out


def test_missing_file_exits_2_with_one_stderr_line(tmp_path, capsys):
    missing = tmp_path / "nope.crmo"
    assert main(["evaluate", str(missing)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "nope.crmo" in lines[0] and captured.out == ""


def test_bad_unit_exits_2(tmp_path, capsys):
    bad = tmp_path / "bad.crmo"
    bad.write_text(json.dumps({"format": "crmo-consult/case", "schema_version": 1,
                               "labs": {"crp": {"value": 3, "unit": "g/L"}}}))
    assert main(["evaluate", str(bad), "--json"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_schema_command_prints_the_case_schema(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Case" and "labs" in schema["properties"]
    # schema 5: a visit's own exclusions, temperature date and lesion findings; a biopsy's TB culture
    visit = schema["$defs"]["Visit"]["properties"]
    assert {"mimics", "max_temperature_date", "lesion_findings"} <= set(visit)
    assert "malignancy" in schema["$defs"]["Mimics"]["properties"]
    assert "mycobacterial_culture" in schema["$defs"]["Biopsy"]["properties"]


def test_schema_piped_into_a_closed_reader_exits_quietly():
    """`crmo-consult schema | head -c 10` must not print a BrokenPipeError traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "desktop_app", "schema"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before anything is written: every write is EPIPE
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err and proc.returncode == 0
