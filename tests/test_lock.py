"""The environment the tests (and the PyInstaller bundle, built from the same venv) run in is the
one requirements.lock describes: every dependency pinned with hashes, and installed at that pin."""
from __future__ import annotations

import re
from importlib import metadata

import pytest

from tests.conftest import REPO

LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def _pins() -> dict[str, str]:
    return {m.group(1).lower().replace("_", "-"): m.group(2)
            for line in LOCK.read_text(encoding="utf-8").splitlines() if (m := PIN.match(line))}


def test_every_requirement_in_the_lock_is_pinned_with_a_hash():
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text(encoding="utf-8").split("\n", 2)[2])
    entries = [b for b in blocks if PIN.match(b)]
    assert len(entries) == len(_pins()) >= 20
    assert all("--hash=sha256:" in b for b in entries), [b.split()[0] for b in entries if "--hash" not in b]


@pytest.mark.parametrize("name", ["pyside6-essentials", "pyside6-pdf", "pydantic", "reportlab", "rl-accel",
                                  "platformdirs", "fhir-resources", "pytest", "pytest-qt", "pypdf", "hypothesis",
                                  "pyinstaller",
                                  "setuptools", "wheel"])
def test_the_lock_covers_runtime_test_and_build_dependencies(name):
    assert name in _pins()


def test_the_installed_packages_are_the_locked_versions():
    wrong = {}
    for name, version in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, None)
            continue
        if installed != version:
            wrong[name] = (version, installed)
    assert not wrong, f"venv differs from requirements.lock (run `make` again): {wrong}"
