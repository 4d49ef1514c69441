"""Re-export: the ICD-10-CM suggestion now lives in the plan layer (`desktop_app.plan.codes`), so that
`plan --json`, the Plan tab and the note share one source of truth."""
from __future__ import annotations

from desktop_app.plan.codes import SITE_BY_BONE, SITE_NAMES, suggest_icd10
from desktop_app.plan.types import CodeSuggestion

__all__ = ["CodeSuggestion", "SITE_BY_BONE", "SITE_NAMES", "suggest_icd10"]
