"""Offline background on CRMO/CNO (clinical-rules.md §11), as pure data.

Read by the Reference panel and available to the PDF note; the wording follows §11 (the seed topic
review) and adds nothing to it.
"""
from __future__ import annotations

BACKGROUND_SOURCE = "orthobullets"  # key in desktop_app.case.sources

BACKGROUND: list[tuple[str, str]] = [
    ("Epidemiology",
     "Incidence about 1 in 250,000, prevalence about 1 in 160,000; mostly children and adolescents, peak "
     "onset around 10 years (7–12 in cohorts); girls more often than boys in Western cohorts."),
    ("Sites",
     "Tubular long bones (metaphyses) and clavicle most often affected."),
    ("Associations",
     "Palmoplantar pustulosis, psoriasis, inflammatory bowel disease (IBD), SAPHO (synovitis, acne, "
     "pustulosis, hyperostosis, osteitis)."),
    ("Symptoms",
     "Episodic fever, malaise, local pain and swelling, focal tenderness."),
    ("Imaging",
     "Eccentric lytic metaphyseal lesions with sclerosis and new bone formation; bone scan or whole-body MRI "
     "finds other sites; MRI assesses soft tissue when malignancy is a concern."),
    ("Laboratory",
     "WBC usually normal, ESR and CRP may be raised; biopsy and cultures negative."),
    ("Treatment during exacerbations",
     "NSAIDs, corticosteroids, pamidronate."),
]
