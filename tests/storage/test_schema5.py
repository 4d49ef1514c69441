"""Schema 5 (case-format.md, "(v5)"): a visit's own exclusions, temperature date and lesion findings, and
a biopsy's mycobacterial culture; v4 files keep opening and keep their bytes as .bak-v4; the loader's
rules for lesion findings; the mimic status as of a date (clinical-rules.md §13.1 v4)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop_app.case.models import Biopsy, LesionFindings, Mimics
from desktop_app.case.visits import delete_lesion, exclusion_dates, mimics_as_of, visits_referring_to
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.storage.errors import CaseFileError
from tests.conftest import EXAMPLES
from tests.storage.helpers import write_json

FOLLOWUP = EXAMPLES / "followup-two-visits.crmo"


def _followup() -> dict:
    return json.loads(FOLLOWUP.read_text(encoding="utf-8"))


def test_a_v4_file_opens_and_its_first_save_keeps_bak_v4(tmp_path):
    data = _followup()
    data["schema_version"] = 4
    path = write_json(tmp_path / "v4.crmo", data)
    v4_bytes = path.read_bytes()
    case = load_case(path)
    assert case.schema_version == 5 and all(v.mimics == Mimics() for v in case.visits)
    save_case(case, path)
    assert (tmp_path / "v4.crmo.bak-v4").read_bytes() == v4_bytes
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 5


def test_v5_fields_survive_save_and_reopen(tmp_path):
    case = load_case(FOLLOWUP)
    v2 = case.visits[1]
    v2.mimics.malignancy = False
    v2.max_temperature_date = dt.date(2027, 4, 10)
    v2.lesion_findings["L1"] = LesionFindings(vertebral_collapse=True)
    case.biopsies.append(Biopsy(date=dt.date(2027, 4, 20), lesion_id="L1", mycobacterial_culture="negative"))
    save_case(case, tmp_path / "v5.crmo")
    again = load_case(tmp_path / "v5.crmo")
    assert again.visits[1].mimics.malignancy is False and again.visits[1].mimics.infection is None
    assert again.visits[1].max_temperature_date == dt.date(2027, 4, 10)
    assert again.visits[1].lesion_findings["L1"].vertebral_collapse is True
    assert again.biopsies[-1].mycobacterial_culture == "negative"


def test_findings_for_no_lesion_are_refused_naming_the_visit(tmp_path):
    data = _followup()
    data["visits"][0]["lesion_findings"] = {"L9": {"vertebral_collapse": True}}
    path = write_json(tmp_path / "f.crmo", data)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert str(info.value) == ("f.crmo: the visit of 2027-01-11 (V1) records findings for lesion '#9', "
                               "which is not in the case's lesions.")


def test_findings_before_the_visit_where_the_lesion_is_new_are_refused(tmp_path):
    data = _followup()
    data["visits"][1]["lesion_status"] = {"L1": "new"}
    data["visits"][0]["lesion_status"].pop("L1", None)
    data["visits"][0]["lesion_findings"] = {"L1": {"soft_tissue_mass": True}}
    path = write_json(tmp_path / "f.crmo", data)
    with pytest.raises(CaseFileError, match="records findings for lesion #1, which is first seen later"):
        load_case(path)


def test_deleting_a_lesion_removes_its_findings():
    case = load_case(FOLLOWUP)
    case.visits[1].lesion_findings["L1"] = LesionFindings(cortical_destruction=True)
    assert case.visits[1] in visits_referring_to(case, "L1")
    assert "L1" not in delete_lesion(case, "L1").visits[1].lesion_findings


def test_mimic_status_is_the_latest_recorded_on_or_before_the_date():
    case = load_case(FOLLOWUP)
    case.mimics.malignancy = None
    v1, v2 = case.visits
    v1.mimics.malignancy = True   # confirmed at V1, then corrected at V2
    v2.mimics.malignancy = False
    assert mimics_as_of(case, case.encounter.date).malignancy is None
    assert mimics_as_of(case, v1.date).malignancy is True
    assert mimics_as_of(case, v2.date - dt.timedelta(days=1)).malignancy is True
    assert mimics_as_of(case).malignancy is False
    assert [(d, v.id if v else None, val) for d, v, val in exclusion_dates(case, "malignancy")] == [
        (v1.date, "V1", True), (v2.date, "V2", False)]
