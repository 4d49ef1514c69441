"""The case-data sections of the note: patient, history and examination, labs, imaging, biopsy,
treatment history. They print what was recorded; "not recorded" is shown, never guessed."""
from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

from desktop_app.case.models import UNPAIRED_BONES, Case
from desktop_app.criteria.derived import TEMPERATURE_NOTE
from desktop_app.criteria.types import Derived
from desktop_app.report import labs as lab_rows
from desktop_app.report.references import Citations
from desktop_app.report.skeleton import lesion_anchor, skeleton_drawing
from desktop_app.report.styles import (
    CELL, CELL_HEAD, RULE, SMALL, esc, gap, heading, key_value_table, markup, para, table,
)
from desktop_app.report.template import BODY_H, CONTENT_W
from desktop_app.case.labels import lesion_label
from desktop_app.case.lesion_ids import lesion_display_id
from desktop_app.report.text import NOT_RECORDED, age_text, choice, date, label, number, yes_no


def patient_section(case: Case, derived: Derived | None) -> list[Flowable]:
    p, e = case.patient, case.encounter
    age = age_text(derived.age_years) if derived else age_text(p.age_years)
    pairs = [
        ("Patient", p.name or NOT_RECORDED),
        ("MRN", p.mrn or NOT_RECORDED),
        ("Date of birth", date(p.date_of_birth)),
        ("Age at encounter", age),
        ("Sex", choice("sex", p.sex)),
        ("Weight", f"{number(p.weight_kg)} kg" if p.weight_kg else NOT_RECORDED),
        ("Height", f"{number(p.height_cm)} cm" if p.height_cm else NOT_RECORDED),
        ("Encounter date", date(e.date)),
        ("Clinician", e.clinician or NOT_RECORDED),
        ("Service", e.service or NOT_RECORDED),
        ("Referring clinician", e.referring_clinician or NOT_RECORDED),
        ("Reason for referral", e.reason or NOT_RECORDED),
    ]
    half = (len(pairs) + 1) // 2
    return [heading("Patient and encounter"), _pairs_side_by_side(pairs[:half], pairs[half:], (0.38, 0.42))]


def _pairs_side_by_side(left: list[tuple[str, str]], right: list[tuple[str, str]],
                        key_fracs: tuple[float, float]) -> Table:
    """Two label | value lists side by side in ONE four-column table (not two tables nested in a
    one-row table: that row cannot split, and a pasted 3,000-character reason overflowed the page
    with a LayoutError). splitInRow lets a tall row break across pages."""
    half_w = CONTENT_W / 2
    widths = [half_w * key_fracs[0], half_w * (1 - key_fracs[0]) - 2 * mm, 2 * mm + half_w * key_fracs[1],
              half_w * (1 - key_fracs[1])]
    rows = []
    for i in range(max(len(left), len(right))):
        row: list[object] = []
        for side in (left, right):
            k, v = side[i] if i < len(side) else ("", "")
            row += [para(k, CELL_HEAD), para(v, CELL)]
        rows.append(row)
    grid = Table(rows, colWidths=widths, hAlign="LEFT", splitInRow=1)
    grid.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (1, len(left) - 1), 0.25, RULE),
        ("LINEBELOW", (2, 0), (3, len(right) - 1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (2, 0), (2, -1), 2 * mm + 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]))
    return grid


_SYMPTOMS = ["bone_pain", "localized_swelling", "focal_tenderness", "warmth_erythema", "night_pain",
             "malaise", "weight_loss", "hepatosplenomegaly", "lymphadenopathy"]
_ASSOCIATED = ["palmoplantar_pustulosis", "psoriasis", "severe_acne", "inflammatory_bowel_disease",
               "arthritis", "family_history_autoinflammatory"]
_MIMICS = ["malignancy", "infection", "vitamin_c_deficiency", "hypophosphatasia", "monogenic"]


DATE_NOTES = ("Encounter date not recorded", "First symptom date is after")  # printed with the history


def history_section(case: Case, derived: Derived | None) -> list[Flowable]:
    s = case.symptoms
    onset = f"{date(s.first_symptom_date)}"
    if derived and derived.symptom_weeks is not None:
        onset += f" ({number(derived.symptom_weeks)} weeks before the encounter)"
    if derived and derived.onset_age_years is not None:
        onset += f"; onset age {age_text(derived.onset_age_years)}"
    temp = f"{number(s.max_temperature_c)} °C" if s.max_temperature_c is not None else NOT_RECORDED
    pairs = [(label(f"symptoms.{k}"), yes_no(getattr(s, k), "present", "absent")) for k in _SYMPTOMS]
    pairs += [
        (label("symptoms.max_temperature_c"), temp),
        (label("symptoms.fever_pattern"), choice("fever_pattern", s.fever_pattern)),
        (label("symptoms.first_symptom_date"), onset),
        (label("symptoms.episodes"), str(s.episodes) if s.episodes else NOT_RECORDED),
    ]
    assoc = [(label(f"associated.{k}"), yes_no(getattr(case.associated, k), "present", "absent"))
             for k in _ASSOCIATED]
    mimics = [(label(f"mimics.{k}"), yes_no(getattr(case.mimics, k), "confirmed", "excluded").replace(
        NOT_RECORDED, "not assessed")) for k in _MIMICS]
    w = CONTENT_W / 2 - 2 * mm
    right = [heading("Associated conditions", 3), key_value_table(assoc, w, 0.6),
             heading("Mimics (confirmed / excluded)", 3), key_value_table(mimics, w, 0.6)]
    left = [heading("Symptoms and examination", 3), key_value_table(pairs, w, 0.5)]
    grid = Table([[left, right]], colWidths=[CONTENT_W / 2, CONTENT_W / 2], hAlign="LEFT")
    grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    dates = [para(n, SMALL) for n in (derived.notes if derived else []) if n.startswith(DATE_NOTES)]
    return [heading("Presenting history and examination"), grid, *dates]


def labs_section(case: Case, cite: Citations) -> list[Flowable]:
    rows = [["Test", "Value", "Unit", "Reference range used", "Flag", "LOINC"]]
    for r in lab_rows.rows(case):
        rows.append([r.name, r.value, r.unit, r.range_text, r.flag, r.loinc])
        if r.source_key:
            cite.cite_key(r.source_key)
    out: list[Flowable] = [heading("Laboratory results")]
    if len(rows) == 1:
        out.append(para("No laboratory values recorded."))
    else:
        widths = [0.2, 0.1, 0.1, 0.36, 0.12, 0.12]
        out.append(table(rows, [CONTENT_W * f for f in widths]))
    extras = [
        f"Blood culture: {choice('culture', case.labs.blood_culture)}",
        f"Blasts on the blood film: {yes_no(case.labs.peripheral_smear_blasts, 'seen', 'not seen')}",
    ]
    out += [gap(1), para(" · ".join(extras), SMALL)]
    return out


NOTE_CELL_LIMIT = 240  # longer notes would make a narrow column run for pages: printed in full below


def _note_cell(ref: str, text: str, overflow: list[tuple[str, str]]) -> str:
    if len(text) <= NOTE_CELL_LIMIT:
        return text
    overflow.append((ref, text))
    return text[:NOTE_CELL_LIMIT].rstrip() + "… (in full below the table)"


def _overflow_notes(title: str, overflow: list[tuple[str, str]]) -> list[Flowable]:
    out: list[Flowable] = []
    for ref, text in overflow:
        out.append(markup(f"<b>{esc(title)} {esc(ref)}:</b>", SMALL))
        out.append(para(text))
    return out


_FEATURES = ["lytic", "sclerosis", "new_bone_formation", "marrow_edema", "hyperostosis",
             "soft_tissue_mass", "cortical_destruction", "vertebral_collapse"]


def _features(lesion) -> str:
    present = [label(f"lesion.{f}").lower() for f in _FEATURES if getattr(lesion, f) is True]
    absent = [label(f"lesion.{f}").lower() for f in _FEATURES if getattr(lesion, f) is False]
    parts = []
    if present:
        parts.append("present: " + ", ".join(present))
    if absent:
        parts.append("absent: " + ", ".join(absent))
    return "; ".join(parts) or NOT_RECORDED


def imaging_section(case: Case, derived: Derived | None) -> list[Flowable]:
    im = case.imaging
    summary = [f"Whole-body survey: {choice('whole_body_survey', im.whole_body_survey)}",
               f"last MRI: {date(im.last_mri_date)}"]
    if derived:
        summary.append(f"{derived.sites} site(s) in {derived.bones} bone(s)")
        summary.append(f"multifocal: {yes_no(derived.multifocal, 'yes', 'no').replace(NOT_RECORDED, 'unknown')}")
        summary.append(f"symmetric: {yes_no(derived.symmetric).replace(NOT_RECORDED, 'unknown')}")
    intro: list[Flowable] = [heading("Imaging"), para("; ".join(summary))]
    if derived:
        # Only the imaging notes here: the fever threshold is said beside the criteria that use it.
        intro += [para(n, SMALL) for n in derived.notes if n != TEMPERATURE_NOTE and not n.startswith(DATE_NOTES)]
    out: list[Flowable] = []
    if not im.lesions:
        return intro + [para("No lesions recorded.")]
    rows = [["ID", "Bone, side, segment", "Seen on", "Features", "Symptomatic", "Notes"]]
    overflow: list[tuple[str, str]] = []
    for lesion in im.lesions:
        where = lesion_label(lesion.bone, lesion.side, lesion.level)
        if lesion.side is None and lesion.bone not in UNPAIRED_BONES:
            where += " (side not recorded)"
        if lesion.segment:
            where += f", {choice('segment', lesion.segment).lower()}"
        rows.append([lesion_display_id(lesion.id) or "—", where, ", ".join(choice("modality", m) for m in lesion.modalities) or NOT_RECORDED,
                     _features(lesion), yes_no(lesion.symptomatic),
                     _note_cell(lesion_display_id(lesion.id) or where, lesion.notes, overflow)])
    fig_w = 40 * mm
    table_w = CONTENT_W - fig_w - 3 * mm
    widths = [0.05, 0.18, 0.16, 0.28, 0.19, 0.14]
    lesion_table = table(rows, [table_w * f for f in widths])
    figure = skeleton_drawing(im.lesions, height=80 * mm)
    caption = "Front view: the patient's right is on the left."
    unplaced = [lesion_display_id(l.id) or choice("bone", l.bone) for l in im.lesions if lesion_anchor(l) is None]
    if unplaced:
        caption += " In the tray (bone, side or level not placeable): " + ", ".join(unplaced) + "."
    fig_cell = [figure, para(caption, SMALL)]
    # Side by side only when it fits on one page: a table nested in a cell cannot split across
    # pages, so a few lesions with very long text (a 1,000-character level) go the long way.
    layout = Table([[lesion_table, fig_cell]], colWidths=[table_w + 3 * mm, fig_w], hAlign="LEFT")
    layout.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, 0), 3 * mm)]))
    if len(im.lesions) <= 6 and layout.wrap(CONTENT_W, BODY_H)[1] <= BODY_H * 0.8:
        out.append(KeepTogether([*intro, layout]))  # heading and summary stay with the table
    else:
        # A long lesion list must be free to split across pages, so the figure goes after it.
        out.append(KeepTogether([*intro, table(rows, [CONTENT_W * f for f in widths])]))
        out.append(KeepTogether([gap(2), figure, para(caption, SMALL)]))
    return out + _overflow_notes("Lesion", overflow)


def biopsy_section(case: Case) -> list[Flowable]:
    out: list[Flowable] = [heading("Biopsy and cultures")]
    if not case.biopsies:
        out.append(para("No bone biopsy recorded."))
    else:
        rows = [["Date", "Lesion", "Histology", "Culture", "On antibiotics", "Notes"]]
        overflow: list[tuple[str, str]] = []
        for n, b in enumerate(case.biopsies, start=1):
            rows.append([date(b.date), lesion_display_id(b.lesion_id or "") or NOT_RECORDED, choice("histology", b.histology),
                         choice("culture", b.culture), yes_no(b.on_antibiotics_at_biopsy),
                         _note_cell(str(n), b.notes, overflow)])
        out.append(table(rows, [CONTENT_W * f for f in (0.12, 0.1, 0.2, 0.12, 0.12, 0.34)]))
        out += _overflow_notes("Biopsy", overflow)
    out.append(para(f"Blood culture: {choice('culture', case.labs.blood_culture)}", SMALL))
    return out


def treatment_history_section(case: Case) -> list[Flowable]:
    out: list[Flowable] = [heading("Treatment history")]
    if not case.treatments:
        return out + [para("No treatment recorded.")]
    rows = [["Drug", "Class", "Start", "End", "Dose", "Response"]]
    for t in case.treatments:
        rows.append([t.drug or NOT_RECORDED, choice("drug_class", t.drug_class), date(t.start_date),
                     date(t.end_date), t.dose or NOT_RECORDED, choice("response", t.response)])
    out.append(table(rows, [CONTENT_W * f for f in (0.2, 0.15, 0.13, 0.13, 0.24, 0.15)]))
    return out


def clinician_notes_section(case: Case) -> list[Flowable]:
    out: list[Flowable] = [heading("Clinician's impression and plan notes")]
    out.append(markup("<b>Impression</b>"))
    out.append(para(case.impression or NOT_RECORDED))
    out.append(gap(1.5))
    out.append(markup("<b>Plan notes</b>"))
    out.append(para(case.plan_notes or NOT_RECORDED))
    return out


__all__ = ["patient_section", "history_section", "labs_section", "imaging_section", "biopsy_section",
           "treatment_history_section", "clinician_notes_section", "esc"]
