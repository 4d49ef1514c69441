"""Report tests: deterministic PDFs (ReportLab invariant mode) and text extraction."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "resources" / "examples"
EXPECTED = REPO / "tests" / "examples"


@pytest.fixture(autouse=True)
def invariant(monkeypatch):
    # Invariant mode fixes the document id and dates, so two builds can be compared byte for byte.
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "invariant", 1)


def pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def flat(text: str) -> str:
    """Whitespace (including line wraps) collapsed, for phrase searches."""
    return re.sub(r"\s+", " ", text)


def load_example(name: str):
    from desktop_app.storage.case_file import load_case

    return load_case(EXAMPLES / f"{name}.crmo")


def expected(name: str) -> dict:
    return json.loads((EXPECTED / f"{name}.expected.json").read_text(encoding="utf-8"))
