"""The note's v3 and issue-17 wording: edited lines, held-back decisions, the dose table, the imaging
section and the figure's legend."""
from __future__ import annotations

import datetime as dt

from reportlab.pdfbase.pdfmetrics import stringWidth

from desktop_app.case.models import PlanLineEdit, Treatment
from desktop_app.criteria.assess import assess
from desktop_app.criteria.derived import TEMPERATURE_NOTE
from desktop_app.plan.build import plan as build_plan
from desktop_app.plan.output import plan_to_json
from desktop_app.report.skeleton import LEGEND_BAND, skeleton_drawing
from desktop_app.report.styles import CELL
from desktop_app.report.template import CONTENT_W

from .conftest import flat, load_example, pdf_pages
from desktop_app.report.note import build_consult_pdf


def _text(case) -> str:
    return flat(" ".join(pdf_pages(build_consult_pdf(case))))


def test_an_edited_line_prints_the_clinicians_wording_and_no_original_doses():
    case = load_example("typical-multifocal")
    case.plan_edits["nsaid"] = PlanLineEdit(decision="edited", text="Naproxen 200 mg twice daily, review in 6 weeks.")
    text = _text(case)
    assert "Naproxen 200 mg twice daily, review in 6 weeks." in text
    assert "170–255 mg" not in text and "Originally proposed" not in text
    lines = [l for l in plan_to_json(build_plan(case, assess(case)))["lines"] if l["id"] == "nsaid"]
    assert lines and all(l["dose"] is None and l["dose_text"] == "" and l["edited"] for l in lines)


def test_accepting_a_held_back_line_is_no_decision():
    case = load_example("leukaemia-mimic")
    case.plan_edits["nsaid"] = PlanLineEdit(decision="accepted")
    line = next(l for l in build_plan(case, assess(case)).lines if l.id == "nsaid")
    assert line.status == "not_proposed" and line.status_words == "not proposed"
    assert "accepted" not in _text(case).lower()


def test_the_imaging_section_does_not_carry_the_fever_caveat():
    case = load_example("leukaemia-mimic")
    assert TEMPERATURE_NOTE in assess(case).derived.notes  # it exists, and is said beside the criteria instead
    text = _text(case)
    imaging = text[text.index("Imaging Whole-body survey"):text.index("Biopsy and cultures")]
    assert "No whole-body survey recorded" in imaging and "fever threshold" not in imaging
    assert flat(TEMPERATURE_NOTE) in text


def test_the_figure_legend_has_its_own_band_under_the_figure():
    drawing = skeleton_drawing([], height=200)
    legend = [s for s in drawing.contents if getattr(s, "text", None) in ("Symptomatic", "Silent", "Not recorded")]
    assert len(legend) == 3 and all(s.y < LEGEND_BAND for s in legend)  # below every bone (skull at the top)


def test_the_doi_in_the_dose_table_fits_its_cell_on_one_line():
    width = CONTENT_W * 0.19 - 6  # the source column less its padding
    assert stringWidth("(doi:10.1186/ar2619)", CELL.fontName, CELL.fontSize) <= width
    case = load_example("typical-multifocal")
    case.patient.height_cm, case.mimics.malignancy = 145, False
    case.treatments = [Treatment(drug="naproxen", drug_class="nsaid", response="partial",
                                 start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 11, 1))]
    assert "(doi:10.1186/ar2619)" in _text(case)


def test_a_weight_far_from_the_apls_estimate_is_on_page_1_and_on_each_amount():
    case = load_example("typical-multifocal")
    case.patient.weight_kg = 3
    pages = pdf_pages(build_consult_pdf(case))
    message = "3 kg is unusual for 11 years (APLS estimate 40 kg): check the weight"
    assert message in flat(pages[0])
    assert flat(" ".join(pages)).count(message) >= 3  # the entry check and both NSAID amounts
