"""Random valid cases never make assess() raise, and score ranges are always ordered."""
import typing

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.case import models
from desktop_app.case.models import LAB_UNITS, Case
from desktop_app.criteria.assess import assess, assessment_to_json

opt_bool = st.none() | st.booleans()


def choice(literal):
    return st.none() | st.sampled_from(typing.get_args(literal))


dates = st.none() | st.dates(min_value=models.dt.date(1990, 1, 1), max_value=models.dt.date(2030, 12, 31))


def lab_value(analyte):
    return st.none() | st.builds(
        lambda v, u, lo, hi: {"value": v, "unit": u, "ref_low": lo, "ref_high": hi},
        st.floats(0, 1000, allow_nan=False), st.sampled_from(LAB_UNITS[analyte]),
        st.none() | st.floats(0, 50), st.none() | st.floats(0, 1000))


lesions = st.lists(st.fixed_dictionaries({
    "bone": st.sampled_from(typing.get_args(models.Bone)),
    "side": choice(models.Side),
    "level": st.none() | st.sampled_from(["C2", "T7", "L1"]),
    "modalities": st.lists(st.sampled_from(typing.get_args(models.Modality)), max_size=3),
    "segment": choice(models.Segment),
    **{k: opt_bool for k in ("lytic", "sclerosis", "new_bone_formation", "marrow_edema",
                             "soft_tissue_mass", "cortical_destruction", "vertebral_collapse",
                             "permeative_destruction", "aggressive_periosteal_reaction")},
}), max_size=5)

cases = st.fixed_dictionaries({
    "patient": st.fixed_dictionaries({"date_of_birth": dates, "sex": choice(models.Sex),
                                      "age_years": st.none() | st.floats(0, 60),
                                      "height_cm": st.none() | st.floats(30, 250)}),
    "encounter": st.fixed_dictionaries({"date": dates, "next_review_date": dates}),
    "symptoms": st.fixed_dictionaries({
        **{k: opt_bool for k in ("bone_pain", "warmth_erythema", "night_pain", "weight_loss",
                                 "hepatosplenomegaly", "lymphadenopathy", "gingival_bleeding", "petechiae")},
        "max_temperature_c": st.none() | st.floats(35, 42),
        "onset_age_years": st.none() | st.floats(0, 60),
        "fever_pattern": choice(models.FeverPattern), "first_symptom_date": dates}),
    "associated": st.fixed_dictionaries({k: opt_bool for k in models.Associated.model_fields}),
    "mimics": st.fixed_dictionaries({k: opt_bool for k in models.Mimics.model_fields}),
    "labs": st.fixed_dictionaries({**{a: lab_value(a) for a in LAB_UNITS},
                                   "blood_culture": choice(models.CultureResult),
                                   "peripheral_smear_blasts": opt_bool}),
    "imaging": st.fixed_dictionaries({"whole_body_survey": choice(models.Survey), "lesions": lesions}),
    "biopsies": st.lists(st.fixed_dictionaries({"histology": choice(models.Histology),
                                                "culture": choice(models.CultureResult),
                                                "on_antibiotics_at_biopsy": opt_bool}), max_size=2),
    "treatments": st.lists(st.fixed_dictionaries({"drug_class": choice(models.DrugClass),
                                                  "response": choice(models.Response),
                                                  "start_date": dates, "end_date": dates}), max_size=2),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_assess_never_raises_and_ranges_are_ordered(data):
    a = assess(Case.model_validate(data))
    assert set(a.criteria) == {"classic", "bristol_2016", "jansson_2009", "nbods_2023", "eular_acr_2025"}
    for c in a.criteria.values():
        if c.kind == "score":
            assert c.points_min <= c.points_max
            assert (c.points is None) == (c.points_min != c.points_max)
        if c.status != "indeterminate":
            assert c.missing == []
    assert a.criteria["eular_acr_2025"].status != "met"
    assessment_to_json(a)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.none() | st.floats(0.5, 300))
def test_plan_and_note_never_raise(data, weight):
    """Every renderer downstream of assess copes with any valid case: plan, doses, PDF note."""
    from desktop_app.plan.build import plan
    from desktop_app.report.note import build_consult_pdf

    case = Case.model_validate(data)
    case.patient.weight_kg = weight
    a = assess(case)
    p = plan(case, a)
    assert p.lines and all(line.id for line in p.lines)
    if weight is None:  # never a number without a recorded weight (§8)
        assert all(d.computed is None and "patient.weight_kg" in d.missing
                   for line in p.lines for d in line.doses if any(ch.isdigit() for ch in d.per_kg))
    assert build_consult_pdf(case, a, p).startswith(b"%PDF")


TREATMENT_KINDS = ("first_line", "glucocorticoid", "second_line")


def _assert_within_the_mg_range(d, case):
    """v3 §8 amounts as given: low ≥ low mg/kg × size, high ≤ high mg/kg × size (or at the maximum)."""
    from desktop_app.plan.doses import DOSES, bsa_m2

    rule = next(r for r in DOSES.values() if r.drug == d.drug)
    size = case.patient.weight_kg if rule.basis == "kg" else bsa_m2(case.patient.height_cm, case.patient.weight_kg)
    amt = d.amount
    assert amt.low_mg <= amt.high_mg, (d.drug, amt)
    if amt.capped:
        assert amt.high_mg <= rule.max_mg and amt.low_mg >= min(rule.low * size, amt.high_mg) - 1e-9, (d.drug, amt)
        return
    assert amt.high_mg <= rule.high * size + 1e-9, (d.drug, amt, size)  # a single amount rounds down
    if amt.low_mg < amt.high_mg:  # a range: its low end rounds up
        assert amt.low_mg >= rule.low * size - 1e-9, (d.drug, amt, size)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.none() | st.floats(0.5, 300))
def test_safety_invariants_of_the_gate_and_the_doses(data, weight):
    """Rules v2/v3 safety, on any valid case: no CNO treatment outside mode cno, none with an urgent flag or
    with onset before 3 and no genetic result, no glucocorticoid or second line before malignancy is
    excluded, no amount above its maximum or outside its mg/kg range, none for an adult."""
    from desktop_app.plan.build import plan

    case = Case.model_validate(data)
    case.patient.weight_kg = weight
    a = assess(case)
    p = plan(case, a)
    assert (a.mode == "cno") == (not a.gate_reasons) or a.mode == "alternative_diagnosis"
    if any(f.tier == "urgent" for f in a.red_flags):
        assert a.mode != "cno"
    proposed = [line for line in p.lines if line.status == "proposed" and line.kind in TREATMENT_KINDS]
    if a.mode != "cno":
        assert not proposed and not p.codes and not p.prognosis and not p.ctp_checklist()
    if any(line.kind in ("glucocorticoid", "second_line") for line in proposed):
        assert case.mimics.malignancy is False  # v3: no steroid or cytotoxic before the marrow (§8.2, §8.3)
    urgent = any(f.tier == "urgent" for f in a.red_flags)
    young = a.derived.onset_age_years is not None and a.derived.onset_age_years < 3 or (
        a.derived.onset_age_years is None and a.derived.age_years is not None and a.derived.age_years < 3)
    if urgent or (young and case.mimics.monogenic is not False):
        assert not proposed  # v3: nothing with an urgent flag, or onset before 3 without a genetic result
    for line in p.lines:
        for d in line.doses:
            if d.amount is None:
                continue
            assert a.derived.adult is not True  # §8.5: no paediatric amount for an adult
            amt = d.amount
            if amt.max_mg is not None:
                per_max = amt.high_mg * (2 if (amt.per, amt.max_per) == ("dose", "day") and line.id == "nsaid"
                                         and d.generic == "naproxen" else 1)
                assert per_max <= amt.max_mg, (d.drug, amt)  # v3: never above, not even by rounding
            _assert_within_the_mg_range(d, case)


class _Sized:  # the two fields _assert_within_the_mg_range reads
    def __init__(self, weight, height):
        self.patient = type("P", (), {"weight_kg": weight, "height_cm": height})()


@settings(max_examples=300, deadline=None)
@given(st.floats(0.5, 300), st.floats(30, 250))
def test_every_amount_stays_in_its_range_and_under_its_maximum(weight, height):
    """v3 §8 on every dose rule directly (the plan holds most lines back on random cases)."""
    from desktop_app.plan.doses import DOSES, dose_line

    for key in DOSES:
        d = dose_line(key, weight, height)
        if d.amount is None:
            continue
        if d.amount.max_mg is not None and (d.amount.per, d.amount.max_per) == ("dose", "day"):
            assert d.amount.high_mg * DOSES[key].doses_per_day <= d.amount.max_mg
        elif d.amount.max_mg is not None:
            assert d.amount.high_mg <= d.amount.max_mg, (key, d.amount)
        _assert_within_the_mg_range(d, _Sized(weight, height))
