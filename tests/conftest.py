"""Shared test set-up: offscreen Qt, the example cases, and no stray modal dialogs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "resources" / "examples"
# The expected results of the example cases (tests/test_upstream_copies.py checks them against
# ../shared when that upstream folder exists; no other test reads it).
EXPECTED_RESULTS = REPO / "tests" / "examples"


def pytest_configure(config):
    # Before any Qt import: a bare `pytest` works headless too.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
