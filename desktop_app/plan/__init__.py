"""Treatment plan, doses, CTP eligibility, prognosis and follow-up (clinical-rules.md §8–§9).

`desktop_app.plan` is both this package and the public function `plan(case, assessment)` of
`desktop_app/__init__.py`: once any `desktop_app.plan.*` module is imported, Python binds the
package to the attribute `desktop_app.plan`, hiding the lazy function. Making the package callable
keeps `desktop_app.plan(case, assessment)` working whatever was imported first.
"""
from __future__ import annotations

import sys
import types


class _CallablePackage(types.ModuleType):
    def __call__(self, case, assessment=None):
        from desktop_app.plan.build import plan

        if assessment is None:
            from desktop_app.criteria.assess import assess

            assessment = assess(case)
        return plan(case, assessment)


sys.modules[__name__].__class__ = _CallablePackage
