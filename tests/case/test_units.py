import pytest

from desktop_app.case.models import LAB_UNITS, LabValue
from desktop_app.case.units import canonical, canonical_ref, canonical_unit, fmt_number, from_canonical, to_canonical


def test_crp_mg_dl_is_ten_mg_l():
    assert canonical("crp", LabValue(value=3.2, unit="mg/dL")) == 32
    assert canonical("crp", LabValue(value=0.3, unit="mg/dL")) == 3  # no 3.0000000000000004


def test_hemoglobin_g_dl_and_g_l_both_ways():
    assert canonical("hemoglobin", LabValue(value=12.6, unit="g/dL")) == 126
    assert from_canonical("hemoglobin", 126, "g/dL") == 12.6
    assert canonical("hemoglobin", LabValue(value=95, unit="g/L")) == 95


@pytest.mark.parametrize("analyte,unit", [("wbc", "10^3/uL"), ("platelets", "10^3/uL"),
                                          ("neutrophils", "10^3/uL"), ("band_neutrophils", "10^6/L")])
def test_same_number_units(analyte, unit):
    assert to_canonical(analyte, 7.5, unit) == 7.5


def test_canonical_unit_is_first_allowed():
    assert {a: canonical_unit(a) for a in LAB_UNITS} == {a: u[0] for a, u in LAB_UNITS.items()}


def test_reference_limits_are_converted_too():
    lab = LabValue(value=1.2, unit="mg/dL", ref_low=0.0, ref_high=0.5)
    assert canonical_ref("crp", lab) == (0.0, 5.0)
    assert canonical_ref("crp", LabValue(value=3, unit="mg/L")) == (None, None)


def test_unit_not_allowed_is_refused():
    with pytest.raises(ValueError):
        to_canonical("crp", 1, "g/L")


def test_fmt_number():
    assert [fmt_number(x) for x in (32.0, 3.2, 0.0, 4.50, 1 / 3)] == ["32", "3.2", "0", "4.5", "0.33"]
