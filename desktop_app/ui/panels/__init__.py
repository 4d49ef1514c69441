"""The tabs of the main window, in order, and how to build them.

Each entry names a module, a class and the tab title. The title is written here, not read from the
class, so that the window can show every tab before importing the panels behind them (lazy_tabs.py
builds a panel on first show).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:  # the tabs are named before the case model is imported
    from desktop_app.ui.document import CaseDocument

# (module, class, tab title)
PANELS: tuple[tuple[str, str, str], ...] = (
    ("desktop_app.ui.panels.patient", "PatientPanel", "Patient & encounter"),
    ("desktop_app.ui.panels.symptoms", "SymptomsPanel", "Symptoms & exam"),
    ("desktop_app.ui.panels.labs", "LabsPanel", "Labs"),
    ("desktop_app.ui.panels.mimics", "MimicsPanel", "Mimics"),
    ("desktop_app.ui.panels.imaging", "ImagingPanel", "Imaging"),
    ("desktop_app.ui.panels.biopsies", "BiopsiesPanel", "Biopsy & cultures"),
    ("desktop_app.ui.panels.treatments", "TreatmentsPanel", "Treatment history"),
    ("desktop_app.ui.panels.visits", "VisitsPanel", "Visits"),  # v4: follow-up (issue 18)
    ("desktop_app.ui.plan_panel", "PlanPanel", "Plan"),
)
REFERENCE = ("desktop_app.ui.reference_panel", "ReferencePanel", "Reference")  # takes no document


def _factory(get_doc: Callable[[], CaseDocument] | None, module: str, cls_name: str) -> Callable[[], QWidget]:
    def make() -> QWidget:
        cls = getattr(importlib.import_module(module), cls_name)
        return cls(get_doc()) if get_doc is not None else cls()
    return make


def panel_factories(get_doc: Callable[[], CaseDocument]) -> list[tuple[str, Callable[[], QWidget]]]:
    """(tab title, build function) for every tab; nothing is imported until a function is called,
    so the window can build only the tab it shows (see lazy_tabs.py). `get_doc` is called when a
    panel is built: the window names its tabs before it has a document."""
    factories = [(title, _factory(get_doc, module, cls_name)) for module, cls_name, title in PANELS]
    module, cls_name, title = REFERENCE
    factories.append((title, _factory(None, module, cls_name)))
    return factories
