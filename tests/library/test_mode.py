"""The library's mode comes from assess_mode() and the course's alerts, not from assess() + plan():
the same answer, checked on every example case (tests/library/test_cli_library.py checks the
synthetic clinic against plan --json)."""
from __future__ import annotations

import pytest

from desktop_app.course.build import course
from desktop_app.criteria.assess import assess, assess_mode
from desktop_app.library.summary import plan_mode
from desktop_app.plan.build import plan
from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.crmo")), ids=lambda p: p.stem)
def test_the_library_mode_is_the_plans(path):
    case = load_case(path)
    a = assess(case)
    assert assess_mode(case) == a.mode
    assert plan_mode(case, course(case).alerts) == plan(case, a).mode
