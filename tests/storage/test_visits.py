"""Schema 4 visits in the file: the loader's refusals (one line naming the visit), older files opening
without visits, and the save path that never writes a file the loader would refuse."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from desktop_app.case.entry_checks import entry_checks
from desktop_app.case.models import Case, LabValue, Visit
from desktop_app.case.visits import delete_lesion, delete_visit, next_visit_id, visits_referring_to
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.storage.errors import CaseFileError
from tests.conftest import EXAMPLES
from tests.storage.helpers import fingerprint, write_json

FOLLOWUP = EXAMPLES / "followup-two-visits.crmo"


def _followup() -> dict:
    return json.loads(FOLLOWUP.read_text(encoding="utf-8"))


def _refusal(tmp_path, data: dict) -> str:
    path = write_json(tmp_path / "f.crmo", data)
    before = fingerprint(path)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert fingerprint(path) == before
    message = str(info.value)
    assert "\n" not in message
    return message


def test_the_example_loads_with_its_visits():
    case = load_case(FOLLOWUP)
    assert [v.id for v in case.visits] == ["V1", "V2"] and case.measures.chaq == 0.375
    assert case.visits[1].labs.creatinine.unit == "umol/L" and case.visits[0].lesion_status["L2"] == "resolved"


def test_a_visit_without_a_date_is_refused_naming_it(tmp_path):
    data = _followup()
    del data["visits"][1]["date"]
    assert _refusal(tmp_path, data) == "f.crmo: visits[1]: the visit number 2 (V2) has no date (every visit needs one)."


def test_a_status_for_no_lesion_is_refused_naming_the_visit(tmp_path):
    data = _followup()
    data["visits"][0]["lesion_status"]["L9"] = "new"
    assert _refusal(tmp_path, data) == ("f.crmo: the visit of 2027-01-11 (V1) gives a status to lesion '#9', "
                                        "which is not in the case's lesions.")


def test_a_lesion_new_at_two_visits_is_refused(tmp_path):
    data = _followup()
    data["visits"][0]["lesion_status"]["L3"] = "new"
    data["visits"][1]["lesion_status"] = {"L3": "new"}
    assert _refusal(tmp_path, data) == ("f.crmo: lesion #3 is marked new at two visits: the visit of 2027-01-11 (V1) "
                                        "and the visit of 2027-04-12 (V2).")


def test_a_status_before_the_visit_where_the_lesion_is_new_is_refused(tmp_path):
    data = _followup()
    data["visits"][1]["lesion_status"] = {"L1": "new"}
    assert _refusal(tmp_path, data) == ("f.crmo: the visit of 2027-01-11 (V1) gives a status to lesion #1, "
                                        "which is first seen later, at the visit of 2027-04-12 (V2).")


def test_duplicate_visit_ids_are_refused(tmp_path):
    data = _followup()
    data["visits"][1]["id"] = "V1"
    assert _refusal(tmp_path, data) == "f.crmo: two visits have the id 'V1' (the visit of 2027-04-12 (V1) is the second)."


def test_a_bad_status_and_a_visit_lab_without_unit_name_their_field(tmp_path):
    data = _followup()
    data["visits"][0]["lesion_status"]["L1"] = "better"
    assert _refusal(tmp_path, data).startswith("f.crmo: visits[0].lesion_status.L1: 'better' is not allowed")
    data = _followup()
    data["visits"][1]["labs"]["alt"] = 22
    assert _refusal(tmp_path, data) == "f.crmo: visits[1].labs.alt: a unit is required (U/L)."


def test_a_v3_file_opens_without_visits_and_its_first_save_keeps_bak_v3(tmp_path):
    data = json.loads((EXAMPLES / "typical-multifocal.crmo").read_text(encoding="utf-8"))
    data["schema_version"] = 3
    path = write_json(tmp_path / "old.crmo", data)
    v3_bytes = path.read_bytes()
    case = load_case(path)
    assert case.schema_version == 5 and case.visits == [] and case.measures.pain is None
    save_case(case.model_copy(update={"visits": [Visit(id="V1", date="2027-01-01")]}), path)
    assert (tmp_path / "old.crmo.bak-v3").read_bytes() == v3_bytes
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 5
    assert [v.id for v in load_case(path).visits] == ["V1"]


def test_saving_a_case_the_loader_would_refuse_is_refused_and_writes_nothing(tmp_path):
    case = load_case(FOLLOWUP)
    bad = case.model_copy(update={"visits": [case.visits[0], case.visits[1].model_copy(update={"id": "V1"})]})
    path = tmp_path / "out.crmo"
    with pytest.raises(CaseFileError) as info:
        save_case(bad, path)
    assert str(info.value) == "out.crmo: two visits have the id 'V1' (the visit of 2027-04-12 (V1) is the second)."
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_saving_a_model_copy_that_skipped_field_validation_is_refused(tmp_path):
    # model_copy(update=) does not validate: the save path still checks every field like the loader.
    case = load_case(FOLLOWUP)
    bad = case.model_copy(update={"labs": case.labs.model_copy(update={"crp": LabValue.model_construct(
        value=3, unit="furlongs")})})
    with pytest.raises(CaseFileError, match="unit 'furlongs' is not allowed"):
        save_case(bad, tmp_path / "out.crmo")
    assert list(tmp_path.iterdir()) == []


def test_deleting_a_lesion_removes_its_statuses_and_renumbers_nothing(tmp_path):
    case = load_case(FOLLOWUP)
    assert [v.id for v in visits_referring_to(case, "L2")] == ["V1"]
    out = delete_lesion(case, "L2")
    assert [les.id for les in out.imaging.lesions] == ["L1", "L3"]
    assert out.visits[0].lesion_status == {"L1": "improved", "L3": "unchanged"}
    assert [v.id for v in out.visits] == ["V1", "V2"]
    assert case.visits[0].lesion_status["L2"] == "resolved"  # the original is untouched (undo keeps it)
    save_case(out, tmp_path / "x.crmo")
    assert load_case(tmp_path / "x.crmo").visits[0].lesion_status == {"L1": "improved", "L3": "unchanged"}


def test_visit_ids_are_never_reused():
    case = load_case(FOLLOWUP)
    assert next_visit_id(case) == "V3"
    assert next_visit_id(delete_visit(case, "V1")) == "V3"
    assert [v.id for v in delete_visit(case, "V1").visits] == ["V2"]


def test_entry_checks_for_a_visit_before_the_first_consultation_and_statuses_without_mri_date():
    case = load_case(FOLLOWUP)
    early = case.visits[1].model_copy(update={"date": case.encounter.date.replace(year=2026, month=9)})
    no_mri = case.visits[0].model_copy(update={"mri_date": None})
    after_all = dt.date(2028, 1, 1)  # the example's visits are dated in 2027: not "in the future" here
    checks = {(c.path, c.severity)
              for c in entry_checks(case.model_copy(update={"visits": [no_mri, early]}), after_all)}
    assert checks == {("visits[0].mri_date", "warning"), ("visits[1].date", "error")}
    assert entry_checks(case, after_all) == []
