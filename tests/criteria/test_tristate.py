import itertools

import pytest

from desktop_app.criteria.tristate import all_of, any_of, item_status, set_status, tri_and, tri_not, tri_or

T, F, U = True, False, None


@pytest.mark.parametrize("a,b,expected", [(T, T, T), (T, F, F), (T, U, U), (F, U, F), (U, U, U), (F, F, F)])
def test_kleene_and(a, b, expected):
    assert tri_and(a, b) is expected and tri_and(b, a) is expected


@pytest.mark.parametrize("a,b,expected", [(T, T, T), (T, F, T), (T, U, T), (F, U, U), (U, U, U), (F, F, F)])
def test_kleene_or(a, b, expected):
    assert tri_or(a, b) is expected and tri_or(b, a) is expected


def test_de_morgan_holds_for_every_combination():
    for a, b in itertools.product((T, F, U), repeat=2):
        assert tri_not(tri_and(a, b)) is tri_or(tri_not(a), tri_not(b))


def test_empty_and_statuses():
    assert all_of([]) is True and any_of([]) is False
    assert [item_status(v) for v in (T, F, U)] == ["met", "not_met", "unknown"]
    assert [set_status(v) for v in (T, F, U)] == ["met", "not_met", "indeterminate"]
