"""Issue 23, cosmetic: a refusal quotes what the clinician saw ("Improved", "µmol/L"), never the
stored value ("improved", "umol/L"), a field path or an internal id. Real popups and keys."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from pydantic import BaseModel, ValidationError

from desktop_app.case.models import Case, Lesion, Visit
from desktop_app.ui.panels.labs import LabsPanel
from desktop_app.ui.widgets import validation_message
from tests.gui.popups import pick_in_popup
from tests.gui.test_issue17_entry import focus, make
from tests.gui.test_visits_tab import base_case, open_case, visits_panel

pytestmark = pytest.mark.gui
D = dt.date.fromisoformat


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_refused_lesion_status_quotes_its_label(window, qtbot, tmp_path, size):
    """Lesion #3 is first seen at the later visit V2: "Improved" for it at V1 is refused by the
    loader's rule, and the words under the table quote "Improved", not "improved"."""
    case = base_case()
    case.imaging.lesions.append(Lesion(id="#3", bone="femur", side="left", modalities=["mri"]))
    case.visits = [Visit(id="V1", date=D("2026-08-01")),
                   Visit(id="V2", date=D("2026-10-01"), lesion_status={"#3": "new"})]
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    open_case(window, tmp_path, case)
    panel = visits_panel(window)
    panel.select_visit("V1")
    combo = panel.editor.status_combos["#3"]
    pick_in_popup(qtbot, combo, "Improved", refused=True)
    assert window.doc.case.visits[0].lesion_status == {}  # nothing stored
    words = panel.editor.status_message.text()
    assert words.startswith("“Improved” not accepted: "), words
    assert "first seen later" in words and "still not recorded" in words
    assert "“improved”" not in words and "lesion_status" not in words


def test_a_value_without_its_unit_names_the_units_as_the_list_shows_them(qtbot):
    doc, panel = make(qtbot, LabsPanel, Case())
    row = panel.rows["creatinine"]
    focus(qtbot, row.value_edit)
    qtbot.keyClicks(row.value_edit, "48")
    qtbot.keyClick(row.value_edit, Qt.Key.Key_Tab)  # to the unit box: still in the row
    assert "Now choose the unit of 48" in row.message.text()
    focus(qtbot, panel.rows["crp"].value_edit)  # left the row without a unit
    assert doc.case.labs.creatinine is None
    words = row.message.text()
    assert words == "“48” not accepted: no unit was chosen (µmol/L or mg/dL); still not recorded.", words


def test_a_choice_refused_by_the_model_does_not_list_stored_values():
    from typing import Literal

    class Pick(BaseModel):
        status: Literal["improved", "unchanged"]

    with pytest.raises(ValidationError) as exc:
        Pick(status="better")
    assert validation_message(exc.value) == "not one of the choices in the list"
