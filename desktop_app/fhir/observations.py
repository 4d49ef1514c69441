"""One Observation for every value recorded at every point of the course (the first consultation,
then each visit in order): labs, weight, height, the highest temperature and the §13.2 measures.

Each observation is built as a plain dict (the R4B model validates it in bundle.py) together with the
row the Results section's narrative shows for it. Values are written as entered, in the entered unit;
the interpretation (H/L/N) is the app's own reading (case.reference_ranges), given only where the app
decided one; the reference range is the lab report's own, never a §7 default.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from desktop_app.case.labels import ANALYTES, field_label, unit_label, value_label
from desktop_app.case.models import Case, LabValue, Labs, Measures
from desktop_app.case.reference_ranges import age_at, lab_reading, reading_of
from desktop_app.case.units import fmt_number
from desktop_app.case.visits import ordered_visits, visit_name
from desktop_app.course.types import MEASURE_KEYS
from desktop_app.fhir import codes
from desktop_app.fhir.codes import Code

Ref = dict[str, str]


@dataclass(frozen=True)
class Obs:
    resource: dict[str, Any]  # the Observation, ready for the R4B model
    row: list[str]  # when, where, what, value, reference range, flag (the Results table)


def _coding(c: Code) -> dict[str, str]:
    return {"system": c.system, "code": c.code, "display": c.display}


def _concept(c: Optional[Code], words: str) -> dict[str, Any]:
    return {"coding": [_coding(c)], "text": words} if c else {"text": words}


def _category(code: str) -> list[dict[str, Any]]:
    display = {"laboratory": "Laboratory", "vital-signs": "Vital Signs", "survey": "Survey", "exam": "Exam"}[code]
    return [{"coding": [{"system": codes.OBS_CATEGORY, "code": code, "display": display}]}]


def _quantity(value: float, unit: str, ucum: Optional[str]) -> dict[str, Any]:
    q: dict[str, Any] = {"value": value, "unit": unit}
    if ucum:
        q.update(system=codes.UCUM, code=ucum)
    return q


class _Builder:
    def __init__(self, case: Case, patient: Ref, encounter: Ref, note_point: Optional[str]):
        self.case, self.patient, self.encounter, self.note_point = case, patient, encounter, note_point

    def observation(self, category: str, code: Optional[Code], words: str, when: Optional[dt.date],
                    point: Optional[str], **extra: Any) -> dict[str, Any]:
        obs: dict[str, Any] = {"resourceType": "Observation", "status": "final", "category": _category(category),
                               "code": _concept(code, words), "subject": self.patient}
        if point == self.note_point:  # only the note's own encounter is in the bundle
            obs["encounter"] = self.encounter
        if when is not None:
            obs["effectiveDateTime"] = when.isoformat()
        obs.update(extra)
        return obs

    def lab(self, analyte: str, lab: LabValue, when: Optional[dt.date], point: Optional[str],
            where: str) -> Obs:
        name = ANALYTES[analyte].name
        loinc = codes.lab_code(analyte, lab.unit)
        code = loinc or codes.app_code(analyte)
        extra: dict[str, Any] = {"valueQuantity": _quantity(lab.value, unit_label(lab.unit), codes.UCUM_OF_UNIT[lab.unit])}
        limits = {side: _quantity(v, unit_label(lab.unit), codes.UCUM_OF_UNIT[lab.unit])
                  for side, v in (("low", lab.ref_low), ("high", lab.ref_high)) if v is not None}
        if limits:
            extra["referenceRange"] = [{**limits, "text": "laboratory report range"}]
        reading = (lab_reading(self.case, analyte) if point is None else
                   reading_of(analyte, lab, age_at(self.case, when), self.case.patient.sex))
        flag = codes.INTERPRETATION_CODES.get(reading.status)
        if flag:  # the app read the value against a range (the lab's own or the §7 default)
            extra["interpretation"] = [{"coding": [{"system": codes.INTERPRETATION, "code": flag[0],
                                                    "display": flag[1]}]}]
        if reading.range_text:
            extra["note"] = [{"text": f"Read against: {reading.range_text}"}]
        range_text = _range_words(lab.ref_low, lab.ref_high)
        row = [_date(when), where, name, f"{fmt_number(lab.value)} {unit_label(lab.unit)}",
               range_text or "—", value_label("lab_status", reading.status)]
        return Obs(self.observation("laboratory", code, name, when, point, **extra), row)

    def labs(self, labs: Labs, point_date: Optional[dt.date], point: Optional[str], where: str) -> Iterator[Obs]:
        for analyte in ANALYTES:
            lab = getattr(labs, analyte)
            if lab is not None:
                yield self.lab(analyte, lab, lab.date or point_date, point, where)
        if labs.blood_culture in ("positive", "negative"):  # "not done" is no result
            words = value_label("culture", labs.blood_culture)
            yield Obs(self.observation("laboratory", codes.BLOOD_CULTURE, "Blood culture", point_date, point,
                                       valueCodeableConcept={"text": words}),
                      [_date(point_date), where, "Blood culture", words, "—", "—"])
        if labs.peripheral_smear_blasts is not None:
            words = "seen" if labs.peripheral_smear_blasts else "not seen"
            code = Code(codes.APP_SYSTEM, "labs.peripheral_smear_blasts", "Blasts on the blood film")
            yield Obs(self.observation("laboratory", code, code.display, point_date, point,
                                       valueBoolean=labs.peripheral_smear_blasts),
                      [_date(point_date), where, code.display, words, "—", "—"])

    def vital(self, code: Code, words: str, value: Optional[float], unit: str, when: Optional[dt.date],
              point: Optional[str], where: str, note: str = "") -> Iterator[Obs]:
        if value is None:
            return
        extra: dict[str, Any] = {"valueQuantity": _quantity(value, unit if unit != "Cel" else "°C", unit)}
        if note:
            extra["note"] = [{"text": note}]
        yield Obs(self.observation("vital-signs", code, words, when, point, **extra),
                  [_date(when), where, words, f"{fmt_number(value)} {extra['valueQuantity']['unit']}", "—", "—"])

    def measures(self, m: Measures, when: Optional[dt.date], point: Optional[str], where: str) -> Iterator[Obs]:
        for key in MEASURE_KEYS:
            value = getattr(m, key)
            if value is None:
                continue
            code, words = codes.measure_code(key), field_label(f"measures.{key}")
            category = "exam" if key == "clinically_active_lesions" else "survey"
            unit = codes.MEASURE_UNITS[key]
            extra = {"valueQuantity": {"value": value, "system": codes.UCUM, "code": unit},
                     "note": [{"text": f"Scale: {codes.measure_scale(key)}"}]}
            yield Obs(self.observation(category, code, words, when, point, **extra),
                      [_date(when), where, words, fmt_number(value), "—", "—"])


def _range_words(low: Optional[float], high: Optional[float]) -> str:
    """The lab report's own range as a reader expects it: "120–300", "≤ 300", "≥ 1.5", or ""."""
    if low is not None and high is not None:
        return f"{fmt_number(low)}–{fmt_number(high)}"
    if low is not None:
        return f"≥ {fmt_number(low)}"
    return f"≤ {fmt_number(high)}" if high is not None else ""


def _date(when: Optional[dt.date]) -> str:
    return when.isoformat() if when else "date not recorded"


def observations(case: Case, patient: Ref, encounter: Ref, note_point: Optional[str]) -> list[Obs]:
    """Every recorded value of `case` (already the case as of the note: later visits left out).
    `note_point`: the visit id the note is for (None: the first consultation)."""
    b = _Builder(case, patient, encounter, note_point)
    first, where = case.encounter.date, "first consultation"
    out = list(b.labs(case.labs, first, None, where))
    out += b.vital(codes.WEIGHT, "Body weight", case.patient.weight_kg, "kg", first, None, where)
    out += b.vital(codes.HEIGHT, "Body height", case.patient.height_cm, "cm", first, None, where)
    out += b.vital(codes.TEMPERATURE, "Highest temperature", case.symptoms.max_temperature_c, "Cel", first, None,
                   where, "The highest body temperature recorded at the first consultation; its own date is not recorded.")
    out += b.measures(case.measures, first, None, where)
    for v in ordered_visits(case):
        where = visit_name(v)
        out += b.labs(v.labs, v.date, v.id, where)
        out += b.vital(codes.WEIGHT, "Body weight", v.weight_kg, "kg", v.date, v.id, where)
        out += b.vital(codes.HEIGHT, "Body height", v.height_cm, "cm", v.date, v.id, where)
        note = "The highest temperature at or since the last visit" + (
            "." if v.max_temperature_date else "; its own date is not recorded.")
        out += b.vital(codes.TEMPERATURE, "Highest temperature", v.max_temperature_c, "Cel",
                       v.max_temperature_date or v.date, v.id, where, note)
        out += b.measures(v.measures, v.date, v.id, where)
    return out
