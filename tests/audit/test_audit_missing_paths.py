"""Audit: every `missing` entry (criteria items, sets, CTP checklist, dose lines) is a real case-format
field path, so the UI can jump to it and the user knows what to enter."""
from __future__ import annotations

import json

import pytest

from desktop_app import assess
from desktop_app.case.models import Case
from tests.audit.helpers import lab, les, make, path_is_valid, plan_of
from tests.conftest import EXAMPLES

SPARSE_CASES = [
    make(),
    make(patient={"age_years": 16}, labs={"wbc": lab(7, "10^9/L"), "hemoglobin": lab(125, "g/L")}),
    make(imaging={"lesions": [les("tibia", "left"), les("vertebra"), les("femur", modalities=["mri"])]},
         biopsies=[{"histology": None, "culture": "not_done"}, {"histology": "nondiagnostic"}],
         treatments=[{"drug_class": "antibiotic"}, {"drug_class": "nsaid", "response": "partial"}]),
    make(symptoms={"bone_pain": True}, imaging={"whole_body_survey": "none", "lesions": [les("clavicle", "left")]},
         labs={"band_neutrophils": lab(100, "cells/uL")}),
]


def _all_missing(case: Case) -> list[str]:
    a = assess(case)
    p = plan_of(case)
    paths = [m for r in a.criteria.values() for m in r.missing]
    paths += [m for r in a.criteria.values() for i in r.items for m in i.missing]
    paths += [m for e in p.ctp_eligibility for m in e.missing]
    paths += [m for line in p.lines for d in line.doses for m in d.missing]
    return paths


@pytest.mark.parametrize("case", SPARSE_CASES)
def test_missing_paths_name_case_format_fields(case):
    paths = _all_missing(case)
    assert paths  # sparse cases must say what is missing
    bad = sorted({p for p in paths if not path_is_valid(case, p)})
    assert bad == []


def test_missing_paths_on_the_shipped_examples():
    for f in sorted(EXAMPLES.glob("*.crmo")):
        case = Case.model_validate(json.loads(f.read_text(encoding="utf-8")))
        bad = sorted({p for p in _all_missing(case) if not path_is_valid(case, p)})
        assert bad == [], f.name


def test_path_checker_rejects_invented_paths():
    c = SPARSE_CASES[2]
    assert path_is_valid(c, "biopsies[0].culture") and path_is_valid(c, "labs.crp")
    assert not path_is_valid(c, "labs.crp_mg_l") and not path_is_valid(c, "biopsies[9].culture")
    assert not path_is_valid(c, "symptoms.temperature")


def test_missing_is_empty_once_an_item_is_decided():
    c = make(labs={"crp": lab(12, "mg/L")})
    for r in assess(c).criteria.values():
        for i in r.items:
            if i.status != "unknown":
                assert i.missing == [], (r.id, i.id)
