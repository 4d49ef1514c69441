"""Plan tab at follow-up (clinical-rules.md §13.1): the plan of the latest visit, its current line and the
weight the amounts were computed from, as the clinician reads them."""
from __future__ import annotations

from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES
from tests.gui.test_plan_panel import _panel, shown


def test_the_plan_tab_shows_the_current_line_and_the_weight_used(qtbot):
    doc, panel = _panel(qtbot, load_case(EXAMPLES / "followup-two-visits.crmo"))
    assert panel.weight_label.isVisibleTo(panel)
    assert panel.weight_label.text() == ("Plan at the visit of 2027-04-12: amounts for 34 kg (weighed "
                                         "2027-04-12), height 142 cm (measured 2026-10-05).")
    nsaid = panel.line_widgets["nsaid"]
    head = nsaid.findChildren(type(nsaid.text_label))[0].text()
    assert "current treatment" in head
    reason = nsaid.findChild(type(nsaid.text_label), "reason").text()
    # v4 continuation (§13.1): a current drug no safety reason holds says "continue".
    assert reason.startswith("On naproxen since 2026-10-05 (27 weeks; recorded dose 200 mg twice daily): continue.")
    assert "Ibuprofen: not proposed (on naproxen)." in reason
    assert [l.text().split(":")[0] for l in nsaid.dose_labels] == ["Naproxen"]  # no ibuprofen amount
    assert "170–255 mg twice daily" in nsaid.dose_labels[0].text()
    assert not nsaid.accept_btn.isVisibleTo(panel)  # nothing to accept: she is on it


def test_a_stale_weight_is_said_on_the_tab_and_on_every_amount(qtbot):
    case = load_case(EXAMPLES / "followup-two-visits.crmo")
    visits = [v.model_copy(update={"weight_kg": None}) for v in case.visits]
    doc, panel = _panel(qtbot, case.model_copy(update={"visits": visits}))
    text = panel.weight_label.text()
    assert "amounts for 32 kg (weighed 2026-10-05)" in text
    assert "The weight is from 2026-10-05, 189 days before this visit: re-weigh before prescribing." in text
    nsaid = panel.line_widgets["nsaid"]
    assert len(nsaid.amount_check_labels) == len(nsaid.dose_labels) == 1  # under every amount
    assert all("re-weigh before prescribing" in l.text() and shown(l) for l in nsaid.amount_check_labels)


def test_without_visits_the_tab_says_nothing_of_follow_up(qtbot):
    case = load_case(EXAMPLES / "followup-two-visits.crmo")
    doc, panel = _panel(qtbot, case.model_copy(update={"visits": []}))
    assert not panel.weight_label.isVisibleTo(panel)
    # v4 (§13 exception): naproxen, started at the encounter, is current at the first consultation too.
    assert "current" in panel.line_widgets["nsaid"].findChildren(type(panel.weight_label))[0].text()
    case = case.model_copy(update={"visits": [], "treatments": []})
    doc, panel = _panel(qtbot, case)
    assert "current" not in panel.line_widgets["nsaid"].findChildren(type(panel.weight_label))[0].text()


def test_an_urgent_finding_at_the_visit_holds_every_line_and_hides_the_empty_checklist(qtbot):
    case = load_case(EXAMPLES / "followup-two-visits.crmo")
    v2 = case.visits[1]
    urgent = v2.model_copy(update={"labs": v2.labs.model_copy(update={"peripheral_smear_blasts": True})})
    doc, panel = _panel(qtbot, case.model_copy(update={"visits": [case.visits[0], urgent]}))
    assert panel.workup_group.isVisibleTo(panel)
    assert panel.texts("workup")[0].startswith("Blasts on the blood film at a visit:")
    nsaid = panel.line_widgets["nsaid"]
    assert nsaid.dose_labels == []  # no amount beside an urgent finding, not even for the drug she is on
    assert "review now: an urgent finding at the visit of 2027-04-12: blasts on the blood film at a visit" \
        in nsaid.findChild(type(nsaid.text_label), "reason").text()
    assert not panel.eligibility_group.isVisibleTo(panel)  # no CTP checklist outside mode cno, and no empty box


def test_the_checklist_is_shown_in_mode_cno(qtbot):
    doc, panel = _panel(qtbot, load_case(EXAMPLES / "followup-two-visits.crmo"))
    assert panel.eligibility_group.isVisibleTo(panel) and panel.texts("eligibility")
