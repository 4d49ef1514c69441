"""Small helpers for the storage tests: write a case dict, fingerprint a file."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import EXAMPLES

EXAMPLE_FILES = sorted(EXAMPLES.glob("*.crmo"))


def example_dict(name: str = "typical-multifocal.crmo") -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def fingerprint(path: Path) -> tuple[str, int]:
    """Content hash and mtime: both must be unchanged after a failed load."""
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns
