"""The consult as a FHIR R4 document Bundle (issue 25), built with fhir.resources' R4B models.

`build_bundle(case, visit_id)` reads the note's content (fhir/note.py), builds every resource as a
dict and constructs it with its R4B class, which validates it (a wrong field or code type raises).
The Composition comes first; the other entries follow it. Every fullUrl and reference is a fresh
urn:uuid: nothing from the case file is placed in a URL or an id.

fhir.resources is imported here and only on the export path (never at the window's start-up).
"""
from __future__ import annotations

import base64
import datetime as dt
import uuid
from typing import Any, Optional

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.medicationrequest import MedicationRequest
from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.practitioner import Practitioner

from desktop_app.case.labels import NOT_RECORDED, value_label
from desktop_app.case.models import Case
from desktop_app.course.timeline import current_treatments
from desktop_app.criteria.summary import NO_RECOMMENDATION
from desktop_app.fhir import codes, narrative as nv
from desktop_app.fhir.medications import requests, statements
from desktop_app.fhir.note import NoteContent, note_content
from desktop_app.fhir.observations import observations

MODELS = {m.__name__: m for m in (Composition, Condition, DocumentReference, Encounter, MedicationRequest,
                                   MedicationStatement, Observation, Patient, Practitioner)}
RESULTS_HEAD = ["Date", "Recorded at", "Test or measure", "Value", "Lab range", "Flag"]


def _urn() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _concept(code: tuple[str, str], system: str = codes.LOINC) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code[0], "display": code[1]}], "text": code[1]}


class _Entries:
    """The bundle's entries in order, each a validated R4B resource under a fresh urn:uuid."""

    def __init__(self) -> None:
        self.items: list[tuple[str, Any]] = []

    def add(self, resource: dict[str, Any]) -> dict[str, str]:
        """Validate and keep `resource`; return a reference to it."""
        kind = resource.pop("resourceType")
        url = _urn()
        self.items.append((url, MODELS[kind](**resource)))
        return {"reference": url}


def _patient(case: Case) -> dict[str, Any]:
    p = case.patient
    out: dict[str, Any] = {"resourceType": "Patient"}
    if p.mrn.strip():  # the hospital's MRN; its system is not known to the app, so none is given
        out["identifier"] = [{"type": {"coding": [{"system": codes.IDENTIFIER_TYPE, "code": "MR",
                                                   "display": "Medical record number"}]},
                              "value": p.mrn.strip()}]
    if p.name.strip():
        out["name"] = [{"text": p.name.strip()}]
    if p.date_of_birth:
        out["birthDate"] = p.date_of_birth.isoformat()
    if p.sex:
        out["gender"] = p.sex  # the case's female/male/other are FHIR's administrative genders
    out["text"] = nv.narrative(nv.p(p.name or NOT_RECORDED, "Patient:"), nv.p(p.mrn or NOT_RECORDED, "MRN:"),
                               nv.p(p.date_of_birth.isoformat() if p.date_of_birth else NOT_RECORDED, "Born:"),
                               nv.p(value_label("sex", p.sex) if p.sex else NOT_RECORDED, "Sex:"))
    return out


def _encounter(note: NoteContent, patient: dict, author: dict) -> dict[str, Any]:
    e = note.at.encounter
    out: dict[str, Any] = {"resourceType": "Encounter", "status": "finished", "subject": patient,
                           "class": {"system": codes.ACT_CODE, "code": "AMB", "display": "ambulatory"},
                           "participant": [{"individual": author}]}
    if note.date:
        out["period"] = {"start": note.date.isoformat()}
    if note.visit is None:
        if e.reason.strip():
            out["reasonCode"] = [{"text": e.reason.strip()}]
        if e.service.strip():
            out["serviceType"] = {"text": e.service.strip()}
    return out


def _condition(note: NoteContent, patient: dict, encounter: dict, author: dict) -> Optional[dict[str, Any]]:
    """Only in mode cno (§10): the note's ICD-10-CM code and Orphanet's, clinical status active."""
    if note.plan.mode != "cno" or not note.plan.codes:
        return None
    main = note.plan.codes[0]  # the CRMO code (M86.3-); an incomplete code (M46.2-) is named in a note only
    coding = [{"system": codes.ICD10CM, "code": main.code, "display": main.label},
              {"system": codes.ORPHANET, "code": codes.ORPHA_CNO}]
    notes = [f"{c.code} {c.label}: {c.note}" for c in note.plan.codes if c.note]
    out = {"resourceType": "Condition", "subject": patient, "encounter": encounter, "recorder": author,
           "clinicalStatus": {"coding": [{"system": codes.CLINICAL_STATUS, "code": "active", "display": "Active"}]},
           "code": {"coding": coding, "text": "Chronic nonbacterial osteomyelitis (CRMO/CNO)"}}
    if notes:
        out["note"] = [{"text": n} for n in notes]
    return out


def _plan_narrative(note: NoteContent) -> list[str]:
    plan = note.plan
    parts = [nv.p(plan.weight_words())] if plan.weight_words() else []
    if not parts and note.at.patient.weight_kg is not None and any(
            d.amount is not None for line in plan.lines for d in line.doses):  # as the note says it
        parts.append(nv.p(f"Weight used for doses: {note.at.patient.weight_kg:g} kg"))
    if plan.workup:
        parts += [nv.heading("Work-up still outstanding:" if plan.mode == "cno" else
                             "Work-up first (CNO treatment is not proposed until it is done):"), nv.ul(plan.workup)]
    items = []
    for line in plan.lines:
        if line.decision == "removed":
            continue
        # One item per line, as the note prints it: the words, each dose, then why (line breaks between).
        words = [f"{line.step} ({line.status_words}): {line.shown_text}"]
        words += [f"{d.drug}: {d.computed_text()}" for d in line.shown_doses]
        items.append("\n".join(words + ([line.shown_reason] if line.shown_reason else [])))
    parts += [nv.heading("Treatment lines:"), nv.ul(items)] if items else [
        nv.p("No treatment line is proposed for the recorded data.")]
    parts += [nv.p(n, "Note:") for n in plan.notes]
    return parts


def _sections(note: NoteContent, refs: dict[str, list[dict]], obs_rows: list[list[str]]) -> list[dict[str, Any]]:
    case = note.at
    summary = [nv.p(note.headline)]
    for heading, items, empty in note.lists:
        summary += [nv.heading(f"{heading}:"), nv.ul(items)] if items else [nv.p(empty, f"{heading}:")]
    summary += ([nv.heading("Recommendations:"), nv.ul(note.recommendations)] if note.recommendations else
                [nv.p(NO_RECOMMENDATION, "Recommendations:")])
    summary.append(nv.p(note.next_review, "Next review:"))
    out = [{"title": "Summary and recommendations", "code": _concept(codes.SECTION_ASSESSMENT_PLAN),
            "text": nv.narrative(*summary)}]
    if refs["Condition"]:
        c = note.plan.codes
        out.append({"title": "Diagnosis", "code": _concept(codes.SECTION_PROBLEMS), "entry": refs["Condition"],
                    "text": nv.narrative(nv.p("Chronic nonbacterial osteomyelitis (CRMO/CNO)"),
                                         nv.ul(f"ICD-10-CM {x.code} {x.label}" for x in c),
                                         nv.p(f"Orphanet {codes.ORPHA_CNO}"))})
    results = nv.table(RESULTS_HEAD, obs_rows) if obs_rows else nv.p("No result or measure recorded.")
    out.append({"title": "Results and measures", "code": _concept(codes.SECTION_RESULTS),
                "text": nv.narrative(results), **({"entry": refs["Observation"]} if refs["Observation"] else {})})
    out.append({"title": "Treatment plan", "code": _concept(codes.SECTION_PLAN_OF_CARE),
                "text": nv.narrative(*_plan_narrative(note)),
                **({"entry": refs["MedicationRequest"]} if refs["MedicationRequest"] else {})})
    if refs["MedicationStatement"]:
        out.append({"title": "Current treatment", "code": _concept(codes.SECTION_MEDICATIONS),
                    "entry": refs["MedicationStatement"],
                    "text": nv.narrative(nv.ul(_current_words(note)))})
    notes = [nv.p(case.impression or NOT_RECORDED, "Impression:"), nv.p(case.plan_notes or NOT_RECORDED, "Plan notes:")]
    if note.visit is not None:  # the follow-up note's own free text
        notes += [nv.p(note.visit.notes or NOT_RECORDED, "Visit notes:"),
                  nv.p(note.visit.adverse_events or NOT_RECORDED, "Adverse events:")]
    out.append({"title": "Clinician's impression and plan notes", "text": nv.narrative(*notes)})
    if refs["DocumentReference"]:
        out.append({"title": "The note as printed", "entry": refs["DocumentReference"],
                    "text": nv.narrative(nv.p(f"The signed-off note ({note.title}) is attached as a PDF."))})
    return out


def _current_words(note: NoteContent) -> list[str]:
    return [f"{t.drug}" + (f", {t.dose}" if t.dose.strip() else ", dose not recorded")
            + (f", since {t.start_date.isoformat()}" if t.start_date else "")
            for t in current_treatments(note.at, note.date)]


def _document(pdf: bytes, note: NoteContent, patient: dict, author: dict, encounter: dict, when: str) -> dict:
    return {"resourceType": "DocumentReference", "status": "current", "docStatus": "final",
            "type": _concept(codes.CONSULT_NOTE), "subject": patient, "date": when, "author": [author],
            "description": note.title, "context": {"encounter": [encounter]},
            "content": [{"attachment": {"contentType": "application/pdf", "title": note.title, "creation": when,
                                        "data": base64.b64encode(pdf).decode("ascii")}}]}


def build_bundle(case: Case, visit_id: Optional[str] = None, *, include_pdf: bool = True,
                 now: Optional[dt.datetime] = None) -> Bundle:
    """The document Bundle of the note for `visit_id` (None: the first consultation's note); `visit_id`
    is a visit's id (resolve "latest"/"first" with plan.visit_summary.resolve_visit first)."""
    now = (now or dt.datetime.now()).astimezone()
    when = now.isoformat(timespec="seconds")
    note = note_content(case, visit_id)
    entries = _Entries()
    patient = entries.add(_patient(note.at))
    practitioner: dict[str, Any] = {"resourceType": "Practitioner"}
    if note.clinician:
        practitioner["name"] = [{"text": note.clinician}]
    author = entries.add(practitioner)
    author["display"] = note.clinician or "clinician not recorded"
    encounter = entries.add(_encounter(note, patient, author))
    refs: dict[str, list[dict]] = {k: [] for k in ("Condition", "Observation", "MedicationRequest",
                                                   "MedicationStatement", "DocumentReference")}
    condition = _condition(note, patient, encounter, author)
    if condition:
        refs["Condition"].append(entries.add(condition))
    obs = observations(note.at, patient, encounter, note.visit.id if note.visit else None)
    refs["Observation"] = [entries.add(o.resource) for o in obs]
    refs["MedicationRequest"] = [entries.add(r) for r in requests(note.plan, patient, author, encounter, when)]
    refs["MedicationStatement"] = [entries.add(s) for s in statements(note.at, note.plan, note.date, patient, when)]
    if include_pdf:
        from desktop_app.report.note import build_consult_pdf  # ReportLab: only when the PDF is attached

        pdf = build_consult_pdf(case, generated_at=now, visit_id=visit_id or "first")
        refs["DocumentReference"].append(entries.add(_document(pdf, note, patient, author, encounter, when)))
    composition = Composition(
        status="final", type=_concept(codes.CONSULT_NOTE), subject=patient, encounter=encounter, date=when,
        author=[author], title=note.title,
        section=_sections(note, refs, [o.row for o in obs]),
        text=nv.narrative(nv.p(note.title), nv.p(note.headline)))
    full = [{"fullUrl": _urn(), "resource": composition}] + [{"fullUrl": u, "resource": r} for u, r in entries.items]
    return Bundle(type="document", timestamp=when, identifier={"system": "urn:ietf:rfc:3986", "value": _urn()},
                  entry=full)


def bundle_json(bundle: Bundle) -> bytes:
    """The bundle as UTF-8 JSON (pretty-printed: a person may open it)."""
    return bundle.model_dump_json(indent=2).encode("utf-8")


def write_bundle(case: Case, path: str, visit_id: Optional[str] = None, *, include_pdf: bool = True) -> None:
    """Write the bundle atomically; raises CaseFileError (one sentence) when it cannot be written."""
    from desktop_app.storage.atomic import atomic_write_bytes

    atomic_write_bytes(path, bundle_json(build_bundle(case, visit_id, include_pdf=include_pdf)))
