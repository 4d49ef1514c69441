"""Autosave copies: written atomically to the data folder, listed, reopened and discarded."""
from __future__ import annotations

import json

import pytest

from desktop_app.case.models import Case
from desktop_app.storage import recovery
from desktop_app.storage.case_file import load_case
from desktop_app.storage.errors import CaseFileError
from desktop_app.storage.recovery import (
    discard_recovery,
    list_recoveries,
    load_recovery,
    recovery_for,
    write_recovery,
)
from tests.storage.helpers import EXAMPLE_FILES


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    monkeypatch.setenv(recovery.DATA_DIR_ENV, str(folder))
    return folder


def _case(name: str) -> Case:
    case = load_case(EXAMPLE_FILES[0])
    case.patient.name = name
    return case


def test_write_list_load_discard(data_dir, tmp_path):
    original = tmp_path / "cases" / "zoë.crmo"
    path = write_recovery(_case("Zoë Łukasz-Иванова"), original)
    assert path.parent == data_dir / "recovery"
    assert load_case(path).patient.name == "Zoë Łukasz-Иванова"  # a normal case file

    [entry] = list_recoveries()
    assert entry.path == path
    assert entry.original == original.resolve()
    assert entry.patient_name == "Zoë Łukasz-Иванова"
    assert entry.saved_at.tzinfo is not None

    restored = load_recovery(entry)
    assert restored.labs == _case("x").labs

    discard_recovery(entry)
    assert list_recoveries() == []
    assert list((data_dir / "recovery").iterdir()) == []
    discard_recovery(entry)  # already gone is fine


def test_repeated_autosaves_overwrite_one_copy_per_original(data_dir, tmp_path):
    original = tmp_path / "a.crmo"
    write_recovery(_case("first"), original)
    write_recovery(_case("second"), original)
    write_recovery(_case("other file"), tmp_path / "b.crmo")
    entries = list_recoveries()
    assert sorted(e.patient_name for e in entries) == ["other file", "second"]
    assert recovery_for(original).patient_name == "second"
    assert recovery_for(tmp_path / "never-autosaved.crmo") is None


def test_untitled_case_has_no_original(data_dir):
    write_recovery(_case("New patient"), None)
    [entry] = list_recoveries()
    assert entry.original is None
    assert entry.patient_name == "New patient"
    assert recovery_for(None) == entry


def test_sidecar_says_which_file_and_case_has_no_extra_fields(data_dir, tmp_path):
    path = write_recovery(_case("A"), tmp_path / "a.crmo")
    sidecar = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert sidecar["format"] == "crmo-consult/recovery"
    assert sidecar["original"] == str((tmp_path / "a.crmo").resolve())
    assert "original" not in json.loads(path.read_text(encoding="utf-8"))


def test_newest_first(data_dir, tmp_path):
    older = write_recovery(_case("older"), tmp_path / "a.crmo")
    newer = write_recovery(_case("newer"), tmp_path / "b.crmo")
    # Times are stamped to the second; set them explicitly instead of sleeping.
    for path, stamp in ((older, "2026-01-01T10:00:00+00:00"), (newer, "2026-01-02T10:00:00+00:00")):
        side = path.with_suffix(".json")
        data = json.loads(side.read_text(encoding="utf-8"))
        data["written_at"] = stamp
        side.write_text(json.dumps(data), encoding="utf-8")
    assert [e.patient_name for e in list_recoveries()] == ["newer", "older"]


def test_damaged_copy_is_listed_but_loading_it_is_a_clear_error(data_dir, tmp_path):
    path = write_recovery(_case("A"), tmp_path / "a.crmo")
    path.write_bytes(path.read_bytes()[:50])  # cut off mid-write by a power failure
    path.with_suffix(".json").unlink()
    [entry] = list_recoveries()
    assert entry.patient_name == "" and entry.original is None
    with pytest.raises(CaseFileError, match=r"not valid JSON"):
        load_recovery(entry)


def test_no_folder_means_no_recoveries(data_dir):
    assert list_recoveries() == []


def test_explicit_directory_overrides_env(data_dir, tmp_path):
    other = tmp_path / "elsewhere"
    write_recovery(_case("A"), None, directory=other)
    assert list_recoveries() == []
    assert [e.patient_name for e in list_recoveries(directory=other)] == ["A"]


def test_default_folder_is_the_per_user_data_dir(monkeypatch):
    import platformdirs

    monkeypatch.delenv(recovery.DATA_DIR_ENV, raising=False)
    assert recovery.data_dir() == recovery.Path(platformdirs.user_data_dir("CRMO Consult", appauthor=False))
