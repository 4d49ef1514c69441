"""The PySide6 user interface: the only package that imports Qt."""
from desktop_app.ui import qt_fixes

qt_fixes.install()  # before any widget emits a signal
