"""The course point by point (clinical-rules.md §13.1–§13.3) and the "now" helpers."""
from __future__ import annotations

import datetime as dt

from desktop_app.case.models import Measures
from desktop_app.course import case_as_of, current_treatments, drug_key, latest_visit, latest_weight, reference_date
from desktop_app.course.build import course
from desktop_app.course.points import change
from desktop_app.course.timeline import round_half_away
from desktop_app.course.words import change_words
from tests.course.helpers import SEEN, case, d, days, lab, lesion, treatment, visit


def test_a_case_without_visits_gives_one_point_and_nothing_else():
    c = case(treatments=[treatment("naproxen", "nsaid", start=SEEN + dt.timedelta(days=1))], measures={"pain": 4})
    result = course(c)
    assert len(result.points) == 1 and result.alerts == [] and result.monitoring == []
    p = result.points[0]
    assert (p.visit, p.date, p.measures["pain"]) == (None, SEEN, 4)
    assert p.change_from_first is None and p.change_from_previous is None
    assert result.reference_date == SEEN


def test_percent_change_from_zero_is_null_but_the_difference_is_given():
    c = case(measures={"pain": 0}, visits=[visit("V1", days(90), measures=Measures(pain=3))])
    ch = course(c).points[1].change_from_first["pain"]
    assert (ch.from_, ch.to, ch.difference, ch.percent) == (0, 3, 3, None)
    assert change_words("pain", ch) == "pain 0 → 3 (+3, no percent change from 0)"


def test_a_missing_value_makes_the_whole_change_null():
    c = case(measures={"pain": 6}, visits=[visit("V1", days(90), measures=Measures(patient_global=2))])
    p = course(c).points[1]
    assert p.change_from_first["pain"] is None and p.change_from_first["patient_global"] is None
    assert p.measures["pain"] is None
    assert change_words("pain", None, 6, None) == "pain 6 → not recorded (no change computed: a value is missing)"


def test_rounding_is_half_away_from_zero():
    assert round_half_away(-0.125, 2) == -0.13 and round_half_away(0.125, 2) == 0.13
    assert round_half_away(2.5, 0) == 3 and round_half_away(-2.5, 0) == -3
    ch = change(8, 7)  # −12.5 % exactly
    assert ch.percent == -12.5
    assert change(6, 1).percent == -83.3 and change(3, 1).percent == -66.7


def test_change_from_previous_reads_the_previous_point():
    c = case(measures={"pain": 8},
             visits=[visit("V2", days(180), measures=Measures(pain=2)), visit("V1", days(90), measures=Measures(pain=4))])
    first, v1, v2 = course(c).points
    assert [p.visit for p in (first, v1, v2)] == [None, "V1", "V2"]  # by date, not file order
    assert v2.change_from_previous["pain"].difference == -2 and v2.change_from_first["pain"].difference == -6


def test_two_visits_on_one_date_keep_their_file_order_and_the_last_is_the_latest():
    c = case(visits=[visit("A", days(90)), visit("B", days(90))])
    assert [p.visit for p in course(c).points] == [None, "A", "B"]
    assert latest_visit(c).id == "B" and reference_date(c) == days(90)


def test_mri_active_lesions_first_consultation_and_visits():
    les = [lesion("L1", marrow_edema=True, modalities=["mri"]),
           lesion("L2", side="right", marrow_edema=True, modalities=["whole_body_mri"]),
           lesion("L3", bone="femur", marrow_edema=True, modalities=["radiograph"]),  # not on MRI
           lesion("L4", bone="clavicle", marrow_edema=True, modalities=["mri"])]  # first seen at V2
    c = case(lesions=les, visits=[
        visit("V1", days(90), mri_date=days(88), lesion_status={"L1": "improved", "L2": "resolved"}),
        visit("V2", days(180), lesion_status={"L1": "resolved", "L4": "new"}),
        visit("V3", days(270)),
    ])
    first, v1, v2, v3 = course(c).points
    assert (first.mri_active_lesions, first.lesions_not_assessed, first.new_lesions) == (2, 0, 0)
    # V1: L1 improved (oedema), L2 resolved; L3 present before and not assessed.
    assert (v1.mri_active_lesions, v1.lesions_not_assessed, v1.new_lesions) == (1, 1, 0)
    # V2 (MRI dated by its statuses): L4 new; L2 resolved at V1 is left out; L3 still not assessed.
    assert (v2.mri_active_lesions, v2.lesions_not_assessed, v2.new_lesions) == (1, 1, 1)
    assert (v3.mri_active_lesions, v3.lesions_not_assessed, v3.new_lesions) == (None, None, 0)
    assert v3.change_from_first["mri_active_lesions"] is None


def test_no_lesion_on_mri_at_the_first_consultation_is_null():
    c = case(lesions=[lesion("L1", marrow_edema=True, modalities=["radiograph"])])
    assert course(c).points[0].mri_active_lesions is None


def test_activity_active_no_sign_and_unknown_with_reasons():
    les = [lesion("L1", modalities=["mri"], marrow_edema=True)]
    c = case(lesions=les, measures={"clinically_active_lesions": 0}, visits=[
        visit("V1", days(90), measures=Measures(clinically_active_lesions=1)),
        visit("V2", days(180), measures=Measures(clinically_active_lesions=0), lesion_status={"L1": "resolved"}),
        visit("V3", days(270), measures=Measures(clinically_active_lesions=0)),
        visit("V4", days(360), lesion_status={"L1": "unchanged"}),
        visit("V5", days(450), measures=Measures(clinically_active_lesions=0), mri_date=days(449)),
    ])
    first, v1, v2, v3, v4, v5 = course(c).points
    assert (first.activity, first.activity_reason) == ("active", "1 lesion with bone oedema on MRI")
    assert (v1.activity, v1.activity_reason) == ("active", "1 clinically active lesion")
    assert v2.activity == "no_sign" and "remission" not in v2.activity_reason
    assert (v3.activity, v3.activity_reason) == (
        "unknown", "activity unknown: no clinically active lesion recorded; an MRI would decide")
    assert v4.activity == "active"
    # V5: an MRI without a status for L1 (not resolved before: unchanged at V4) leaves it undecided.
    assert v5.activity == "unknown" and v5.lesions_not_assessed == 1
    assert "1 lesion not assessed" in v5.activity_reason


def test_current_treatments_with_weeks_and_stops():
    naproxen = treatment("Naproxen Sodium", "nsaid", start=SEEN, end_date=days(90))
    mtx = treatment("methotrexate", "dmard", start=days(90))
    never = treatment("ibuprofen", "nsaid", start=None)
    c = case(treatments=[naproxen, mtx, never], visits=[visit("V1", days(90)), visit("V2", days(125))])
    first, v1, v2 = course(c).points
    assert [(t.drug, t.weeks) for t in first.current_treatments] == [("naproxen", 0.0)]
    # Stopped on the visit's day: not current; started that day: current (0 weeks).
    assert [(t.drug, t.weeks) for t in v1.current_treatments] == [("methotrexate", 0.0)]
    assert [(t.drug, t.since, t.weeks) for t in v2.current_treatments] == [("methotrexate", days(90), 5.0)]
    assert current_treatments(c, days(89)) == [naproxen]


def test_drug_names_match_by_lower_case_generic_name():
    assert drug_key("Naproxen Sodium") == "naproxen"
    assert drug_key("  zoledronate ") == "zoledronic acid" and drug_key("Zoledronic Acid") == "zoledronic acid"
    assert drug_key("pamidronate disodium") == "pamidronate" and drug_key("Sulphasalazine") == "sulfasalazine"
    assert drug_key("sodium") == "sodium" and drug_key("") == ""


def test_latest_weight_and_height_each_with_its_date():
    c = case(visits=[visit("V1", days(90), weight_kg=33.5), visit("V2", days(180), height_cm=145)])
    size = latest_weight(c)
    assert (size.weight_kg, size.weight_date, size.height_cm, size.height_date) == (33.5, days(90), 145, days(180))
    assert latest_weight(case()).weight_date == SEEN


def test_case_as_of_leaves_out_later_visits_and_the_lesions_first_seen_there():
    c = case(lesions=[lesion("L1"), lesion("L2", side="right")],
             visits=[visit("V1", days(90), lesion_status={"L1": "improved"}),
                     visit("V2", days(180), lesion_status={"L1": "resolved", "L2": "new"})])
    at_v1 = case_as_of(c, "V1")
    assert [v.id for v in at_v1.visits] == ["V1"] and [les.id for les in at_v1.imaging.lesions] == ["L1"]
    assert case_as_of(c, None).visits == [] and case_as_of(c, "V2") == c
    assert reference_date(at_v1) == days(90)


def test_crp_is_in_mg_l_with_one_decimal():
    c = case(labs={"crp": {"value": 1.84, "unit": "mg/dL"}},
             visits=[visit("V1", d("2027-01-11"), labs={"crp": lab(6, "mg/L"), "esr": lab(14, "mm/h")})])
    first, v1 = course(c).points
    assert first.crp_mg_l == 18.4 and v1.crp_mg_l == 6.0 and v1.esr_mm_h == 14
    assert v1.change_from_first["crp_mg_l"].percent == -67.4


def test_latest_activity_is_the_last_points_activity_on_every_example_as_of_every_visit():
    """The plan's shortcut (§13.1 trigger (i)) agrees with the whole course, point for point."""
    from pathlib import Path

    from desktop_app.course.points import course_points, latest_activity
    from desktop_app.course.timeline import case_as_of
    from desktop_app.storage.case_file import load_case

    examples = Path(__file__).resolve().parents[2] / "resources" / "examples"
    checked = 0
    for path in sorted(examples.glob("*.crmo")):
        c = load_case(path)
        assert latest_activity(case_as_of(c, None)) is None  # no visits: no follow-up activity
        for v in c.visits:
            at = case_as_of(c, v.id)
            assert latest_activity(at) == course_points(at)[-1].activity
            checked += 1
    assert checked >= 2
