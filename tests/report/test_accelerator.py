"""ReportLab runs on its C speed-ups, not its pure-Python fallbacks.

reportlab/lib/rl_accel.py tries `from _rl_accel import NAME` for every name in its __all__ (fp_str,
asciiBase85Encode, instanceStringWidthTTF, ...) and, on ImportError, silently uses a `_py_NAME`
function instead. Since ReportLab 4 the C module ships in the separate `rl_accel` package (a
dependency in pyproject.toml); without it the typical note exports ~15% slower and nothing else
shows it.
"""
from __future__ import annotations

import inspect

import pytest


def test_reportlab_uses_the_c_accelerator():
    from reportlab.lib import rl_accel

    try:
        import _rl_accel
    except ImportError as exc:
        pytest.fail(f"ReportLab is on its pure-Python fallbacks: {exc} (pip install rl_accel)")
    assert rl_accel.__all__, "reportlab.lib.rl_accel lists no functions: did ReportLab change?"
    fallbacks = [name for name in rl_accel.__all__ if getattr(rl_accel, name) is not getattr(_rl_accel, name, None)]
    assert not fallbacks, f"pure-Python fallbacks in use: {fallbacks}"
    assert inspect.isbuiltin(rl_accel.fp_str)


def test_the_pdf_writer_and_ttf_widths_bound_the_c_functions():
    # Modules import these names once, at import time: check the ones the note goes through.
    import _rl_accel
    from reportlab.pdfbase import pdfdoc, ttfonts

    assert pdfdoc.fp_str is _rl_accel.fp_str
    assert ttfonts.instanceStringWidthTTF is _rl_accel.instanceStringWidthTTF
