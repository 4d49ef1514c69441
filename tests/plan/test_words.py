"""Every plan string a clinician reads is in words: no field path (`patient.weight_kg`), no flag or
item id (`leukaemia_triad`), on every example in every mode and on cases that reach every branch."""
from __future__ import annotations

import datetime as dt
import re

import pytest

import desktop_app
from desktop_app.case.models import PlanLineEdit
from desktop_app.commands.plan import render_text
from desktop_app.plan.build import plan
from desktop_app.plan.output import plan_to_json
from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES
from tests.plan.helpers import assessment, case

FIELD_PATH = re.compile(r"\b(patient|encounter|symptoms|associated|mimics|labs|imaging|biopsies|treatments)"
                        r"(\[\d+\])?\.[a-z_]+")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")  # flag, item and field ids are snake_case; words are not
MACHINE_KEYS = {"id", "kind", "status", "missing", "generic", "decision", "mode", "drugs", "step_id"}


JSON_ENUMS = {"step", "per", "max_per"}  # the contract's vocabularies in the JSON (PlanLine.step is words)


def strings(obj, key="", skip=frozenset(MACHINE_KEYS)):
    """Every string a renderer may show, skipping machine keys (ids, enumerations, field paths kept as data)."""
    if key in skip:
        return
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from strings(v, k, skip)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from strings(v, key, skip)


def rendered(p) -> list[str]:
    out = list(strings(p.model_dump()))
    out += [d.computed_text() for l in p.lines for d in l.doses]
    out.append(render_text(p))
    out += list(strings({k: v for k, v in plan_to_json(p).items() if k not in ("format", "mode", "app_version")},
                        skip=frozenset(MACHINE_KEYS | JSON_ENUMS)))
    return out


def assert_words(p):
    for text in rendered(p):
        assert not FIELD_PATH.search(text), text
        assert not SNAKE.search(text), text


def _edited(c):
    c.plan_edits = {"gone_line_id": PlanLineEdit(decision="removed")}  # a stale edit is named in words
    return c


@pytest.mark.parametrize("mode", ["cno", "workup", "alternative_diagnosis"])
@pytest.mark.parametrize("name", sorted(p.name.removesuffix(".crmo") for p in EXAMPLES.glob("*.crmo")))
def test_examples_in_every_mode(name, mode):
    c = _edited(load_case(EXAMPLES / f"{name}.crmo"))
    a = desktop_app.assess(c)
    assert_words(plan(c, a.model_copy(update={"mode": mode})))


BRANCHES = [
    dict(weight=None, lesions=[dict(bone="vertebra", level="T7", marrow_edema=None, vertebral_collapse=True)],
         treatments=[dict(drug_class="nsaid", response=None)]),
    dict(height=None, lesions=[dict(bone="vertebra", level="L2", modalities=["mri"], marrow_edema=True)],
         mimics=dict(malignancy=False), associated=dict(psoriasis=True, inflammatory_bowel_disease=True)),
    dict(height=150, age=23, treatments=[dict(drug_class="nsaid", response="none",
                                              start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 11, 1))],
         lesions=[dict(bone="tibia", side="left")]),
]


@pytest.mark.parametrize("kw", BRANCHES)
@pytest.mark.parametrize("adult", [False, True])
def test_branches(kw, adult):
    c = _edited(case(**kw))
    assert_words(plan(c, assessment(adult=adult)))
