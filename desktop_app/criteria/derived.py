"""Derived facts (clinical-rules.md §0), computed once and used by every criteria set.

`derive(case)` returns `Facts`: the public `Derived` summary plus the exact values and lab readings
the criteria modules need. Unknown stays unknown (None); nothing here raises on missing data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from desktop_app.case import labels, units
from desktop_app.case.models import UNPAIRED_BONES, Case, Lesion, Mimics
from desktop_app.case.reference_ranges import LabReading, age_years, reading_of, years_between
from desktop_app.case.visits import first_seen_at_visit, mimics_as_of
from desktop_app.criteria.tristate import Tri, any_of, tri_and, tri_or
from desktop_app.criteria.types import Derived

__all__ = ["Facts", "derive", "age_years", "onset_age_years", "symptom_weeks"]

ADULT_AGE = 18.0  # years (§8.5): the criteria sets were developed in children
FEVER_C = 38.0  # conventional fever threshold [Jansson's own definition unverified]
# "reported": fever present, pattern and maximum not recorded (schema 3).
FEVER_HISTORY = ("episodic", "persistent", "reported")
TEMPERATURE_NOTE = ("38.0 °C is the conventional fever threshold; Jansson's own definition of "
                    "normal temperature is unverified.")
SURVEYS_DONE = ("whole_body_mri", "bone_scan", "pet_ct")
BLOOD_COUNT = ("wbc", "hemoglobin", "platelets")
RADIOGRAPH = ("radiograph",)
MRI = ("mri", "whole_body_mri")


def onset_age_years(case: Case) -> Optional[float]:
    """Age at the first symptom from the dates; else the recorded onset age; else unknown (§0)."""
    dob, first = case.patient.date_of_birth, case.symptoms.first_symptom_date
    if dob is not None and first is not None and first >= dob:
        return years_between(dob, first)
    if first is None:  # a recorded date wins, even one that cannot be used
        return case.symptoms.onset_age_years
    return None


def symptom_weeks(case: Case) -> Optional[float]:
    """Weeks from the first symptom to the encounter; unknown if either date is missing."""
    first, when = case.symptoms.first_symptom_date, case.encounter.date
    if first is None or when is None or first > when:
        return None
    return (when - first).days / 7


def bone_key(lesion: Lesion) -> tuple[str, Optional[str]]:
    """The (bone, side) pair that identifies a bone; each vertebral level is its own bone."""
    if lesion.bone == "vertebra":
        return ("vertebra", lesion.level)
    if lesion.bone in UNPAIRED_BONES and lesion.bone != "mandible":
        return (lesion.bone, None)
    return (lesion.bone, lesion.side)


@dataclass(frozen=True)
class BoneCount:
    """Bones involved: `low` is the definite minimum, `high` the most the lesions could be, since a
    missing side or vertebral level is read neither as "same bone" nor as "different bone" (§0)."""
    low: int
    high: int
    undecided: tuple[int, ...]  # lesion indexes whose missing side/level keeps low and high apart


def _side_or_level(lesion: Lesion) -> str:
    return "level" if lesion.bone == "vertebra" else "side"


def bone_count(lesions: list[Lesion]) -> BoneCount:
    groups: dict[str, list[int]] = {}
    for i, les in enumerate(lesions):
        groups.setdefault(les.bone, []).append(i)
    low = high = 0
    undecided: list[int] = []
    for bone, idx in groups.items():
        keys = {bone_key(lesions[i])[1] for i in idx}
        if bone in UNPAIRED_BONES and bone not in ("vertebra", "mandible"):
            low, high = low + 1, high + 1  # one bone however the lesions are described
            continue
        known = keys - {None}
        blank = [i for i in idx if bone_key(lesions[i])[1] is None]
        # Unrecorded lesions may each be the same bone as another, or another level / the other side.
        spare = len(blank) if bone == "vertebra" else max(0, 2 - len(known & {"left", "right"}))
        g_low = len(known) or 1
        g_high = len(known) + min(len(blank), spare) if known else min(len(blank), max(spare, 1))
        low, high = low + g_low, high + g_high
        if g_high > g_low:
            undecided += blank
    return BoneCount(low, high, tuple(sorted(undecided)))


def count_bones(lesions: list[Lesion]) -> int:
    """The definite number of bones (a lesion without side/level may be the same bone as another)."""
    return bone_count(lesions).low


def lesion_typical(lesion: Lesion) -> Tri:
    """(radiograph and lytic, sclerosis, new bone) or (MRI/WB-MRI and marrow oedema), tri-state.

    Not typical only when the lesion was seen on a radiograph and/or MRI and each of those
    modalities lacks a feature it needs; a lesion seen only on CT, bone scan or PET-CT (or with no
    modality recorded) is of unknown typicality: a radiograph or MRI of the site would decide (§0).
    """
    mods = set(lesion.modalities)
    clauses = []
    if mods & set(RADIOGRAPH):
        clauses.append(tri_and(lesion.lytic, lesion.sclerosis, lesion.new_bone_formation))
    if mods & set(MRI):
        clauses.append(tri_and(lesion.marrow_edema))
    return tri_or(*clauses) if clauses else None


@dataclass
class Facts:
    case: Case
    age: Optional[float]
    onset_age: Optional[float]
    weeks: Optional[float]
    lesions: list[Lesion]
    sites: int
    bones: int
    survey_done: bool
    multifocal: Tri
    symmetric: Tri
    multifocal_open: list[str]  # side/level paths that could settle an unknown multifocal
    symmetric_open: list[str]  # side paths that could settle an unknown symmetric
    clavicle_only: Tri
    typical_imaging: Tri
    adult: Tri
    temperature_normal: Tri
    temperature_from_reading: bool  # the 38.0 °C threshold was applied
    blood_count_normal: Tri
    readings: dict[str, LabReading]
    notes: list[str] = field(default_factory=list)
    # v4 (§13.1, dated exclusions): each mimic's status as of now (the latest recorded, at a visit or at
    # the first consultation); every flag, the gate and the differential read this, not case.mimics.
    mimics: Optional[Mimics] = None

    @property
    def crp(self) -> Optional[float]:
        return self.readings["crp"].value

    def bones_caveat(self) -> str:
        """"; side/level not recorded: may be 2 bones" and/or "; no whole-body survey", or ""."""
        text = ""
        if self.multifocal is None and self.multifocal_open:
            text += f"; side/level not recorded: may be {self.bones + 1} or more bones"
        if self.bones == 1 and not self.survey_done:
            text += "; no whole-body survey"
        return text

    def multifocal_missing(self) -> list[str]:
        """What would settle `multifocal` while it is unknown: lesions, sides/levels, a survey."""
        if self.multifocal is not None:
            return []
        if not self.lesions:
            return ["imaging.lesions"]
        return self.multifocal_open + ([] if self.survey_done else ["imaging.whole_body_survey"])

    def onset_below(self, years: float) -> Tri:
        """Onset age < years; the current age settles it when below (onset is never later)."""
        if self.onset_age is not None:
            return self.onset_age < years
        if self.age is not None and self.age < years:
            return True
        return None

    def crp_text(self) -> str:
        """"CRP 32 mg/L (3.2 mg/dL)" — the entered unit shown too when it was converted."""
        lab = self.case.labs.crp
        if lab is None:
            return "CRP not recorded"
        text = f"CRP {units.fmt_number(self.crp)} mg/L"
        if lab.unit != "mg/L":
            text += f" ({units.fmt_number(lab.value)} {lab.unit})"
        return text

    def lab_text(self, analyte: str) -> str:
        r = self.readings[analyte]
        return f"{labels.analyte_name(analyte)} {r.value_text}"

    def blood_count_missing(self) -> list[str]:
        paths = [f"labs.{a}" for a in BLOOD_COUNT if self.readings[a].value is None]
        unknown = [a for a in BLOOD_COUNT if self.readings[a].value is not None and self.readings[a].status == "unknown"]
        if unknown:
            if self.age is None:
                paths.append("patient.date_of_birth")
            elif "hemoglobin" in unknown and self.age >= 15:
                paths.append("patient.sex")
        return paths

    def blood_count_evidence(self) -> str:
        parts = []
        for a in BLOOD_COUNT:
            r = self.readings[a]
            if r.value is None:
                parts.append(f"{labels.analyte_name(a)} not recorded")
            elif r.status == "unknown":
                parts.append(f"{self.lab_text(a)} (normality unknown: {r.reason})")
            else:
                parts.append(f"{self.lab_text(a)} {r.status} ({r.range_text})")
        return "; ".join(parts)

    def default_range_notes(self, analytes=BLOOD_COUNT) -> list[str]:
        return [f"{labels.analyte_name(a)} read against a default range: {self.readings[a].range_text}."
                for a in analytes if self.readings[a].default_used]

    def to_derived(self) -> Derived:
        def r1(x):
            return None if x is None else round(x, 1)

        return Derived(
            age_years=r1(self.age), onset_age_years=r1(self.onset_age), symptom_weeks=r1(self.weeks),
            sites=self.sites, bones=self.bones, multifocal=self.multifocal, symmetric=self.symmetric,
            clavicle_only=self.clavicle_only, crp_mg_l=self.crp, temperature_normal=self.temperature_normal,
            blood_count_normal=self.blood_count_normal, typical_imaging=self.typical_imaging,
            adult=self.adult, notes=list(self.notes),
            lesions_first_seen_at_follow_up=_first_seen_at_follow_up(self.case),
        )


def _first_seen_at_follow_up(case: Case) -> int:
    """Lesions marked `new` at a visit (clinical-rules.md §13.1); they count like any other lesion."""
    new_at = first_seen_at_visit(case)
    return sum(1 for les in case.imaging.lesions if les.id and les.id in new_at)


def _temperature(case: Case) -> tuple[Tri, bool]:
    s = case.symptoms
    # v3 (§0): a recorded history of fever is not overridden by one normal reading.
    if s.fever_pattern in FEVER_HISTORY:
        return False, s.max_temperature_c is not None and s.max_temperature_c >= FEVER_C
    if s.max_temperature_c is not None:
        return s.max_temperature_c < FEVER_C, True
    return (True if s.fever_pattern == "none" else None), False


def _symmetric(lesions: list[Lesion]) -> tuple[Tri, list[int]]:
    """Yes when a paired bone has lesions on both sides; unknown while an unsided lesion of a paired
    bone could complete a pair (the lesion indexes returned); else no."""
    if not lesions:
        return None, []
    sides: dict[str, set] = {}
    blank: dict[str, list[int]] = {}
    for i, les in enumerate(lesions):
        if les.bone in UNPAIRED_BONES:
            continue
        if les.side in ("left", "right"):
            sides.setdefault(les.bone, set()).add(les.side)
        elif les.side is None:
            blank.setdefault(les.bone, []).append(i)
    if any(len(s) == 2 for s in sides.values()):
        return True, []
    # One side known plus an unsided lesion, or two unsided lesions: may be left and right.
    open_ = [i for bone, idx in blank.items() if len(sides.get(bone, ())) + len(idx) >= 2 for i in idx]
    return (None, open_) if open_ else (False, [])


def derive(case: Case) -> Facts:
    lesions = list(case.imaging.lesions)
    count = bone_count(lesions)
    bones = count.low
    survey_done = case.imaging.whole_body_survey in SURVEYS_DONE
    if count.low >= 2:
        multifocal: Tri = True
    elif count.high == 1 and survey_done:
        multifocal = False
    else:  # no lesions, no survey, or a missing side/level may make it two bones
        multifocal = None
    symmetric, symmetric_open = _symmetric(lesions)
    age = age_years(case)  # once: every reading is at the same age (lab_reading would work it out per analyte)
    readings = {a: reading_of(a, getattr(case.labs, a), age, case.patient.sex) for a in labels.ANALYTES}
    bc = [readings[a].status for a in BLOOD_COUNT]
    blood_count_normal: Tri = False if any(s in ("low", "high") for s in bc) else (
        True if all(s == "normal" for s in bc) else None)
    temperature_normal, from_reading = _temperature(case)
    typical = any_of(lesion_typical(les) for les in lesions) if lesions else None

    notes = []
    if lesions and not survey_done:
        notes.append("No whole-body survey recorded: silent lesions may be missed "
                     "(multifocality and symmetry may be under-counted).")
    unsided = sorted({les.bone for les in lesions if les.bone not in UNPAIRED_BONES and les.side is None})
    if unsided:
        notes.append("Side not recorded for: " + ", ".join(labels.value_label("bone", b) for b in unsided)
                     + " (counted as one bone with any sided lesion of the same bone, but it may be the other "
                       "side: multifocality and symmetry stay unknown where that would change them).")
    if any(les.bone == "vertebra" and not les.level for les in lesions):
        notes.append("Vertebral level not recorded: an unlevelled vertebral lesion is counted with the other "
                     "vertebral lesions, but it may be a separate level (multifocality unknown where that "
                     "would change it).")
    if from_reading:
        notes.append(TEMPERATURE_NOTE)
    if case.patient.date_of_birth is not None and case.encounter.date is None:
        notes.append("Encounter date not recorded: ages and symptom duration cannot be computed.")
    if (case.symptoms.first_symptom_date and case.encounter.date
            and case.symptoms.first_symptom_date > case.encounter.date):
        notes.append("First symptom date is after the encounter date: symptom duration unknown.")

    return Facts(
        case=case, age=age, adult=None if age is None else age >= ADULT_AGE, onset_age=onset_age_years(case), weeks=symptom_weeks(case),
        lesions=lesions, sites=len(lesions), bones=bones, survey_done=survey_done,
        multifocal=multifocal, symmetric=symmetric,
        multifocal_open=[f"imaging.lesions[{i}].{_side_or_level(lesions[i])}" for i in count.undecided
                         if multifocal is None],
        symmetric_open=[f"imaging.lesions[{i}].side" for i in symmetric_open],
        clavicle_only=(all(les.bone == "clavicle" for les in lesions) if lesions else None),
        typical_imaging=typical, temperature_normal=temperature_normal,
        temperature_from_reading=from_reading, blood_count_normal=blood_count_normal,
        readings=readings, notes=notes, mimics=mimics_as_of(case),
    )


def lesions_any(lesions: list[Lesion], attr: str) -> Tri:
    """Any lesion with the feature (True), all recorded absent (False), else unknown; none → unknown."""
    if not lesions:
        return None
    return any_of(getattr(les, attr) for les in lesions)

