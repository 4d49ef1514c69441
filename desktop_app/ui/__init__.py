"""The PySide6 user interface: the only package that imports Qt.

PySide6 6.12.0 releases references it does not own: to None after every call of a void C++
method and every Python override of a void virtual, and to True after `Signal.emit()` and
`.disconnect()`. Python 3.12 made these objects immortal, so there the bug is harmless; on 3.11
the window aborts after some thousands of calls ("Fatal Python error: none_dealloc"). Hence the
project requires Python 3.12 (pyproject.toml) and the window refuses to start on anything older.
"""
import sys

MIN_PYTHON = (3, 12)

if sys.version_info < MIN_PYTHON:
    raise ImportError(
        "CRMO Consult's window needs Python 3.12 or newer: PySide6 6.12 corrupts reference counts "
        f"on Python {sys.version_info.major}.{sys.version_info.minor} and the window would abort."
    )
