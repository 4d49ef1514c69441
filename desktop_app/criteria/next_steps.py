"""Next steps, the work-up list (clinical-rules.md §6, rules version 2): de-duplicated, in the order
of §6, each only when it applies, each in words (never a field path or a flag id)."""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.case.sources import source
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.red_flags import BIOPSY, MIMIC_WORDS, confirmed_mimics
from desktop_app.criteria.types import CriteriaResult, RedFlag

BLOOD_COUNT = ("wbc", "hemoglobin", "platelets")
INFLAMMATION = ("crp", "esr")
LDH_ALP = ("ldh", "alkaline_phosphatase")
VITAMIN_C = ("Plasma vitamin C: the lesions are symmetric and vitamin C deficiency is not recorded as excluded "
             f"(scurvy gives bilateral, symmetric marrow oedema — {source('pediatr_rheumatol2020_scurvy').short})")
WB_MRI = ("Whole-body MRI: no whole-body survey recorded (Bristol cohort: WB-MRI found lesions in 7 "
          "children with normal radiographs; 47 of 162 lesions were silent)")
BIOPSY_STEP = "Bone biopsy (histology and culture, off antibiotics)"
CRITERION_2_ONLY = "the Bristol criteria can only be met via criterion 2"
GENETIC = ("Genetic testing for monogenic autoinflammatory disease (LPIN2 — Majeed syndrome; IL1RN — DIRA): "
           "onset before 3 years")
# §6 raises `raised_ldh` only against the lab's own upper limit: without it the value cannot be judged.
LDH_NO_LIMIT = ("LDH recorded without the lab's upper reference limit: enter it to check for a raised LDH "
                "(malignancy work-up)")


def _names(f: Facts, analytes) -> list[str]:
    return [labels.analyte_name(a) for a in analytes if f.readings[a].value is None]


def _grouped_actions(flags: list[RedFlag]) -> list[str]:
    """One line per distinct action, naming the flags that call for it: "Action (for: A; B)"."""
    by_action: dict[str, list[str]] = {}
    for fl in flags:
        by_action.setdefault(fl.action, []).append(fl.label)
    return [f"{action} (for: {'; '.join(names)})" for action, names in by_action.items()]


def next_steps(f: Facts, bristol: CriteriaResult, flags: list[RedFlag]) -> list[str]:
    steps: list[str] = []
    open_ = [fl for fl in flags if not fl.addressed]
    # 1. Urgent: the urgent flags' actions, and any mimic recorded as confirmed.
    steps += _grouped_actions([fl for fl in open_ if fl.tier == "urgent"])
    steps += [f"Alternative diagnosis recorded ({MIMIC_WORDS[m]}): manage it; CNO criteria and treatment do "
              "not apply" for m in confirmed_mimics(f)]
    # 2. Full blood count with film.
    missing = _names(f, BLOOD_COUNT)
    if f.case.labs.peripheral_smear_blasts is None:
        missing.append("blood film (blasts)")
    if missing:
        steps.append(f"Full blood count with film: {', '.join(missing)} not recorded")
    # 3. CRP and ESR.
    missing = _names(f, INFLAMMATION)
    if missing:
        steps.append(f"CRP and ESR: {', '.join(missing)} not recorded")
    # 4. LDH and alkaline phosphatase.
    missing = _names(f, LDH_ALP)
    if missing:
        steps.append(f"LDH and alkaline phosphatase: {', '.join(missing).replace('Alkaline', 'alkaline')} not "
                     "recorded (LDH: malignancy; a low alkaline phosphatase suggests hypophosphatasia, a "
                     "EULAR/ACR exclusion)")
    ldh = f.case.labs.ldh
    if ldh is not None and ldh.ref_high is None:
        steps.append(LDH_NO_LIMIT)
    # 5. The actions of the exclude-first flags still open.
    steps += _grouped_actions([fl for fl in open_ if fl.tier == "exclude_first"])
    # 6. Plasma vitamin C for symmetric lesions.
    if f.case.mimics.vitamin_c_deficiency is None and f.symmetric is True:
        steps.append(VITAMIN_C)
    # 7. Whole-body MRI.
    if f.case.imaging.whole_body_survey in (None, "none"):
        steps.append(WB_MRI)
    # 8. A biopsy.
    why = [fl.label for fl in open_ if fl.tier == "caution" and BIOPSY in fl.points_to]
    items = {i.id: i.status for i in bristol.items}
    if (bristol.status == "indeterminate" and items.get("criterion_1") == "not_met"
            and items.get("criterion_2") == "unknown"):
        why.insert(0, CRITERION_2_ONLY)
    if why:
        steps.append(f"{BIOPSY_STEP}: {'; '.join(why)}")
    # 9. Genetic testing.
    if any(fl.id == "young_onset" for fl in open_):
        steps.append(GENETIC)
    return list(dict.fromkeys(steps))
