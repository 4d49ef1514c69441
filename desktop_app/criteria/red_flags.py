"""Red flags (clinical-rules.md §6): raised only when the data show them, each with a one-line
reason built from the data, the action, and the source's short name."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from desktop_app.case import labels, units
from desktop_app.case.sources import source
from desktop_app.criteria.derived import FEVER_C, Facts
from desktop_app.criteria.types import RedFlag

# Absolute thresholds (×10⁹/L), not reference ranges.
WBC_BELOW = 4.0
NEUTROPHILS_BELOW = 2.0
PLATELETS_BELOW = 100.0
TRIAD_PLATELETS = (150.0, 250.0)  # inclusive
HIGH_CRP = 30.0  # mg/L, at or above
# The 30 mg/L threshold is Bristol's: the spec's footnote goes wherever it is used (§2).
HIGH_CRP_CAVEAT = ("The Bristol paper prints the cut-off as \"30 g/L\"; it is read here as 30 mg/L "
                   "[wording unverified].")
NBODS_CRP = 55.0  # mg/L: above also favours bacterial osteomyelitis
YOUNG_ONSET = 3.0  # years
# CNO is a diagnosis of exclusion: with a flag raised, a "met" criteria set does not stand alone.
RED_FLAGS_WARNING = "Work these up before relying on any criteria result: CNO is a diagnosis of exclusion."
ALTERNATIVE_HISTOLOGY = ("malignancy", "langerhans_cell_histiocytosis", "acute_osteomyelitis", "granulomatous")


@dataclass(frozen=True)
class FlagRule:
    id: str
    label: str
    action: str
    source: str  # short name(s), as printed
    check: Callable[[Facts], Optional[str]]  # evidence line when raised, else None


def _src(*keys: str, extra: str = "") -> str:
    return "; ".join(source(k).short for k in keys) + extra


def _v(f: Facts, analyte: str) -> Optional[float]:
    return f.readings[analyte].value


def _num(x: float) -> str:
    return units.fmt_number(x)


def _blasts(f: Facts):
    return "blasts on the peripheral blood film" if f.case.labs.peripheral_smear_blasts else None


def _cytopenia(f: Facts):
    parts = []
    for analyte, limit, shown in (("wbc", WBC_BELOW, "4.0"), ("neutrophils", NEUTROPHILS_BELOW, "2.0"),
                                  ("platelets", PLATELETS_BELOW, "100")):
        v = _v(f, analyte)
        if v is not None and v < limit:
            parts.append(f"{labels.analyte_name(analyte)} {_num(v)} ×10⁹/L < {shown}")
    return "; ".join(parts) or None


def _triad(f: Facts):
    wbc, plt = _v(f, "wbc"), _v(f, "platelets")
    lo, hi = TRIAD_PLATELETS
    if wbc is not None and plt is not None and wbc < WBC_BELOW and lo <= plt <= hi and f.case.symptoms.night_pain:
        return f"WBC {_num(wbc)} ×10⁹/L < 4.0, platelets {_num(plt)} ×10⁹/L (150–250), night pain"
    return None


def _ldh(f: Facts):
    r = f.readings["ldh"]
    lab = f.case.labs.ldh
    if lab is not None and lab.ref_high is not None and r.value is not None and r.high is not None and r.value > r.high:
        return f"LDH {_num(r.value)} U/L > laboratory upper limit {_num(r.high)} U/L"
    return None


def _fever(f: Facts):
    s = f.case.symptoms
    parts = []
    if s.max_temperature_c is not None and s.max_temperature_c >= FEVER_C:
        parts.append(f"max temperature {s.max_temperature_c:g} °C ≥ {FEVER_C:.1f} °C")
    if s.fever_pattern in ("episodic", "persistent") and (f.temperature_normal is False or s.fever_pattern == "persistent"):
        parts.append(f"fever pattern {s.fever_pattern}")
    return "; ".join(parts) or None


def _high_crp(f: Facts):
    if f.crp is None or f.crp < HIGH_CRP:
        return None
    text = f"{f.crp_text()} ≥ 30 mg/L"
    return text + ("; > 55 mg/L" if f.crp > NBODS_CRP else "")


def _local(f: Facts):
    return "local warmth or erythema" if f.case.symptoms.warmth_erythema else None


def _aggressive(f: Facts):
    found = []
    for les in f.lesions:
        feats = [n for n, v in (("cortical destruction", les.cortical_destruction),
                                ("soft-tissue mass", les.soft_tissue_mass)) if v]
        if feats:
            found.append(f"{labels.lesion_label(les.bone, les.side, les.level)}: {', '.join(feats)}")
    return "; ".join(found) or None


def _unifocal(f: Facts):
    if f.bones == 1 and not f.clavicle_only:
        les = f.lesions[0]
        where = labels.lesion_label(les.bone, les.side, les.level)
        return f"single bone ({where})" + f.bones_caveat()
    return None


def _systemic(f: Facts):
    s = f.case.symptoms
    found = [labels.field_label(f"symptoms.{k}").lower() for k in ("weight_loss", "hepatosplenomegaly", "lymphadenopathy")
             if getattr(s, k)]
    return ", ".join(found) or None


def _young(f: Facts):
    if f.onset_below(YOUNG_ONSET):
        return (f"onset at {f.onset_age:.1f} y" if f.onset_age is not None else f"age {f.age:.1f} y") + " < 3 y"
    return None


def _culture(f: Facts):
    parts = ["blood culture positive"] if f.case.labs.blood_culture == "positive" else []
    parts += [f"bone culture positive (biopsy {i + 1})" for i, b in enumerate(f.case.biopsies) if b.culture == "positive"]
    return "; ".join(parts) or None


def _histology(f: Facts):
    found = [labels.value_label("histology", b.histology) for b in f.case.biopsies if b.histology in ALTERNATIVE_HISTOLOGY]
    return ("histology: " + ", ".join(found)) if found else None


def _culture_on_abx(f: Facts):
    n = [i + 1 for i, b in enumerate(f.case.biopsies) if b.culture == "negative" and b.on_antibiotics_at_biopsy]
    return f"negative bone culture taken on antibiotics (biopsy {', '.join(map(str, n))})" if n else None


RULES: tuple[FlagRule, ...] = (
    FlagRule("blasts", "Blasts on the blood film", "Urgent haematology; bone marrow examination",
             _src("standard_practice"), _blasts),
    FlagRule("cytopenia", "Cytopenia", "Exclude leukaemia: blood film, consider bone marrow",
             f"{source('jones2006').short} (WBC); {source('louvigne2020').short} (neutrophils); "
             f"{source('eular_acr2022_draft').short} exclusion (platelets)", _cytopenia),
    FlagRule("leukaemia_triad", "Leukaemia triad: low WBC, low-normal platelets, night pain",
             "Exclude ALL (triad sensitivity 100 %, specificity 85 % vs JIA)",
             source("jones2006").citation, _triad),
    FlagRule("raised_ldh", "LDH above the laboratory range", "Malignancy work-up",
             f"{source('eular_acr2022_draft').short} exclusion", _ldh),
    FlagRule("fever", "Fever", "Exclude infection and malignancy",
             f"{source('acr2020').short} (fever 16 % CNO vs 31 % mimics); "
             f"{source('kostik2023').short} (34 % NBO vs 91 % bacterial)", _fever),
    FlagRule("high_crp", "CRP at or above 30 mg/L",
             "Atypical for CNO: biopsy pathway (Bristol criterion 2); > 55 mg/L also favours bacterial "
             "osteomyelitis (NBODS). " + HIGH_CRP_CAVEAT, _src("roderick2016", "kostik2023"), _high_crp),
    FlagRule("local_inflammation", "Local warmth or erythema", "Exclude bacterial osteomyelitis / abscess",
             f"{source('roderick2016').short} (typical findings exclude it)", _local),
    FlagRule("aggressive_imaging", "Aggressive imaging features",
             "Malignancy or infection until proven otherwise: MRI with contrast, biopsy",
             f"{source('acr2020').short} (cortical disruption, mass, abscess favour mimics)", _aggressive),
    FlagRule("unifocal_non_clavicle", "Unifocal lesion outside the clavicle",
             "Biopsy needed for Bristol; if no whole-body survey, whole-body MRI first",
             _src("roderick2016"), _unifocal),
    FlagRule("systemic_features", "Systemic features", "Exclude malignancy",
             f"{source('louvigne2020').short} (organomegaly/lymphadenopathy OR 154); "
             f"{source('grote2008').short} (NBO: good general health)", _systemic),
    FlagRule("young_onset", "Onset before 3 years",
             "Consider monogenic autoinflammatory disease (DIRA, Majeed) and mimics", _src("zhao2025"), _young),
    FlagRule("positive_culture", "Positive culture", "Bacterial osteomyelitis: treat as infection", "—", _culture),
    FlagRule("alternative_histology", "Alternative histology", "Alternative diagnosis established", "—",
             _histology),
    FlagRule("culture_on_antibiotics", "Negative culture taken on antibiotics",
             "A negative culture on antibiotics does not exclude infection", _src("roderick2016"), _culture_on_abx),
)


def evaluate(f: Facts) -> list[RedFlag]:
    flags = []
    for rule in RULES:
        evidence = rule.check(f)
        if evidence:
            flags.append(RedFlag(id=rule.id, label=rule.label, evidence=evidence, action=rule.action,
                                 source=rule.source))
    return flags
