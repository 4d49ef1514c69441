"""Plan tab rendering under rules v2: held-back lines with their reason, before-starting checks."""
from __future__ import annotations

import datetime as dt

from desktop_app.case.models import Treatment
from desktop_app.storage.case_file import load_case
from desktop_app.ui.document import CaseDocument
from desktop_app.ui.plan_panel import PlanPanel
from tests.conftest import EXAMPLES


def _panel(qtbot, case):
    panel = PlanPanel(CaseDocument(case))
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_before_starting_checks_under_each_drug_and_held_back_reason(qtbot):
    case = load_case(EXAMPLES / "typical-multifocal.crmo")
    case.patient.height_cm = 145
    case.treatments = [Treatment(drug="naproxen", drug_class="nsaid", response="partial",
                                 start_date=dt.date(2026, 9, 1), end_date=dt.date(2026, 11, 1))]
    case.mimics.malignancy = False  # v3 §8.3: step 3 only once malignancy is excluded
    panel = _panel(qtbot, case)
    ctp = panel.line_widgets["ctp"]
    checks = [l.text() for l in ctp.check_labels]
    assert checks[0].startswith("Before starting methotrexate: full blood count, ALT and creatinine")  # v3 checks
    assert any(t.startswith("Before starting zoledronic acid: serum calcium") for t in checks)
    assert any("Mosteller" in l.text() for l in ctp.dose_labels)
    assert not any("patient." in t or "_" in t for t in panel.texts("eligibility"))


def test_typical_case_has_no_held_back_nsaid(qtbot):
    panel = _panel(qtbot, load_case(EXAMPLES / "typical-multifocal.crmo"))
    assert panel.line_widgets["nsaid"].line.status == "proposed"
    sulfa = panel.line_widgets["sulfasalazine"]
    assert sulfa.findChild(type(sulfa.text_label), "reason").text().startswith(
        "Not proposed until malignancy is excluded")  # v3 §8.3
