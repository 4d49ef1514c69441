"""The follow-up course (clinical-rules.md §13): pure, no Qt.

`course(case)` gives the points, alerts and monitoring; the helpers say what "now" means at follow-up
(`reference_date`, `latest_visit`, `current_treatments`, `latest_weight`, `case_as_of`). The chart's
geometry lives in course/chart.py.
"""
from desktop_app.course.build import course, course_to_json
from desktop_app.course.timeline import (
    BodySize, case_as_of, current_treatments, drug_key, latest_visit, latest_weight, reference_date,
)

__all__ = ["course", "course_to_json", "BodySize", "case_as_of", "current_treatments", "drug_key",
           "latest_visit", "latest_weight", "reference_date"]


# `from desktop_app import course` must give something to call, but the package `desktop_app.course`
# shares that name: once imported, the import system binds the package there, whatever the root's
# `__getattr__` says. So the package itself is callable: `course(case)` is `course.course(case)`.
import sys as _sys  # noqa: E402
import types as _types  # noqa: E402


class _CallableCourse(_types.ModuleType):
    def __call__(self, case):
        return course(case)


_sys.modules[__name__].__class__ = _CallableCourse
