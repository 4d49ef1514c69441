"""Issue 25: File → Export FHIR… asks for the same note as Export PDF… (a case with visits) and
writes that note as a FHIR document bundle, its PDF attached; cancelled, it writes nothing."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.gui.test_note_choice import EXAMPLES, FOLLOWUP, LABELS, open_example

pytestmark = pytest.mark.gui


def file_menu_action(win, text: str):
    """The File menu's item, as a person finds it (by its words)."""
    menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&File")
    return next(a for a in menu.actions() if a.text().replace("&", "") == text)


def read_bundle(path: Path):
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate_json(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("answer, title, date", [(1, "CRMO/CNO follow-up note", "2027-01-11"),
                                                 (2, "CRMO/CNO consult note", "2026-10-05")])
def test_export_fhir_writes_the_chosen_note(win, prompter, tmp_path, answer, title, date):
    open_example(win)
    prompter.note_answer = answer
    prompter.fhir_answer = tmp_path / "bundle.json"
    file_menu_action(win, "Export FHIR…").trigger()
    assert prompter.called("choose_note") == [("Export FHIR", LABELS)]
    assert Path(prompter.called("fhir_path")[0][0]).suffix == ".json"
    bundle = read_bundle(tmp_path / "bundle.json")
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds[0] == "Composition" and bundle.entry[0].resource.title == title
    encounter = bundle.entry[kinds.index("Encounter")].resource
    assert str(encounter.period.start) == date
    assert "DocumentReference" in kinds
    assert "written as a FHIR bundle to" in win.statusBar().currentMessage()


def test_cancelled_at_the_choice_writes_nothing(win, prompter, tmp_path):
    open_example(win)
    prompter.note_answer = None
    prompter.fhir_answer = tmp_path / "bundle.json"
    file_menu_action(win, "Export FHIR…").trigger()
    assert prompter.called("fhir_path") == [] and not (tmp_path / "bundle.json").exists()


def test_without_visits_nothing_is_asked(win, prompter, tmp_path):
    open_example(win, EXAMPLES / "typical-multifocal.crmo")
    prompter.fhir_answer = tmp_path / "bundle.json"
    file_menu_action(win, "Export FHIR…").trigger()
    assert prompter.called("choose_note") == []
    assert read_bundle(tmp_path / "bundle.json").entry[0].resource.title == "CRMO/CNO consult note"
