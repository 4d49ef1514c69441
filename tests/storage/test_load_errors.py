"""Every class of bad case file gives one sentence naming the file and the field, and is left untouched."""
from __future__ import annotations

import os
import sys

import pytest

from desktop_app.storage import case_file
from desktop_app.storage.case_file import load_case
from desktop_app.storage.errors import CaseFileError
from tests.storage.helpers import example_dict, fingerprint, write_json


def _with(mutate):
    data = example_dict()
    mutate(data)
    return data


def _set_lesion_bone(d, i, bone):
    d["imaging"]["lesions"].append({"id": f"L{i}", "bone": "rib", "side": "left"})
    d["imaging"]["lesions"][i]["bone"] = bone


BAD_DICTS = {
    "bare_crp": (
        lambda d: d["labs"].__setitem__("crp", 8),
        "typical.crmo: labs.crp: a unit is required (mg/L or mg/dL)",
    ),
    "crp_without_unit": (
        lambda d: d["labs"].__setitem__("crp", {"value": 8}),
        "typical.crmo: labs.crp: a unit is required (mg/L or mg/dL)",
    ),
    "crp_wrong_unit": (
        lambda d: d["labs"].__setitem__("crp", {"value": 8, "unit": "g/L"}),
        "typical.crmo: labs.crp: unit 'g/L' is not allowed (allowed: mg/L, mg/dL)",
    ),
    "unknown_bone": (
        lambda d: _set_lesion_bone(d, 2, "femurr"),
        "typical.crmo: imaging.lesions[2].bone: 'femurr' is not a known bone",
    ),
    "lesion_without_bone": (
        lambda d: d["imaging"]["lesions"][0].pop("bone"),
        "typical.crmo: imaging.lesions[0].bone: is required but missing",
    ),
    "bad_date": (
        lambda d: d["patient"].__setitem__("date_of_birth", "2015-13-01"),
        "typical.crmo: patient.date_of_birth: '2015-13-01' is not a valid date (write YYYY-MM-DD)",
    ),
    "weight_out_of_range": (
        lambda d: d["patient"].__setitem__("weight_kg", 0.1),
        "typical.crmo: patient.weight_kg: 0.1 is out of range",
    ),
    "bad_choice": (
        lambda d: d["patient"].__setitem__("sex", "f"),
        "typical.crmo: patient.sex: 'f' is not allowed (expected 'female', 'male' or 'other')",
    ),
    "typo_key": (
        lambda d: d.__setitem__("patinet", {}),
        "typical.crmo: patinet: is not a field of a case file",
    ),
    "key_with_a_newline": (  # the message stays one line (found by the fuzz test)
        lambda d: d.__setitem__("symptoms", {"\n": None}),
        "typical.crmo: symptoms.\\x0a: is not a field of a case file",
    ),
    "foreign_format": (
        lambda d: d.__setitem__("format", "someone-else/case"),
        "typical.crmo: is not a CRMO Consult case file",
    ),
    "no_format": (lambda d: d.pop("format"), "typical.crmo: is not a CRMO Consult case file"),
    "no_version": (lambda d: d.pop("schema_version"), "typical.crmo: schema_version: missing"),
    "string_version": (
        lambda d: d.__setitem__("schema_version", "1"),
        "typical.crmo: schema_version: '1' is not a whole number",
    ),
    "newer_version": (
        lambda d: d.__setitem__("schema_version", 99),
        "typical.crmo: was saved by a newer version of CRMO Consult (schema 99; this version reads up to 5)",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_DICTS))
def test_bad_content_is_one_sentence_and_file_untouched(tmp_path, kind):
    mutate, expected = BAD_DICTS[kind]
    path = write_json(tmp_path / "typical.crmo", _with(mutate))
    before = fingerprint(path)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    message = str(info.value)
    assert message.startswith(expected)
    assert "\n" not in message and "Traceback" not in message
    assert fingerprint(path) == before


BAD_BYTES = {
    "empty": (b"", "typical.crmo: file is empty."),
    "whitespace": (b"  \n\n", "typical.crmo: file is empty."),
    "truncated": (
        b'{\n  "format": "crmo-consult/case",\n  "schema_version": 1,\n  "patient": {',
        "typical.crmo: not valid JSON (line 4, column",
    ),
    "bad_json": (b'{\n  "format": "crmo-consult/case",\n  , }', "typical.crmo: not valid JSON (line 3, column 3)"),
    "not_utf8": (b'{"format": "crmo-consult/case", "patient": {"name": "Zo\xeb"}}', "typical.crmo: not a UTF-8 text file"),
    "json_array": (b"[1, 2, 3]", "typical.crmo: is not a CRMO Consult case file"),
    "nan": (
        b'{"format": "crmo-consult/case", "schema_version": 1, "symptoms": {"max_temperature_c": NaN}}',
        "typical.crmo: not valid JSON",
    ),
    "infinite_number": (
        b'{"format": "crmo-consult/case", "schema_version": 1, "labs": {"crp": {"value": 1e400, "unit": "mg/L"}}}',
        "typical.crmo: not valid JSON (1e400 is too large to be a number)",
    ),
    "pickle": (b"\x80\x04\x95\x10\x00\x00\x00", "typical.crmo: not a UTF-8 text file"),
}


@pytest.mark.parametrize("kind", sorted(BAD_BYTES))
def test_bad_bytes_are_one_sentence_and_file_untouched(tmp_path, kind):
    raw, expected = BAD_BYTES[kind]
    path = tmp_path / "typical.crmo"
    path.write_bytes(raw)
    before = fingerprint(path)
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert str(info.value).startswith(expected)
    assert "\n" not in str(info.value)
    assert fingerprint(path) == before


def test_bom_is_tolerated(tmp_path):
    # Windows Notepad saves UTF-8 with a BOM; that is still a valid case file.
    path = tmp_path / "bom.crmo"
    path.write_bytes(b"\xef\xbb\xbf" + write_json(tmp_path / "plain.crmo", example_dict()).read_bytes())
    assert load_case(path).patient.name == "Example Patient"


def test_missing_file(tmp_path):
    with pytest.raises(CaseFileError, match=r"^nowhere\.crmo: file not found"):
        load_case(tmp_path / "nowhere.crmo")


def test_folder_is_refused(tmp_path):
    folder = tmp_path / "looks-like.crmo"
    folder.mkdir()
    with pytest.raises(CaseFileError, match=r"^looks-like\.crmo: is a folder, not a case file"):
        load_case(folder)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_unreadable_file(tmp_path):
    path = write_json(tmp_path / "locked.crmo", example_dict())
    path.chmod(0o000)
    try:
        with pytest.raises(CaseFileError, match=r"^locked\.crmo: permission denied"):
            load_case(path)
    finally:
        path.chmod(0o600)


def test_unreadable_file_via_open(tmp_path, monkeypatch):
    # The same path as above, forced, so that it is covered when the tests run as root.
    path = write_json(tmp_path / "locked.crmo", example_dict())

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("desktop_app.storage.files.os.open", deny)  # files.py opens with os.open
    with pytest.raises(CaseFileError, match=r"^locked\.crmo: permission denied"):
        load_case(path)


def test_oversized_file_is_refused_without_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(case_file, "MAX_CASE_BYTES", 1000)
    path = tmp_path / "huge.crmo"
    path.write_bytes(b"{" + b" " * 2000 + b"}")
    with pytest.raises(CaseFileError, match=r"^huge\.crmo: file is too large"):
        load_case(path)


def test_several_problems_are_counted_in_one_sentence(tmp_path):
    data = example_dict()
    data["patient"]["sex"] = "f"
    data["patient"]["weight_kg"] = -1
    path = write_json(tmp_path / "two.crmo", data)
    with pytest.raises(CaseFileError, match=r"\(and 1 more problem\)\.$"):
        load_case(path)
