"""Prognosis and follow-up lines (clinical-rules.md §9), each with its source, tailored to the case.

Only the facts listed in §9 are used; tailoring chooses which facts apply and names the patient's
findings that triggered them (e.g. the vertebral levels). Pure: no I/O, never raises.
"""
from __future__ import annotations

from desktop_app.case.models import Case
from desktop_app.case.sources import source
from desktop_app.criteria.types import Assessment
from desktop_app.plan.types import PrognosisLine

GROWTH_BONES = {"humerus", "radius", "ulna", "femur", "tibia", "fibula"}


def _src(*keys: str) -> str:
    return "; ".join(source(k).short for k in keys)


def _line(text: str, *keys: str) -> PrognosisLine:
    return PrognosisLine(text=text, source=_src(*keys))


def vertebral_levels(case: Case) -> list[str]:
    return [l.level or "level not recorded" for l in case.imaging.lesions if l.bone == "vertebra"]


def skin_disease(case: Case) -> list[str]:
    a = case.associated
    return [name for name, v in (("psoriasis", a.psoriasis), ("palmoplantar pustulosis", a.palmoplantar_pustulosis),
                                 ("severe acne", a.severe_acne)) if v]


PAEDIATRIC_COHORTS = ("Adult patient: these prognosis figures come from paediatric cohorts; validated data for "
                      "adult CNO are lacking.")


def prognosis(case: Case, assessment: Assessment) -> list[PrognosisLine]:
    d = assessment.derived
    adult = d.adult is True  # §8.5: no growth statement; figures flagged as paediatric
    out = [_line(PAEDIATRIC_COHORTS, "adult_cno2024")] if adult else []
    out += [
        _line("Relapsing–remitting course; usually resolves within years, typically 3–5.", "orthobullets"),
        _line("At 3 years, 70 % are symptom-free and 90 % off therapy.", "zanon2011"),
        _line("Persistent activity in a minority: 26 % still active at a median of 13 years.", "huber2002"),
        _line("Severe course in 5–7 % after 4 years.", "reiser2023"),
    ]
    levels = vertebral_levels(case)
    if levels:
        collapse = any(l.vertebral_collapse for l in case.imaging.lesions if l.bone == "vertebra")
        out.append(_line(
            f"Spinal lesion(s) ({', '.join(levels)}): risk of vertebral collapse and kyphosis"
            + (" (collapse already recorded)" if collapse else "") + "; spinal lesions need MRI follow-up.",
            "falip2013"))
    if d.multifocal and d.bones >= 2:
        out.append(_line(
            f"Multifocal disease ({d.bones} bones affected): each additional affected region raises the "
            "odds of needing second-line treatment (OR 1.94 per region; single-centre cohort).", "pmid39754119"))
    if d.symmetric:
        out.append(_line("Symmetric lesions: higher chance of needing second-line treatment "
                         "(OR 6.86; single-centre cohort).", "pmid39754119"))
    growth = [l for l in case.imaging.lesions if l.bone in GROWTH_BONES]
    if adult:
        pass  # growth disturbance concerns growing bones only (§9: age < 18)
    elif growth:
        sites = ", ".join(sorted({f"{l.side + ' ' if l.side in ('left', 'right') else ''}{l.bone}" for l in growth}))
        out.append(_line(f"Long-bone lesion(s) ({sites}): watch for growth disturbance and limb-length "
                         "discrepancy.", "orthobullets", "zanon2011"))
    else:
        out.append(_line("Complications to watch: growth disturbance and limb-length discrepancy.",
                         "orthobullets", "zanon2011"))
    spa = "Evolution towards spondyloarthropathy in some patients"
    if case.associated.arthritis:
        spa += " (arthritis recorded: watch for it)"
    out.append(_line(spa + ".", "vittecoq2000"))
    return out


def follow_up(case: Case, assessment: Assessment) -> list[PrognosisLine]:
    out = [_line("Clinical review and MRI about 3 months after starting treatment.", "wurzburg2013")]
    survey = case.imaging.whole_body_survey
    wb = "Whole-body MRI to follow silent lesions (in the naproxen cohort, two-thirds of radiological " \
         "relapses were silent)"
    if survey in (None, "none"):
        wb += "; no whole-body survey is recorded yet"
    out.append(_line(wb + ".", "beck2010"))
    levels = vertebral_levels(case)
    if levels:
        out.append(_line(f"Spine imaging (MRI) follow-up: vertebral involvement ({', '.join(levels)}).",
                         "falip2013"))
    skin = skin_disease(case)
    if skin:
        out.append(_line(f"Associated skin disease ({', '.join(skin)}): dermatology review.", ))
    if case.associated.inflammatory_bowel_disease:
        out.append(_line("Associated inflammatory bowel disease: gastroenterology review."))
    return out
