"""Saved cases reopen equal; v1 files migrate to v2; unicode survives; output is stable and readable."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from desktop_app import __version__
from desktop_app.case.models import SCHEMA_VERSION, Case, LabValue, Lesion, PlanLineEdit
from desktop_app.storage import migrations
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.storage.errors import CaseFileError
from tests.conftest import EXAMPLES
from tests.storage.helpers import EXAMPLE_FILES, example_dict, write_json

STAMPS = {"app_version", "saved_at"}


def _content(case: Case) -> dict:
    return case.model_dump(exclude=STAMPS)


def test_there_are_six_examples():
    assert len(EXAMPLE_FILES) == 6


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_loads_and_round_trips(tmp_path, example):
    # The five diagnosis examples are schema 1 (the migration ladder); the follow-up one is schema 4.
    version = json.loads(example.read_text(encoding="utf-8"))["schema_version"]
    assert version == (4 if example.name.startswith("followup-") else 1)
    original = example.read_bytes()
    first = load_case(example)
    assert first.schema_version == SCHEMA_VERSION
    assert first.plan_edits == {}

    out = tmp_path / example.name
    save_case(first, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["schema_version"] == SCHEMA_VERSION == 5
    assert written["app_version"] == __version__
    second = load_case(out)
    assert _content(second) == _content(first)
    # The example itself was only read.
    assert example.read_bytes() == original


def test_save_stamps_version_and_utc_time_without_touching_the_callers_case(tmp_path):
    case = load_case(EXAMPLE_FILES[0])
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    save_case(case, tmp_path / "a.crmo")
    assert case.saved_at is None and case.app_version is None  # caller's object unchanged
    again = load_case(tmp_path / "a.crmo")
    assert again.app_version == __version__
    assert again.saved_at.tzinfo is not None and again.saved_at >= before


def test_saved_file_omits_unrecorded_fields_and_keeps_model_order(tmp_path):
    case = Case()
    case.labs.crp = LabValue(value=12, unit="mg/L")
    save_case(case, tmp_path / "a.crmo")
    text = (tmp_path / "a.crmo").read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["labs"] == {"crp": {"value": 12.0, "unit": "mg/L"}}  # None fields left out
    assert "bone_pain" not in data["symptoms"]  # unknown stays unknown: absent, never false
    assert list(data)[:4] == ["format", "schema_version", "app_version", "saved_at"]
    assert text.startswith('{\n  "format": "crmo-consult/case",')


def test_false_and_none_stay_distinct(tmp_path):
    case = Case()
    case.symptoms.night_pain = False
    save_case(case, tmp_path / "a.crmo")
    again = load_case(tmp_path / "a.crmo")
    assert again.symptoms.night_pain is False
    assert again.symptoms.bone_pain is None


def test_unicode_names_round_trip(tmp_path):
    case = Case()
    case.patient.name = "Zoë Łukasz-Иванова"
    case.impression = "CRP <5 & ESR ≥ 30 — «typique»"
    path = tmp_path / "Zoë Łukasz-Иванова.crmo"
    save_case(case, path)
    assert "Zoë Łukasz-Иванова" in path.read_text(encoding="utf-8")  # stored as text, not \u escapes
    again = load_case(path)
    assert again.patient.name == "Zoë Łukasz-Иванова"
    assert again.impression == case.impression


def test_v2_fields_round_trip(tmp_path):
    case = load_case(EXAMPLE_FILES[0])
    case.plan_edits = {"nsaid.first_line": PlanLineEdit(decision="edited", text="naproxen 10 mg/kg bd")}
    case.imaging.lesions.append(Lesion(id="L9", bone="vertebra", level=" t7 "))
    save_case(case, tmp_path / "v2.crmo")
    again = load_case(tmp_path / "v2.crmo")
    assert again.plan_edits["nsaid.first_line"].text == "naproxen 10 mg/kg bd"
    assert again.imaging.lesions[-1].level == "T7"


def test_v1_to_v2_migration_adds_plan_edits_without_mutating_input():
    raw = example_dict()
    out = migrations.migrate(raw)
    assert out["schema_version"] == 5 and out["plan_edits"] == {}
    assert raw["schema_version"] == 1 and "plan_edits" not in raw


def test_current_version_passes_through_unchanged():
    raw = {"format": "crmo-consult/case", "schema_version": migrations.CURRENT, "plan_edits": {"a": {}}}
    assert migrations.migrate(raw) == raw


def test_every_older_version_has_a_step():
    assert set(migrations.STEPS) == set(range(1, migrations.CURRENT))


def test_newer_schema_is_refused_with_the_newer_version_sentence(tmp_path):
    data = example_dict()
    data["schema_version"] = 99
    data["field_from_the_future"] = {"x": 1}
    path = write_json(tmp_path / "future.crmo", data)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert str(info.value) == (
        "future.crmo: was saved by a newer version of CRMO Consult "
        f"(schema 99; this version reads up to {SCHEMA_VERSION})."
    )


def test_public_api_reexports_load_and_save(tmp_path):
    import desktop_app

    case = desktop_app.load_case(EXAMPLE_FILES[0])
    desktop_app.save_case(case, tmp_path / "api.crmo")
    assert desktop_app.load_case(tmp_path / "api.crmo").patient == case.patient


def test_overwriting_an_older_schema_keeps_a_backup_once(tmp_path):
    """A v1 file saved by this version becomes v2; the v1 bytes stay beside it as .bak-v1."""
    import json
    import shutil

    from desktop_app.storage.case_file import load_case, save_case

    original = tmp_path / "typical.crmo"
    shutil.copy(EXAMPLES / "typical-multifocal.crmo", original)
    v1_bytes = original.read_bytes()
    case = load_case(original)
    case.patient.name = "Second visit"
    save_case(case, original)
    backup = tmp_path / "typical.crmo.bak-v1"
    assert backup.read_bytes() == v1_bytes
    assert json.loads(original.read_text(encoding="utf-8"))["schema_version"] == 5
    case.patient.name = "Third visit"
    save_case(case, original)  # already v4 on disk: no new backup, the v1 copy is untouched
    assert backup.read_bytes() == v1_bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typical.crmo", "typical.crmo.bak-v1"]


def test_saving_over_a_newer_schema_file_is_refused_and_leaves_it_intact(tmp_path):
    from desktop_app.storage.case_file import save_case

    newer = tmp_path / "newer.crmo"
    newer.write_text('{"format": "crmo-consult/case", "schema_version": 99, "future": {"x": 1}}', encoding="utf-8")
    before = newer.read_bytes()
    with pytest.raises(CaseFileError, match="newer version"):
        save_case(Case(), newer)
    assert newer.read_bytes() == before


def test_v2_file_migrates_to_v4_and_keeps_its_plan_edits(tmp_path):
    raw = example_dict()
    raw["schema_version"] = 2
    raw["plan_edits"] = {"nsaid": {"decision": "removed"}}
    case = load_case(write_json(tmp_path / "v2.crmo", raw))
    assert case.schema_version == 5
    assert case.plan_edits["nsaid"].decision == "removed"
    assert case.symptoms.gingival_bleeding is None and case.mimics.monogenic is None  # not recorded


def test_v3_fields_round_trip(tmp_path):
    import datetime as dt

    case = Case()
    case.encounter.next_review_date = dt.date(2027, 3, 1)
    case.symptoms.fever_pattern = "reported"
    case.symptoms.onset_age_years = 2.5
    case.symptoms.gingival_bleeding = True
    case.symptoms.petechiae = False
    case.associated.restricted_diet = True
    case.associated.neurodevelopmental_disorder = False
    case.associated.malabsorption = True
    case.associated.hla_b27 = False
    case.mimics.monogenic = False
    case.imaging.lesions.append(Lesion(id="1", bone="femur", side="left", permeative_destruction=True,
                                       aggressive_periosteal_reaction=False))
    save_case(case, tmp_path / "v3.crmo")
    again = load_case(tmp_path / "v3.crmo")
    assert again.model_dump(exclude={"saved_at", "app_version"}) == case.model_dump(exclude={"saved_at", "app_version"})
    assert again.imaging.lesions[0].permeative_destruction is True
    assert again.mimics.monogenic is False
