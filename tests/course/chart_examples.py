"""Chart inputs shared by the chart's geometry, window and note tests.

`two_visits()` carries the values of ../shared/examples/followup-two-visits.course.json (its points
and its naproxen course); `twelve_visits()` is a synthetic two-year course with gaps, a stopped
naproxen, an ongoing methotrexate and a stopped pamidronate; `many_visits(n)` is a long course.
"""
from __future__ import annotations

import datetime as dt

from desktop_app.course.chart import ChartInput, ChartPoint, ChartTreatment

D = dt.date.fromisoformat


def two_visits() -> ChartInput:
    return ChartInput(
        points=(
            ChartPoint(D("2026-10-05"), "First consultation", pain=6, patient_global=5, physician_global=5,
                       chaq=0.375, crp_mg_l=18.0, esr_mm_h=35, mri_active_lesions=3, clinically_active_lesions=2),
            ChartPoint(D("2027-01-11"), "Visit 2027-01-11", pain=3, patient_global=2, physician_global=2,
                       chaq=0.125, crp_mg_l=6.0, esr_mm_h=14, mri_active_lesions=2, clinically_active_lesions=1),
            ChartPoint(D("2027-04-12"), "Visit 2027-04-12", pain=1, patient_global=1, physician_global=0, chaq=0,
                       crp_mg_l=2.0, esr_mm_h=8, mri_active_lesions=None, clinically_active_lesions=0),
        ),
        treatments=(ChartTreatment("naproxen", D("2026-10-05")),),
        reference_date=D("2027-04-12"),
        highlight=D("2027-04-12"),
    )


def twelve_visits() -> ChartInput:
    start = D("2025-03-10")
    points = [ChartPoint(start, "First consultation", 8, 7, 7, 1.5, 42.0, 60, 5, 4)]
    pain = [7, 6, None, 5, 4, 4, 3, 2, 3, 1, 1, 0]
    crp = [30, 22, 18, None, 9, 6, 5, 3, 2, 2, 1.5, 1]
    mri = [None, 4, None, 3, None, 2, None, 1, None, 1, None, 0]
    for i in range(12):
        d = start + dt.timedelta(days=60 * (i + 1))
        points.append(ChartPoint(
            d, f"Visit {d.isoformat()}", pain=pain[i], patient_global=None if i == 5 else max(0, (pain[i] or 3) - 1),
            physician_global=max(0.0, 6 - i * 0.6), chaq=None if i % 3 else max(0.0, 1.2 - i * 0.1),
            crp_mg_l=crp[i], esr_mm_h=None if i in (4, 5) else 50 - i * 4, mri_active_lesions=mri[i],
            clinically_active_lesions=max(0, 3 - i // 3)))
    return ChartInput(
        points=tuple(points),
        treatments=(
            ChartTreatment("naproxen", D("2025-01-20"), D("2025-09-01")),
            ChartTreatment("methotrexate", D("2025-07-10")),
            ChartTreatment("pamidronate", D("2026-01-05"), D("2026-06-20")),
        ),
        reference_date=points[-1].date,
        highlight=points[8].date,
    )


def many_visits(n: int = 40) -> ChartInput:
    """n points about six weeks apart over several years, every value recorded."""
    start = D("2021-01-04")
    points = tuple(
        ChartPoint(start + dt.timedelta(days=45 * i), "First consultation" if i == 0 else f"Visit {i}",
                   pain=(i * 7) % 11, patient_global=(i * 3) % 11, physician_global=(i * 5) % 11, chaq=(i % 4) * 0.75,
                   crp_mg_l=float((i * 13) % 90), esr_mm_h=(i * 17) % 70, mri_active_lesions=i % 6,
                   clinically_active_lesions=(i * 2) % 5)
        for i in range(n))
    return ChartInput(points=points, treatments=(ChartTreatment("methotrexate", start + dt.timedelta(days=90)),),
                      reference_date=points[-1].date, highlight=points[-1].date)
