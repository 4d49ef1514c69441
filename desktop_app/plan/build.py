"""`plan(case, assessment) -> Plan`: the stepwise treatment proposal of clinical-rules.md §8.

Order: mimics first (instead of CNO treatment) → NSAID → short glucocorticoid course → CARRA CTP
→ always (physiotherapy, school, associated disease). Each line has a stable id, the key of
`Case.plan_edits`, so the clinician's accept/edit/remove decisions survive recomputation and
save/reopen. Removed lines stay in the Plan (decision "removed") so the UI can restore them;
renderers skip them. Pure: no I/O, never raises on missing data.
"""
from __future__ import annotations

from desktop_app.case.models import Case
from desktop_app.case.sources import source
from desktop_app.criteria.types import Assessment
from desktop_app.plan.doses import dose_lines
from desktop_app.plan.eligibility import ACTIVE_DISEASE, ctp_eligibility, nsaid_failed, spinal_lesion_active
from desktop_app.plan.prognosis import follow_up, prognosis, skin_disease, vertebral_levels
from desktop_app.plan.types import Plan, PlanLine

MIMIC_STEP = "Exclude the mimic first"
# Red flags that point to another diagnosis (malignancy, infection): CNO treatment is not proposed
# while any is raised. Conservative reading of §6/§8 — the spec does not list them.
MIMIC_FLAGS = ("blasts", "cytopenia", "leukaemia_triad", "raised_ldh", "positive_culture",
               "alternative_histology", "aggressive_imaging", "systemic_features", "local_inflammation",
               "fever")
# Flags that send the case to a biopsy: they block treatment only until a biopsy shows inflammatory
# changes without growth, off antibiotics (Bristol criterion 2 met).
BIOPSY_FLAGS = ("high_crp", "unifocal_non_clavicle", "culture_on_antibiotics")
# Shown before treatment without blocking it: a biopsy cannot settle a monogenic disease.
CAUTION_FLAGS = ("young_onset",)
MIMIC_NAMES = {"malignancy": "malignancy", "infection": "infection",
               "vitamin_c_deficiency": "vitamin C deficiency", "hypophosphatasia": "hypophosphatasia"}

MIMIC_NOTE = ("Red flags treated as pointing to a mimic (CNO treatment withheld until excluded): "
              + ", ".join(f.replace("_", " ") for f in MIMIC_FLAGS) + "; "
              + ", ".join(f.replace("_", " ") for f in BIOPSY_FLAGS)
              + " until a biopsy shows inflammatory changes without growth, off antibiotics.")
HIGH_ACTIVITY_NOTE = ("\"High activity\" is not defined by the source: a short glucocorticoid course is "
                      "proposed here only for vertebral lesions or vertebral collapse; for other high "
                      "activity it is the clinician's judgement.")
OEDEMA_UNKNOWN_NOTE = ("Vertebral lesion ({levels}): record marrow oedema on MRI to decide whether it is active "
                       "(an active spinal lesion is a reason for step 3, a CARRA consensus treatment plan).")
# The sets that support a diagnosis of CNO (NBODS only weighs NBO against bacterial osteomyelitis;
# EULAR/ACR is classification). With none met, the CNO treatment lines rest on the clinician's diagnosis.
DIAGNOSTIC_SETS = ("bristol_2016", "classic", "jansson_2009")
NO_DIAGNOSIS_NOTE = ("No diagnostic criteria set (Bristol, classic, Jansson) is met on the recorded data: the "
                     "treatment lines assume that the clinician has diagnosed CNO and excluded its mimics.")
HLA_B27_NOTE = ("HLA-B27 is not part of the case record: if it is positive, sulfasalazine is also favoured "
                "(clinician to check).")


def _src(*keys: str) -> str:
    return "; ".join(source(k).short for k in keys)


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."  # not str.capitalize(): it lowercases "T7"


def _criterion_2_met(a: Assessment) -> bool:
    bristol = a.criteria.get("bristol_2016")
    return bool(bristol) and any(i.id == "criterion_2" and i.status == "met" for i in bristol.items)


def _mimic_lines(case: Case, a: Assessment) -> list[PlanLine]:
    lines = []
    for name, label in MIMIC_NAMES.items():
        if getattr(case.mimics, name):
            lines.append(PlanLine(
                id=f"mimic.confirmed_{name}", step=MIMIC_STEP,
                text=f"Confirmed {label} recorded: manage the alternative diagnosis; CNO treatment is not proposed.",
                reason=f"mimics.{name} is recorded as confirmed."))
    biopsy_done = _criterion_2_met(a)
    for flag in a.red_flags:
        if flag.id in MIMIC_FLAGS or (flag.id in BIOPSY_FLAGS and not biopsy_done):
            lines.append(PlanLine(id=f"mimic.{flag.id}", step=MIMIC_STEP, text=f"{flag.label}: {flag.action}",
                                  reason=flag.evidence, source=flag.source))
    return lines


def _caution_lines(a: Assessment) -> list[PlanLine]:
    return [PlanLine(id=f"caution.{f.id}", step="Before treatment", text=f"{f.label}: {f.action}",
                     reason=f.evidence, source=f.source)
            for f in a.red_flags if f.id in CAUTION_FLAGS]


def _treatment_lines(case: Case) -> tuple[list[PlanLine], list[str]]:
    w = case.patient.weight_kg
    notes = []
    failed = nsaid_failed(case)
    levels = vertebral_levels(case)
    collapse = any(l.vertebral_collapse for l in case.imaging.lesions)
    reason = ("First line for CNO (naproxen preferred). Naproxen: symptom-free in 43 % at 6 months; "
              "41 % radiological relapse, two-thirds silent (Beck 2010).")
    if failed:
        reason += " An NSAID course with response none/partial is recorded: see step 3; NSAIDs may continue."
    lines = [PlanLine(id="nsaid", step="First line", text="NSAID: naproxen preferred; ibuprofen as an alternative.",
                      reason=reason, source=_src("wurzburg2013", "beck2010", "bnfc"),
                      doses=dose_lines(["naproxen", "ibuprofen"], w))]
    if levels or collapse:
        why = []
        if levels:
            why.append(f"vertebral lesion(s): {', '.join(levels)}")
        if collapse:
            why.append("vertebral collapse (fracture) recorded")
        lines.append(PlanLine(
            id="glucocorticoid", step="Step 2: short glucocorticoid course",
            text=("Prednisone 2 mg/kg/day for 2 weeks, then clinical review and MRI after 3 months; on relapse "
                  "2 mg/kg/day for 7 days or 0.1–0.2 mg/kg/day for longer."),
            reason=_sentence(why) + " " + HIGH_ACTIVITY_NOTE,
            source=_src("wurzburg2013"),
            doses=dose_lines(["prednisone", "prednisone_relapse_short", "prednisone_relapse_low"], w)))
    else:
        notes.append(HIGH_ACTIVITY_NOTE)
    # Step 3 for an ACTIVE spinal lesion only (§8: marrow oedema, as the eligibility list defines it).
    # Oedema not recorded: surfaced as a note, step 3 is not proposed on that ground alone.
    spine = [l for l in case.imaging.lesions if l.bone == "vertebra" and spinal_lesion_active(l) is not False]
    active = [l.level or "level not recorded" for l in spine if l.marrow_edema]
    undecided = [l.level or "level not recorded" for l in spine if l.marrow_edema is None]
    if undecided and not active:
        notes.append(OEDEMA_UNKNOWN_NOTE.format(levels=", ".join(undecided)))
    if failed or active:
        why = []
        if failed:
            why.append("NSAID course with response none/partial")
        if active:
            why.append(f"active spinal lesion(s) with marrow oedema: {', '.join(active)}")
        lines.append(PlanLine(
            id="ctp", step="Step 3: CARRA consensus treatment plan",
            text=("Choose one CARRA CTP for the first 12 months (short glucocorticoid courses and NSAIDs allowed "
                  "in all three): (a) methotrexate or sulfasalazine; (b) TNF-α inhibitor ± methotrexate; "
                  "(c) bisphosphonate (pamidronate or zoledronate). Check the eligibility list."),
            reason=_sentence(why),
            source=_src("zhao2018"),
            doses=dose_lines(["methotrexate", "sulfasalazine", "tnf_inhibitor", "pamidronate", "zoledronic_acid"], w)))
    assoc = skin_disease(case) + (["inflammatory bowel disease"] if case.associated.inflammatory_bowel_disease else [])
    if assoc:
        lines.append(PlanLine(
            id="sulfasalazine", step="Step 3: CARRA consensus treatment plan",
            text="If a DMARD is needed: sulfasalazine is favoured.",
            reason=f"Associated {', '.join(assoc)} recorded. {HLA_B27_NOTE}",
            source=_src("wurzburg2013"), doses=dose_lines(["sulfasalazine"], w)))
    elif failed or active:
        notes.append(HLA_B27_NOTE)
    return lines, notes


def _always_lines(case: Case) -> list[PlanLine]:
    lines = [
        PlanLine(id="physio_pain", step="Always", text="Physiotherapy and a pain plan."),
        PlanLine(id="school_letter", step="Always", text="School letter."),
    ]
    skin = skin_disease(case)
    if skin:
        lines.append(PlanLine(id="skin_specialist", step="Always",
                              text="Treat the associated skin disease with dermatology.",
                              reason=_sentence([f"{', '.join(skin)} recorded"])))
    if case.associated.inflammatory_bowel_disease:
        lines.append(PlanLine(id="bowel_specialist", step="Always",
                              text="Treat the associated bowel disease with gastroenterology.",
                              reason="Inflammatory bowel disease recorded."))
    return lines


def _apply_edits(case: Case, lines: list[PlanLine]) -> tuple[list[PlanLine], list[str]]:
    out = []
    for line in lines:
        edit = case.plan_edits.get(line.id)
        if edit is not None:
            line = line.model_copy(update={"decision": edit.decision,
                                           "edited_text": edit.text if edit.decision == "edited" else ""})
        out.append(line)
    ids = {l.id for l in lines}
    stale = [f"A saved decision for plan line \"{k}\" no longer applies: that line is not proposed for the "
             f"current data." for k in case.plan_edits if k not in ids]
    return out, stale


def plan(case: Case, assessment: Assessment) -> Plan:
    notes: list[str] = []
    mimic = _mimic_lines(case, assessment)
    lines = mimic + _caution_lines(assessment)
    if mimic:
        notes.append("CNO treatment lines are not proposed until the mimic is excluded.")
        notes.append("The prognosis, follow-up and CTP eligibility describe CNO: they apply only once the "
                     "mimic is excluded.")
    else:
        treatment, treatment_notes = _treatment_lines(case)
        lines += treatment
        if not any(r.status == "met" for k, r in assessment.criteria.items() if k in DIAGNOSTIC_SETS):
            notes.append(NO_DIAGNOSIS_NOTE)
        notes += treatment_notes
    lines += _always_lines(case)
    lines, stale = _apply_edits(case, lines)
    if case.patient.weight_kg is None:
        notes.append("No weight recorded: doses are not calculated (enter patient.weight_kg).")
    notes += [MIMIC_NOTE, ACTIVE_DISEASE] + stale
    return Plan(lines=lines, ctp_eligibility=ctp_eligibility(case, assessment),
                prognosis=prognosis(case, assessment), follow_up=follow_up(case, assessment), notes=notes)
