"""The assessment, plan and course of the open case, computed once per value of the case and shared by
the assessment pane, the Visits tab (its list and chart), the Plan tab and the follow-up summary.

One committed edit at a visit of a 40-visit case used to compute the course three times, the assessment
three times and two plans (issue 23: ~100 ms per edit). The clinical core stays pure; the memory is here,
in the UI layer, and it is keyed on the *value* of the case it was computed from, never on where it came
from:

- a result is served only for a case equal (pydantic `==`: every field) to the one it was computed from,
  so an edit, an undo, a redo or another file can never be answered with a result of another case;
- the key is a shallow copy taken when the result is stored. The document replaces the objects along an
  edited path and never changes one in place (ui/document.py), so that copy keeps the value it had,
  and comparing it with the case is cheap: the unchanged parts are the same objects;
- equal cases share results, whatever their history: the case as of the latest visit is usually equal
  to the case itself (the follow-up summary and the Visits tab then share one course), an undo finds the
  results of the value it restores, and an edit at the latest visit leaves the case as of the visit
  before unchanged, so its plan is not recomputed.

`clear()` (a case opened, a new case) drops everything: a new file starts afresh.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

if TYPE_CHECKING:  # the engines are imported when first used (not on the start path)
    from desktop_app.case.models import Case
    from desktop_app.course.types import Course
    from desktop_app.criteria.types import Assessment
    from desktop_app.plan.types import Plan
    from desktop_app.plan.visit_summary import VisitResults

KEPT = 4  # values remembered per kind: the case, the case as of its latest visit and of the one before, an undo


class _ByValue:
    """The last few (case, result) pairs, most recently used first, looked up by equality of the case."""

    def __init__(self, compute: Callable[[Any], Any]):
        self._compute = compute
        self._pairs: list[tuple[Any, Any]] = []

    def __call__(self, case: Any) -> Any:
        for i, (key, result) in enumerate(self._pairs):
            if key == case:
                if i:
                    self._pairs.insert(0, self._pairs.pop(i))
                return result
        result = self._compute(case)
        self._pairs.insert(0, (case.model_copy(), result))  # a snapshot: the document changes its root case
        del self._pairs[KEPT:]
        return result

    def clear(self) -> None:
        self._pairs.clear()


class CaseResults:
    """assess(), plan() and course() of a case, and the follow-up summary of its latest visit, each worked
    out once per value of the case (see the module's docstring)."""

    def __init__(self) -> None:
        self.assessment: Callable[["Case"], "Assessment"] = _ByValue(self._assess)
        self.plan: Callable[["Case"], "Plan"] = _ByValue(self._plan)
        self.course: Callable[["Case"], "Course"] = _ByValue(self._course)
        self._latest_visit: Callable[["Case"], Optional["VisitResults"]] = _ByValue(self._visit_results)

    def latest_visit(self, case: "Case") -> Optional["VisitResults"]:
        """visit_results(case): the latest visit's summary and what it was built from; None without visits."""
        return self._latest_visit(case)

    def clear(self) -> None:
        for memo in (self.assessment, self.plan, self.course, self._latest_visit):
            memo.clear()

    # --- the pure functions, called on a miss --------------------------------------------------------
    @staticmethod
    def _assess(case: "Case") -> "Assessment":
        from desktop_app.criteria.assess import assess

        return assess(case)

    def _plan(self, case: "Case") -> "Plan":
        from desktop_app.plan.build import plan

        return plan(case, self.assessment(case))

    @staticmethod
    def _course(case: "Case") -> "Course":
        from desktop_app.course import course

        return course(case)

    def _visit_results(self, case: "Case") -> Optional["VisitResults"]:
        from desktop_app.plan.visit_summary import visit_results

        return visit_results(case, None, self)
