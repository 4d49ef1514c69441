"""Which monitoring and alert group a treatment belongs to, and the drug names alerts hold
(clinical-rules.md §13.4, §13.5, §13.7 items 28–29): the one vocabulary of drug names in course/.

Methotrexate and sulfasalazine go by name (their rows differ); any other `dmard` counts as methotrexate
(item 29: leflunomide with ALT 300 is held like methotrexate). The other groups go by the recorded drug
class, or by the generic name when no class is recorded.
"""
from __future__ import annotations

from typing import Iterable, Optional

from desktop_app.case.models import Treatment
from desktop_app.course.timeline import drug_key

METHOTREXATE, SULFASALAZINE = "methotrexate", "sulfasalazine"
# The lower-case generic names of the plan's lines (assessment-output.md: `alerts[].holds`).
NSAID_LINES = ("naproxen", "ibuprofen")
GLUCOCORTICOIDS = ("prednisone",)  # the step-2 line
TNF_INHIBITORS = ("etanercept", "adalimumab", "infliximab")
BISPHOSPHONATES = ("pamidronate", "zoledronic acid")
STEP3_DRUGS = (METHOTREXATE, SULFASALAZINE) + TNF_INHIBITORS + BISPHOSPHONATES
# Names recognised without a recorded class (not plan lines).
_TNF_NAMES = TNF_INHIBITORS + ("golimumab", "certolizumab")
_GLUCOCORTICOID_NAMES = ("prednisone", "prednisolone", "methylprednisolone", "dexamethasone", "hydrocortisone")

# A plan-line name → its group, so that an alert holding a line also holds a current drug of its class.
_GROUP_OF_NAME: dict[str, str] = {
    **{n: "nsaid" for n in NSAID_LINES}, **{n: "glucocorticoid" for n in GLUCOCORTICOIDS},
    **{n: "tnf_inhibitor" for n in TNF_INHIBITORS}, **{n: "bisphosphonate" for n in BISPHOSPHONATES},
    METHOTREXATE: METHOTREXATE, SULFASALAZINE: SULFASALAZINE,
}


def drug_group(t: Treatment) -> Optional[str]:
    """"methotrexate", "sulfasalazine", "nsaid", "tnf_inhibitor", "bisphosphonate", "glucocorticoid" or None."""
    key = drug_key(t.drug)
    if key in (METHOTREXATE, SULFASALAZINE):
        return key
    if t.drug_class == "dmard":
        return METHOTREXATE  # item 29
    if t.drug_class == "nsaid" or (t.drug_class is None and key in NSAID_LINES):
        return "nsaid"
    if t.drug_class == "tnf_inhibitor" or (t.drug_class is None and key in _TNF_NAMES):
        return "tnf_inhibitor"
    if t.drug_class == "bisphosphonate" or (t.drug_class is None and key in BISPHOSPHONATES):
        return "bisphosphonate"
    if t.drug_class == "glucocorticoid" or (t.drug_class is None and key in _GLUCOCORTICOID_NAMES):
        return "glucocorticoid"
    return None


def held_names(holds: Iterable[str], current: Iterable[Treatment]) -> list[str]:
    """`holds` (plan-line names) and, after them, every current drug of a held line's group under its own
    name (item 29: golimumab held with the TNF inhibitors), each once, in that order."""
    out = list(dict.fromkeys(holds))
    groups = {_GROUP_OF_NAME[n] for n in out if n in _GROUP_OF_NAME}
    for t in current:
        key = drug_key(t.drug)
        if key and key not in out and drug_group(t) in groups:
            out.append(key)
    return out
