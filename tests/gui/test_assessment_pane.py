"""The live assessment pane, driven through the real panel widgets."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from desktop_app.criteria.types import Assessment, CriteriaResult, Derived, ItemResult, RedFlag
from desktop_app.ui.assessment_pane import AssessmentPane, card_html, flags_html
from desktop_app.ui.document import CaseDocument

pytestmark = pytest.mark.gui


def _inputs(window, path, kind):
    return [w for w in window.tabs.findChildren(kind) if w.property("case_path") == path]


def _item(pane, set_id, item_id):
    return next(i for i in pane.assessment.criteria[set_id].items if i.id == item_id)


@pytest.fixture
def typical(window, examples_dir):
    assert window.open_file(examples_dir / "typical-multifocal.crmo")
    return window


def test_crp_typed_in_mg_dl_turns_bristol_criterion_1_not_met_and_raises_high_crp(typical, qtbot):
    pane = typical.pane
    assert _item(pane, "bristol_2016", "criterion_1").status == "met"
    assert "No red flags" in pane.flags.text()

    value = _inputs(typical, "labs.crp", QLineEdit)[0]
    unit = _inputs(typical, "labs.crp", QComboBox)[0]
    value.clear()
    qtbot.keyClicks(value, "3.2")
    unit.setCurrentIndex(unit.findData("mg/dL"))
    unit.activated.emit(unit.currentIndex())  # as the user picking "mg/dL"
    qtbot.keyClick(value, Qt.Key.Key_Return)

    assert typical.doc.case.labs.crp.value == 3.2 and typical.doc.case.labs.crp.unit == "mg/dL"
    assert _item(pane, "bristol_2016", "criterion_1").status == "not_met"
    assert "high_crp" in [f.id for f in pane.assessment.red_flags]
    flag = next(f for f in pane.assessment.red_flags if f.id == "high_crp")
    assert flag.label in pane.flags.text()
    assert "32 mg/L" in pane.card_text("bristol_2016")  # the converted value in the evidence


def test_clearing_a_lab_back_to_not_recorded_widens_the_jansson_range(typical, qtbot):
    pane = typical.pane
    jansson = pane.assessment.criteria["jansson_2009"]
    assert (jansson.points_min, jansson.points_max) == (47, 47)
    assert "<b>47</b> points" in pane.card_text("jansson_2009")

    wbc = _inputs(typical, "labs.wbc", QLineEdit)[0]
    wbc.clear()
    qtbot.keyClick(wbc, Qt.Key.Key_Return)

    assert typical.doc.case.labs.wbc is None
    jansson = pane.assessment.criteria["jansson_2009"]
    assert (jansson.points_min, jansson.points_max) == (34, 47)
    assert "<b>34–47</b> points possible" in pane.card_text("jansson_2009")
    assert jansson.status == "indeterminate"
    assert "Indeterminate" in pane.card_text("jansson_2009")


def test_tristate_back_to_not_recorded_makes_bristol_indeterminate(typical):
    combo = _inputs(typical, "symptoms.bone_pain", QComboBox)[0]
    combo.setCurrentIndex(combo.findData(None))
    combo.activated.emit(combo.currentIndex())
    assert typical.doc.case.symptoms.bone_pain is None
    assert typical.pane.assessment.criteria["bristol_2016"].status == "indeterminate"
    assert "symptoms.bone_pain" in typical.pane.card_text("bristol_2016")  # a link to the field


def test_undo_updates_the_pane(typical):
    from desktop_app.case.models import LabValue

    typical.doc.set("labs.crp", LabValue(value=42, unit="mg/L"))
    assert "high_crp" in [f.id for f in typical.pane.assessment.red_flags]
    typical.act_undo.trigger()
    assert typical.pane.assessment.red_flags == []


def test_clicking_a_missing_link_asks_to_jump_to_the_field(qtbot):
    doc = CaseDocument()
    pane = AssessmentPane(doc)
    qtbot.addWidget(pane)
    card = pane._cards["bristol_2016"]
    assert 'href="missing:labs.crp"' in card.text()
    with qtbot.waitSignal(pane.missingClicked) as blocker:
        card.linkActivated.emit("missing:labs.crp")
    assert blocker.args == ["labs.crp"]


def test_missing_link_from_the_pane_focuses_the_crp_input(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    window.pane._cards["bristol_2016"].linkActivated.emit("missing:labs.crp")
    qtbot.waitUntil(lambda: (window.focusWidget() is not None
                             and window.focusWidget().property("case_path") == "labs.crp"))
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Labs"


# --- rendering, on hand-made results -------------------------------------------------------------
def _result(**kw) -> CriteriaResult:
    base = dict(id="x", name="Test set", kind="score", source="roderick2016", status="indeterminate",
                points_min=10, points_max=20, threshold=15, threshold_label="≥ 15: likely")
    base.update(kw)
    return CriteriaResult(**base)


def test_user_text_is_escaped_in_the_cards():
    item = ItemResult(id="a", label="Drug <b>x</b>", status="met", evidence='<img src="http://h/x.png"> & co')
    html, tip = card_html(_result(items=[item]))
    assert "<img" not in html and "&lt;img" in html and "&amp; co" in html
    assert "Drug &lt;b&gt;x&lt;/b&gt;" in html


def test_status_in_words_and_points_against_the_threshold():
    html, tip = card_html(_result())
    assert "Indeterminate" in html and "<b>10–20</b> points possible" in html and "≥ 15: likely" in html
    html, _ = card_html(_result(status="met", points=20, points_min=20, points_max=20))
    assert "✔ Met" in html and "<b>20</b> points" in html
    html, _ = card_html(_result(status="not_met", points_min=3, points_max=3))
    assert "✘ Not met" in html


def test_the_source_is_a_line_and_the_full_citation_a_tooltip():
    html, tip = card_html(_result(kind="diagnostic"))
    assert "Source: Roderick 2016" in html
    assert "doi:10.1186/s12969-016-0109-1" in tip
    assert "Diagnostic criteria" in html


def test_classification_says_it_is_not_diagnostic():
    html, _ = card_html(_result(kind="classification"))
    assert "not a diagnostic rule" in html


def test_red_flags_show_label_evidence_action_and_source():
    flag = RedFlag(id="blasts", label="Blasts <on film>", evidence="blasts seen", action="Urgent haematology",
                   source="Standard practice")
    html = flags_html([flag])
    assert "Blasts &lt;on film&gt;" in html and "blasts seen" in html
    assert "Urgent haematology" in html and "Source: Standard practice" in html


def test_derived_facts_and_next_steps_are_shown(qtbot):
    pane = AssessmentPane(CaseDocument())
    qtbot.addWidget(pane)
    pane.show_assessment(Assessment(derived=Derived(sites=3, bones=2, multifocal=True, age_years=11.6),
                                    criteria={}, next_steps=["Whole-body MRI <now>"]))
    text = pane.derived.text()
    assert "Whole-body MRI &lt;now&gt;" in text
    assert "11.6 years" in text and "Multifocal" in text
    assert pane._cards == {}


def test_the_same_field_of_several_lesions_is_one_link():
    paths = [f"imaging.lesions[{i}].sclerosis" for i in range(3)]
    html, _ = card_html(_result(missing=paths))
    assert html.count('href="missing:') == 1
    assert 'href="missing:imaging.lesions[0].sclerosis"' in html


# --- the rich-text sections: laid out once, links by mouse and keyboard ---------------------------
def _shown_pane(qtbot, case=None):
    from desktop_app.case.models import Case

    pane = AssessmentPane(CaseDocument(case or Case()))
    qtbot.addWidget(pane)
    pane.resize(430, 700)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_a_section_fits_its_text_and_an_unchanged_text_is_not_laid_out_again(qtbot):
    pane = _shown_pane(qtbot)
    card = pane._cards["bristol_2016"]
    width = card.width()
    tall = card.heightForWidth(width)
    assert card.height() == tall  # the layout gave the card the height its text needs
    assert card.heightForWidth(width // 2) > tall  # narrower wraps into more lines
    doc_before = card._doc
    card.update_text(card.text())
    assert card._doc is doc_before  # same text: no new document, nothing laid out
    card.update_text("<b>short</b>")
    assert card._doc is not doc_before and card.heightForWidth(width) < tall
    assert card.accessibleDescription() == "short"  # the plain text for screen readers


def test_clicking_a_link_in_a_card_emits_its_path(qtbot):
    from PySide6.QtCore import QPoint

    pane = _shown_pane(qtbot)
    card = pane._cards["bristol_2016"]
    start, end, href = next(link for link in card._links if link[2] == "missing:labs.crp")
    cursor_rect = card._doc.documentLayout().blockBoundingRect(card._doc.findBlock(start))
    # Find a pixel over the link text by hit-testing along its block.
    top_left = card.contentsRect().topLeft()
    point = None
    for y in range(int(cursor_rect.top()), int(cursor_rect.bottom()) + 1, 2):
        for x in range(0, card.contentsRect().width(), 3):
            if card._anchor_at(QPoint(x, y) + top_left) == href:
                point = QPoint(x, y) + top_left
                break
        if point:
            break
    assert point is not None
    with qtbot.waitSignal(pane.missingClicked) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == ["labs.crp"]


def test_tab_steps_through_the_links_and_enter_opens_the_focused_one(qtbot):
    pane = _shown_pane(qtbot)
    card = pane._cards["bristol_2016"]
    hrefs = [href for _s, _e, href in card._links]
    assert len(hrefs) >= 2
    pane.activateWindow()
    card.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(card.hasFocus)
    qtbot.keyClick(card, Qt.Key.Key_Tab)
    assert card.hasFocus() and card._focused_link() == hrefs[0]
    qtbot.keyClick(card, Qt.Key.Key_Tab)
    assert card.hasFocus() and card._focused_link() == hrefs[1]
    with qtbot.waitSignal(pane.missingClicked) as blocker:
        qtbot.keyClick(card, Qt.Key.Key_Return)
    assert blocker.args == [hrefs[1][len("missing:"):]]
    assert card.focusNextPrevChild(False) and card._focused_link() == hrefs[0]


def test_selected_text_can_be_copied(qtbot):
    from PySide6.QtWidgets import QApplication

    pane = _shown_pane(qtbot)
    pane.flags.select_all()
    pane.flags.copy()
    assert QApplication.clipboard().text() == "No red flags in the data entered."


# --- widgets.bind: the document outlives a thrown-away panel --------------------------------------
def test_a_deleted_bound_widget_is_no_longer_refreshed(qtbot):
    import shiboken6

    from desktop_app.ui.widgets import NumberEdit, bind

    doc = CaseDocument()
    box = NumberEdit()
    bind(doc, "symptoms.max_temperature_c", box)
    doc.set("symptoms.max_temperature_c", 38.5)
    assert box.text() == "38.5"
    shiboken6.delete(box)  # the panel is gone; the document lives on
    assert not shiboken6.isValid(box)
    doc.set("symptoms.max_temperature_c", 37.0)  # raised RuntimeError from the stale binding
    doc.undo_stack.undo()
    assert doc.case.symptoms.max_temperature_c == 38.5


@pytest.mark.parametrize("case_name", ["typical-multifocal.crmo", "unifocal-tibia-no-survey.crmo"])
def test_window_and_note_colour_each_status_alike(examples_dir, case_name):
    """One palette: a set's status has the same colour in the pane's card and in the PDF note."""
    from desktop_app import assess, load_case
    from desktop_app.report.palette import STATUS_COLOURS
    from desktop_app.report.styles import status_markup

    for result in assess(load_case(examples_dir / case_name)).criteria.values():
        colour = STATUS_COLOURS[result.status]
        assert f"color:{colour}" in card_html(result)[0]
        assert f'color="{colour}"' in status_markup(result.status)


def test_red_flags_warn_that_criteria_results_do_not_stand_alone(qtbot):
    """A flagged case (leukaemia mimic) meets Bristol: the pane says to work up the flags first."""
    from desktop_app.criteria.red_flags import RED_FLAGS_WARNING
    from desktop_app.storage.case_file import load_case
    from desktop_app.ui.assessment_pane import flags_html
    from desktop_app import assess
    from pathlib import Path

    case = load_case(Path(__file__).resolve().parents[2] / "resources" / "examples" / "leukaemia-mimic.crmo")
    a = assess(case)
    assert a.criteria["bristol_2016"].status == "met" and a.red_flags
    assert RED_FLAGS_WARNING in flags_html(a.red_flags)
    assert RED_FLAGS_WARNING not in flags_html([])
