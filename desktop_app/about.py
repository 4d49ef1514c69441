"""The app's name, version, disclaimer and resources folder: the bottom of the package.

Every module that needs these imports them from here, never from the package root
(`desktop_app/__init__.py` only re-exports them for scripts), so imports point one way.
"""
from __future__ import annotations

from pathlib import Path

__version__ = "0.3.0"
APP_NAME = "CRMO Consult"
# Shown in the About box, the window and every page of the consult note.
DISCLAIMER = ("This note supports and does not replace clinical judgement. "
              "CRMO is a diagnosis of exclusion.")
# Fonts, images and example cases; PyInstaller maps the same relative path into the bundle.
RESOURCES = Path(__file__).resolve().parent.parent / "resources"
