"""The derived facts read the same in the CLI text, the assessment pane and the PDF (one source: derived_rows)."""
from __future__ import annotations

import io
import re
from html import unescape
from pathlib import Path

import pytest

from desktop_app.commands.evaluate import render_text
from desktop_app.criteria.assess import assess
from desktop_app.criteria.derived_rows import DERIVED_FIELDS, derived_rows
from desktop_app.criteria.types import Derived
from desktop_app.report.note import build_consult_pdf
from desktop_app.storage.case_file import load_case
from desktop_app.ui.assessment_pane import derived_html
from desktop_app.ui.panels.imaging import facts_text

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
N = len(DERIVED_FIELDS)


def cli_pairs(text: str) -> list[tuple[str, str]]:
    lines = text.split("Derived facts\n", 1)[1].splitlines()[:N]
    return [tuple(line.strip().split(": ", 1)) for line in lines]


def pane_pairs(html: str) -> list[tuple[str, str]]:
    cells = re.findall(r"<tr><td[^>]*>(.*?)</td><td>(?:&nbsp;)*(.*?)</td></tr>", html)
    return [(unescape(k), unescape(v)) for k, v in cells]


def pdf_pairs(data: bytes) -> list[tuple[str, str]]:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    cells = [c.strip() for c in text.split("Derived facts\n", 1)[1].splitlines()[:2 * N]]
    return list(zip(cells[0::2], cells[1::2]))


@pytest.mark.parametrize("name", ["unifocal-tibia-no-survey", "crp-mg-dl-biopsy"])
def test_cli_pane_and_pdf_show_the_same_derived_facts(name):
    case = load_case(EXAMPLES / f"{name}.crmo")
    a = assess(case)
    rows = derived_rows(a.derived)
    assert len(rows) == N
    assert cli_pairs(render_text(a)) == rows
    assert pane_pairs(derived_html(a.derived, [])) == rows
    assert pdf_pairs(build_consult_pdf(case, a)) == rows


def test_the_unifocal_example_without_a_survey_reads_multifocal_unknown():
    a = assess(load_case(EXAMPLES / "unifocal-tibia-no-survey.crmo"))
    rows = dict(derived_rows(a.derived))
    assert rows["Multifocal"] == "unknown" and rows["CRP"] == "12 mg/L" and rows["Age"] == "9.4 years"


def test_unknown_is_never_shown_as_no():
    rows = dict(derived_rows(Derived()))
    for label in ("Age", "Age at onset", "Symptom duration", "CRP", "Multifocal", "Symmetric",
                  "Clavicle only", "Temperature normal", "Blood count normal", "Typical imaging"):
        assert rows[label] == "unknown", label
    assert rows["Sites"] == "0"
    assert dict(derived_rows(Derived(multifocal=False, crp_mg_l=3.0)))["Multifocal"] == "no"
    assert dict(derived_rows(Derived(crp_mg_l=3.0)))["CRP"] == "3 mg/L"


def test_the_imaging_tab_uses_the_same_words():
    text = facts_text(Derived(sites=3, bones=2, multifocal=True))
    assert text == "Sites: 3   ·   Bones: 2   ·   Multifocal: yes   ·   Symmetric: unknown"
