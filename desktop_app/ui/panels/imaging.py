"""The "Imaging" tab: whole-body survey, last MRI date, the skeleton map and the lesion list.

The derived facts (sites, bones, multifocal, symmetric) are read from `assess(case).derived`, the
same object the assessment pane and the PDF use, never recomputed here.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QLabel, QSplitter, QVBoxLayout, QWidget)

from desktop_app.case import labels
from desktop_app.criteria.derived_rows import derived_rows
from desktop_app.criteria.types import Derived
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.lesion_editor import LesionEditor, lesion_title
from desktop_app.ui.skeleton_map import SkeletonMap
from desktop_app.ui.widgets import ChoiceCombo, OptionalDateEdit, bind, hint_label, with_message


def derived_facts(case) -> Derived:
    """The assessment's derived facts (imported lazily: the criteria package loads on first use)."""
    from desktop_app.criteria.assess import assess

    return assess(case).derived


IMAGING_FACTS = ("sites", "bones", "multifocal", "symmetric")


class LesionsWithVisits(LesionEditor):
    """The lesion editor, whose Remove also removes the lesion's statuses at follow-up visits (a
    status naming no lesion is refused on load), after saying so, in one undoable step."""

    def remove(self) -> None:
        from desktop_app.case.visits import delete_lesion, visit_name, visits_referring_to

        lesion = self.current()
        if lesion is None:
            return
        visits = visits_referring_to(self.doc.case, lesion.id) if lesion.id else []
        if not visits:
            super().remove()
            return
        names = ", ".join(visit_name(v) for v in visits)
        prompter = getattr(self.window(), "prompter", None)
        if prompter is None:
            from desktop_app.ui.prompter import Prompter

            prompter = Prompter(self)
        if not prompter.confirm_delete(
                "Remove lesion", f"Lesion {lesion_title(lesion)} has a status at {names}. Removing the lesion "
                "also removes its status there. Edit › Undo brings both back."):
            return
        row = self.current_row()
        after = delete_lesion(self.doc.case, lesion.id)
        stack = self.doc.undo_stack
        stack.beginMacro(f"Remove lesion {lesion_title(lesion)} and its visit statuses")
        try:  # the statuses first: no step ever names a lesion that is gone
            self.doc.set("visits", after.visits)
            self.doc.set("imaging.lesions", after.imaging.lesions)
        finally:
            stack.endMacro()
        self.select(min(row, len(after.imaging.lesions) - 1))


def facts_text(d: Derived) -> str:
    return "   ·   ".join(f"{label}: {value}" for label, value in derived_rows(d, IMAGING_FACTS))


class ImagingPanel(QWidget):
    title = "Imaging"

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.doc = doc

        self.survey = ChoiceCombo(labels.choices("whole_body_survey"))
        self.survey.setAccessibleName(labels.field_label("imaging.whole_body_survey"))
        bind(doc, "imaging.whole_body_survey", self.survey)
        self.last_mri = OptionalDateEdit()
        self.last_mri.setAccessibleName(labels.field_label("imaging.last_mri_date"))
        bind(doc, "imaging.last_mri_date", self.last_mri)

        survey_box = QGroupBox("Survey")
        form = QFormLayout(survey_box)
        form.addRow(labels.field_label("imaging.whole_body_survey"), self.survey)
        form.addRow(labels.field_label("imaging.last_mri_date"), with_message(self.last_mri, self.last_mri))
        form.addRow(hint_label("A whole-body survey is needed to call a single lesion unifocal; "
                               "the last MRI date enters treatment-plan eligibility."))

        self.facts = QLabel()
        self.facts.setAccessibleName("Derived imaging facts")
        self.facts.setStyleSheet("font-weight: bold;")
        self.facts_notes = QLabel()
        self.facts_notes.setWordWrap(True)
        self.facts_notes.setStyleSheet("color: #8a5a00;")
        self.facts_notes.setTextFormat(Qt.TextFormat.PlainText)
        facts_box = QGroupBox("Derived from the lesions")
        facts_layout = QVBoxLayout(facts_box)
        facts_layout.addWidget(self.facts)
        facts_layout.addWidget(self.facts_notes)

        self.lesions = LesionsWithVisits(doc)
        # At 1280×800 the lesion form is taller than the tab: it scrolls on its own, so the table
        # (and the lesion being edited in it) stays in view.
        self.lesions.scroll_form()
        self.map = SkeletonMap(doc)
        hint = hint_label("Click a bone to add a lesion; click a marker to select it. "
                          "Keyboard: Tab to the map, arrows pick a bone, Enter adds. "
                          "Patient's right is on the left.")
        self.map_status = hint_label()  # the bone the arrow keys point at
        self.map_status.setAccessibleName("Bone picked on the skeleton map")
        self.map.keyBoneChanged.connect(lambda text: self.map_status.setText(f"{text}: Enter adds a lesion"))

        map_side = QWidget()
        map_layout = QVBoxLayout(map_side)
        map_layout.setContentsMargins(0, 0, 0, 0)
        map_layout.addWidget(hint)
        map_layout.addWidget(self.map, 1)
        map_layout.addWidget(self.map_status)

        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(survey_box)
        column.addWidget(facts_box)
        column.addWidget(self.lesions, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(map_side)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(splitter)

        # The map's selection and the table's follow each other.
        self.map.lesionSelected.connect(self.lesions.select)
        self.map.lesionAdded.connect(self.lesions.select)
        self.map.refused.connect(self.lesions.message.show_message)
        self.lesions.rowSelected.connect(self.map.set_selected)
        doc.changed.connect(self._doc_changed)
        self.map.set_selected(self.lesions.current_row())
        self._doc_changed("")
        # Tab order: survey, MRI date, the table, its buttons, then the form (already in order),
        # then the map (one Tab stop: arrows move inside it).
        QWidget.setTabOrder(self.survey, self.last_mri)
        QWidget.setTabOrder(self.last_mri, self.lesions.table)

    def _doc_changed(self, path: str) -> None:
        if path and not path.startswith("imaging") and not path.startswith("patient") \
                and not path.startswith("encounter"):
            return
        try:
            d = derived_facts(self.doc.case)
        except ImportError:  # the criteria engine is not in this build yet
            self.facts.setText("Derived facts unavailable in this build")
            return
        self.facts.setText(facts_text(d))
        # Only the caveats about the lesions (survey, side, level); the pane shows the rest.
        notes = "\n".join(n for n in d.notes if any(
            word in n.lower() for word in ("survey", "side not recorded", "vertebral level")))
        self.facts_notes.setText(notes)
        self.facts_notes.setVisible(bool(notes))
