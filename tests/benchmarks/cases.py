"""Benchmark inputs: the typical example and a generated many-lesion case."""
from __future__ import annotations

from pathlib import Path

from desktop_app.case.models import Case, Lesion

REPO = Path(__file__).resolve().parent.parent.parent
_BONES = ["femur", "tibia", "clavicle", "humerus", "radius", "fibula", "calcaneus", "metatarsal", "pelvis", "rib"]


def typical_case_path() -> Path:
    return REPO / "resources" / "examples" / "typical-multifocal.crmo"


def large_case(n_lesions: int) -> Case:
    """The typical example with `n_lesions` lesions spread over paired bones and the spine."""
    case = Case.model_validate_json(typical_case_path().read_text(encoding="utf-8"))
    lesions = []
    for i in range(n_lesions):
        if i % 5 == 4:
            lesions.append(Lesion(id=f"L{i+1}", bone="vertebra", level=f"T{i % 12 + 1}",
                                  modalities=["whole_body_mri"], marrow_edema=True))
        else:
            lesions.append(Lesion(id=f"L{i+1}", bone=_BONES[i % len(_BONES)], side=("left", "right")[i % 2],
                                  segment="metaphysis", modalities=["radiograph", "whole_body_mri"],
                                  lytic=True, sclerosis=True, new_bone_formation=True, marrow_edema=True,
                                  symptomatic=i % 3 == 0, notes="Lesion noted on whole-body MRI."))
    case.imaging.lesions = lesions
    return case
