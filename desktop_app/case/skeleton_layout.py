"""Where each bone sits on the front-view skeleton figure: one table for the Qt map and the PDF.

The figure is a schematic anterior view of a child's skeleton, as a radiologist reads it: the
patient's RIGHT is on the viewer's LEFT. Every clickable region is a list of polygons in normalised
coordinates (x, y in 0..1, origin top-left, y downwards) to be drawn into a box of width/height
ASPECT. Polygons only, so that QPainter and ReportLab draw identical shapes without curve maths.

Beside the body is a labelled ladder of vertebral levels (C1-C7, T1-T12, L1-L5): in a front view
the thoracic spine lies behind the sternum and ribs, so the ladder is where a level is reliably
picked and where vertebral lesions are marked. The body's own vertebrae are clickable too.

A lesion that cannot be placed (a paired bone without a side, a vertebra without a level, the bone
"other") is shown in the "Other / unplaced" tray in the bottom-right corner.

Pure Python: no Qt, no I/O.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence, get_args

from desktop_app.case.models import UNPAIRED_BONES, Bone

Point = tuple[float, float]
Polygon = tuple[Point, ...]
Key = tuple[str, Optional[str], Optional[str]]  # (bone, side, level)

# Design space: the figure is drawn in W x H units, then normalised. ASPECT = width / height.
_W, _H = 100.0, 210.0
ASPECT = _W / _H
_C = 40.0  # the body's midline (the ladder and the tray use the right-hand strip)

VERTEBRAL_LEVELS: tuple[str, ...] = (
    tuple(f"C{i}" for i in range(1, 8)) + tuple(f"T{i}" for i in range(1, 13))
    + tuple(f"L{i}" for i in range(1, 6))
)
# The midline bones and the mandible's symphysis are drawn once; bones with a side are mirrored.
PAIRED_BONES: frozenset[str] = frozenset(get_args(Bone)) - UNPAIRED_BONES
# A click near, but not on, a bone still picks it (thin ribs and fingers), within this many
# design units (about 1 % of the figure's height).
_TOLERANCE = 2.0


@dataclass(frozen=True)
class Region:
    """One clickable place on the figure. `parts` are closed polygons (normalised)."""

    bone: str
    side: Optional[str]
    level: Optional[str]
    parts: tuple[Polygon, ...]
    anchor: Point  # where a lesion marker goes; a click here selects this region
    label: str = ""  # short text drawn inside (the ladder's level names, the tray's title)
    primary: bool = True  # False for the body's vertebrae: their lesions are marked on the ladder

    @property
    def key(self) -> Key:
        return (self.bone, self.side, self.level)


# --- shape builders (design units) --------------------------------------------------------------

def _ellipse(cx: float, cy: float, rx: float, ry: float, n: int = 28) -> list[Point]:
    return [(cx + rx * math.cos(2 * math.pi * i / n), cy + ry * math.sin(2 * math.pi * i / n))
            for i in range(n)]


def _long_bone(x1: float, y1: float, x2: float, y2: float, shaft: float,
               end1: float, end2: float, n: int = 14) -> list[Point]:
    """A long bone's outline: a shaft that flares to rounded ends (metaphyses and epiphyses)."""
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy)
    ux, uy = dx / length, dy / length  # along the bone
    nx, ny = -uy, ux  # across it

    def half_width(t: float) -> float:
        flare1 = max(0.0, 1 - t / 0.22) ** 2
        flare2 = max(0.0, 1 - (1 - t) / 0.22) ** 2
        return shaft + (end1 - shaft) * flare1 + (end2 - shaft) * flare2

    ts = [i / n for i in range(n + 1)]
    side_a = [(x1 + dx * t + nx * half_width(t), y1 + dy * t + ny * half_width(t)) for t in ts]
    side_b = [(x1 + dx * t - nx * half_width(t), y1 + dy * t - ny * half_width(t)) for t in ts]
    cap2 = [(x2 + end2 * (nx * math.cos(a) + ux * math.sin(a)),
             y2 + end2 * (ny * math.cos(a) + uy * math.sin(a)))
            for a in (math.pi * k / 8 for k in range(1, 8))]
    cap1 = [(x1 - end1 * (nx * math.cos(a) + ux * math.sin(a)),
             y1 - end1 * (ny * math.cos(a) + uy * math.sin(a)))
            for a in (math.pi * k / 8 for k in range(1, 8))]
    return side_a + cap2 + side_b[::-1] + cap1


def _band(points: list[Point], half: float) -> list[Point]:
    """A thin curved band (a rib, a finger) of half-thickness `half` around a polyline."""
    left, right = [], []
    for i, (x, y) in enumerate(points):
        xa, ya = points[max(i - 1, 0)]
        xb, yb = points[min(i + 1, len(points) - 1)]
        length = math.hypot(xb - xa, yb - ya) or 1.0
        nx, ny = -(yb - ya) / length, (xb - xa) / length
        left.append((x + nx * half, y + ny * half))
        right.append((x - nx * half, y - ny * half))
    return left + right[::-1]


def _bezier(p0: Point, p1: Point, p2: Point, n: int = 12) -> list[Point]:
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1])
            for t in (i / n for i in range(n + 1))]


def _rect(x0: float, y0: float, x1: float, y1: float, r: float = 0.8) -> list[Point]:
    """A rectangle with chamfered corners (vertebrae, ladder steps)."""
    return [(x0 + r, y0), (x1 - r, y0), (x1, y0 + r), (x1, y1 - r), (x1 - r, y1), (x0 + r, y1),
            (x0, y1 - r), (x0, y0 + r)]


def _centroid(poly: list[Point]) -> Point:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return (cx / (3 * area), cy / (3 * area))


# --- the patient's right half of the body (viewer's left), in design units -----------------------
# Each entry: bone -> (parts, anchor or None for the first part's centroid). Mirrored for the left.

def _right_half() -> dict[str, tuple[list[list[Point]], Optional[Point]]]:
    c = _C
    ribs = []
    for i in range(10):  # ten visible ribs, widening down the cage, from the sternum outwards
        y0 = 44.5 + 3.6 * i
        reach = 12.5 + 0.55 * min(i, 7)
        ribs.append(_band(_bezier((c - 2.2, y0), (c - reach - 2.5, y0 - 2.0),
                                  (c - reach, y0 + 5.5 + 0.3 * i)), 0.75))
    palm = [(c - 30.5, 114.5), (c - 23.0, 114.5), (c - 22.5, 122.5), (c - 30.0, 123.5)]
    fingers = [_band([(c - 23.0 - 1.7 * k, 123.0), (c - 22.6 - 1.8 * k, 127.5 + (1.2 if k in (1, 2) else 0)),
                      (c - 22.3 - 1.9 * k, 131.0 + (1.8 if k in (1, 2) else 0) - (1.4 if k == 0 else 0))],
                     0.65) for k in range(4)]  # little finger (medial) .. index
    thumb = _band([(c - 30.5, 117.5), (c - 32.8, 121.0), (c - 34.0, 125.0)], 0.8)
    metatarsals = [_band([(c - 8.4 - 1.9 * k, 192.6), (c - 8.0 - 2.2 * k, 199.0)], 0.55 if k else 0.8)
                   for k in range(5)]  # great toe (medial) .. fifth
    phalanges = [_band([(c - 8.0 - 2.2 * k, 200.0), (c - 7.9 - 2.35 * k, 205.0 - 0.6 * k)],
                       0.55 if k else 0.8) for k in range(5)]
    pelvis = [(c - 5.0, 99.5), (c - 9.0, 95.5), (c - 14.0, 93.8), (c - 17.5, 96.0), (c - 18.0, 101.0),
              (c - 15.0, 106.0), (c - 15.6, 110.0), (c - 14.5, 114.5), (c - 12.5, 118.5),
              (c - 8.5, 120.0), (c - 4.5, 118.0), (c - 0.6, 116.0), (c - 0.6, 112.8), (c - 4.5, 112.5),
              (c - 9.0, 110.5), (c - 10.0, 106.0), (c - 6.0, 103.5)]
    femur_head = _ellipse(c - 12.8, 111.2, 2.5, 2.5)
    return {
        "clavicle": ([_long_bone(c - 2.8, 41.0, c - 16.5, 39.2, 0.9, 1.3, 1.2)], None),
        "scapula": ([[(c - 12.5, 41.5), (c - 19.0, 40.5), (c - 21.5, 41.8), (c - 20.5, 46.5),
                      (c - 18.0, 58.0), (c - 15.5, 53.0)]], (c - 17.8, 52.5)),
        "rib": (ribs, (c - 14.3, 69.0)),
        "humerus": ([_long_bone(c - 20.6, 44.2, c - 23.2, 77.5, 1.5, 2.7, 2.6)], None),
        "radius": ([_long_bone(c - 25.6, 81.0, c - 28.2, 111.6, 0.9, 1.3, 1.7)], None),
        "ulna": ([_long_bone(c - 21.8, 80.4, c - 24.4, 111.8, 0.9, 1.6, 1.2)], None),
        "hand": ([palm, thumb] + fingers, None),
        "pelvis": ([pelvis], (c - 14.5, 100.0)),
        "femur": ([femur_head, _band([(c - 12.8, 111.2), (c - 15.4, 113.8)], 1.5),
                   _long_bone(c - 15.6, 113.5, c - 11.8, 145.5, 1.8, 2.8, 3.1)], (c - 13.6, 130.0)),
        "patella": ([_ellipse(c - 11.8, 146.8, 1.9, 2.3)], None),
        "tibia": ([_long_bone(c - 10.6, 151.0, c - 10.8, 181.5, 1.6, 3.0, 2.2)], None),
        "fibula": ([_long_bone(c - 15.5, 151.5, c - 15.2, 183.0, 0.7, 1.1, 1.3)], None),
        "talus": ([_ellipse(c - 10.4, 186.5, 2.0, 2.0)], None),
        "calcaneus": ([_ellipse(c - 14.8, 186.8, 2.2, 2.4)], None),
        "tarsal_other": ([[(c - 8.0, 189.3), (c - 12.5, 189.0), (c - 17.0, 189.8), (c - 17.5, 192.2),
                           (c - 7.5, 192.2)]], (c - 12.5, 190.8)),
        "metatarsal": (metatarsals, (c - 8.2, 196.0)),
        "foot_phalanx": (phalanges, (c - 8.0, 202.5)),
    }


# Long bones: (proximal x, y, distal x, y) of the right-hand bone, as drawn above (design units).
_AXES: dict[str, tuple[float, float, float, float]] = {
    "clavicle": (_C - 2.8, 41.0, _C - 16.5, 39.2),  # medial → lateral
    "humerus": (_C - 20.6, 44.2, _C - 23.2, 77.5),
    "radius": (_C - 25.6, 81.0, _C - 28.2, 111.6),
    "ulna": (_C - 21.8, 80.4, _C - 24.4, 111.8),
    "femur": (_C - 15.6, 113.5, _C - 11.8, 145.5),
    "tibia": (_C - 10.6, 151.0, _C - 10.8, 181.5),
    "fibula": (_C - 15.5, 151.5, _C - 15.2, 183.0),
}
# A lesion records its segment but not which end of the bone: epiphyseal and metaphyseal markers
# are drawn at the end where CNO is usually seen (the knee for femur, tibia and fibula; the wrist
# for radius and ulna; the shoulder for the humerus; the medial clavicle). 0 = proximal end.
_USUAL_END: dict[str, int] = {"femur": 1, "tibia": 0, "fibula": 0, "humerus": 0, "radius": 1, "ulna": 1,
                              "clavicle": 0}
# Fraction of the bone's length from that end where each segment's marker goes.
_SEGMENT_AT: dict[str, float] = {"epiphysis": 0.04, "metaphysis": 0.15, "diaphysis": 0.5}


def _mirror(points: Iterable[Point]) -> list[Point]:
    return [(2 * _C - x, y) for x, y in points]


def _norm(points: Iterable[Point]) -> Polygon:
    return tuple((round(x / _W, 5), round(y / _H, 5)) for x, y in points)


def _region(bone: str, side: Optional[str], level: Optional[str], parts: list[list[Point]],
            anchor: Optional[Point] = None, label: str = "", primary: bool = True) -> Region:
    anchor = anchor or _centroid(parts[0])
    return Region(bone, side, level, tuple(_norm(p) for p in parts),
                  _norm([anchor])[0], label, primary)


def _build() -> tuple[tuple[Region, ...], tuple[Polygon, ...]]:
    c = _C
    regions: list[Region] = []
    # Drawing order = stacking order: later regions lie on top and win a click.
    # The body's spine first, behind the ribs and the sternum.
    level_y = {}
    y = 27.5
    for level in VERTEBRAL_LEVELS:
        height = {"C": 1.6, "T": 3.1, "L": 3.3}[level[0]]
        half = {"C": 2.2, "T": 2.6, "L": 3.2}[level[0]]
        level_y[level] = (y, y + height)
        regions.append(_region("vertebra", None, level, [_rect(c - half, y, c + half, y + height, 0.5)],
                               primary=False))
        y += height + 0.35
    regions.append(_region("sacrum", None, None,
                           [[(c - 5.0, 101.0), (c + 5.0, 101.0), (c + 3.0, 108.0), (c + 1.0, 113.0),
                             (c - 1.0, 113.0), (c - 3.0, 108.0)]], (c, 104.5)))
    halves = _right_half()
    for bone in ("scapula", "clavicle", "humerus", "radius", "ulna", "hand", "pelvis", "femur",
                 "tibia", "fibula", "patella", "talus", "calcaneus", "tarsal_other", "metatarsal",
                 "foot_phalanx", "rib"):
        parts, anchor = halves[bone]
        regions.append(_region(bone, "right", None, parts, anchor))
        regions.append(_region(bone, "left", None, [_mirror(p) for p in parts],
                               _mirror([anchor])[0] if anchor else None))
    regions.append(_region("sternum", None, None,
                           [[(c - 3.0, 42.3), (c + 3.0, 42.3), (c + 2.2, 47.5), (c + 2.0, 66.0),
                             (c + 0.8, 70.5), (c - 0.8, 70.5), (c - 2.0, 66.0), (c - 2.2, 47.5)]],
                           (c, 56.0)))
    regions.append(_region("skull", None, None, [_ellipse(c, 13.5, 11.0, 12.5, 36)], (c, 8.0)))
    jaw_right = [(c - 8.6, 20.5), (c - 7.0, 21.5), (c - 5.6, 27.8), (c - 2.4, 29.4), (c - 2.4, 32.6),
                 (c - 6.5, 31.2), (c - 8.6, 26.5)]
    regions.append(_region("mandible", "right", None, [jaw_right]))
    regions.append(_region("mandible", "left", None, [_mirror(jaw_right)]))
    regions.append(_region("mandible", "midline", None,
                           [[(c - 2.4, 29.4), (c + 2.4, 29.4), (c + 2.4, 32.6), (c, 33.3), (c - 2.4, 32.6)]]))
    # The vertebral-level ladder, beside the figure.
    step = 6.0
    for i, level in enumerate(VERTEBRAL_LEVELS):
        y0 = 26.0 + step * i
        regions.append(_region("vertebra", None, level, [_rect(84.0, y0, 96.0, y0 + step - 1.0)],
                               label=level))
    regions.append(_region("other", None, None, [_rect(78.0, 182.0, 99.0, 207.0, 1.2)],
                           (88.5, 186.0), label="Other / unplaced"))
    # Outlines that help the eye but are not clickable: orbits, nasal aperture, obturator foramina.
    orbit = _ellipse(c - 4.5, 14.5, 3.2, 2.8, 20)
    nose = [(c, 17.5), (c + 1.8, 22.0), (c - 1.8, 22.0)]
    foramen = _ellipse(c - 7.0, 115.0, 2.2, 2.2 * 1.2, 18)
    decor = (_norm(orbit), _norm(_mirror(orbit)), _norm(nose), _norm(foramen),
             _norm(_mirror(foramen)))
    return tuple(regions), decor


REGIONS, DECOR = _build()
# The strip with the ladder's title ("Spine levels") and the tray; for the drawers.
LADDER_TITLE_AT: Point = (90.0 / _W, 23.5 / _H)
TRAY: Region = next(r for r in REGIONS if r.bone == "other")


# --- queries -----------------------------------------------------------------------------------

def _inside(x: float, y: float, poly: Polygon) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _distance(x: float, y: float, poly: Polygon) -> float:
    """Distance in design units from a point to a polygon's outline (isotropic, unlike 0..1)."""
    px, py = x * _W, y * _H
    best = math.inf
    for (x0, y0), (x1, y1) in zip(poly, poly[1:] + poly[:1]):
        ax, ay, bx, by = x0 * _W, y0 * _H, x1 * _W, y1 * _H
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def region_at(x: float, y: float) -> Optional[Region]:
    """The topmost region under (x, y) (normalised), else the nearest within a small margin."""
    for region in reversed(REGIONS):
        if any(_inside(x, y, part) for part in region.parts):
            return region
    near = min(((min(_distance(x, y, p) for p in r.parts), i) for i, r in enumerate(REGIONS)),
               default=None)
    if near is not None and near[0] <= _TOLERANCE:
        return REGIONS[near[1]]
    return None


def bone_at(x: float, y: float) -> Optional[Key]:
    """(bone, side, level) under a normalised point; None outside the skeleton."""
    region = region_at(x, y)
    return region.key if region else None


def normalise_key(bone: str, side: Optional[str], level: Optional[str]) -> Optional[Key]:
    """The region key a lesion is drawn at, or None when it cannot be placed on the figure.

    Unpaired bones ignore the side (the mandible keeps left/right, else its midline); a paired
    bone needs left or right; a vertebra needs a level C1-L5."""
    if bone == "other":
        return None
    if bone == "vertebra":
        level = (level or "").strip().upper()
        return ("vertebra", None, level) if level in VERTEBRAL_LEVELS else None
    if bone == "mandible":
        return ("mandible", side if side in ("left", "right") else "midline", None)
    if bone in UNPAIRED_BONES:
        return (bone, None, None)
    return (bone, side, None) if side in ("left", "right") else None


def region_for(bone: str, side: Optional[str], level: Optional[str]) -> Optional[Region]:
    """The region where a lesion of this bone/side/level is marked (None: goes to the tray)."""
    key = normalise_key(bone, side, level)
    return _PRIMARY.get(key) if key else None


def anchor(bone: str, side: Optional[str], level: Optional[str]) -> Optional[Point]:
    region = region_for(bone, side, level)
    return region.anchor if region else None


def tray_slot(index: int) -> Point:
    """Marker position for the index-th unplaced lesion inside the tray (rows of 6; a fourth row overlaps the first)."""
    row, col = divmod(index, 6)
    return ((81.0 + 3.2 * col) / _W, (194.0 + 4.2 * (row % 3)) / _H)


def _axis(bone: str, side: Optional[str]) -> Optional[tuple[Point, Point]]:
    """The bone's (proximal, distal) axis ends, normalised, for a long bone with a side."""
    if bone not in _AXES or side not in ("left", "right"):
        return None
    x1, y1, x2, y2 = _AXES[bone]
    if side == "left":
        x1, x2 = 2 * _C - x1, 2 * _C - x2
    return (x1 / _W, y1 / _H), (x2 / _W, y2 / _H)


def segment_point(bone: str, side: Optional[str], segment: Optional[str]) -> Optional[Point]:
    """Where a lesion of this long bone and segment is marked (None: use the bone's anchor)."""
    axis = _axis(bone, side)
    if axis is None or segment not in _SEGMENT_AT:
        return None
    (x1, y1), (x2, y2) = axis
    t = _SEGMENT_AT[segment]
    t = 1 - t if _USUAL_END[bone] == 1 else t
    return (x1 + (x2 - x1) * t, y1 + (y2 - y1) * t)


def segment_at(bone: str, side: Optional[str], x: float, y: float) -> Optional[str]:
    """The segment of a long bone under a click at (x, y), when it can be recorded: the shaft, or
    the end where `segment_point` draws metaphyses and epiphyses. None elsewhere (the other end
    cannot be told apart in the case file, so it is left for the user to record)."""
    axis = _axis(bone, side)
    if axis is None:
        return None
    (x1, y1), (x2, y2) = axis
    dx, dy = (x2 - x1) * _W, (y2 - y1) * _H
    t = ((x - x1) * _W * dx + (y - y1) * _H * dy) / (dx * dx + dy * dy)
    from_end = t if _USUAL_END[bone] == 0 else 1 - t
    if 0.3 <= t <= 0.7:
        return "diaphysis"
    if from_end < 0.08:
        return "epiphysis"
    if from_end < 0.3:
        return "metaphysis"
    return None


def marker_positions(lesions: Sequence) -> list[Point]:
    """Normalised marker position of each lesion (anything with .bone/.side/.level), in order.

    A long bone's lesion with a recorded segment is marked at that segment (`segment_point`);
    several lesions at one place are fanned out; unplaceable ones fill the tray."""
    seen: dict[tuple, int] = {}
    unplaced = 0
    out: list[Point] = []
    for les in lesions:
        region = region_for(les.bone, les.side, les.level)
        if region is None:
            out.append(tray_slot(unplaced))
            unplaced += 1
            continue
        at = segment_point(les.bone, les.side, getattr(les, "segment", None))
        place = (region.key, at)  # lesions at one place fan out; other segments have their own
        k = seen.get(place, 0)
        seen[place] = k + 1
        x, y = at or region.anchor
        out.append((x + (0.018 if k % 2 else 0.0), y + 0.012 * k))
    return out


_PRIMARY: dict[Key, Region] = {r.key: r for r in REGIONS if r.primary and r.bone != "other"}
# Every placeable key, for tests and for drawers that iterate bones.
PLACEABLE_KEYS: tuple[Key, ...] = tuple(_PRIMARY)
