"""The checks of the weight an amount is computed from, beside every amount and on page 1, in the same
words everywhere (clinical-rules.md §8 v3 weight for age, §13.3 v4 a weight jump over 20 %; issue 22
item 4, issue 23 defect 6): the follow-up note, the first-consultation note, and `crmo-consult plan`."""
from __future__ import annotations

import datetime as dt
import json

from desktop_app.case.growth_checks import weight_check_words
from desktop_app.case.models import Treatment
from desktop_app.cli import main
from desktop_app.report.note import build_consult_pdf
from desktop_app.storage.case_file import save_case

from .conftest import flat, load_example, pdf_pages

# Age 9 at the visit of 2027-04-01; 3.4 kg typed for 34, 80 days after 26 kg.
APLS = "3.4 kg is unusual for 9 years (APLS estimate 34 kg): check the weight"
JUMP = "3.4 kg differs by 87 % from 26 kg on 2027-01-11 (80 days before): check the weight"
LEAD = "Before giving this amount:"


def typed_wrong(weight: float = 3.4):
    case = load_example("followup-two-visits")
    case.patient.date_of_birth, case.patient.weight_kg = dt.date(2017, 9, 2), 25
    v1 = case.visits[0].model_copy(update={"weight_kg": 26})
    v2 = case.visits[1].model_copy(update={"weight_kg": weight, "date": dt.date(2027, 4, 1)})
    return case.model_copy(update={"visits": [v1, v2]})


def test_the_follow_up_note_prints_the_checks_under_the_amount_and_on_page_1():
    case = typed_wrong()
    assert weight_check_words(case, "V2") == JUMP  # one source of the words
    pages = [flat(p) for p in pdf_pages(build_consult_pdf(case, visit_id="V2"))]
    assert APLS in pages[0] and JUMP in pages[0]  # "Check these entries" on page 1
    text = " ".join(pages)
    amount = text.index("17–25.5 mg twice daily (34–51 mg/day)")  # naproxen for 3.4 kg (current: continue)
    assert text.index(f"{LEAD} {APLS}; {JUMP}.", amount) - amount < 200  # the row right under it
    assert text.count(LEAD) == 1  # the one amount of this plan


def test_a_plausible_weight_prints_no_check_anywhere():
    text = flat(" ".join(pdf_pages(build_consult_pdf(typed_wrong(27.0), visit_id="V2"))))
    assert "135–202.5 mg twice daily" in text
    assert LEAD not in text and "check the weight" not in text


def test_the_first_note_prints_the_check_under_each_second_line_amount():
    case = load_example("typical-multifocal")
    case.patient.height_cm, case.patient.weight_kg, case.mimics.malignancy = 145, 3, False
    case.treatments = [Treatment(drug="naproxen", drug_class="nsaid", response="partial",
                                 start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 11, 1))]
    text = flat(" ".join(pdf_pages(build_consult_pdf(case))))
    check = f"{LEAD} 3 kg is unusual for 11 years (APLS estimate 40 kg): check the weight."
    methotrexate = text.index("5.2 mg once weekly")  # 15 mg/m² for 3 kg and 145 cm
    assert text.index(check, methotrexate) < text.index("Sulfasalazine", methotrexate)
    # no check under a line without an amount (sulfasalazine: per local protocol)
    sulfasalazine = text.index("Sulfasalazine", methotrexate)
    assert text.index(check, sulfasalazine) > text.index("Etanercept", sulfasalazine)


def test_the_plan_command_says_the_checks_beside_the_amount(tmp_path, capsys):
    path = tmp_path / "typed-wrong.crmo"
    save_case(typed_wrong(), path)
    assert main(["plan", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    [at] = [i for i, l in enumerate(out) if l.strip().startswith("- Naproxen:")]
    assert "→ 17–25.5 mg twice daily (34–51 mg/day) · maximum: 1 g/day" in out[at]
    assert out[at + 1] == f"      {LEAD} {APLS}; {JUMP}."  # the line right under the amount
    assert main(["plan", "--json", str(path)]) == 0
    [line] = [l for l in json.loads(capsys.readouterr().out)["lines"] if l["drug"] == "naproxen"]
    assert APLS in line["dose_text"] and JUMP in line["dose_text"]  # the printed words; no new JSON key
    save_case(typed_wrong(27.0), path)
    assert main(["plan", str(path)]) == 0
    assert "check the weight" not in capsys.readouterr().out


def test_a_height_that_falls_is_checked_beside_the_amounts_per_m2_only():
    from desktop_app.criteria.assess import assess
    from desktop_app.plan.build import plan

    case = load_example("followup-two-visits")
    case = case.model_copy(update={"visits": [case.visits[0].model_copy(update={"height_cm": 140.0})]})
    check = "140 cm is 2 cm below 142 cm on 2026-10-05: check the height"
    [ctp] = [line for line in plan(case, assess(case)).lines if line.id == "ctp"]
    shown = {d.generic: d.amount_check() for d in ctp.doses if d.computed}
    assert shown == {"methotrexate": check, "etanercept": "", "adalimumab": check, "pamidronate": "",
                     "zoledronic acid": ""}  # the per-m² amounts use the height; the per-kg ones do not
    text = flat(" ".join(pdf_pages(build_consult_pdf(case, visit_id="V1"))))
    assert check in flat(pdf_pages(build_consult_pdf(case, visit_id="V1"))[0])  # page 1
    assert text.count(f"{LEAD} {check}.") == 2
