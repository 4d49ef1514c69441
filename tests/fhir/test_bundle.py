"""The FHIR export (issue 25): every shared example, and a case with visits at each of its notes,
exported through `crmo-consult fhir` and parsed back into fhir.resources' R4B Bundle."""
from __future__ import annotations

import base64
import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from desktop_app.case.labels import ANALYTES
from desktop_app.case.visits import ordered_visits
from desktop_app.cli import main
from desktop_app.course.timeline import case_as_of, current_treatments, drug_key
from desktop_app.fhir import codes
from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES

CASES = sorted(EXAMPLES.glob("*.crmo"))
FOLLOW_UP = EXAMPLES / "followup-two-visits.crmo"
# (case, --visit): every example's default note, and each note of the case with visits.
NOTES = [(p, None) for p in CASES] + [(FOLLOW_UP, "first"), (FOLLOW_UP, "V1")]
UCUM = {"10^9/L": "10*9/L", "10^3/uL": "10*3/uL", "g/L": "g/L", "g/dL": "g/dL", "mg/L": "mg/L",
        "mg/dL": "mg/dL", "mm/h": "mm/h", "U/L": "U/L", "umol/L": "umol/L", "mmol/L": "mmol/L"}
# The LOINC codes issue 25 lists (ESR: clinical-rules.md §10's 30341-2, which the note's lab table prints).
LOINC = {"crp": "1988-5", "esr": "30341-2", "hemoglobin": "718-7", "wbc": "6690-2", "neutrophils": "751-8",
         "platelets": "777-3", "alkaline_phosphatase": "6768-6", "ldh": "2532-0", "alt": "1742-6"}


def export(tmp_path: Path, case: Path, visit: str | None = None, *extra: str) -> Bundle:
    out = tmp_path / "bundle.json"
    args = ["fhir", str(case), "-o", str(out), *(["--visit", visit] if visit else []), *extra]
    assert main(args) == 0
    return Bundle.model_validate_json(out.read_text(encoding="utf-8"))


def plan_json(case: Path, visit: str | None, capsys) -> dict:
    """`plan --json` of the case as of the note (the latest visit's plan is the file's own plan)."""
    if visit in (None, "latest") or not load_case(case).visits:
        capsys.readouterr()
        assert main(["plan", str(case), "--json"]) == 0
        return json.loads(capsys.readouterr().out)
    from desktop_app.criteria.assess import assess
    from desktop_app.plan.build import plan as build_plan
    from desktop_app.plan.output import plan_to_json

    at = case_as_of(load_case(case), None if visit == "first" else visit)
    return plan_to_json(build_plan(at, assess(at)))


def of_type(bundle: Bundle, kind: str) -> list:
    return [e.resource for e in bundle.entry if e.resource.get_resource_type() == kind]


def the_note_case(case: Path, visit: str | None):
    c = load_case(case)
    order = ordered_visits(c)
    vid = None if visit == "first" or not order else (visit or order[-1].id)
    return case_as_of(c, vid) if c.visits else c, vid


@pytest.mark.parametrize("case,visit", NOTES, ids=lambda x: getattr(x, "stem", str(x)))
def test_the_bundle_is_a_document_with_the_composition_first(tmp_path, case, visit):
    bundle = export(tmp_path, case, visit, "--no-pdf")
    assert bundle.type == "document" and bundle.timestamp is not None
    assert bundle.identifier.system == "urn:ietf:rfc:3986" and bundle.identifier.value.startswith("urn:uuid:")
    comp = bundle.entry[0].resource
    assert comp.get_resource_type() == "Composition"
    assert comp.status == "final" and comp.type.coding[0].code == "11488-4"
    urls = {e.fullUrl for e in bundle.entry}
    assert all(u.startswith("urn:uuid:") for u in urls) and len(urls) == len(bundle.entry)
    assert comp.subject.reference in urls and comp.author[0].reference in urls
    assert all(e.resource.id is None for e in bundle.entry)  # nothing from the file in an id
    # the title is the note's own, by mode
    at, vid = the_note_case(case, visit)
    if vid:
        from desktop_app.plan.visit_summary import visit_summary

        assert comp.title == visit_summary(load_case(case), vid).title
    else:
        from desktop_app.criteria.assess import assess
        from desktop_app.criteria.summary import TITLE_CNO, TITLE_OTHER

        assert comp.title == (TITLE_CNO if assess(at).mode == "cno" else TITLE_OTHER)
    # every section's narrative is well-formed XHTML
    for section in comp.section:
        ET.fromstring(section.text.div)


@pytest.mark.parametrize("case,visit", NOTES, ids=lambda x: getattr(x, "stem", str(x)))
def test_every_recorded_lab_is_an_observation_with_its_code_value_and_unit(tmp_path, case, visit):
    bundle = export(tmp_path, case, visit, "--no-pdf")
    at, _ = the_note_case(case, visit)
    observed = [(o.code.coding[0].code if o.code.coding else None, float(o.valueQuantity.value),
                 o.valueQuantity.code, str(o.effectiveDateTime) if o.effectiveDateTime else None)
                for o in of_type(bundle, "Observation") if o.valueQuantity is not None]
    points = [(at.labs, at.encounter.date)] + [(v.labs, v.date) for v in ordered_visits(at)]
    expected = []
    for labs, when in points:
        for analyte in ANALYTES:
            lab = getattr(labs, analyte)
            if lab is None:
                continue
            code = LOINC.get(analyte) or (codes.lab_code(analyte, lab.unit) or codes.app_code(analyte)).code
            d = lab.date or when
            expected.append((code, lab.value, UCUM.get(lab.unit, codes.UCUM_OF_UNIT[lab.unit]),
                             d.isoformat() if d else None))
    assert expected and all(e in observed for e in expected), (expected, observed)
    # weight, height and pain with the codes and UCUM units
    if at.patient.weight_kg is not None:
        assert ("29463-7", at.patient.weight_kg, "kg", at.encounter.date.isoformat()) in observed
    if at.measures.pain is not None:
        assert ("72514-3", at.measures.pain, "{score}", at.encounter.date.isoformat()) in observed
    for v in ordered_visits(at):
        if v.weight_kg is not None:
            assert ("29463-7", v.weight_kg, "kg", v.date.isoformat()) in observed


@pytest.mark.parametrize("case,visit", NOTES, ids=lambda x: getattr(x, "stem", str(x)))
def test_a_condition_only_in_mode_cno(tmp_path, case, visit, capsys):
    bundle = export(tmp_path, case, visit, "--no-pdf")
    mode = plan_json(case, visit, capsys)["mode"]
    conditions = of_type(bundle, "Condition")
    if mode != "cno":
        assert conditions == []
        return
    (c,) = conditions
    systems = {x.system: x.code for x in c.code.coding}
    assert systems[codes.ICD10CM] == plan_json(case, visit, capsys)["codes"][0]
    assert systems[codes.ORPHANET] == "ORPHA:324964"
    assert c.clinicalStatus.coding[0].code == "active"


@pytest.mark.parametrize("case,visit", NOTES, ids=lambda x: getattr(x, "stem", str(x)))
def test_requests_only_for_proposed_lines_with_the_plans_amount(tmp_path, case, visit, capsys):
    bundle = export(tmp_path, case, visit, "--no-pdf")
    proposed = [line for line in plan_json(case, visit, capsys)["lines"]
                if line["status"] == "proposed" and line["drug"]]
    reqs = of_type(bundle, "MedicationRequest")
    assert [r.medicationCodeableConcept.text for r in reqs] == [line["drug"] for line in proposed]
    for r, line in zip(reqs, proposed):
        assert r.intent == "proposal" and r.status == "draft"
        (dosage,) = r.dosageInstruction
        assert dosage.text == line["text"]
        if line["dose"] is None:
            assert not dosage.doseAndRate  # no dose invented
            continue
        (dr,) = dosage.doseAndRate
        rng = dr.doseRange or dr.rateRange
        assert (float(rng.low.value), float(rng.high.value)) == (line["dose"]["low_mg"], line["dose"]["high_mg"])
        assert rng.low.code == ("mg" if line["dose"]["per"] in ("dose", "infusion") else
                                {"day": "mg/d", "week": "mg/wk", "year": "mg/a"}[line["dose"]["per"]])


def test_some_example_has_a_request_with_an_amount(tmp_path):
    reqs = of_type(export(tmp_path, EXAMPLES / "typical-multifocal.crmo", None, "--no-pdf"), "MedicationRequest")
    assert {r.medicationCodeableConcept.text for r in reqs} == {"naproxen", "ibuprofen"}
    naproxen = next(r for r in reqs if r.medicationCodeableConcept.text == "naproxen")
    rng = naproxen.dosageInstruction[0].doseAndRate[0].doseRange
    assert (float(rng.low.value), float(rng.high.value), rng.low.unit) == (170.0, 255.0, "mg")


@pytest.mark.parametrize("case,visit", NOTES, ids=lambda x: getattr(x, "stem", str(x)))
def test_current_drugs_are_statements_not_requests(tmp_path, case, visit):
    bundle = export(tmp_path, case, visit, "--no-pdf")
    at, _ = the_note_case(case, visit)
    when = ordered_visits(at)[-1].date if at.visits else None
    current = [t for t in current_treatments(at, when)] if at.visits else []
    statements = of_type(bundle, "MedicationStatement")
    assert [s.medicationCodeableConcept.text for s in statements] == [t.drug for t in current]
    assert all(s.status == "active" for s in statements)
    requested = {drug_key(r.medicationCodeableConcept.text) for r in of_type(bundle, "MedicationRequest")}
    assert not requested & {drug_key(t.drug) for t in current}


def test_the_follow_up_case_has_a_current_naproxen_statement(tmp_path):
    (s,) = of_type(export(tmp_path, FOLLOW_UP, None, "--no-pdf"), "MedicationStatement")
    assert s.medicationCodeableConcept.text.lower() == "naproxen" and s.dosage[0].text
    assert not of_type(export(tmp_path, FOLLOW_UP, "first", "--no-pdf"), "MedicationStatement")


@pytest.mark.parametrize("case,visit", [(EXAMPLES / "typical-multifocal.crmo", None), (FOLLOW_UP, None),
                                        (FOLLOW_UP, "first")], ids=["consult", "follow-up", "first"])
def test_the_attachment_is_the_notes_pdf(tmp_path, case, visit, monkeypatch):
    from reportlab import rl_config

    from desktop_app.report.note import build_consult_pdf

    monkeypatch.setattr(rl_config, "invariant", 1)  # fixed PDF id and dates: compared byte for byte
    bundle = export(tmp_path, case, visit)
    (doc,) = of_type(bundle, "DocumentReference")
    att = doc.content[0].attachment
    assert att.contentType == "application/pdf"
    raw = json.loads((tmp_path / "bundle.json").read_text(encoding="utf-8"))
    encoded = next(e["resource"] for e in raw["entry"] if e["resource"]["resourceType"] == "DocumentReference")
    data = base64.b64decode(encoded["content"][0]["attachment"]["data"], validate=True)  # base64 in the file
    assert att.data == data and data.startswith(b"%PDF")  # the model reads it back decoded
    stamp = dt.datetime.fromisoformat(str(bundle.timestamp).replace("Z", "+00:00")).astimezone()
    c = load_case(case)
    vid = visit if visit else (ordered_visits(c)[-1].id if c.visits else None)
    assert data == build_consult_pdf(c, generated_at=stamp, visit_id=vid or "first")
    assert export(tmp_path, case, visit, "--no-pdf") and not of_type(
        Bundle.model_validate_json((tmp_path / "bundle.json").read_text()), "DocumentReference")


def test_lab_ranges_and_interpretation_are_the_apps(tmp_path):
    bundle = export(tmp_path, FOLLOW_UP, "first", "--no-pdf")
    ldh = next(o for o in of_type(bundle, "Observation") if o.code.coding[0].code == "2532-0")
    rr = ldh.referenceRange[0]
    assert (float(rr.low.value), float(rr.high.value)) == (120, 300)  # the lab report's own range
    assert ldh.interpretation[0].coding[0].code == "N"
    crp = next(o for o in of_type(bundle, "Observation") if o.code.coding[0].code == "1988-5")
    assert not crp.referenceRange and not crp.interpretation  # no range: the app decided nothing


def test_free_text_is_escaped_in_the_narrative(tmp_path):
    data = json.loads(FOLLOW_UP.read_text(encoding="utf-8"))
    data["impression"] = 'CNO <script>alert("x")</script> & more\nsecond line\x1b'
    data["patient"]["name"] = "A <b>bold</b> name"
    path = tmp_path / "hostile.crmo"
    path.write_text(json.dumps(data), encoding="utf-8")
    bundle = export(tmp_path, path, None, "--no-pdf")
    notes = next(s for s in bundle.entry[0].resource.section if s.title.startswith("Clinician"))
    root = ET.fromstring(notes.text.div)  # well-formed
    assert "<script>" not in notes.text.div and "&lt;script&gt;" in notes.text.div
    assert "\\x1b" in notes.text.div and "<br/>" in notes.text.div
    assert "script" in "".join(root.itertext())
    (patient,) = of_type(bundle, "Patient")
    assert patient.name[0].text == "A <b>bold</b> name"  # data fields keep the text as entered
    ET.fromstring(patient.text.div)


def test_observations_at_other_visits_do_not_point_at_the_notes_encounter(tmp_path):
    bundle = export(tmp_path, FOLLOW_UP, None, "--no-pdf")
    (enc,) = of_type(bundle, "Encounter")
    latest = ordered_visits(load_case(FOLLOW_UP))[-1].date.isoformat()
    assert str(enc.period.start) == latest
    url = next(e.fullUrl for e in bundle.entry if e.resource.get_resource_type() == "Encounter")
    for o in of_type(bundle, "Observation"):
        assert (o.encounter is not None and o.encounter.reference == url) == (str(o.effectiveDateTime) == latest)


def test_a_one_sided_lab_range_reads_as_a_limit(tmp_path):
    bundle = export(tmp_path, EXAMPLES / "leukaemia-mimic.crmo", None, "--no-pdf")
    ldh = next(o for o in of_type(bundle, "Observation") if o.code.coding[0].code == "2532-0")
    assert ldh.referenceRange[0].low is None and float(ldh.referenceRange[0].high.value) == 300
    assert ldh.interpretation[0].coding[0].code == "H"
    results = next(s for s in bundle.entry[0].resource.section if s.title == "Results and measures")
    assert "<td>LDH</td><td>900 U/L</td><td>≤ 300</td><td>High</td>" in results.text.div


def test_an_empty_case_gives_a_bundle_with_nothing_made_up():
    from desktop_app.case.models import Case
    from desktop_app.fhir.bundle import build_bundle, bundle_json

    bundle = Bundle.model_validate_json(bundle_json(build_bundle(Case(), None, include_pdf=False)))
    kinds = [e.resource.get_resource_type() for e in bundle.entry]
    assert kinds == ["Composition", "Patient", "Practitioner", "Encounter"]
    patient = bundle.entry[1].resource
    assert patient.identifier is None and patient.name is None and patient.gender is None
    assert bundle.entry[0].resource.author[0].display == "clinician not recorded"
