"""Shared test set-up: offscreen Qt, the shared examples, and no stray modal dialogs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "resources" / "examples"
# The spec's examples live beside the repo; the shipped copies in resources/ are identical.
SHARED_EXAMPLES = REPO.parent / "shared" / "examples"


def pytest_configure(config):
    # Before any Qt import: a bare `pytest` works headless too.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES
