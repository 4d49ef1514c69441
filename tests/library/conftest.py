"""Library tests: every index goes into tmp_path (never the user's cache), and a small clinic."""
from __future__ import annotations

import pytest

from tests.benchmarks.make_library import make_library


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CRMO_CONSULT_CACHE_DIR", str(cache))
    return cache / "library"


@pytest.fixture
def clinic(tmp_path):
    """24 synthetic cases without hostile files, in tmp_path/clinic."""
    folder = tmp_path / "clinic"
    make_library(24, folder, hostile=False)
    return folder
