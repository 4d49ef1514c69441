"""Every follow-up alert's source is cited from desktop_app/case/sources.py (one source of truth), so the
Plan tab's tooltip and the note's reference list give its full citation."""
from __future__ import annotations

from desktop_app.case.models import Labs
from desktop_app.case.sources import SOURCES, source
from desktop_app.course.alerts import RULES, follow_up_alerts
from desktop_app.report.references import Citations
from tests.course.helpers import case, days, lab, treatment, visit


def test_every_part_of_every_alert_source_is_a_source_entry():
    for rule in RULES:
        for part in rule.source.split("; "):
            assert any(part.startswith(s.short) for s in SOURCES.values()), (rule.id, part)


def test_no_alert_cites_a_section_of_the_spec():
    assert not [r.id for r in RULES if "§" in r.source]


def _alerts(labs: dict, drug: str, drug_class: str, **kw):
    c = case(treatments=[treatment(drug, drug_class)], visits=[visit("V1", days(90), labs=Labs(**labs), **kw)])
    return {a.id: a for a in follow_up_alerts(c)}


def test_the_v4_alert_sources_print_their_words_and_reach_the_reference_list():
    a = _alerts({"neutrophils": lab(0.9, "10^9/L"), "platelets": lab(40, "10^9/L"), "alt": lab(300, "U/L")},
                "methotrexate", "dmard", max_temperature_c=38.5)
    b = _alerts({"calcium": lab(1.8, "mmol/L"), "creatinine": lab(90, "umol/L")}, "pamidronate", "bisphosphonate")
    expected = {
        "fu_severe_neutropenia": ("CTCAE v5.0 (neutrophil count decreased, grade 3: < 1.0 ×10⁹/L); "
                                  "BSR/BHPR 2017 DMARD monitoring guideline", {"ctcae5", "bsr2017_dmard"}),
        "fu_severe_thrombocytopenia": ("CTCAE v5.0 (platelet count decreased, grade 3: < 50 ×10⁹/L); "
                                       "Naproxen label (bleeding)", {"ctcae5", "naproxen_label"}),
        "fu_raised_alt": ("ACR 2021 JIA guideline; BSR/BHPR 2017 DMARD monitoring guideline (ALT > 100 U/L: "
                          "withhold and discuss)", {"acr2021_jia", "bsr2017_dmard"}),
        "fu_fever": ("Adalimumab and golimumab labels (serious infection: interrupt treatment); Starship "
                     "bisphosphonate guideline; Conventional fever threshold (38.0 °C)",
                     {"tnf_labels", "starship_bisphosphonate", "fever_threshold"}),
        "fu_severe_hypocalcaemia": ("Society for Endocrinology emergency guidance, acute hypocalcaemia (adult "
                                    "guidance, used conservatively)", {"sfe_hypocalcaemia"}),
        "fu_raised_creatinine": ("Pamidronate label; BSR/BHPR 2017 DMARD monitoring guideline (rise > 30 % over "
                                 "12 months); Schwartz GJ et al. J Am Soc Nephrol 2009;20:629 (bedside eGFR)",
                                 {"pamidronate_label", "bsr2017_dmard", "schwartz2009"}),
    }
    raised = {**a, **b}
    for alert_id, (words, keys) in expected.items():
        assert raised[alert_id].source == words, alert_id
        cites = Citations()
        cites.cite(raised[alert_id].source)
        assert {s.key for s in cites.sources} >= keys and not cites.unmatched, alert_id
    assert "Rheumatology (Oxford) 2017;56:865" in source("bsr2017_dmard").citation
    assert "doi:10.1681/ASN.2008030287" in source("schwartz2009").citation
