"""The tabs of the main window, in order, and how to build them.

Each entry names a module and a class; a panel module that is not in this build yet (the panels are
written in parallel) is replaced by a placeholder tab, so the window always opens. Any other import
error (a missing third-party package, a syntax error) is a real bug and is raised.
"""
from __future__ import annotations

import importlib
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from desktop_app.ui.document import CaseDocument

# (module, class, tab title used only for a placeholder; a real panel brings its own `title`)
PANELS: tuple[tuple[str, str, str], ...] = (
    ("desktop_app.ui.panels.patient", "PatientPanel", "Patient & encounter"),
    ("desktop_app.ui.panels.symptoms", "SymptomsPanel", "Symptoms & exam"),
    ("desktop_app.ui.panels.labs", "LabsPanel", "Labs"),
    ("desktop_app.ui.panels.mimics", "MimicsPanel", "Mimics"),
    ("desktop_app.ui.panels.imaging", "ImagingPanel", "Imaging"),
    ("desktop_app.ui.panels.biopsies", "BiopsiesPanel", "Biopsy & cultures"),
    ("desktop_app.ui.panels.treatments", "TreatmentsPanel", "Treatment history"),
    ("desktop_app.ui.plan_panel", "PlanPanel", "Plan"),
)
REFERENCE = ("desktop_app.ui.reference_panel", "ReferencePanel", "Reference")  # takes no document


class PlaceholderPanel(QLabel):
    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(f"The “{title}” tab is not available in this build.", parent)
        self.title = title
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)


def _load(module: str, cls: str):
    try:
        return getattr(importlib.import_module(module), cls)
    except ModuleNotFoundError as exc:
        # Only our own missing modules (a panel or its dependency not in this build) become a
        # placeholder; a missing third-party package is a broken install and is raised.
        if exc.name and exc.name.startswith("desktop_app."):
            return None
        raise


def _factory(doc: CaseDocument | None, module: str, cls_name: str, fallback: str):
    def make() -> QWidget:
        cls = _load(module, cls_name)
        if cls is None:
            return PlaceholderPanel(fallback)
        return cls(doc) if doc is not None else cls()
    return make


def panel_factories(doc: CaseDocument) -> list[tuple[str, Callable[[], QWidget]]]:
    """(tab title, build function) for every tab; nothing is imported until a function is called,
    so the window can build only the tab it shows (see lazy_tabs.py)."""
    factories = [(fallback, _factory(doc, module, cls_name, fallback)) for module, cls_name, fallback in PANELS]
    module, cls_name, fallback = REFERENCE
    factories.append((fallback, _factory(None, module, cls_name, fallback)))
    return factories


def build_panels(doc: CaseDocument) -> list[tuple[str, QWidget]]:
    """(tab title, widget) for every tab, placeholders where a panel is missing, all built now."""
    tabs: list[tuple[str, QWidget]] = []
    for fallback, make in panel_factories(doc):
        widget = make()
        tabs.append((getattr(widget, "title", fallback), widget))
    return tabs
