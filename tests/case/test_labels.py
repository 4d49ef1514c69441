import typing

from desktop_app.case import labels, models


def test_every_enum_value_has_a_label():
    for kind, literal in [("sex", models.Sex), ("fever_pattern", models.FeverPattern),
                          ("culture", models.CultureResult), ("whole_body_survey", models.Survey),
                          ("side", models.Side), ("segment", models.Segment), ("modality", models.Modality),
                          ("bone", models.Bone), ("histology", models.Histology),
                          ("drug_class", models.DrugClass), ("response", models.Response)]:
        values = [v for v, _ in labels.choices(kind)]
        assert values == list(typing.get_args(literal)), kind


def test_every_field_of_the_case_has_a_label():
    for section in ("patient", "encounter", "symptoms", "associated", "mimics", "labs"):
        model = type(getattr(models.Case(), section))
        for name in model.model_fields:
            assert labels.field_label(f"{section}.{name}") in labels._FIELDS.values(), f"{section}.{name}"
    for name in models.Lesion.model_fields:
        assert f"lesion.{name}" in labels._FIELDS or name == "id"


def test_paths_and_analytes():
    assert labels.field_label("labs.crp") == "CRP"
    assert labels.field_label("imaging.lesions[2].sclerosis") == "Marginal sclerosis"
    assert set(labels.ANALYTES) == set(models.LAB_UNITS)
    assert labels.ANALYTES["crp"].loinc == "1988-5" and labels.ANALYTES["hemoglobin"].loinc == "718-7"
    assert all(labels.unit_label(u) for units in models.LAB_UNITS.values() for u in units)
    assert labels.lesion_label("tibia", "left") == "Left tibia"
    assert labels.lesion_label("vertebra", None, "T7") == "Vertebra T7"
    assert labels.value_label("bone", None) == labels.NOT_RECORDED
