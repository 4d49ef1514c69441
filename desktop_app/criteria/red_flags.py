"""Red flags (clinical-rules.md §6, rules version 3): raised only when the data show them, each with
a one-line reason built from the data, the action, the source, a tier and the mimic it points to.

A raised flag stays raised (it is part of the record), but a recorded exclusion may *address* it:
it is then shown greyed with what the clinician recorded, and withholds nothing (§6, "Addressed").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

from desktop_app.case import labels, units
from desktop_app.case.models import LesionFindings
from desktop_app.case.visits import first_seen_at_visit
from desktop_app.case.sources import source
from desktop_app.criteria.derived import FEVER_C, Facts
from desktop_app.criteria.types import TIERS, CriteriaResult, RedFlag

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
# Severe anaemia (WHO 2011, the same table as §7), g/L: below 70 at 6–59 months, below 80 from 5 years;
# under 6 months the WHO gives no threshold, so the flag is not raised.
SEVERE_HB = ((0.5, 70.0), (5.0, 80.0))  # (from age in years, threshold)
FEBRILE_NEUTROPHILS = 0.5  # ×10⁹/L, at or below (NICE CG151)
# CNO is a diagnosis of exclusion: with a flag raised, a "met" criteria set does not stand alone.
RED_FLAGS_WARNING = "Work these up before relying on any criteria result: CNO is a diagnosis of exclusion."
ALTERNATIVE_HISTOLOGY = ("malignancy", "langerhans_cell_histiocytosis", "acute_osteomyelitis", "granulomatous")
AGGRESSIVE_FEATURES = ("cortical_destruction", "soft_tissue_mass", "permeative_destruction",
                       "aggressive_periosteal_reaction")
SCURVY_RISKS = ("associated.restricted_diet", "associated.neurodevelopmental_disorder",
                "associated.malabsorption", "symptoms.gingival_bleeding", "symptoms.petechiae")
# The mimics a flag can point to (the Mimics record, case-format.md) and how they read.
MIMIC_WORDS = {"malignancy": "malignancy", "infection": "infection",
               "vitamin_c_deficiency": "vitamin C deficiency", "hypophosphatasia": "hypophosphatasia",
               "monogenic": "monogenic autoinflammatory disease"}
BIOPSY = "biopsy"
# §6 v4: wherever a bone biopsy is asked for (multifocal osseous tuberculosis mimics CNO: Harish 2012).
BIOPSY_TESTS = "histology, and bacterial and mycobacterial culture"
# §6 v4: the fever flag's action adds tuberculosis with a persistent fever, weight loss or lymphadenopathy.
TB_TESTS = ("tuberculosis too: interferon-γ release assay or tuberculin skin test, chest radiograph "
            "(persistent fever, weight loss or lymphadenopathy)")
TB_SIGNS = ("weight_loss", "lymphadenopathy")
# §13.1 v4: flags a visit's own imaging can raise; raised only that way they do not hold the gate.
VISIT_IMAGING_FLAGS = ("aggressive_imaging", "vertebral_collapse")
TIER_WORDS = {"urgent": "Urgent", "exclude_first": "Exclude first", "caution": "Caution"}
TIER_MEANING = {"urgent": "act today; no CNO treatment",
                "exclude_first": "a mimic must be excluded before CNO treatment is proposed",
                "caution": "CNO remains possible, but a step is needed first"}


@dataclass(frozen=True)
class FlagRule:
    id: str
    tier: str
    points_to: tuple[str, ...]  # mimic names or "biopsy"; alternative_histology names its histology
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


def _anaemia(f: Facts):
    # Below the lower limit: the lab's own ref_low, else the §7 default (the reading applies both).
    r = f.readings["hemoglobin"]
    if r.value is None or r.status != "low":
        return None
    return f"{f.lab_text('hemoglobin')} below the lower limit ({r.range_text})"


def _severe_anaemia(f: Facts):
    hb = _v(f, "hemoglobin")
    if hb is None:
        return None
    if f.age is None:
        # Conservative reading (the spec is silent): with no age, the lower threshold (70 g/L) applies
        # from 6 months on; below it the haemoglobin is severe at any age the WHO table covers.
        limit, caveat = SEVERE_HB[0][1], " (age not recorded: the 6–59 months threshold applied)"
    elif f.age < SEVERE_HB[0][0]:
        return None
    else:
        limit = SEVERE_HB[1][1] if f.age >= SEVERE_HB[1][0] else SEVERE_HB[0][1]
        caveat = ""
    if hb >= limit:
        return None
    return f"{f.lab_text('hemoglobin')} < {_num(limit)} g/L{caveat}"


def _low_lineages(f: Facts) -> list[str]:
    """The lineages below their limits (§6 bicytopenia): red cells, white cells (one lineage), platelets."""
    low = []
    if f.readings["hemoglobin"].value is not None and f.readings["hemoglobin"].status == "low":
        low.append(f"{f.lab_text('hemoglobin')} below range")
    white = [f"{_lower(labels.analyte_name(a))} {_num(_v(f, a))} ×10⁹/L < {shown}"
             for a, limit, shown in (("wbc", WBC_BELOW, "4.0"), ("neutrophils", NEUTROPHILS_BELOW, "2.0"))
             if _v(f, a) is not None and _v(f, a) < limit]
    if white:
        low.append(" and ".join(white))
    plt = _v(f, "platelets")
    if plt is not None and plt < PLATELETS_BELOW:
        low.append(f"platelets {_num(plt)} ×10⁹/L < 100")
    return low


def _lower(name: str) -> str:
    return name if name[1:2].isupper() else name.lower()  # "WBC" stays, "Neutrophils" mid-sentence does not


def _bicytopenia(f: Facts):
    low = _low_lineages(f)
    return f"{len(low)} lineages low: " + "; ".join(low) if len(low) >= 2 else None


def _febrile_neutropenia(f: Facts):
    n, t = _v(f, "neutrophils"), f.case.symptoms.max_temperature_c
    if n is None or n > FEBRILE_NEUTROPHILS or t is None or t < FEVER_C:
        return None  # a fever history alone does not make it: a measured temperature is needed
    return f"neutrophils {_num(n)} ×10⁹/L ≤ 0.5 with a measured temperature of {t:g} °C"


_NO_FINDINGS = LesionFindings()


def _with_findings(f: Facts, les):
    """The lesion with the features recorded for it at any visit (`lesion_findings`, schema 5): the
    diagnosis reads every lesion as it now stands (§13.1 v4)."""
    found = {k: True for v in f.case.visits for k, x in v.lesion_findings.get(les.id or "", _NO_FINDINGS)
             .model_dump().items() if x is True} if les.id else {}
    return les.model_copy(update=found) if found else les


def _first_consultation_lesions(f: Facts):
    """The lesions as the first consultation recorded them: not new at a visit, no visit findings."""
    new_at = first_seen_at_visit(f.case)
    return [les for les in f.lesions if not (les.id and les.id in new_at)]


def _collapse_in(lesions) -> Optional[str]:
    levels = [les.level or "level not recorded" for les in lesions if les.bone == "vertebra" and les.vertebral_collapse]
    return f"vertebral collapse ({', '.join(levels)})" if levels else None


def _collapse(f: Facts):
    return _collapse_in([_with_findings(f, les) for les in f.lesions])


def _ldh(f: Facts):
    r = f.readings["ldh"]
    lab = f.case.labs.ldh
    if lab is not None and lab.ref_high is not None and r.value is not None and r.high is not None and r.value > r.high:
        return f"LDH {_num(r.value)} U/L > laboratory upper limit {_num(r.high)} U/L"
    return None


def _fever(f: Facts):
    s = f.case.symptoms
    if f.temperature_normal is not False and s.fever_pattern != "persistent":
        return None
    parts = []
    if s.max_temperature_c is not None and s.max_temperature_c >= FEVER_C:
        parts.append(f"max temperature {s.max_temperature_c:g} °C ≥ {FEVER_C:.1f} °C")
    if s.fever_pattern in ("episodic", "persistent", "reported"):
        parts.append(f"fever pattern: {labels.value_label('fever_pattern', s.fever_pattern).lower()}")
    return "; ".join(parts) or "fever"


def _high_crp(f: Facts):
    if f.crp is None or f.crp < HIGH_CRP:
        return None
    text = f"{f.crp_text()} ≥ 30 mg/L"
    return text + ("; > 55 mg/L" if f.crp > NBODS_CRP else "")


def _local(f: Facts):
    return "local warmth or erythema" if f.case.symptoms.warmth_erythema else None


def _aggressive_in(lesions) -> Optional[str]:
    found = []
    for les in lesions:
        feats = [labels.field_label(f"lesion.{k}").lower() for k in AGGRESSIVE_FEATURES if getattr(les, k)]
        if feats:
            found.append(f"{labels.lesion_label(les.bone, les.side, les.level)}: {', '.join(feats)}")
    return "; ".join(found) or None


def _aggressive(f: Facts):
    return _aggressive_in([_with_findings(f, les) for les in f.lesions])


# Whether the first consultation's own lesions raise the flag (else only a visit's imaging does).
AT_FIRST_CONSULTATION = {"aggressive_imaging": lambda f: _aggressive_in(_first_consultation_lesions(f)),
                         "vertebral_collapse": lambda f: _collapse_in(_first_consultation_lesions(f))}


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


def _scurvy(f: Facts):
    c = f.case
    found = [labels.field_label(p).lower() for p in SCURVY_RISKS
             if getattr(getattr(c, p.split(".")[0]), p.split(".")[1])]
    return ", ".join(found) or None


def _young(f: Facts):
    if f.onset_below(YOUNG_ONSET):
        return (f"onset at {f.onset_age:.1f} y" if f.onset_age is not None else f"age {f.age:.1f} y") + " < 3 y"
    return None


def _culture(f: Facts):
    parts = ["blood culture positive"] if f.case.labs.blood_culture == "positive" else []
    parts += [f"bone culture positive (biopsy {i + 1})" for i, b in enumerate(f.case.biopsies) if b.culture == "positive"]
    # §13.7 item 13: a positive mycobacterial culture is infection: tuberculosis.
    parts += [f"mycobacterial culture positive (biopsy {i + 1}): tuberculosis"
              for i, b in enumerate(f.case.biopsies) if b.mycobacterial_culture == "positive"]
    return "; ".join(parts) or None


def _histology(f: Facts):
    found = [labels.value_label("histology", b.histology) for b in f.case.biopsies if b.histology in ALTERNATIVE_HISTOLOGY]
    return ("histology: " + ", ".join(found)) if found else None


def _culture_on_abx(f: Facts):
    n = [i + 1 for i, b in enumerate(f.case.biopsies) if b.culture == "negative" and b.on_antibiotics_at_biopsy]
    return f"negative bone culture taken on antibiotics (biopsy {', '.join(map(str, n))})" if n else None


# In the order of the §6 table: tiers are applied on top of it when the flags are listed.
RULES: tuple[FlagRule, ...] = (
    FlagRule("blasts", "urgent", ("malignancy",), "Blasts on the blood film",
             "Same-day haematology/oncology referral; bone marrow examination; no glucocorticoid or NSAID before it",
             _src("standard_practice", "bmj2004", extra=" (steroids before marrow delay diagnosis)"), _blasts),
    FlagRule("severe_anaemia", "urgent", ("malignancy",), "Severe anaemia",
             "Same-day blood film and haematology referral; bone marrow examination if unexplained; no "
             "glucocorticoid before it", _src("who_hb", "bmj2004"), _severe_anaemia),
    FlagRule("bicytopenia", "urgent", ("malignancy",), "Two blood cell lineages low",
             "Same-day haematology referral: blood film and bone marrow examination; no glucocorticoid before it",
             f"{source('clinics2011').short} (cytopenias together are more frequent in leukaemia); "
             f"{source('standard_practice').short}", _bicytopenia),
    FlagRule("febrile_neutropenia", "urgent", ("infection", "malignancy"), "Febrile neutropenia",
             "Same day: blood culture and antibiotics per the local neutropenic sepsis protocol; blood film; "
             "haematology", _src("nice_cg151"), _febrile_neutropenia),
    FlagRule("positive_culture", "urgent", ("infection",), "Positive culture",
             "Bacterial osteomyelitis: treat as infection", "—", _culture),
    FlagRule("alternative_histology", "urgent", (), "Alternative histology",
             "Alternative diagnosis established: refer accordingly", "—", _histology),
    FlagRule("cytopenia", "exclude_first", ("malignancy",), "Cytopenia",
             "Exclude leukaemia: blood film, bone marrow examination",
             f"{source('jones2006').short} (WBC); {source('louvigne2020').short} (neutrophils); "
             f"{source('eular_acr2022_draft').short} exclusion (platelets)", _cytopenia),
    FlagRule("leukaemia_triad", "exclude_first", ("malignancy",),
             "Leukaemia triad: low WBC, low-normal platelets, night pain",
             "Exclude ALL (triad sensitivity 100 %, specificity 85 % vs JIA): blood film, bone marrow",
             source("jones2006").citation, _triad),
    FlagRule("anaemia", "exclude_first", ("malignancy",), "Anaemia",
             "Exclude leukaemia: blood film; bone marrow if unexplained",
             f"{source('clinics2011').short} (anaemia 88 % in leukaemia)", _anaemia),
    FlagRule("raised_ldh", "exclude_first", ("malignancy",), "LDH above the laboratory range", "Malignancy work-up",
             f"{source('eular_acr2022_draft').short} exclusion; {source('clinics2011').short} (high LDH 56 % vs 14 %)",
             _ldh),
    FlagRule("systemic_features", "exclude_first", ("malignancy",), "Systemic features", "Exclude malignancy",
             f"{source('louvigne2020').short} (organomegaly/lymphadenopathy OR 154); "
             f"{source('grote2008').short} (NBO: good general health)", _systemic),
    FlagRule("aggressive_imaging", "exclude_first", ("malignancy", "infection"), "Aggressive imaging features",
             f"Malignancy or infection until proven otherwise: MRI with contrast, bone biopsy ({BIOPSY_TESTS})",
             f"{source('acr2020').short} (cortical disruption, mass, abscess favour mimics); "
             f"{source('standard_radiology').short}", _aggressive),
    FlagRule("vertebral_collapse", "exclude_first", ("malignancy",), "Vertebral collapse",
             "Exclude leukaemia and Langerhans cell histiocytosis before CNO treatment: blood film, bone marrow, "
             f"bone biopsy ({BIOPSY_TESTS}) where the vertebra is accessible; spine review",
             f"{source('standard_practice').short} (vertebra plana: Langerhans cell histiocytosis, leukaemia, "
             f"CNO); {source('falip2013').short}", _collapse),
    FlagRule("fever", "exclude_first", ("infection", "malignancy"), "Fever",
             "Exclude infection and malignancy: blood culture, blood film",
             f"{source('acr2020').short} (fever 16 % CNO vs 31 % mimics); "
             f"{source('kostik2023').short} (34 % NBO vs 91 % bacterial)", _fever),
    FlagRule("local_inflammation", "exclude_first", ("infection",), "Local warmth or erythema",
             "Exclude bacterial osteomyelitis / abscess",
             f"{source('roderick2016').short} (typical findings exclude it)", _local),
    FlagRule("scurvy_risk", "exclude_first", ("vitamin_c_deficiency",), "Risk or signs of vitamin C deficiency",
             "Measure plasma vitamin C before treating or classifying",
             _src("pediatrics2019_scurvy", "osteoporos_int_scurvy", "zhao2025",
                  extra=" (vitamin C deficiency is an exclusion)"), _scurvy),
    FlagRule("high_crp", "caution", (BIOPSY,), "CRP at or above 30 mg/L",
             "Atypical for CNO: biopsy pathway (Bristol criterion 2); above 55 mg/L it is also one item of the "
             "NBO score that favours bacterial osteomyelitis (the score's total decides). " + HIGH_CRP_CAVEAT, _src("roderick2016", "kostik2023"), _high_crp),
    FlagRule("unifocal_non_clavicle", "caution", (BIOPSY,), "Unifocal lesion outside the clavicle",
             f"Bone biopsy ({BIOPSY_TESTS}) needed for Bristol; if no whole-body survey, whole-body MRI first",
             _src("roderick2016"), _unifocal),
    FlagRule("culture_on_antibiotics", "caution", (BIOPSY,), "Negative culture taken on antibiotics",
             "A negative culture on antibiotics does not exclude infection", _src("roderick2016"), _culture_on_abx),
    FlagRule("young_onset", "exclude_first", ("monogenic",), "Onset before 3 years",
             "Consider monogenic autoinflammatory disease: genetic testing (LPIN2 — Majeed syndrome, with "
             "congenital dyserythropoietic anaemia; IL1RN — DIRA, neonatal pustulosis); non-genetic CNO is "
             "rare before 3", _src("zhao2025", "bmc_med_genet2019", "aksentijevich2009"), _young),
)
RULES_BY_ID = {r.id: r for r in RULES}


def confirmed_mimics(f: Facts) -> list[str]:
    """Mimics recorded as confirmed: each counts as an urgent finding (§6)."""
    return [m for m in MIMIC_WORDS if getattr(f.mimics, m) is True]  # as of now (§13.1 v4)


def _addressed(rule: FlagRule, f: Facts, bristol: CriteriaResult) -> Optional[str]:
    """What the clinician recorded that addresses the flag, in words; None while it is open (§6)."""
    if rule.tier == "urgent":
        return None  # urgent flags establish another diagnosis or demand action today
    if rule.points_to == (BIOPSY,):
        if bristol.status != "met":
            return None
        if rule.id == "culture_on_antibiotics":
            return "Bristol 2016 criteria met (multifocal disease meeting criterion 1 needs no biopsy)"
        return "Bristol 2016 criteria met through criterion 2 (biopsy: inflammatory changes, no growth, off antibiotics)"
    if all(getattr(f.mimics, m) is False for m in rule.points_to):  # as of now (§13.1 v4)
        if rule.id == "young_onset":
            return "genetic testing negative"
        return " and ".join(MIMIC_WORDS[m] for m in rule.points_to) + " recorded as excluded"
    return None


def evaluate(f: Facts, bristol: CriteriaResult) -> list[RedFlag]:
    """The raised flags, by tier (urgent, exclude first, caution), then in §6 table order."""
    flags = []
    for rule in RULES:
        evidence = rule.check(f)
        if not evidence:
            continue
        points_to = list(rule.points_to) or [b.histology for b in f.case.biopsies
                                             if b.histology in ALTERNATIVE_HISTOLOGY]
        by = _addressed(rule, f, bristol)
        if rule.id == "fever" and by is not None and _fever_on_immunosuppression(f):
            by = None  # §13.7 item 39: the fever alert of a patient on treatment stands; exclusions do not address it
        if rule.id in AT_FIRST_CONSULTATION and not AT_FIRST_CONSULTATION[rule.id](f):
            # §13.1 v4: raised only by a visit's imaging, its follow-up alert governs — an exclusion recorded
            # before the finding did not see it, and one recorded after does not lift the alert (item 33).
            by = VISIT_ONLY
        flags.append(RedFlag(id=rule.id, label=rule.label, evidence=evidence, action=_action(rule, f),
                             source=rule.source, tier=rule.tier, points_to=list(dict.fromkeys(points_to)),
                             addressed=by is not None, addressed_by=by))
    return sorted(flags, key=lambda fl: TIERS.index(fl.tier))  # stable: table order within a tier


# §13.1 v4: how a flag raised only by a visit's imaging reads (shown for the record, greyed; the follow-up
# alert — a new aggressive lesion, a new vertebral collapse — holds the plan instead).
VISIT_ONLY = "first recorded at a follow-up visit: its follow-up alert governs (it holds the plan until lifted)"


# §13.7 items 3, 39: the drugs on which a fever is urgent (a TNF inhibitor, methotrexate, sulfasalazine, a
# glucocorticoid), matched by class or by the first word of the name (the course's full matching needs the
# course layer, above this one).
FEVER_DRUG_CLASSES = ("tnf_inhibitor", "glucocorticoid")
FEVER_DRUG_NAMES = ("methotrexate", "sulfasalazine")


def _fever_on_immunosuppression(f: Facts) -> bool:
    """A case without visits, a measured fever at the first consultation, and one of those drugs current at
    encounter.date (started on or before it, not ended by then, no stop reason without an end date)."""
    c, when = f.case, f.case.encounter.date
    t_c = c.symptoms.max_temperature_c
    if c.visits or when is None or t_c is None or t_c < FEVER_C:
        return False
    return any(t.start_date is not None and t.start_date <= when and (t.end_date is None or t.end_date > when)
               and not (t.end_date is None and t.stop_reason is not None)
               and (t.drug_class in FEVER_DRUG_CLASSES or (t.drug.strip().lower().split() or [""])[0] in FEVER_DRUG_NAMES)
               for t in c.treatments)


def _action(rule: FlagRule, f: Facts) -> str:
    s = f.case.symptoms
    if rule.id == "fever" and (s.fever_pattern == "persistent" or any(getattr(s, k) for k in TB_SIGNS)):
        return f"{rule.action}; {TB_TESTS}"
    if rule.id == "positive_culture" and not f.case.labs.blood_culture == "positive" and not any(
            b.culture == "positive" for b in f.case.biopsies):
        return "Infection (tuberculosis: positive mycobacterial culture): treat as infection"
    return rule.action


def points_to_words(flag: RedFlag) -> str:
    """"malignancy and infection", "a biopsy", "Langerhans cell histiocytosis"."""
    words = [MIMIC_WORDS.get(p) or ("a biopsy" if p == BIOPSY else labels.value_label("histology", p))
             for p in flag.points_to]
    return " and ".join(words)
