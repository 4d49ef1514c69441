"""CRMO Consult: an offline point-of-care calculator for CRMO/CNO.

The public API lets scripts and tests use the app without the window. Imports are lazy so that
`import desktop_app` stays cheap (the window's start-up path must not pay for ReportLab).
"""
from __future__ import annotations

from desktop_app.about import APP_NAME, DISCLAIMER, __version__

__all__ = ["__version__", "APP_NAME", "DISCLAIMER", "load_case", "save_case", "assess", "build_plan", "write_consult_pdf",
           "course"]


def __getattr__(name: str):
    if name in ("load_case", "save_case"):
        from desktop_app.storage import case_file

        return getattr(case_file, name)
    if name == "assess":
        from desktop_app.criteria.assess import assess

        return assess
    if name == "build_plan":
        from desktop_app.plan.build import plan

        return plan
    if name == "course":
        # The package desktop_app.course, which is callable: course(case) → the follow-up course.
        import importlib

        return importlib.import_module("desktop_app.course")
    if name == "write_consult_pdf":
        from desktop_app.report.note import write_consult_pdf

        return write_consult_pdf
    raise AttributeError(name)
