"""Treatment plan, doses, CTP eligibility, prognosis and follow-up (clinical-rules.md §8–§9).

Entry point: `desktop_app.plan.build.plan(case, assessment)`, exported as `desktop_app.build_plan`
(not `desktop_app.plan`, which is this package).
"""
