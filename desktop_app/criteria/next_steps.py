"""Next steps (clinical-rules.md §6, after the flags): the investigations the missing data call for."""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.types import CriteriaResult

WB_MRI = ("Whole-body MRI: no whole-body survey recorded (Bristol cohort: WB-MRI found lesions in 7 "
          "children with normal radiographs; 47 of 162 lesions were silent)")
BIOPSY = ("Bone biopsy (histology and culture, off antibiotics): the Bristol criteria can only be met "
          "via criterion 2")
# §6 raises `raised_ldh` only against the lab's own upper limit: without it the value cannot be judged.
LDH_NO_LIMIT = ("LDH recorded without the lab's upper reference limit: enter it to check for a raised LDH "
                "(malignancy work-up)")
LABS = ("wbc", "hemoglobin", "platelets", "crp", "esr")


def next_steps(f: Facts, bristol: CriteriaResult) -> list[str]:
    steps = []
    if f.case.imaging.whole_body_survey in (None, "none"):
        steps.append(WB_MRI)
    missing = [labels.analyte_name(a) for a in LABS if f.readings[a].value is None]
    if missing:
        steps.append(f"Blood tests: {', '.join(missing)} not recorded")
    ldh = f.case.labs.ldh
    if ldh is not None and ldh.ref_high is None:
        steps.append(LDH_NO_LIMIT)
    items = {i.id: i.status for i in bristol.items}
    if (bristol.status == "indeterminate" and items.get("criterion_1") == "not_met"
            and items.get("criterion_2") == "unknown"):
        steps.append(BIOPSY)
    return steps
