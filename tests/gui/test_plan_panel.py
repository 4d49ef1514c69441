"""Plan tab: proposed lines with doses, inline edit/remove/restore through the real widgets,
decisions saved in the case file and shown again after reopening. No dialogs."""
from __future__ import annotations

from desktop_app.case.models import Case, Lesion
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.plan_panel import PlanPanel
from tests.conftest import EXAMPLES
from PySide6.QtCore import Qt


def shown(widget) -> bool:
    """Visible once the event loop runs: rebuilt children of a shown panel get a deferred show."""
    return widget.isVisibleTo(widget.window())


def _panel(qtbot, case: Case) -> tuple[CaseDocument, PlanPanel]:
    doc = CaseDocument(case)
    panel = PlanPanel(doc)
    qtbot.addWidget(panel)
    panel.show()
    return doc, panel


def _typical(qtbot):
    return _panel(qtbot, load_case(EXAMPLES / "typical-multifocal.crmo"))


def test_shows_lines_doses_and_sections(qtbot):
    doc, panel = _typical(qtbot)
    assert panel.title == "Plan"
    assert list(panel.line_widgets) == ["nsaid", "sulfasalazine", "physio_pain", "school_letter", "skin_specialist"]
    nsaid = panel.line_widgets["nsaid"]
    doses = [l.text() for l in nsaid.dose_labels]
    assert "170–255 mg twice daily (340–510 mg/day)" in doses[0]
    assert "maximum: 1 g/day" in doses[0] and "verify against your local formulary" in doses[0]
    assert any("Whole-body imaging done" in t and "met" in t for t in panel.texts("eligibility"))
    assert any("OR 1.94" in t and "PubMed 39754119" in t for t in panel.texts("prognosis"))
    assert any("3 months after starting treatment" in t for t in panel.texts("follow_up"))


def test_recomputes_when_the_case_changes(qtbot):
    doc, panel = _typical(qtbot)
    doc.set("patient.weight_kg", 80.0)
    assert "capped at 500 mg twice daily" in panel.line_widgets["nsaid"].dose_labels[0].text()
    lesions = list(doc.case.imaging.lesions) + [Lesion(bone="vertebra", level="T7", marrow_edema=True)]
    doc.set("imaging.lesions", lesions)
    assert "glucocorticoid" in panel.line_widgets and "ctp" in panel.line_widgets
    doc.set("patient.weight_kg", None)
    assert "not calculated: enter weight (kg)" in panel.line_widgets["nsaid"].dose_labels[0].text()


def test_edit_inline_save_reopen(qtbot, tmp_path):
    doc, panel = _typical(qtbot)
    w = panel.line_widgets["nsaid"]
    qtbot.mouseClick(w.edit_btn, Qt.MouseButton.LeftButton)
    assert shown(w.edit_box)
    w.editor.selectAll()
    qtbot.keyClicks(w.editor, "Naproxen 200 mg twice daily for 3 months")
    qtbot.mouseClick(w.save_btn, Qt.MouseButton.LeftButton)
    edit = doc.case.plan_edits["nsaid"]
    assert edit.decision == "edited" and edit.text == "Naproxen 200 mg twice daily for 3 months"
    assert panel.line_widgets["nsaid"].text_label.text() == "Naproxen 200 mg twice daily for 3 months"

    path = tmp_path / "edited.crmo"
    save_case(doc.case, path)
    reopened = load_case(path)
    assert reopened.plan_edits["nsaid"].text == "Naproxen 200 mg twice daily for 3 months"
    doc2, panel2 = _panel(qtbot, reopened)
    line = panel2.line_widgets["nsaid"]
    assert line.text_label.text() == "Naproxen 200 mg twice daily for 3 months"
    assert line.line.decision == "edited" and shown(line.restore_btn)

    doc.undo_stack.undo()  # the edit is one undoable step
    assert "nsaid" not in doc.case.plan_edits
    assert panel.line_widgets["nsaid"].text_label.text().startswith("NSAID: naproxen preferred")


def test_cancel_edit_changes_nothing(qtbot):
    doc, panel = _typical(qtbot)
    w = panel.line_widgets["school_letter"]
    qtbot.mouseClick(w.edit_btn, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(w.editor, " extra")
    qtbot.mouseClick(w.cancel_btn, Qt.MouseButton.LeftButton)
    assert doc.case.plan_edits == {} and not shown(panel.line_widgets["school_letter"].edit_box)


def test_open_editor_survives_a_recompute(qtbot):
    doc, panel = _typical(qtbot)
    qtbot.mouseClick(panel.line_widgets["nsaid"].edit_btn, Qt.MouseButton.LeftButton)
    panel.line_widgets["nsaid"].editor.setPlainText("draft wording")
    doc.set("patient.weight_kg", 40.0)  # another panel edits the case meanwhile
    w = panel.line_widgets["nsaid"]
    assert shown(w.edit_box) and w.editor.toPlainText() == "draft wording"


def test_remove_restore_accept(qtbot, tmp_path):
    doc, panel = _typical(qtbot)
    qtbot.mouseClick(panel.line_widgets["school_letter"].remove_btn, Qt.MouseButton.LeftButton)
    w = panel.line_widgets["school_letter"]  # still listed, so it can be restored
    assert doc.case.plan_edits["school_letter"].decision == "removed"
    assert shown(w.restore_btn) and w.restore_btn.text() == "Restore" and not shown(w.remove_btn)
    assert "<s>" in w.text_label.text()
    save_case(doc.case, tmp_path / "r.crmo")
    assert load_case(tmp_path / "r.crmo").plan_edits["school_letter"].decision == "removed"
    qtbot.mouseClick(w.restore_btn, Qt.MouseButton.LeftButton)
    assert "school_letter" not in doc.case.plan_edits
    assert shown(panel.line_widgets["school_letter"].remove_btn)
    qtbot.mouseClick(panel.line_widgets["physio_pain"].accept_btn, Qt.MouseButton.LeftButton)
    assert doc.case.plan_edits["physio_pain"].decision == "accepted"
    assert not shown(panel.line_widgets["physio_pain"].accept_btn)


def test_plan_notes_bound_to_the_document(qtbot, tmp_path):
    doc, panel = _typical(qtbot)
    qtbot.keyClicks(panel.notes_edit, "Review in clinic with MRI")
    panel.notes_edit.commit()  # what focus-out or the typing pause does
    assert doc.case.plan_notes == "Review in clinic with MRI"
    save_case(doc.case, tmp_path / "n.crmo")
    reopened = load_case(tmp_path / "n.crmo")
    doc.replace_case(reopened)
    assert panel.notes_edit.toPlainText() == "Review in clinic with MRI"
    doc.set("plan_notes", "")
    assert panel.notes_edit.toPlainText() == ""


def test_mimic_case_shows_work_up_first_and_held_back_lines(qtbot):
    doc, panel = _panel(qtbot, load_case(EXAMPLES / "leukaemia-mimic.crmo"))
    assert shown(panel.workup_group) and any("bone marrow" in t for t in panel.texts("workup"))
    nsaid = panel.line_widgets["nsaid"]
    assert nsaid.line.status == "not_proposed" and not nsaid.dose_labels
    reason = nsaid.findChild(type(nsaid.text_label), "reason").text()
    assert reason.startswith("Not proposed until the work-up is done")
    assert panel.texts("prognosis") == ["Given once CNO is established."]
