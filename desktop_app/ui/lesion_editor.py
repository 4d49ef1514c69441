"""The lesion table and the editor of the selected lesion (bone, level, side, segment, modalities,
imaging features, symptomatic, notes).

Lesion ids (#1, #2, ...; see case/lesion_ids.py) are never reused within a case, so a biopsy's
`lesion_id` keeps pointing at the same lesion after others are removed.
"""
from __future__ import annotations

from typing import Any, Optional

from PySide6.QtWidgets import QWidget

from desktop_app.case import labels
from desktop_app.case.lesion_ids import lesion_display_id, next_lesion_id
from desktop_app.case.models import Lesion
from desktop_app.case.skeleton_layout import VERTEBRAL_LEVELS
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.list_editor import CheckList, ListEditor, required_choice, yes_no
from desktop_app.ui.widgets import ChoiceCombo, TextLine, TriStateCombo

# Marrow oedema first: the MRI finding read most often, so it is at the top of the form.
FEATURES: tuple[str, ...] = ("marrow_edema", "lytic", "sclerosis", "new_bone_formation", "hyperostosis",
                             "soft_tissue_mass", "cortical_destruction", "vertebral_collapse",
                             "permeative_destruction", "aggressive_periosteal_reaction")


def lesion_title(lesion: Lesion) -> str:
    """"#2 · Left tibia" — how a lesion is named in lists and combos."""
    text = labels.lesion_label(lesion.bone, lesion.side, lesion.level)
    return f"{lesion_display_id(lesion.id)} · {text}" if lesion.id else text


def features_summary(lesion: Lesion) -> str:
    """Present features, then those recorded absent ("no …"); unrecorded ones are left out."""
    present = [labels.field_label(f"lesion.{f}").lower() for f in FEATURES if getattr(lesion, f) is True]
    absent = ["no " + labels.field_label(f"lesion.{f}").lower() for f in FEATURES if getattr(lesion, f) is False]
    return ", ".join(present + absent) or "—"


def _choice_text(kind: str, value: Any) -> str:
    return "—" if value is None else labels.value_label(kind, value)


COLUMNS = [
    ("ID", lambda les: lesion_display_id(les.id) or "—"),
    ("Bone", lambda les: labels.value_label("bone", les.bone)),
    ("Level", lambda les: les.level or "—"),
    ("Side", lambda les: _choice_text("side", les.side)),
    ("Segment", lambda les: _choice_text("segment", les.segment)),
    ("Seen on", lambda les: ", ".join(labels.value_label("modality", m) for m in les.modalities) or "—"),
    ("Symptomatic", lambda les: yes_no(les.symptomatic)),
    ("Features", features_summary),
]


class LevelCombo(ChoiceCombo):
    """A vertebral level C1–L5; a level from a file outside that list is kept and shown as is."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__([(lv, lv) for lv in VERTEBRAL_LEVELS], parent=parent)

    def setValue(self, value: Any) -> None:
        if value is not None and self.findData(value) < 0:
            self.addItem(str(value), value)
        super().setValue(value)


class LesionEditor(ListEditor):
    """The lesions of `imaging.lesions`: table, Add/Duplicate/Remove and the lesion form."""

    wrap_columns = ("Seen on", "Features")

    def __init__(self, doc: CaseDocument, parent: QWidget | None = None):
        super().__init__(doc, "imaging.lesions", Lesion, COLUMNS, "lesion", parent)
        lbl = lambda name: labels.field_label(f"lesion.{name}")  # noqa: E731
        self.add_field("bone", lbl("bone"), required_choice(labels.choices("bone")))
        self.add_field("level", lbl("level") + " (vertebra only)", LevelCombo())
        self.add_field("side", lbl("side") + " (patient's)", ChoiceCombo(labels.choices("side")))
        self.add_field("segment", lbl("segment"), ChoiceCombo(labels.choices("segment")))
        self.add_field("modalities", lbl("modalities"), CheckList(labels.choices("modality")))
        # One row per imaging feature: a tri-state answer (unrecorded is not "absent").
        for name in FEATURES:
            self.add_field(name, lbl(name), TriStateCombo())
        self.add_field("symptomatic", lbl("symptomatic"), TriStateCombo())
        self.add_field("notes", lbl("notes"), TextLine("free text"))
        self.refresh()

    def new_item(self, bone: str = "other", side: Optional[str] = None, level: Optional[str] = None) -> Lesion:
        return Lesion(id=next_lesion_id(self.items()), bone=bone, side=side, level=level)

    def copy_item(self, item: Lesion) -> Lesion:
        return item.model_copy(update={"id": next_lesion_id(self.items())}, deep=True)

    def field_update(self, name: str, value: Any, item: Lesion) -> dict[str, Any]:
        # A level only means something on a vertebra: drop it when the bone changes away.
        if name == "bone" and value != "vertebra":
            return {"bone": value, "level": None}
        return {name: value}

    def form_loaded(self, item: Optional[Lesion]) -> None:
        self.fields["level"].setEnabled(item is not None and item.bone == "vertebra")
