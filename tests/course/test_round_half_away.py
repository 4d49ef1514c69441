"""round_half_away gives exactly what the rule's Decimal rounding gives (§13.3), its quick route for
a value with no digit to drop included."""
from __future__ import annotations

import math
import random
import struct
from decimal import ROUND_HALF_UP, Decimal

from desktop_app.course.timeline import round_half_away


def _rule(x: float, places: int) -> float:
    """The rule itself: the shortest decimal form of x, rounded half away from zero."""
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _same(a: float, b: float) -> bool:
    return a == b and math.copysign(1, a) == math.copysign(1, b) and type(a) is type(b)


def test_half_way_values_round_away_from_zero_where_binary_rounding_would_not():
    # 2.675 is 2.67499999… in binary: round() gives 2.67, the rule 2.68.
    assert round(2.675, 2) == 2.67 and round_half_away(2.675, 2) == 2.68
    assert round_half_away(-2.675, 2) == -2.68
    assert round_half_away(0.05, 1) == 0.1 and round_half_away(-0.05, 1) == -0.1
    assert round_half_away(9.995, 2) == 10.0 and round_half_away(2.5, 0) == 3.0
    assert _same(round_half_away(-0.04, 1), -0.0)  # the sign of zero kept, as Decimal keeps it


def test_agrees_with_the_rule_on_many_values():
    rng = random.Random(13)
    values = [0.0, -0.0, 0.125, 1e15 + 0.5, 123456789012345.67, 1e-5, 1.5e-7, 1e16, 1e22, 7, -3]
    for _ in range(8_000):
        values += [rng.uniform(-1000, 1000), round(rng.uniform(-100, 100), rng.randint(0, 6)),
                   rng.randint(-10**6, 10**6) / 10**rng.randint(0, 7) + rng.choice([0, 5e-4, 5e-3, 5e-2]),
                   (rng.uniform(0, 10) - rng.uniform(0, 10)) / rng.uniform(0.1, 10) * 100,
                   struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]]
    checked = 0
    for x in values:
        if math.isinf(x) or math.isnan(x) or abs(x) > 1e20:
            continue
        for places in (0, 1, 2, 3, 6):
            assert _same(round_half_away(x, places), _rule(x, places)), (x, places)
            checked += 1
    assert checked > 150_000


def test_weeks_in_integers_are_the_rule_s_rounding_of_days_over_7():
    from desktop_app.course.timeline import weeks_of_days
    for days in range(-4000, 40_000):
        assert _same(weeks_of_days(days), _rule(days / 7, 1)), days
