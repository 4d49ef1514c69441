"""`course(case)`: the follow-up course (clinical-rules.md §13.3–§13.5) and its JSON form
(assessment-output.md, "Course output"). Pure: no Qt, no I/O; never raises on incomplete data."""
from __future__ import annotations

from typing import Any

from desktop_app.case.models import Case
from desktop_app.course.alerts import follow_up_alerts
from desktop_app.course.monitoring import FOLIC_ACID_NOTE, monitoring_due
from desktop_app.course.points import course_points
from desktop_app.course.timeline import reference_date
from desktop_app.course.types import Course, Monitoring

OUTPUT_FORMAT = "crmo-consult/course"
OUTPUT_VERSION = 1
# §13.2: said once, where the measures are shown.
NO_COMPOSITE_NOTE = ("The measures are shown with their change; no composite score or response level is "
                     "computed (the CARRA CDAS formula could not be verified, and CNO has no validated "
                     "definition of inactive disease or remission).")


def course(case: Case) -> Course:
    """The points of the course, the follow-up alerts and the monitoring due at the reference date.
    A case without visits gives one point and nothing else."""
    monitoring = monitoring_due(case)
    notes = [NO_COMPOSITE_NOTE]
    if any(m.drug == "methotrexate" for m in monitoring):
        notes.append(FOLIC_ACID_NOTE)
    return Course(reference_date=reference_date(case), points=course_points(case),
                  alerts=follow_up_alerts(case), monitoring=monitoring, notes=notes)


def course_to_json(result: Course) -> dict[str, Any]:
    from desktop_app.about import __version__

    return {
        "format": OUTPUT_FORMAT,
        "version": OUTPUT_VERSION,
        "app_version": __version__,
        "reference_date": None if result.reference_date is None else result.reference_date.isoformat(),
        "points": [p.model_dump(mode="json", by_alias=True) for p in result.points],
        "alerts": [a.model_dump(mode="json") for a in result.alerts],
        "monitoring": [monitoring_json(m) for m in result.monitoring],
    }


def monitoring_json(m: Monitoring) -> dict[str, Any]:
    """One monitoring line as the contract gives it: `values` only for a full blood count; the meaning's
    words are for the screen and the note, not the JSON."""
    out = m.model_dump(mode="json", exclude={"meaning_words"})
    if m.values is None:
        del out["values"]
    return out
