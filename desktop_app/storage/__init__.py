"""Case files on disk: atomic writes, schema migration, load/save, autosave recovery.

Imports `desktop_app.case` only; no Qt. Every failure surfaces as one `CaseFileError` sentence.
"""
