"""Next steps, the work-up list (clinical-rules.md §6, rules version 3): de-duplicated, in the order
of §6, each only when it applies, each in words (never a field path or a flag id).

Since v3: in mode alternative_diagnosis only the urgent actions (no CNO work-up); a biopsy is never
asked for twice (with a histology on record, the unrecorded Bristol items are named instead); onset
before 3 is exclude first, so its genetic testing comes once, with the other exclude-first actions."""
from __future__ import annotations

from desktop_app.case import labels
from desktop_app.case.sources import source
from desktop_app.criteria.derived import Facts
from desktop_app.criteria.red_flags import BIOPSY, BIOPSY_TESTS, MIMIC_WORDS, confirmed_mimics
from desktop_app.criteria.types import CriteriaResult, RedFlag

BLOOD_COUNT = ("wbc", "hemoglobin", "platelets")
INFLAMMATION = ("crp", "esr")
LDH_ALP = ("ldh", "alkaline_phosphatase")
VITAMIN_C = ("Plasma vitamin C: the lesions are symmetric and vitamin C deficiency is not recorded as excluded "
             f"(scurvy gives bilateral, symmetric marrow oedema — {source('pediatr_rheumatol2020_scurvy').short})")
WB_MRI = ("Whole-body MRI: no whole-body survey recorded (Bristol cohort: WB-MRI found lesions in 7 "
          "children with normal radiographs; 47 of 162 lesions were silent)")
# §6 v4: every bone biopsy the work-up asks for names the mycobacterial culture (multifocal osseous TB).
BIOPSY_STEP = f"Bone biopsy ({BIOPSY_TESTS}; off antibiotics)"
VITAMIN_C_BELOW_AGE = 18.0  # years (§6 step 6, v4)
CRITERION_2_ONLY = "the Bristol criteria can only be met via criterion 2"
# Steps 2–4 start with these words; the note's first page gives them as one recommendation (§12).
BLOOD_STEPS = {"Full blood count with film: ": "full blood count with film", "CRP and ESR: ": "",
               "LDH and alkaline phosphatase: ": ""}
NOT_RECORDED_TAIL = " not recorded"
BRISTOL_ITEM_WORDS = {"clinical": "Bristol's clinical criterion", "radiological": "Bristol's radiological criterion",
                      "criterion_1": "Bristol criterion 1", "criterion_2": "Bristol criterion 2 (the biopsy)"}
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


def _undecided_bristol_items(bristol: CriteriaResult) -> list[str]:
    """"record bone pain, local warmth or erythema: Bristol's clinical criterion" for each open item."""
    out = []
    for i in bristol.items:
        if i.status == "unknown" and i.missing:
            names = ", ".join(dict.fromkeys(labels.field_label(p).lower() for p in i.missing))
            out.append(f"record {names}: {BRISTOL_ITEM_WORDS.get(i.id, i.id.replace('_', ' '))}")
    return out


def blood_tests_in_one(steps: list[str]) -> list[str]:
    """Steps 2–4 as one recommendation (§12, v3): "Blood tests: full blood count with film, CRP, ESR, LDH,
    alkaline phosphatase", each test named once, in place of the first of them; other steps unchanged."""
    tests: list[str] = []
    out: list[str] = []
    at = None
    for step in steps:
        prefix = next((p for p in BLOOD_STEPS if step.startswith(p)), None)
        if prefix is None:
            out.append(step)
            continue
        at = len(out) if at is None else at
        names = [n.strip() for n in step[len(prefix):].split(NOT_RECORDED_TAIL, 1)[0].split(",")]
        if BLOOD_STEPS[prefix]:  # the whole count, or the film alone when only the film is missing
            tests.append("blood film" if names == ["blood film (blasts)"] else BLOOD_STEPS[prefix])
        else:
            tests += names
    if at is not None:
        out.insert(at, "Blood tests: " + ", ".join(dict.fromkeys(tests)))
    return out


def next_steps(f: Facts, bristol: CriteriaResult, flags: list[RedFlag], mode: str = "workup") -> list[str]:
    steps: list[str] = []
    open_ = [fl for fl in flags if not fl.addressed]
    # 1. Urgent: the urgent flags' actions, and any mimic recorded as confirmed.
    steps += _grouped_actions([fl for fl in open_ if fl.tier == "urgent"])
    steps += [f"Alternative diagnosis recorded ({MIMIC_WORDS[m]}): manage it; CNO criteria and treatment do "
              "not apply" for m in confirmed_mimics(f)]
    if mode == "alternative_diagnosis":
        return list(dict.fromkeys(steps))  # v3: no CNO work-up for another diagnosis
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
    # 6. Plasma vitamin C for symmetric lesions: (v4) under 18 (or age unknown, §13.7 item 17), and never at a
    # visit (it completes the first consultation's work-up; a case as of a visit has visits).
    if (f.mimics.vitamin_c_deficiency is None and f.symmetric is True and not f.case.visits
            and (f.age is None or f.age < VITAMIN_C_BELOW_AGE)):
        steps.append(VITAMIN_C)
    # 7. Whole-body MRI.
    if f.case.imaging.whole_body_survey in (None, "none"):
        steps.append(WB_MRI)
    # 8. A biopsy.
    if any(b.histology is not None for b in f.case.biopsies):
        # v3: a biopsy is never asked for twice; name what would decide Bristol instead.
        if bristol.status == "indeterminate":
            undecided = _undecided_bristol_items(bristol)
            if undecided:
                steps.append(f"Bristol 2016 undecided after the biopsy: {'; '.join(undecided)}")
    else:
        why = [fl.label for fl in open_ if fl.tier == "caution" and BIOPSY in fl.points_to]
        items = {i.id: i.status for i in bristol.items}
        if (bristol.status == "indeterminate" and items.get("criterion_1") == "not_met"
                and items.get("criterion_2") == "unknown"):
            why.insert(0, CRITERION_2_ONLY)
        if why:
            steps.append(f"{BIOPSY_STEP}: {'; '.join(why)}")
    # 9. Since v3 young_onset is exclude first: its genetic testing is listed at step 5.
    return list(dict.fromkeys(steps))
