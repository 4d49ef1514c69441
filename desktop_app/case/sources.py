"""Every citation the app uses, defined once (docs/clinical-rules.md).

Criteria, red flags, doses, prognosis facts, the reference panel and the PDF's reference list all
point at these keys, so that a citation is spelled the same everywhere and the reference list is
complete by construction.
"""
from __future__ import annotations

from dataclasses import dataclass


# The spec names some sources only in passing (author and year): the app says so instead of pointing
# clinicians at an internal file.
NOT_BUNDLED = "full citation not included in the app"


@dataclass(frozen=True)
class Source:
    key: str
    short: str  # shown beside a result, e.g. "Roderick 2016"
    citation: str  # full reference for the reference panel and the note
    caveat: str = ""  # e.g. "[wording unverified]" as the spec states it


_SOURCES = [
    Source("orthobullets", "Orthobullets topic review (2021)",
           'Orthobullets. "Chronic Recurrent Multifocal Osteomyelitis (CRMO)", topic review, updated 2021 '
           "(seed topic review)."),
    Source("roderick2016", "Roderick 2016",
           "Roderick MR, Shah R, Rogers V, Finn A, Ramanan AV. Chronic recurrent multifocal osteomyelitis "
           "(CRMO) – advancing the diagnosis. Pediatr Rheumatol Online J 2016;14:47. "
           "doi:10.1186/s12969-016-0109-1.",
           "Wording unverified against the paper's table; the CRP cut-off is printed as \"30 g/L\", "
           "read as 30 mg/L."),
    Source("jansson2009", "Jansson 2009",
           "Jansson AF, Müller TH, Gliera L, et al. Clinical score for nonbacterial osteitis in children "
           "and adults. Arthritis Rheum 2009;60(4):1152–9. doi:10.1002/art.24402.",
           "Points table unverified against the paper (points = round(3·ln OR) as commonly tabulated)."),
    Source("kostik2023", "Kostik 2023",
           "Kostik MM, Maletin AS, Petukhova VV, Mushkin AY. Nonbacterial and bacterial osteomyelitis in "
           "children: a case–control retrospective study. Front Pediatr 2023;11:1067206. "
           "doi:10.3389/fped.2023.1067206."),
    Source("zhao2025", "EULAR/ACR 2025",
           "Zhao Y, Oliver MS, Schnabel A, et al. EULAR/American College of Rheumatology classification "
           "criteria for pediatric chronic nonbacterial osteomyelitis. Ann Rheum Dis 2025;84(9):1458–68. "
           "doi:10.1016/j.ard.2024.11.006 (also Arthritis Rheumatol 2025, doi:10.1002/art.43137).",
           "Per-domain weights not verified: the app gives no points."),
    Source("eular_acr2022_draft", "EULAR/ACR 2022 draft",
           "EULAR/ACR 2022 draft classification criteria, exclusions (" + NOT_BUNDLED + ")."),
    Source("acr2020", "ACR 2020 case–control",
           "ACR 2020 case–control study, CNO versus mimics (" + NOT_BUNDLED + ")."),
    Source("jones2006", "Jones 2006",
           "Jones OY et al. Pediatrics 2006;117:e840."),
    Source("louvigne2020", "Louvigné 2020",
           "Louvigné 2020 (" + NOT_BUNDLED + ")."),
    Source("grote2008", "Grote 2008",
           "Grote 2008 (" + NOT_BUNDLED + ")."),
    Source("standard_practice", "Standard practice",
           "Standard clinical practice for suspected leukaemia."),
    # Rules v2 §6 flag sources.
    Source("bmj2004", "BMJ 2004;329:959",
           "Lesson of the week: steroids given before a bone marrow examination can delay the diagnosis of "
           "leukaemia. BMJ 2004;329:959."),
    Source("clinics2011", "Clinics 2011",
           "Clinics (São Paulo) 2011;66(10), SciELO S1807-59322011001000001 (limb pain: anaemia in 88 % of "
           "leukaemia; leukopenia, neutropenia, thrombocytopenia and high LDH more frequent than in other causes)."),
    Source("pediatrics2019_scurvy", "Pediatrics 2019 (scurvy)",
           "Pediatrics 2019;144(3):e20182824 (scurvy almost only with autism, developmental or behavioural "
           "issues, malabsorption; gingival bleeding, petechiae)."),
    Source("osteoporos_int_scurvy", "Osteoporos Int case pair",
           "Osteoporos Int case pair, PMC7383933 (scurvy confirmed by plasma vitamin C)."),
    Source("pediatr_rheumatol2020_scurvy", "Pediatr Rheumatol 2020 (scurvy)",
           "Pediatr Rheumatol 2020, doi:10.1186/s12969-020-00439-4 (scurvy gives bilateral, symmetric marrow "
           "oedema)."),
    Source("standard_radiology", "Standard radiology",
           "Standard radiology: permeative (moth-eaten) destruction and lamellated, spiculated or "
           "Codman-triangle periosteal reaction mark an aggressive process."),
    Source("bmc_med_genet2019", "BMC Med Genet 2019",
           "BMC Med Genet 2019, doi:10.1186/s12881-019-0919-3 (Majeed syndrome, LPIN2)."),
    Source("aksentijevich2009", "Aksentijevich 2009",
           "Aksentijevich I et al. NEJM 2009;360:2426 (DIRA, IL1RN)."),
    Source("who_hb", "WHO haemoglobin cut-offs",
           "World Health Organization. Haemoglobin concentrations for the diagnosis of anaemia "
           "(2011; 2024 guideline)."),
    Source("iowa", "Univ. of Iowa paediatric ranges",
           "University of Iowa pathology handbook, paediatric reference ranges."),
    Source("common_default", "Common paediatric default",
           "Common paediatric default reference range.",
           "Verify against your laboratory."),
    Source("wurzburg2013", "Pediatr Rheumatol 2013;11:47",
           "Würzburg/Dresden treatment algorithm. Pediatr Rheumatol 2013;11:47 (fig. 3)."),
    Source("beck2010", "Beck 2010",
           "Beck C et al. Arthritis Res Ther 2010;12:R74."),
    Source("bnfc", "BNF for Children (JIA dosing)",
           "British National Formulary for Children, juvenile idiopathic arthritis dosing.",
           "Verify against your local formulary."),
    Source("zhao2018", "CARRA CTPs (Zhao 2018)",
           "Zhao Y et al. Consensus treatment plans (CARRA). Arthritis Care Res 2018;70:1228–37. doi:10.1002/acr.23462."),
    Source("miettunen2009", "Miettunen 2009",
           "Miettunen PM et al. Pediatr Rheumatol 2009;7:2."),
    Source("zoledronate_pilot", "Zoledronic acid pilot (n = 22)",
           "Zoledronic acid in CNO: pilot study, n = 22 (" + NOT_BUNDLED + ")."),
    # --- plan, rules version 2 (§8.2, §8.3, §8.5) ---
    Source("jia_protocol_pmc5678777", "JIA treatment protocol (PMC5678777)",
           "Juvenile idiopathic arthritis treatment protocol, PMC5678777, Table 1: \"up to 2 mg/kg bw daily "
           "(up to 60 mg)\".", "Source title unverified."),
    # bmj2004 (marrow before any glucocorticoid) is defined with the flag sources below.
    Source("uk_jia_guideline", "UK JIA living guideline",
           "UK juvenile idiopathic arthritis living guideline, methotrexate dosing (" + NOT_BUNDLED + ")."),
    Source("ar2619", "Arthritis Res Ther review (doi:10.1186/ar2619)",
           "Review of TNF inhibitors in juvenile idiopathic arthritis, Arthritis Res Ther, "
           "doi:10.1186/ar2619, Table 4 (JIA dosing)."),
    Source("simm2008", "Simm 2008",
           "Simm PJ et al. Pamidronate in chronic recurrent multifocal osteomyelitis. J Pediatr 2008. "
           "doi:10.1016/j.jpeds.2007.08.047."),
    Source("bisphosphonate_checks", "Starship, Leeds and NHS Scotland bisphosphonate guidelines",
           "Starship Children's Hospital and Leeds Children's Hospital bisphosphonate guidelines; NHS Scotland "
           "paediatric pamidronate protocol (" + NOT_BUNDLED + ")."),
    Source("bspar2011", "BSPAR, Arch Dis Child 2011",
           "BSPAR. Arch Dis Child 2011;96(Suppl 1):A77 (varicella status before methotrexate)."),
    Source("tnf_labels", "Adalimumab and golimumab labels",
           "Adalimumab and golimumab prescribing information (latent tuberculosis and hepatitis B screening)."),
    Source("adult_cno2024", "Adult CNO consensus 2024",
           "Adult expert consensus on CNO/SAPHO, Ann Rheum Dis 2024; Rheumatol Adv Pract 2024 (" + NOT_BUNDLED + ")."),
    Source("zanon2011", "Zanon 2011",
           "Zanon G et al. Pediatr Rheumatol 2011;9(Suppl 1):P32."),
    Source("huber2002", "Huber 2002",
           "Huber AM et al. J Pediatr 2002;141:198–203."),
    Source("reiser2023", "Reiser 2023",
           "Reiser C et al. Arthritis Res Ther 2023;25:228."),
    Source("pmid39754119", "PubMed 39754119",
           "Single-centre cohort, predictors of second-line treatment. PubMed 39754119."),
    Source("falip2013", "Falip 2013",
           "Falip C et al. Pediatr Radiol 2013;43:355–75."),
    Source("vittecoq2000", "Vittecoq 2000",
           "Vittecoq O et al. Arthritis Rheum 2000;43:109–19."),
    Source("icd10cm", "ICD-10-CM",
           "ICD-10-CM M86.3- chronic multifocal osteomyelitis; M46.2- osteomyelitis of vertebra."),
    Source("orphanet", "Orphanet ORPHA:324964",
           "Orphanet ORPHA:324964.", "Unverified."),
    Source("loinc", "LOINC", "LOINC codes for laboratory observations."),
    # Rules version 3.
    Source("nice_cg151", "NICE CG151",
           "NICE clinical guideline CG151, Neutropenic sepsis (2012): neutrophils 0.5 × 10⁹/L or lower with "
           "fever."),
    Source("apls5", "APLS 5th edition",
           "Advanced Life Support Group. Advanced Paediatric Life Support, 5th edition: weight estimate by age "
           "(under 1 year 0.5 × months + 4 kg; 1–5 years 2 × years + 8; 6–12 years 3 × years + 7)."),
    Source("pamidronate_label", "Pamidronate label",
           "Pamidronate disodium, product information: \"single doses should not exceed 90 mg\"; \"assess serum "
           "creatinine prior to each treatment; withhold treatment in case of renal deterioration\"."),
    Source("zoledronic_label", "Zoledronic acid label",
           "Zoledronic acid, product information (oncology dose, 4 mg: the largest single dose it gives)."),
    Source("methotrexate_label", "Methotrexate label",
           "Methotrexate, product information: contraindicated in pregnancy."),
    Source("acr2021_jia", "ACR 2021 JIA guideline",
           "Onel KB et al. 2021 American College of Rheumatology guideline for the treatment of juvenile "
           "idiopathic arthritis. Arthritis Care Res 2022;74:521. doi:10.1002/acr.24853."),
    # --- follow-up, rules version 3 (§13) ---
    Source("naproxen_label", "Naproxen label", "Naproxen product label (gastrointestinal bleeding)."),
    Source("starship_bisphosphonate", "Starship bisphosphonate guideline",
           "Starship Children's Hospital bisphosphonate guideline (hypocalcaemia < 2.1 mmol/L; vitamin D before "
           "the infusion) (" + NOT_BUNDLED + ")."),
    Source("leeds_bisphosphonate", "Leeds bisphosphonate guideline",
           "Leeds Children's Hospital bisphosphonate guideline (25-OH vitamin D ≥ 50 nmol/L before the infusion) "
           "(" + NOT_BUNDLED + ")."),
    Source("product_rule", "Product rule (CRMO Consult)",
           "A conservative rule of this app where the published sources give no interval or limit.",
           "Not from a published source."),
    # The lab entry check (units.PLAUSIBLE): no published source, and not to be read as one.
    Source("entry_plausibility", "Entry check for typing errors (CRMO Consult)",
           "Limits on lab entries that catch a number typed in the other unit of its row or with a slipped "
           "digit (e.g. haemoglobin 20–250 g/L). Engineering limit for typing errors, not a clinical threshold "
           "— pending clinician review.",
           "Not from a published source; no flag, alert or rule reads these limits."),
    Source("singh1994", "Singh 1994",
           "Singh G et al. Measurement of health status in children with juvenile rheumatoid arthritis. "
           "Arthritis Rheum 1994;37:1761."),
    Source("wu2023", "Wu 2023", "Wu EY et al. J Rheumatol 2023;50:1333."),
    Source("printo", "PRINTO", "Paediatric Rheumatology International Trials Organisation (" + NOT_BUNDLED + ")."),
    Source("reiser2025", "Reiser 2025", "Reiser C et al. ACR Open Rheumatol 2025. doi:10.1002/acr2.70061."),
    # --- follow-up safety, rules version 4 (§13.4) ---
    Source("ctcae5", "CTCAE v5.0",
           "National Cancer Institute. Common Terminology Criteria for Adverse Events (CTCAE), version 5.0, "
           "27 November 2017: neutrophil count decreased and platelet count decreased, grade 3 (neutrophils "
           "< 1.0 ×10⁹/L; platelets < 50 ×10⁹/L)."),
    Source("bsr2017_dmard", "BSR/BHPR 2017 DMARD monitoring guideline",
           "Ledingham J, Gullick N, Irving K, et al. BSR and BHPR guideline for the prescription and monitoring "
           "of non-biologic disease-modifying anti-rheumatic drugs. Rheumatology (Oxford) 2017;56:865–8 "
           "(ALT or AST > 100 U/L, creatinine rise > 30 % over 12 months or GFR < 60: withhold and discuss; "
           "neutrophils < 1.6 ×10⁹/L: withhold until discussed with the specialist team)."),
    Source("sfe_hypocalcaemia", "Society for Endocrinology emergency guidance, acute hypocalcaemia",
           "Turner J, Gittoes N, Selby P; Society for Endocrinology Clinical Committee. Society for "
           "Endocrinology endocrine emergency guidance: emergency management of acute hypocalcaemia in adult "
           "patients. Endocr Connect 2016;5(5):G7 (adjusted calcium below about 1.9 mmol/L: symptoms, severe).",
           "Adult guidance, used conservatively in children."),
    Source("schwartz2009", "Schwartz GJ et al. J Am Soc Nephrol 2009;20:629",
           "Schwartz GJ, Muñoz A, Schneider MF, et al. New equations to estimate GFR in children with CKD. "
           "J Am Soc Nephrol 2009;20:629. doi:10.1681/ASN.2008030287 (bedside eGFR = 0.413 × height (cm) / "
           "creatinine (mg/dL))."),
    Source("fever_threshold", "Conventional fever threshold (38.0 °C)",
           "38.0 °C is the conventional fever threshold.",
           "Jansson's own definition of normal temperature is unverified."),
]

SOURCES: dict[str, Source] = {s.key: s for s in _SOURCES}
assert len(SOURCES) == len(_SOURCES), "a source key is defined twice"


def source(key: str) -> Source:
    return SOURCES[key]
