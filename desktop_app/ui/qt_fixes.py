"""A work-around for a reference-count bug in PySide6's `SignalInstance` (seen in 6.12.0).

`emit()` and `disconnect()` return `True` without taking a new reference, so every signal emitted
(or slot disconnected) from Python drops one reference to `True`. On Python 3.11, where `True` is
not immortal, a long session then aborts with "Fatal Python error: bool_dealloc" (a few thousand
edits: every edit emits several signals).

The bug is detected, not assumed: `install()` exercises each method on a private signal and
compares reference counts, and patches only a method that loses references. On a fixed PySide6,
or on Python ≥ 3.12 (immortal bools), nothing is patched.
"""
from __future__ import annotations

import ctypes
import sys
from typing import Callable

from PySide6.QtCore import QObject, Signal, SignalInstance

_PROBES = 16


class _Probe(QObject):
    ping = Signal()


def _incref(obj: object) -> None:
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(obj))


def _noop() -> None:
    pass


def _loses_references(call: Callable[[SignalInstance], object]) -> bool:
    """True when `call(signal)` drops references to True (the probe's own losses are repaid)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        call(probe.ping)
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)
    return lost >= _PROBES


def _emit(signal: SignalInstance) -> None:
    signal.emit()


def _connect_disconnect(signal: SignalInstance) -> None:
    signal.connect(_noop)
    signal.disconnect(_noop)


def _repay_bool_result(original: Callable) -> Callable:
    def method(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        if result is True or result is False:
            _incref(result)  # the reference the method should have returned
        return result

    method.__name__ = original.__name__
    method.__doc__ = original.__doc__
    return method


_patched: list[str] = []


def install() -> list[str]:
    """Patch each `SignalInstance` method that has the bug; returns the names patched. Idempotent."""
    for name, probe in (("emit", _emit), ("disconnect", _connect_disconnect)):
        if name not in _patched and _loses_references(probe):
            setattr(SignalInstance, name, _repay_bool_result(getattr(SignalInstance, name)))
            _patched.append(name)
    return list(_patched)
