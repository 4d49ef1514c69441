"""The skeleton figure's table: every bone/side/level is placed, and a click finds it again."""
from __future__ import annotations

import typing

import pytest

from desktop_app.case import skeleton_layout as layout
from desktop_app.case.models import Bone, UNPAIRED_BONES

BONES = typing.get_args(Bone)


def test_every_bone_and_side_is_placed_or_goes_to_the_tray():
    for bone in BONES:
        for side in ("left", "right", "midline", None):
            level = "T7" if bone == "vertebra" else None
            region = layout.region_for(bone, side, level)
            if bone == "other":
                assert region is None  # the tray
            elif bone in UNPAIRED_BONES:
                assert region is not None, (bone, side)
            elif side in ("left", "right"):
                assert region is not None and region.side == side, (bone, side)
            else:
                assert region is None, (bone, side)  # a paired bone without a side is unplaced


def test_anchor_round_trips_through_bone_at_for_every_placeable_key():
    assert len(layout.PLACEABLE_KEYS) >= 2 * 17 + len(layout.VERTEBRAL_LEVELS) + 6
    for key in layout.PLACEABLE_KEYS:
        x, y = layout.anchor(*key)
        assert 0 <= x <= 1 and 0 <= y <= 1
        assert layout.bone_at(x, y) == key


@pytest.mark.parametrize("level", layout.VERTEBRAL_LEVELS)
def test_every_vertebral_level_is_on_the_ladder(level):
    x, y = layout.anchor("vertebra", "midline", level.lower())
    assert layout.bone_at(x, y) == ("vertebra", None, level)


def test_patient_right_is_on_the_viewer_left():
    for bone in layout.PAIRED_BONES:
        right_x, _ = layout.anchor(bone, "right", None)
        left_x, _ = layout.anchor(bone, "left", None)
        assert right_x < 0.5 * (right_x + left_x) < left_x


def test_body_vertebrae_in_the_lumbar_spine_are_clickable():
    body_l3 = next(r for r in layout.REGIONS if r.key == ("vertebra", None, "L3") and not r.primary)
    xs = [x for x, _ in body_l3.parts[0]]
    ys = [y for _, y in body_l3.parts[0]]
    assert layout.bone_at(sum(xs) / len(xs), sum(ys) / len(ys)) == ("vertebra", None, "L3")


def test_levels_run_down_the_spine_in_order():
    ys = [layout.anchor("vertebra", None, level)[1] for level in layout.VERTEBRAL_LEVELS]
    assert ys == sorted(ys)


def test_outside_the_skeleton_is_nothing_and_the_tray_is_other():
    assert layout.bone_at(0.01, 0.01) is None
    assert layout.bone_at(*layout.TRAY.anchor) == ("other", None, None)
    assert layout.region_for("vertebra", None, None) is None
    assert layout.region_for("vertebra", None, "S9") is None


def test_near_miss_on_a_thin_bone_still_picks_it():
    x, y = layout.anchor("fibula", "right", None)
    assert layout.bone_at(x - 0.012, y) == ("fibula", "right", None)  # ~1.2 units off the shaft


def test_polygons_are_normalised():
    for region in layout.REGIONS:
        for part in region.parts:
            assert len(part) >= 3
            assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in part)


def test_markers_fan_out_on_one_bone_and_unplaced_lesions_go_to_the_tray():
    from desktop_app.case.models import Lesion

    lesions = [Lesion(id="L1", bone="femur"), Lesion(id="L2", bone="other"),
               Lesion(id="L3", bone="femur", side="left"), Lesion(id="L4", bone="femur", side="left")]
    positions = layout.marker_positions(lesions)
    tray = layout.TRAY.parts[0]
    assert all(layout._inside(x, y, tray) for x, y in positions[:2])
    assert positions[0] != positions[1]
    assert positions[2] == layout.anchor("femur", "left", None)
    assert positions[3] != positions[2]
    assert layout.bone_at(*positions[3]) == ("femur", "left", None)  # still on the same bone
