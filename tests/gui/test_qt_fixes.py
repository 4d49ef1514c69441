"""Emitting and disconnecting signals from Python must not eat references to True (PySide6 6.12 bug,
fatal on Python 3.11 after a few thousand edits)."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

import desktop_app.ui  # noqa: F401  (installs the work-around)
from desktop_app.ui import qt_fixes
from desktop_app.ui.document import CaseDocument


class _Emitter(QObject):
    bare = Signal()
    value = Signal(object)


def test_many_emits_keep_the_refcount_of_true():
    emitter = _Emitter()
    emitter.bare.connect(lambda: None)
    emitter.value.connect(lambda v: None)
    before = sys.getrefcount(True)
    for i in range(5000):  # unpatched 6.12 on Python 3.11: -10000, and soon a fatal bool_dealloc
        emitter.bare.emit()
        emitter.value.emit(i % 2 == 0)
    assert abs(sys.getrefcount(True) - before) < 50


def test_edits_through_the_document_keep_the_refcount_of_true(qtbot):
    doc = CaseDocument()
    before = sys.getrefcount(True)
    for i in range(500):  # strings, so that the undo history holds no extra references to True
        doc.set("patient.name", f"Patient {i}")
    assert abs(sys.getrefcount(True) - before) < 50


def test_connect_and_disconnect_keep_the_refcount_of_true():
    emitter = _Emitter()

    def slot():
        pass

    before = sys.getrefcount(True)
    for _ in range(5000):
        emitter.bare.connect(slot)
        emitter.bare.disconnect(slot)
    assert abs(sys.getrefcount(True) - before) < 50


def test_install_is_idempotent_and_the_probes_repay_their_losses():
    before = sys.getrefcount(True)
    first = qt_fixes.install()
    assert qt_fixes.install() == first
    assert not qt_fixes._loses_references(qt_fixes._emit)  # patched (or never buggy) by now
    assert not qt_fixes._loses_references(qt_fixes._connect_disconnect)
    assert abs(sys.getrefcount(True) - before) < 5
