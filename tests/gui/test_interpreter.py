"""The window survives a long session: the PySide6 6.12 reference bug must stay harmless.

PySide6 6.12.0 drops a reference to None on every void call (and to True on every emit). On
Python 3.11 a few hundred thousand calls abort the process with "Fatal Python error:
none_dealloc"; on Python 3.12+ None and True are immortal. This runs such a session in a child
process with the project's interpreter and checks it exits cleanly.
"""
from __future__ import annotations

import os
import subprocess
import sys

SESSION = """
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLineEdit
app = QApplication([])
class Doc(QObject):
    changed = Signal(str)
doc, edit = Doc(), QLineEdit()
doc.changed.connect(edit.setText)
for i in range(300_000):
    edit.setText("x")           # a void call
    doc.changed.emit("y")       # an emit into a void slot
print("session ok")
"""


def test_a_long_session_of_qt_calls_does_not_abort():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", SESSION], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "session ok" in proc.stdout


def test_the_window_package_refuses_an_interpreter_without_immortal_singletons():
    from desktop_app.ui import MIN_PYTHON

    assert MIN_PYTHON == (3, 12) and sys.version_info >= MIN_PYTHON
