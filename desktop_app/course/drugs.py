"""Which monitoring and alert group a treatment belongs to (clinical-rules.md §13.4, §13.5).

Methotrexate and sulfasalazine go by name (their rows differ from other DMARDs'); the other groups
by the recorded drug class, or by the generic name of a drug the plan proposes when no class is
recorded. A DMARD other than these two has no monitoring row in §13.5 and gets none.
"""
from __future__ import annotations

from typing import Optional

from desktop_app.case.models import Treatment
from desktop_app.course.timeline import drug_key

METHOTREXATE, SULFASALAZINE = "methotrexate", "sulfasalazine"
# The drugs each §13.4 rule names, lower-case generic names (assessment-output.md: `holds`).
NSAID_LINES = ("naproxen", "ibuprofen")
BISPHOSPHONATES = ("pamidronate", "zoledronic acid")
_TNF_NAMES = ("adalimumab", "etanercept", "infliximab", "golimumab")


def drug_group(t: Treatment) -> Optional[str]:
    """"methotrexate", "sulfasalazine", "nsaid", "tnf_inhibitor", "bisphosphonate" or None."""
    key = drug_key(t.drug)
    if key in (METHOTREXATE, SULFASALAZINE):
        return key
    if t.drug_class == "nsaid" or (t.drug_class is None and key in NSAID_LINES):
        return "nsaid"
    if t.drug_class == "tnf_inhibitor" or (t.drug_class is None and key in _TNF_NAMES):
        return "tnf_inhibitor"
    if t.drug_class == "bisphosphonate" or (t.drug_class is None and key in BISPHOSPHONATES):
        return "bisphosphonate"
    return None
