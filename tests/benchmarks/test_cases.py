"""The benchmark's follow-up inputs are what issue 18 asks for, and files the app would open."""
from __future__ import annotations

from desktop_app.case.models import LAB_UNITS
from desktop_app.course import course
from desktop_app.course.drugs import drug_group
from desktop_app.storage.case_file import load_case, save_case
from tests.benchmarks.cases import followup_case, without_visits


def test_the_forty_visit_case_is_a_file_the_app_opens_unchanged(tmp_path):
    case = followup_case(40)
    save_case(case, tmp_path / "v.crmo")  # refuses a case that breaks the loader's rules
    back = load_case(tmp_path / "v.crmo")
    assert back.model_dump(exclude={"app_version", "saved_at"}) == case.model_dump(exclude={"app_version", "saved_at"})


def test_every_visit_has_full_labs_and_measures_and_many_have_an_mri():
    case = followup_case(40)
    assert len(case.visits) == 40
    for v in case.visits:
        missing = [a for a in LAB_UNITS if getattr(v.labs, a) is None]
        assert missing == [], f"{v.id} lacks {missing}"
        assert None not in v.measures.model_dump().values() and v.weight_kg is not None
    with_mri = [v for v in case.visits if v.lesion_status]
    assert len(with_mri) >= 13 and all(v.mri_date is not None for v in with_mri)
    groups = {drug_group(t) for t in case.treatments}
    assert {"methotrexate", "nsaid"} <= groups


def test_the_course_has_every_kind_of_point():
    result = course(followup_case(40))
    assert len(result.points) == 41
    assert sum(p.new_lesions for p in result.points) == 3  # lesions first seen at follow-up
    assert any(p.lesions_not_assessed for p in result.points)  # a lesion left out of an MRI
    assert any(p.mri_active_lesions is None for p in result.points[1:])  # visits without an MRI
    assert {m.drug for m in result.monitoring} == {"naproxen", "methotrexate", "pamidronate"}


def test_the_case_without_visits_differs_only_by_its_visits():
    case = followup_case(40)
    bare = without_visits(case)
    assert bare.visits == [] and case.visits
    assert bare.model_dump(exclude={"visits"}) == case.model_dump(exclude={"visits"})
    assert len(course(bare).points) == 1
