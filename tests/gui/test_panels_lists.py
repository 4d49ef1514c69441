"""The list panels with real widgets: the skeleton map, the lesion table and editor, biopsies and
treatment courses. Each test drives the widgets and checks what lands in `doc.case`."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop_app.case import skeleton_layout as layout
from desktop_app.case.models import Case, Imaging, Lesion
from desktop_app.storage.case_file import load_case, save_case
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.panels.biopsies import BiopsiesPanel
from desktop_app.ui.panels.imaging import ImagingPanel
from desktop_app.ui.panels.treatments import TreatmentsPanel


@pytest.fixture
def imaging(qtbot):
    doc = CaseDocument(Case())
    panel = ImagingPanel(doc)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    panel.show()
    qtbot.waitExposed(panel)
    return doc, panel


def click_bone(qtbot, panel: ImagingPanel, bone: str, side, level=None) -> None:
    """A real mouse click on the map where the layout puts this bone."""
    x, y = layout.anchor(bone, side, level)
    point = panel.map.to_widget(x, y)
    qtbot.mouseClick(panel.map, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))


def choose(combo, value) -> None:
    """Pick a combo entry by its data as the user would (activated → valueEdited)."""
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_clicking_both_clavicles_adds_two_lesions_and_shows_symmetric(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "clavicle", "left")
    click_bone(qtbot, panel, "clavicle", "right")
    lesions = doc.case.imaging.lesions
    assert [(les.id, les.bone, les.side) for les in lesions] == [
        ("#1", "clavicle", "left"), ("#2", "clavicle", "right")]
    assert "Symmetric: yes" in panel.facts.text()
    assert "Sites: 2" in panel.facts.text() and "Bones: 2" in panel.facts.text()
    # The new lesion is selected in the table and on the map.
    assert panel.lesions.current_row() == 1 and panel.map.selected == 1
    assert panel.lesions.table.selectionModel().selectedRows()[0].row() == 1


def test_clicking_the_spine_ladder_records_the_level(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "vertebra", None, "T7")
    (lesion,) = doc.case.imaging.lesions
    assert (lesion.bone, lesion.level) == ("vertebra", "T7")
    assert panel.lesions.fields["level"].isEnabled()
    assert panel.lesions.fields["level"].currentText() == "T7"


def test_clicking_a_marker_selects_its_lesion_instead_of_adding(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "tibia", "right")
    click_bone(qtbot, panel, "femur", "left")
    assert panel.lesions.current_row() == 1
    x, y = layout.marker_positions(doc.case.imaging.lesions)[0]
    point = panel.map.to_widget(x, y)
    qtbot.mouseClick(panel.map, Qt.MouseButton.LeftButton, pos=QPoint(round(point.x()), round(point.y())))
    assert len(doc.case.imaging.lesions) == 2
    assert panel.lesions.current_row() == 0 and panel.map.selected == 0


def test_undo_removes_the_lesion_added_on_the_map(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "tibia", "left")
    assert len(doc.case.imaging.lesions) == 1
    doc.undo_stack.undo()
    assert doc.case.imaging.lesions == []
    assert panel.lesions.table.rowCount() == 0
    assert "Sites: 0" in panel.facts.text()
    doc.undo_stack.redo()
    assert panel.lesions.table.rowCount() == 1


def test_add_duplicate_remove_in_the_table(qtbot, imaging):
    doc, panel = imaging
    editor = panel.lesions
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    choose(editor.fields["bone"], "femur")
    choose(editor.fields["side"], "right")
    qtbot.mouseClick(editor.duplicate_button, Qt.MouseButton.LeftButton)
    lesions = doc.case.imaging.lesions
    assert [(les.id, les.bone, les.side) for les in lesions] == [("#1", "femur", "right"), ("#2", "femur", "right")]
    assert editor.table.rowCount() == 2 and editor.table.item(1, 1).text() == "Femur"
    editor.select(0)
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert [les.id for les in doc.case.imaging.lesions] == ["#2"]
    # Ids are never reused: the next lesion is L3, not L1 or L2.
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert [les.id for les in doc.case.imaging.lesions] == ["#2", "#3"]


def test_editing_features_and_modalities_in_the_editor(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "tibia", "left")
    editor = panel.lesions
    choose(editor.fields["marrow_edema"], True)
    choose(editor.fields["sclerosis"], False)
    editor.fields["modalities"].boxes["whole_body_mri"].click()
    choose(editor.fields["symptomatic"], False)
    lesion = doc.case.imaging.lesions[0]
    assert lesion.marrow_edema is True and lesion.sclerosis is False and lesion.lytic is None
    assert lesion.modalities == ["whole_body_mri"] and lesion.symptomatic is False
    assert editor.table.item(0, 7).text() == "bone marrow oedema, no marginal sclerosis"
    # The level is only for vertebrae; changing the bone away from vertebra drops it.
    assert not editor.fields["level"].isEnabled()
    choose(editor.fields["bone"], "vertebra")
    choose(editor.fields["level"], "L2")
    assert doc.case.imaging.lesions[0].level == "L2"
    choose(editor.fields["bone"], "sacrum")
    assert doc.case.imaging.lesions[0].level is None
    # Every editor input carries a case path for "jump to the missing field".
    assert editor.table.property("case_path") == "imaging.lesions"
    assert editor.fields["side"].property("case_path") == "imaging.lesions.side"


def test_survey_and_derived_facts_follow_the_document(qtbot, imaging):
    doc, panel = imaging
    click_bone(qtbot, panel, "tibia", "left")
    assert "Multifocal: unknown" in panel.facts.text()
    assert "survey" in panel.facts_notes.text().lower()
    choose(panel.survey, "whole_body_mri")
    assert doc.case.imaging.whole_body_survey == "whole_body_mri"
    assert "Multifocal: no" in panel.facts.text()


def test_replace_case_refreshes_table_map_and_facts(qtbot, imaging, examples_dir):
    doc, panel = imaging
    click_bone(qtbot, panel, "skull", None)
    doc.replace_case(load_case(examples_dir / "typical-multifocal.crmo"))
    editor = panel.lesions
    assert editor.table.rowCount() == len(doc.case.imaging.lesions) == 2
    assert editor.table.item(0, 1).text() == "Clavicle"
    assert editor.current_row() == 0 and panel.map.selected == 0
    assert editor.fields["bone"].value() == "clavicle"
    assert panel.survey.value() == "whole_body_mri"
    assert "Sites: 2" in panel.facts.text()


def test_lesions_edited_on_the_map_survive_save_and_reopen(qtbot, imaging, tmp_path):
    doc, panel = imaging
    click_bone(qtbot, panel, "clavicle", "right")
    choose(panel.lesions.fields["lytic"], True)
    path = tmp_path / "case.crmo"
    save_case(doc.case, path)
    lesion = load_case(path).imaging.lesions[0]
    assert (lesion.id, lesion.bone, lesion.side, lesion.lytic) == ("#1", "clavicle", "right", True)


def test_hover_text_names_the_bone_or_the_lesion(qtbot, imaging):
    doc, panel = imaging
    x, y = layout.anchor("femur", "left", None)
    assert panel.map.tooltip_at(panel.map.to_widget(x, y)) == "Left femur (click to add a lesion)"
    click_bone(qtbot, panel, "femur", "left")
    assert panel.map.tooltip_at(panel.map.to_widget(x, y)) == "#1 · Left femur (click to select)"
    assert panel.map.tooltip_at(panel.map.to_widget(0.01, 0.99)) == ""


def _biopsy_doc() -> CaseDocument:
    return CaseDocument(Case(imaging=Imaging(lesions=[
        Lesion(id="L1", bone="clavicle", side="right"), Lesion(id="L4", bone="tibia", side="left")])))


def test_biopsy_linked_to_a_lesion(qtbot):
    doc = _biopsy_doc()
    panel = BiopsiesPanel(doc)
    qtbot.addWidget(panel)
    editor = panel.list
    assert not editor.fields["histology"].isEnabled()  # nothing selected yet
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    lesion_combo = editor.fields["lesion_id"]
    assert [lesion_combo.itemText(i) for i in range(lesion_combo.count())] == [
        "Not linked to a lesion", "#1 · Right clavicle", "#4 · Left tibia"]  # old ids L1, L4 shown as #1, #4
    choose(lesion_combo, "L4")
    choose(editor.fields["histology"], "chronic_inflammation")
    choose(editor.fields["culture"], "negative")
    choose(editor.fields["on_antibiotics_at_biopsy"], False)
    biopsy = doc.case.biopsies[0]
    assert (biopsy.lesion_id, biopsy.histology, biopsy.culture, biopsy.on_antibiotics_at_biopsy) == (
        "L4", "chronic_inflammation", "negative", False)
    assert editor.table.item(0, 1).text() == "#4 · Left tibia"
    assert editor.table.property("case_path") == "biopsies"
    # Renaming the lesion's side on the Imaging tab updates the biopsy's label; removing it keeps the link.
    lesions = list(doc.case.imaging.lesions)
    doc.set("imaging.lesions", lesions[:1])
    assert doc.case.biopsies[0].lesion_id == "L4"
    assert editor.table.item(0, 1).text() == "#4 (not in the lesion list)"
    assert lesion_combo.currentText() == "#4 · not in the lesion list"


def test_treatment_course_with_response(qtbot):
    doc = CaseDocument(Case())
    panel = TreatmentsPanel(doc)
    qtbot.addWidget(panel)
    editor = panel.list
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    drug = editor.fields["drug"]
    drug.setText("naproxen")
    drug.editingFinished.emit()
    choose(editor.fields["drug_class"], "nsaid")
    choose(editor.fields["response"], "partial")
    start = editor.fields["start_date"]
    start.check.click()  # "Recorded" opens the date for entry (stores nothing: issue 17)
    assert doc.case.treatments[0].start_date is None
    start.edit.setDate(dt.date(2026, 9, 1))
    course = doc.case.treatments[0]
    assert (course.drug, course.drug_class, course.response, course.start_date) == (
        "naproxen", "nsaid", "partial", dt.date(2026, 9, 1))
    assert [editor.table.item(0, c).text() for c in (0, 1, 2, 5)] == [
        "naproxen", "NSAID", "2026-09-01", "Partial response"]
    texts = [w.text() for w in panel.findChildren(type(editor.empty_label))]
    assert any("NSAID course" in t and "CARRA" in t and "Antibiotic course" in t for t in texts)
    doc.undo_stack.undo()  # the date edit: the tick alone stored nothing
    assert doc.case.treatments[0].start_date is None
    doc.replace_case(Case())
    assert editor.table.rowCount() == 0 and not editor.fields["drug"].isEnabled()


@pytest.mark.parametrize("path, expected", [
    ("imaging.lesions", "imaging.lesions"),
    ("imaging.whole_body_survey", "imaging.whole_body_survey"),
    ("biopsies", "biopsies"),
    ("treatments[0].response", "treatments.response"),
])
def test_jump_to_missing_field_lands_on_these_panels(window, path, expected):
    widget = window.field_widget(path)
    assert widget is not None and widget.property("case_path") == expected


def test_a_symptomatic_lesion_is_marked_in_the_same_red_as_in_the_note():
    from desktop_app.report import palette
    from desktop_app.report.skeleton import LESION_RED
    from desktop_app.ui.skeleton_map import marker_style

    fill, _ = marker_style(True)
    assert fill.name() == palette.LESION_MARKER == "#" + LESION_RED.hexval()[2:]
    assert marker_style(None)[0].name() != palette.LESION_MARKER  # not recorded is not symptomatic


def test_the_lesion_cap_refuses_a_201st_lesion_in_words_and_changes_nothing(qtbot, imaging):
    from desktop_app.case.models import MAX_LESIONS

    doc, panel = imaging
    doc.set("imaging.lesions", [Lesion(id=f"#{i + 1}", bone="rib", side="left") for i in range(MAX_LESIONS)])
    qtbot.mouseClick(panel.lesions.add_button, Qt.MouseButton.LeftButton)
    assert len(doc.case.imaging.lesions) == MAX_LESIONS
    assert "refused" in panel.lesions.message.text() and "200" in panel.lesions.message.text()
    panel.lesions.message.show_message("")
    click_bone(qtbot, panel, "clavicle", "left")
    assert len(doc.case.imaging.lesions) == MAX_LESIONS
    assert panel.lesions.message.text() == "Lesion not added: a case holds at most 200 lesions."


def test_lesion_table_shows_every_feature_whole_at_1280_by_800(qtbot, window, examples_dir):
    from PySide6.QtWidgets import QTabWidget

    window.resize(1280, 800)
    window.open_file(examples_dir / "typical-multifocal.crmo", ask=False)
    window.show()
    qtbot.waitExposed(window)
    tabs = window.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i) == "Imaging"))
    qtbot.waitUntil(lambda: window.findChild(ImagingPanel) is not None)  # tabs are built when first shown
    table = window.findChild(ImagingPanel).lesions.table
    qtbot.waitUntil(lambda: table.rowCount() == 2 and table.isVisible())
    assert table.horizontalScrollBar().maximum() == 0  # nothing hidden to the right
    features = [table.item(r, 7).text() for r in range(table.rowCount())]
    assert features[0].endswith("new bone formation")
    for r in range(table.rowCount()):
        # Issue 17: wrapped, and whole unless that would leave fewer than four rows in view; a
        # capped row ends in "…" and its tooltip has the whole text.
        assert table.rowHeight(r) >= min(table.sizeHintForRow(r), table.row_cap())
        assert table.item(r, 7).toolTip() == features[r]
