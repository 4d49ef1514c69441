"""`crmo-consult plan CASE [--json]` end to end: the "Plan output" contract (assessment-output.md)
on every example, the expected mode, exit status, clinician edits, and terminal-safe text."""
from __future__ import annotations

import json
import pytest

from desktop_app import __version__
from desktop_app.case.models import PlanLineEdit
from desktop_app.cli import main
from desktop_app.storage.case_file import load_case, save_case

from tests.conftest import EXAMPLES as CASES, EXPECTED_RESULTS as EXPECTED
NAMES = sorted(p.name.removesuffix(".crmo") for p in CASES.glob("*.crmo"))

STEPS = {"first_line", "glucocorticoid", "second_line", "supportive", "exclude_mimic"}
STATUSES = {"proposed", "not_proposed", "removed", "current"}
PERS = {"dose", "day", "week", "infusion", "year"}
MODES = {"cno", "workup", "alternative_diagnosis"}


def _is_num(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def contract_errors(out: dict) -> list[str]:
    """Every way `out` departs from the Plan output contract (empty when it conforms)."""
    errs = []
    for key, typ in (("format", str), ("version", int), ("app_version", str), ("mode", str), ("lines", list),
                     ("workup", list), ("codes", list), ("prognosis", list), ("follow_up", list)):
        if not isinstance(out.get(key), typ):
            errs.append(f"{key}: missing or not {typ.__name__}")
    for key in ("reference_date", "weight_used"):  # rules v3 §13.1
        if key not in out:
            errs.append(f"{key} missing")
    if errs:
        return errs
    if out["format"] != "crmo-consult/plan" or out["version"] != 1:
        errs.append("format/version")
    if out["mode"] not in MODES:
        errs.append(f"mode {out['mode']!r}")
    for key in ("workup", "codes", "prognosis", "follow_up"):
        if not all(isinstance(s, str) and s for s in out[key]):
            errs.append(f"{key}: not a list of strings")
    if out["mode"] != "cno" and (out["codes"] or out["prognosis"] or out["follow_up"]):
        errs.append("codes/prognosis/follow_up outside mode cno")
    for i, line in enumerate(out["lines"]):
        where = f"lines[{i}]"
        for key, ok in (("step", lambda v: v in STEPS), ("status", lambda v: v in STATUSES),
                        ("drug", lambda v: v is None or (isinstance(v, str) and v == v.lower() and v)),
                        ("reason", lambda v: isinstance(v, str)), ("source", lambda v: isinstance(v, str)),
                        ("edited", lambda v: isinstance(v, bool)),
                        ("before_starting", lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v))):
            if key not in line or not ok(line[key]):
                errs.append(f"{where}.{key} = {line.get(key)!r}")
        if line.get("status") == "not_proposed" and not line.get("reason"):
            errs.append(f"{where}: not proposed without a reason")
        dose = line.get("dose", "absent")
        if dose == "absent":
            errs.append(f"{where}.dose missing")
        elif dose is not None:
            if set(dose) != {"low_mg", "high_mg", "per", "max_mg", "max_per", "capped"}:
                errs.append(f"{where}.dose keys {sorted(dose)}")
                continue
            if not (_is_num(dose["low_mg"]) and _is_num(dose["high_mg"]) and dose["low_mg"] <= dose["high_mg"]):
                errs.append(f"{where}.dose range")
            if dose["per"] not in PERS or not isinstance(dose["capped"], bool):
                errs.append(f"{where}.dose per/capped")
            if (dose["max_mg"] is None) != (dose["max_per"] is None) or \
                    (dose["max_mg"] is not None and (not _is_num(dose["max_mg"]) or dose["max_per"] not in PERS)):
                errs.append(f"{where}.dose maximum")
            if dose["max_mg"] is not None and dose["max_per"] == dose["per"] and dose["high_mg"] > dose["max_mg"]:
                errs.append(f"{where}: dose above its maximum")
            if line["status"] not in ("proposed", "current"):  # current: the amount for today's weight (§13.1)
                errs.append(f"{where}: a dose on a line that is not proposed")
    return errs


def plan_json(path, capsys) -> dict:
    assert main(["plan", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


def test_the_validator_catches_departures():
    good = {"format": "crmo-consult/plan", "version": 1, "app_version": "x", "mode": "workup", "lines": [
        {"step": "first_line", "drug": "naproxen", "status": "not_proposed", "reason": "r", "dose": None,
         "before_starting": [], "source": "s", "edited": False}], "workup": [], "codes": [], "prognosis": [],
        "follow_up": [], "reference_date": None, "weight_used": None}
    assert contract_errors(good) == []
    bad = json.loads(json.dumps(good))
    bad["lines"][0].update(step="first line", dose={"low_mg": 1, "high_mg": 2, "per": "dose", "max_mg": 1,
                                                    "max_per": "dose", "capped": False})
    bad["codes"] = ["M86.39"]
    errs = contract_errors(bad)
    assert any("step" in e for e in errs) and any("above its maximum" in e for e in errs)
    assert any("not proposed" in e for e in errs) and any("outside mode cno" in e for e in errs)


@pytest.mark.parametrize("name", NAMES)
def test_every_example_follows_the_contract_and_has_the_expected_mode(name, capsys):
    out = plan_json(CASES / f"{name}.crmo", capsys)
    assert contract_errors(out) == []
    assert out["app_version"] == __version__
    expected = json.loads((EXPECTED / f"{name}.expected.json").read_text())
    assert out["mode"] == expected["mode"]


def test_leukaemia_mimic_json_proposes_no_cno_treatment(capsys):
    out = plan_json(CASES / "leukaemia-mimic.crmo", capsys)
    treatment = [l for l in out["lines"] if l["step"] in ("first_line", "glucocorticoid", "second_line")]
    assert {l["drug"] for l in treatment} >= {"naproxen", "ibuprofen", "prednisone"}
    assert all(l["status"] == "not_proposed" and l["dose"] is None for l in treatment)
    assert out["workup"] and out["codes"] == [] and out["prognosis"] == []


def test_typical_multifocal_json(capsys):
    out = plan_json(CASES / "typical-multifocal.crmo", capsys)
    naproxen = next(l for l in out["lines"] if l["drug"] == "naproxen")
    assert naproxen["status"] == "proposed" and naproxen["step"] == "first_line"
    assert naproxen["dose"] == {"low_mg": 170, "high_mg": 255, "per": "dose", "max_mg": 1000, "max_per": "day",
                                "capped": False}
    assert out["codes"] == ["M86.39"] and out["prognosis"] and out["follow_up"]


def test_text_leukaemia_mimic_proposes_nothing(capsys):
    assert main(["plan", str(CASES / "leukaemia-mimic.crmo")]) == 0
    text = capsys.readouterr().out
    assert text.startswith("CNO not established — work-up needed")
    assert "(proposed)" not in text and "mg twice daily" not in text
    assert "Not proposed until malignancy is excluded" in text  # a sentence, as the note prints it


def test_clinician_edits_are_applied_and_control_characters_neutralised(tmp_path, capsys):
    case = load_case(CASES / "typical-multifocal.crmo")
    case.plan_edits = {"nsaid": PlanLineEdit(decision="edited", text="Naproxen\x1b[2J 200 mg\u202e bd\nnext"),
                       "school_letter": PlanLineEdit(decision="removed")}
    path = tmp_path / "edited.crmo"
    save_case(case, path)
    out = plan_json(path, capsys)
    assert contract_errors(out) == []
    nsaid = [l for l in out["lines"] if l["id"] == "nsaid"]
    assert nsaid and all(l["edited"] for l in nsaid)
    assert [l["status"] for l in out["lines"] if l["id"] == "school_letter"] == ["removed"]
    assert main(["plan", str(path)]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\u202e" not in text
    assert "Naproxen\\x1b[2J 200 mg\\u202e bd\\x0anext" in text  # one line, as evaluate prints it
    assert "* Always (removed by the clinician): School letter." in text


@pytest.mark.parametrize("make", [lambda p: None, lambda p: p.write_text("{not json")])
def test_unreadable_file_exit_2_one_line(tmp_path, capsys, make):
    path = tmp_path / "bad.crmo"
    make(path)
    assert main(["plan", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1 and "bad.crmo" in captured.err


def test_text_at_follow_up_with_an_urgent_alert_says_the_visit_needs_a_work_up(tmp_path, capsys):
    """§13.4: the diagnosis stands (CNO), but an urgent finding at the visit makes the plan a work-up."""
    data = json.loads((CASES / "followup-two-visits.crmo").read_text(encoding="utf-8"))
    data["visits"][1]["labs"]["peripheral_smear_blasts"] = True
    path = tmp_path / "urgent.crmo"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["plan", str(path)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Bone pain follow-up — work-up needed; no CNO treatment is proposed")
    assert "CNO not established" not in text


def test_the_shared_follow_up_example_plan_json_has_every_key_it_lists(capsys):
    """tests/examples/followup-two-visits.plan.json (a copy of ../shared/examples): the plan keys it lists;
    `naproxen_dose_shown` = the naproxen line has an amount, `workup_contains` = text a work-up item contains."""
    from pathlib import Path

    here = Path(__file__).resolve().parent / "examples"
    expected = json.loads((here / "followup-two-visits.plan.json").read_text(encoding="utf-8"))
    out = plan_json(CASES / "followup-two-visits.crmo", capsys)
    assert out["mode"] == expected["mode"] and out["reference_date"] == expected["reference_date"]
    assert {k: out["weight_used"][k] for k in expected["weight_used"]} == expected["weight_used"]
    status = {line["drug"]: line["status"] for line in out["lines"] if line["drug"]}
    assert {k: status.get(k) for k in expected["status"]} == expected["status"]
    naproxen = next(line for line in out["lines"] if line["drug"] == "naproxen")
    assert (naproxen["dose"] is not None) is expected["naproxen_dose_shown"]
    assert any(expected["workup_contains"] in item for item in out["workup"]), out["workup"]
    assert set(expected) <= {"mode", "reference_date", "weight_used", "status", "naproxen_dose_shown",
                             "workup_contains"}  # a key added upstream must be checked here too
