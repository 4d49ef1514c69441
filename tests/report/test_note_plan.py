"""The note's plan, prognosis and code sections render the rules-v2 Plan: work-up first, held-back
lines with their reason, before-starting checks, prognosis and codes only in mode cno."""
from __future__ import annotations

import datetime as dt

from desktop_app.case.models import Treatment
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan as build_plan
from desktop_app.report.note import build_consult_pdf

from .conftest import flat, load_example, pdf_pages


def _text(case) -> str:
    a = assess(case)
    return flat(" ".join(pdf_pages(build_consult_pdf(case, a, build_plan(case, a)))))


def test_workup_mode_note_opens_the_plan_with_the_workup_and_holds_back_treatment():
    case = load_example("leukaemia-mimic")
    text = _text(case)
    plan_part = text[text.index("Treatment plan"):]
    assert plan_part.index("Work-up first: CNO treatment is not proposed until it is done") \
        < plan_part.index("First line (not proposed)")
    assert "Not proposed until malignancy is excluded (bone marrow examination before any glucocorticoid)" in text  # a sentence: capital first
    assert "mg twice daily" not in text  # no dose for a line that is held back
    assert "Given once CNO is established." in text
    assert "No code is suggested: CNO is not established." in text and "M86.3" not in text


def test_cno_note_prints_second_line_doses_and_before_starting_checks():
    case = load_example("typical-multifocal")
    case.patient.height_cm = 145
    case.treatments = [Treatment(drug="naproxen", drug_class="nsaid", response="partial",
                                 start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 11, 1))]
    case.mimics.malignancy = False  # v3 §8.3: step 3 only once malignancy is excluded
    text = _text(case)
    assert "Step 3: CARRA consensus treatment plan (proposed)" in text
    assert ("Before starting methotrexate: full blood count, ALT and creatinine before the start; a pregnancy "
            "test and advice on contraception") in text
    assert "folic or folinic acid alongside" in text and "varicella status" in text
    assert "Before starting pamidronate: serum calcium; 25-OH vitamin D (≥ 50 nmol/L)" in text
    assert "Before starting etanercept: test for latent tuberculosis; test for hepatitis B" in text
    assert "Mosteller" in text and "M86.39" in text
    # the new sources reach the reference list
    assert "BSPAR. Arch Dis Child 2011;96(Suppl 1):A77" in text


def test_the_weight_line_appears_only_when_a_dose_was_computed_from_it():
    import io

    import pypdf

    from desktop_app.report.note import build_consult_pdf
    from desktop_app.storage.case_file import load_case
    from tests.conftest import EXAMPLES

    def text(name):
        data = build_consult_pdf(load_case(EXAMPLES / f"{name}.crmo"))
        return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)

    assert "Weight used for doses: 34 kg" in text("typical-multifocal")
    assert "Weight used for doses" not in text("leukaemia-mimic")  # workup: every dose held back
