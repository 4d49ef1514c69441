"""`plan(case, assessment) -> Plan`: the stepwise treatment proposal of clinical-rules.md §8 (rules v4).

The assessment's mode (§8.0) decides what may be proposed; the plan never recomputes the gate:
- `workup`: the plan opens with the work-up (the assessment's next steps) and lists every CNO
  treatment line as not proposed, with the gate's reasons in words;
- `alternative_diagnosis`: "manage the alternative diagnosis" lines, then the CNO treatment lines,
  not proposed;
- `cno`: NSAID (v4: following the course — not after failure, an adverse event, or with no sign of
  activity at follow-up) → short glucocorticoid course (once malignancy is excluded as of now; at
  follow-up only with active disease) → CARRA CTP (once malignancy is excluded, after ≥ 28 days of NSAID
  or with an active spinal lesion, never when an eligibility item is not met, not again after an adverse
  event) → the §8.4 lines. Under 2 years, steps 2 and 3 show no amount and naproxen is not proposed.
  Prognosis, follow-up and codes only in this mode (§9, §10).
Every current drug has its line, in every mode (§13.1 v4, at_follow_up): it continues unless a safety
reason holds it. Each line has a stable id, the key of `Case.plan_edits`, so the clinician's
accept/edit/remove decisions survive recomputation and save/reopen. Removed lines stay in the Plan
(decision "removed") so the UI can restore them; renderers skip them. Pure: no I/O, never raises.
"""
from __future__ import annotations

from dataclasses import replace

from desktop_app.case.entry_checks import weight_for_age_words
from desktop_app.case.growth_checks import amount_check_words
from desktop_app.case.models import Case
from desktop_app.case.sources import source
from desktop_app.criteria.gate import ADULT_MALIGNANCY, ALTERNATIVE_FLAGS
from desktop_app.criteria.red_flags import MIMIC_WORDS
from desktop_app.criteria.types import Assessment
from desktop_app.plan.codes import suggest_icd10
from desktop_app.plan.doses import DOSES, dose_lines, pregnancy_possible
from desktop_app.plan.at_follow_up import held_words, apply_follow_up, follow_up_mode, line_of
from desktop_app.plan.first_line_course import nsaid_course_status
from desktop_app.plan.safety import UNDER_TWO_CTP, adverse_event_states, flag_holds, reexclusion_alerts
from desktop_app.plan.eligibility import ACTIVE_DISEASE, ctp_eligibility, latest_active, nsaid_trial, spinal_active_now
from desktop_app.plan.now import Now, now_of
from desktop_app.plan.decisive_mri import decisive_mri
from desktop_app.plan.prognosis import follow_up, prognosis, skin_disease, vertebral_levels
from desktop_app.plan.types import DrugState, Plan, PlanLine, WeightUsed
from desktop_app.criteria.derived import ADULT_AGE
from desktop_app.criteria.next_steps import VITAMIN_C

# Shown headings (the contract's `step` is PlanLine.kind).
FIRST_STEP = "First line"
GC_STEP = "Step 2: short glucocorticoid course"
CTP_STEP = "Step 3: CARRA consensus treatment plan"
ALWAYS_STEP = "Always"
ALT_STEP = "Alternative diagnosis"

# §8.2, verbatim: the reason a glucocorticoid is held back while malignancy is not excluded.
GC_HELD = "not proposed until malignancy is excluded (bone marrow examination before any glucocorticoid)"
# §8.3 (v3), verbatim: every CTP option (bisphosphonates included) waits for malignancy to be excluded.
CTP_HELD = "not proposed until malignancy is excluded (bone marrow examination before second-line treatment)"
PROGNOSIS_WITHHELD = "Given once CNO is established."
CODES_WITHHELD = "No code is suggested: CNO is not established."


NSAID_KEYS = ["naproxen", "ibuprofen"]
GC_KEYS = ["prednisone", "prednisone_relapse_short", "prednisone_relapse_low"]
CTP_KEYS = ["methotrexate", "sulfasalazine", "etanercept", "adalimumab", "infliximab", "pamidronate",
            "zoledronic_acid"]

HIGH_ACTIVITY_NOTE = ("\"High activity\" is not defined by the source: a short glucocorticoid course is "
                      "proposed here only for vertebral lesions or vertebral collapse; for other high "
                      "activity it is the clinician's judgement.")
OEDEMA_UNKNOWN_NOTE = ("Vertebral lesion ({levels}): record marrow oedema on MRI to decide whether it is active "
                       "(an active spinal lesion is a reason for step 3, a CARRA consensus treatment plan).")
HLA_B27_NOTE = "HLA-B27 is not recorded: if it is positive, sulfasalazine is also favoured."
ADULT_NOTE = ("Adult patient (age 18 or over): the criteria sets were developed in children and validated "
              "criteria for adult CNO are lacking; every dose here comes from a paediatric source, so no "
              "weight-based amount is calculated (adult dosing: per local protocol).")
NO_WEIGHT_NOTE = "No weight recorded: doses are not calculated (enter the weight)."
NAPROXEN_UNDER_TWO = "naproxen: not established under 2 years (label)"  # §13.7 item 17
SCHOOL_AGE = 4  # §8.4 v4: a school letter from 4 years
VITAMIN_C_STEP = VITAMIN_C[:20]  # the step's opening words (its tail names the lesions)


def _src(*keys: str) -> str:
    return "; ".join(source(k).short for k in keys)


def _sentence(parts: list[str]) -> str:
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."  # not str.capitalize(): it lowercases "T7"


def _generics(keys: list[str]) -> list[str]:
    return list(dict.fromkeys(DOSES[k].generic for k in keys))


class _Gate:
    """The assessment's verdict on CNO treatment, as the words a held-back line shows."""

    def __init__(self, a: Assessment, alternatives: list[str], follow_up_reason: str = ""):
        self.open = a.mode == "cno" and not follow_up_reason
        self.alternative = a.mode == "alternative_diagnosis"  # then the marrow is not the reason to give
        if follow_up_reason:  # §13.4: an urgent follow-up finding holds every line
            self.why = follow_up_reason
            self.reason = f"not proposed: {follow_up_reason}"
        elif a.mode == "alternative_diagnosis":
            self.why = f"alternative diagnosis recorded ({', '.join(alternatives) or 'see the work-up'}); " \
                       "CNO treatment does not apply"
            self.reason = f"not proposed: {self.why}"
        elif a.gate_reasons:
            self.why = " ".join(r.strip().rstrip(".") + "." for r in a.gate_reasons)
            self.reason = f"not proposed until the work-up is done: {self.why}"
        else:
            self.why = "CNO is not established; complete the work-up first"
            self.reason = f"not proposed: {self.why}"


def _alternative_lines(case: Case, a: Assessment) -> tuple[list[PlanLine], list[str]]:
    """Mode alternative_diagnosis: manage what is recorded (confirmed mimic, positive culture,
    alternative histology) instead of CNO."""
    lines, names = [], []
    for name, label in MIMIC_WORDS.items():
        if getattr(case.mimics, name):
            names.append(label)
            lines.append(PlanLine(
                id=f"mimic.confirmed_{name}", step=ALT_STEP, kind="exclude_mimic",
                text=f"Manage the alternative diagnosis: {label} (recorded as confirmed).",
                reason=f"{label[:1].upper() + label[1:]} is recorded as confirmed: CNO treatment does not apply."))
    for flag in a.red_flags:
        if flag.id in ALTERNATIVE_FLAGS:
            names.append(flag.label.lower())
            lines.append(PlanLine(id=f"mimic.{flag.id}", step=ALT_STEP, kind="exclude_mimic",
                                  text=f"Manage the alternative diagnosis — {flag.label}: {flag.action}",
                                  reason=flag.evidence, source=flag.source))
    return lines, names


def _held(line: PlanLine, reason: str) -> PlanLine:
    """The same line, not proposed: no dose is shown for a line the app holds back."""
    drugs = line.drugs or _generics_of(line)
    return line.model_copy(update={"status": "not_proposed", "reason": reason, "doses": [], "drugs": drugs})


def _generics_of(line: PlanLine) -> list[str]:
    return list(dict.fromkeys(d.generic for d in line.doses if d.generic))


def _nsaid_line(case: Case, a: Assessment, gate: _Gate, dose_args: dict, now: Now) -> PlanLine:
    line = PlanLine(id="nsaid", step=FIRST_STEP, kind="first_line",
                    text="NSAID: naproxen preferred; ibuprofen as an alternative.",
                    reason=("First line for CNO (naproxen preferred). Naproxen: symptom-free in 43 % at 6 months; "
                            "41 % radiological relapse, two-thirds silent (Beck 2010)."),
                    source=_src("wurzburg2013", "beck2010", "bnfc"),
                    doses=dose_lines(NSAID_KEYS, **dose_args), drugs=_generics(NSAID_KEYS))
    if not gate.open:
        return _held(line, gate.reason)
    # §8.1 v4: the first line follows the course (a current NSAID is the follow-up layer's).
    status, words = nsaid_course_status(case, now)
    if status == "not_proposed":
        return _held(line, f"not proposed: {words}")
    if words:
        line = line.model_copy(update={"reason": f"{line.reason} {words[:1].upper() + words[1:]}."})
    if now.under_two:  # §13.7 item 17: naproxen is not established under 2 years; ibuprofen stays
        line = line.model_copy(update={"doses": [d for d in line.doses if d.generic != "naproxen"],
                                       "drug_states": [DrugState(generic="naproxen", status="not_proposed",
                                                                 reason=NAPROXEN_UNDER_TWO)]})
    return line


def _gc_line(case: Case, gate: _Gate, dose_args: dict, now: Now, on_it: bool) -> PlanLine | None:
    levels = vertebral_levels(case)
    collapse = any(l.vertebral_collapse for l in case.imaging.lesions)
    if gate.open and not (levels or collapse) and not on_it:
        return None  # not indicated (§8.2 is for vertebral lesions or collapse); said in a note
    why = []
    if levels:
        why.append(f"vertebral lesion(s): {', '.join(levels)}")
    if collapse:
        why.append("vertebral collapse (fracture) recorded")
    line = PlanLine(
        id="glucocorticoid", step=GC_STEP, kind="glucocorticoid",
        text=("Prednisone 2 mg/kg/day for 2 weeks (maximum 60 mg/day), then clinical review and MRI after "
              "3 months; on relapse 2 mg/kg/day for 7 days or 0.1–0.2 mg/kg/day for longer."),
        reason=(_sentence(why) + " " if why else "") + HIGH_ACTIVITY_NOTE,
        source=_src("wurzburg2013", "jia_protocol_pmc5678777", "bmj2004"),
        doses=dose_lines(GC_KEYS, **dose_args), drugs=["prednisone"])
    # Marrow first (BMJ 2004;329:959): whatever the mode, malignancy must be recorded as excluded (as of now).
    malignancy_excluded = now.malignancy_excluded
    if gate.open and malignancy_excluded:
        if now.under_two:
            return _held(line, f"not proposed: {UNDER_TWO_CTP}")
        if now.follow_up and now.activity != "active":  # §13.7 item 18
            return _held(line, f"not proposed: step 2 at follow-up needs active disease — {latest_active(now)[1]}")
        if not (levels or collapse):
            return _held(line, "not proposed: no vertebral lesion or vertebral collapse recorded")
        return line
    if not gate.open:
        reason = gate.reason if malignancy_excluded or gate.alternative else \
            f"{GC_HELD}; CNO treatment is also held back: {gate.why}"
    else:
        reason = GC_HELD
    if now.under_two:
        reason += f"; also {UNDER_TWO_CTP}"  # said in every mode (§8.3 v4)
    return _held(line, reason)


def _spine(case: Case, now: Now) -> tuple[list[str], list[str]]:
    """Active spinal lesions (vertebra at C/T/L with marrow oedema on the latest MRI) and undecided ones."""
    spine = [l for l in case.imaging.lesions if l.bone == "vertebra" and spinal_active_now(l, now) is not False]
    active = [l.level or "level not recorded" for l in spine if spinal_active_now(l, now)]
    undecided = [l.level or "level not recorded" for l in spine if spinal_active_now(l, now) is None]
    return active, undecided


def _ctp_lines(case: Case, a: Assessment, gate: _Gate, dose_args: dict, eligibility,
               now: Now, on_it: bool) -> tuple[list[PlanLine], list[str]]:
    notes: list[str] = []
    trial, trial_why = nsaid_trial(case, now)
    active, undecided = _spine(case, now)
    has_nsaid = any(t.drug_class == "nsaid" for t in case.treatments)
    has_vertebra = any(l.bone == "vertebra" for l in case.imaging.lesions)
    assoc = skin_disease(case) + (["inflammatory bowel disease"] if case.associated.inflammatory_bowel_disease else []) \
        + (["HLA-B27 positive"] if case.associated.hla_b27 else [])
    # In mode cno, step 3 is listed when something on record bears on it (an NSAID course, a vertebral
    # lesion); otherwise it is simply not yet indicated. The sulfasalazine line follows its status.
    listed = (not gate.open) or has_nsaid or has_vertebra or on_it  # v4: every current drug has its line
    if undecided and not active and gate.open:
        notes.append(OEDEMA_UNKNOWN_NOTE.format(levels=", ".join(undecided)))
    if not (listed or assoc):
        return [], notes
    ctp = PlanLine(
        id="ctp", step=CTP_STEP, kind="second_line",
        text=("Choose one CARRA CTP for the first 12 months (short glucocorticoid courses and NSAIDs allowed "
              "in all three): (a) methotrexate or sulfasalazine; (b) TNF-α inhibitor ± methotrexate; "
              "(c) bisphosphonate (pamidronate or zoledronate). Check the eligibility list."),
        source=_src("zhao2018"), doses=dose_lines(CTP_KEYS, **dose_args), drugs=_generics(CTP_KEYS))
    status, reason = "not_proposed", gate.reason
    if gate.open:
        triggers = []
        if trial:
            triggers.append("an NSAID course of at least 28 days with response none or partial")
        if active:
            triggers.append(f"active spinal lesion(s) with marrow oedema: {', '.join(active)}")
        # The active-disease item is the trigger itself, worded above.
        not_met = [i for i in eligibility if i.status == "not_met" and i.id != "active_disease"]
        unknown = [i for i in eligibility if i.status == "unknown" and i.id != "active_disease"]
        if not triggers:
            why = trial_why if has_nsaid else ["no NSAID course recorded"]
            if undecided:
                why.append(f"marrow oedema of the vertebral lesion ({', '.join(undecided)}) is not recorded")
            elif has_vertebra and not active:
                why.append("no active spinal lesion (vertebral lesion without marrow oedema)")
            reason = ("not proposed: step 3 needs an NSAID course of at least 28 days with response none or "
                      "partial, or an active spinal lesion — " + "; ".join(why))
        elif not_met:
            reason = ("not proposed: not eligible for a CARRA CTP — "
                      + "; ".join(f"{i.label[:1].lower() + i.label[1:]}: not met ({i.evidence})" for i in not_met))
        else:
            status = "proposed"
            reason = _sentence(triggers)
            if unknown:
                reason += " Subject to eligibility: " + "; ".join(
                    i.label[:1].lower() + i.label[1:] for i in unknown) + "."
    if status == "proposed" and now.under_two:  # §8.3 v4
        status, reason = "not_proposed", f"not proposed: {UNDER_TWO_CTP}"
    if now.under_two and status != "proposed" and UNDER_TWO_CTP not in reason:
        reason += f"; also {UNDER_TWO_CTP}"  # said in every mode (§8.3 v4)
    if not now.malignancy_excluded and not gate.alternative:
        # v3 (§8.3): every CTP option waits for malignancy to be excluded — methotrexate is a cytotoxic
        # agent (BMJ 2004: "before starting steroids or cytotoxic agents"); any other reason is kept.
        status, reason = "not_proposed", (CTP_HELD if status == "proposed" else
                                          f"{CTP_HELD}; also {reason.split(': ', 1)[-1]}" if gate.open else
                                          f"{CTP_HELD}; CNO treatment is also held back: {gate.why}")
    ctp = ctp.model_copy(update={"reason": reason}) if status == "proposed" else _held(ctp, reason)
    if now.age is None:
        ctp = ctp.model_copy(update={"reason": f"{ctp.reason} (Age unknown: the under-2 rule is not applied.)"})
    ae = adverse_event_states(case, now, ctp.drugs)  # §8.3 v4: not proposed again after an adverse event
    if ae:
        ctp = ctp.model_copy(update={"drug_states": ae, "doses": [d for d in ctp.doses
                                                                  if d.generic not in {s.generic for s in ae}]})
    lines = [ctp] if listed else []
    if assoc:
        sulfa = PlanLine(
            id="sulfasalazine", step=CTP_STEP, kind="second_line",
            text="If a DMARD is needed: sulfasalazine is favoured.",
            reason=f"Associated {', '.join(assoc)} recorded.",
            source=_src("wurzburg2013"), doses=dose_lines(["sulfasalazine"], **dose_args), drugs=["sulfasalazine"])
        # A DMARD is step 3: it is proposed only with the CTP line (same gate, same reason).
        lines.append(sulfa if status == "proposed" else
                     _held(sulfa, f"{reason} (sulfasalazine would be favoured: associated {', '.join(assoc)} recorded)"))
    if status == "proposed":
        notes.append(ACTIVE_DISEASE)
        if case.associated.hla_b27 is None and not assoc:
            notes.append(HLA_B27_NOTE)
    return lines, notes


def _always_lines(case: Case, age: float | None) -> list[PlanLine]:
    """§8.4, mode cno only."""
    lines = [PlanLine(id="physio_pain", step=ALWAYS_STEP, kind="supportive", text="Physiotherapy and a pain plan.")]
    if age is None or SCHOOL_AGE <= age < ADULT_AGE:  # §8.4 v4, §13.7 item 17: at the reference date
        lines.append(PlanLine(id="school_letter", step=ALWAYS_STEP, kind="supportive", text="School letter."))
    skin = skin_disease(case)
    if skin:
        lines.append(PlanLine(id="skin_specialist", step=ALWAYS_STEP, kind="supportive",
                              text="Treat the associated skin disease with dermatology.",
                              reason=_sentence([f"{', '.join(skin)} recorded"])))
    if case.associated.inflammatory_bowel_disease:
        lines.append(PlanLine(id="bowel_specialist", step=ALWAYS_STEP, kind="supportive",
                              text="Treat the associated bowel disease with gastroenterology.",
                              reason="Inflammatory bowel disease recorded."))
    collapsed = [l.level or "level not recorded" for l in case.imaging.lesions if l.vertebral_collapse]
    if collapsed:
        lines.append(PlanLine(id="spine_review", step=ALWAYS_STEP, kind="supportive",
                              text="Spine or orthopaedic review.",
                              reason=f"Vertebral collapse recorded ({', '.join(collapsed)}); standard practice."))
    return lines


# §8.5 v4, §13.7 item 16: the tests that settle §8.0 (c) in an adult.
ADULT_BIOPSY = ("Bone biopsy of an accessible lesion (histology, and bacterial and mycobacterial culture): in "
                "adults, metastasis and myeloma are the mimics")
ADULT_RECORD_BIOPSY = "Record whether the biopsy of {date} excludes malignancy"
MYELOMA_TESTS = "Serum protein electrophoresis and serum free light chains (myeloma)"


def adult_malignancy_workup(case: Case, workup: list[str]) -> list[str]:
    """Where the gate waits for malignancy in an adult: a biopsy (or, when one with histology is recorded,
    whether it excludes malignancy) and the myeloma tests; each named once (the assessment may give them)."""
    said = " ".join(workup).lower()
    out = []
    with_histology = [b for b in case.biopsies if b.histology is not None]
    if with_histology:
        when = with_histology[-1].date
        out.append(ADULT_RECORD_BIOPSY.format(date=when.isoformat() if when else "(date not recorded)"))
    elif "accessible lesion" not in said:
        out.append(ADULT_BIOPSY)
    if "serum protein electrophoresis" not in said:
        out.append(MYELOMA_TESTS)
    return out


def safety_reasons(line: PlanLine, now: Now, gate: _Gate) -> dict[str, list[str]]:
    """§13.1 v4 continuation: the safety reasons besides alerts that hold a current drug of this line (the
    plan's mode not cno, its step's malignancy gate as of now, under 2 years), by the line's drug name."""
    names = list(line.drugs) + [lo[1] for t in now.current if (lo := line_of(t)) is not None and lo[0] == line.id]
    why: list[str] = []
    if not gate.open:
        why.append(held_words(gate.reason))
    if line.kind in ("glucocorticoid", "second_line") and not now.malignancy_excluded and not gate.alternative:
        why.append(held_words(GC_HELD if line.kind == "glucocorticoid" else CTP_HELD))
    if line.kind in ("glucocorticoid", "second_line") and now.under_two:
        why.append(UNDER_TWO_CTP)
    out = {g: list(why) for g in names}
    if now.under_two and "naproxen" in out:
        out["naproxen"].append(NAPROXEN_UNDER_TWO)
    return {g: w for g, w in out.items() if w}


def _apply_edits(case: Case, lines: list[PlanLine]) -> tuple[list[PlanLine], list[str]]:
    out = []
    for line in lines:
        edit = case.plan_edits.get(line.id)
        if edit is not None:
            line = line.model_copy(update={"decision": edit.decision,
                                           "edited_text": edit.text if edit.decision == "edited" else ""})
        out.append(line)
    ids = {l.id for l in lines}
    stale = sum(1 for k in case.plan_edits if k not in ids)
    notes = [f"{stale} saved decision(s) on plan lines that are not listed for the current data do not apply."] \
        if stale else []
    return out, notes


def _weight_used(now: Now) -> WeightUsed | None:
    size = now.size
    if size.weight_kg is None:
        return None
    return WeightUsed(kg=size.weight_kg, date=size.weight_date, days_before_reference=now.weight_days,
                      stale=now.weight_stale, height_cm=size.height_cm, height_date=size.height_date)


def plan(case: Case, assessment: Assessment) -> Plan:
    a = assessment
    now = now_of(case)  # §13.1: at follow-up the plan reads the reference date; otherwise the encounter
    adult = (now.adult if now.follow_up else a.derived.adult) is True
    mode, follow_up_reason = follow_up_mode(case, now, a.mode)
    # §8 v3 and §13.3 v4: the entry checks of the weight and height used, on every amount computed from them
    weight_jump, height_fall = amount_check_words(case)
    checks = [weight_for_age_words(now.size.weight_kg, now.age), weight_jump, now.stale_weight_words()]
    dose_args = dict(weight_kg=now.size.weight_kg, height_cm=now.size.height_cm, adult=adult,
                     pregnancy=pregnancy_possible(case.patient.sex, now.age),
                     weight_check="; ".join(c for c in checks if c), height_check=height_fall)
    alt_lines, alternatives = _alternative_lines(case, a) if a.mode == "alternative_diagnosis" else ([], [])
    gate = _Gate(a, alternatives, follow_up_reason)
    eligibility = ctp_eligibility(case, a, now)  # the checklist is data: shown beside step 3 in every mode
    on_lines = {lo[0] for t in now.current if (lo := line_of(t)) is not None}
    notes: list[str] = []
    lines = list(alt_lines)
    lines.append(_nsaid_line(case, a, gate, dose_args, now))
    gc = _gc_line(case, gate, dose_args, now, "glucocorticoid" in on_lines)
    if gc is not None:
        lines.append(gc)
    elif gate.open:
        notes.append(HIGH_ACTIVITY_NOTE)
    ctp, ctp_notes = _ctp_lines(case, a, gate, dose_args, eligibility, now, "ctp" in on_lines)
    lines += ctp
    notes += ctp_notes
    if gate.open:
        lines += _always_lines(case, now.age)
        if adult:
            notes.append(ADULT_NOTE)
        elif now.size.weight_kg is None:
            notes.append(NO_WEIGHT_NOTE)
    workup = list(a.next_steps)
    if now.current or now.alerts:  # §13.1 v4: at follow-up, and for a patient referred on treatment
        held_by = replace(now, alerts=now.alerts + flag_holds(a.red_flags))  # holds only: not the work-up
        amounts: dict[str, list] = {}
        for d in dose_lines(NSAID_KEYS + GC_KEYS + CTP_KEYS, **dose_args):
            amounts.setdefault(d.generic, []).append(d)
        lines = [apply_follow_up(line, held_by, safety_reasons(line, now, gate), amounts) for line in lines]
    if now.follow_up:  # §6 step 6 v4, §13.7 item 17: vitamin C is never in a visit's plan (as its note)
        workup = [w for w in workup if not w.startswith(VITAMIN_C_STEP)]
    if now.follow_up or now.alerts:
        # §13.4: an urgent alert's action opens the work-up; a re-exclusion asks for the marrow (item 10).
        workup = [f"{al.label}: {al.action}" for al in now.alerts if al.tier == "urgent"] + workup
        if reexclusion_alerts(now):
            workup.append("Bone marrow examination: malignancy to be excluded again ("
                          + "; ".join(al.label for al in reexclusion_alerts(now)) + ")")
    if ADULT_MALIGNANCY in a.gate_reasons:
        workup += adult_malignancy_workup(case, workup)
    workup += decisive_mri(case, now, mode, eligibility)
    lines, stale = _apply_edits(case, lines)
    notes += stale
    return Plan(
        mode=mode, reference_date=now.date, weight_used=_weight_used(now), at_follow_up=now.follow_up,
        workup=workup, lines=lines,
        codes=suggest_icd10(case.imaging.lesions) if gate.open else [],
        prognosis_withheld="" if gate.open else PROGNOSIS_WITHHELD,
        ctp_eligibility=eligibility,
        prognosis=prognosis(case, a) if gate.open else [],
        follow_up=follow_up(case, a) if gate.open else [],
        notes=notes)
