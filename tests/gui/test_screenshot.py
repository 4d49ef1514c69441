"""`crmo-consult CASE --screenshot PNG`: renders the window offscreen and exits, never a dialog."""
from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtGui import QImage

from desktop_app.cli import main

pytestmark = pytest.mark.gui


def test_screenshot_of_an_example_case_writes_a_1280x800_png(tmp_path, examples_dir, qapp):
    png = tmp_path / "shot.png"
    assert main([str(examples_dir / "typical-multifocal.crmo"), "--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 800)
    if os.name == "posix":  # it shows the patient's record: owner-only, like the case files
        assert stat.S_IMODE(png.stat().st_mode) == 0o600


def test_screenshot_of_an_empty_window(tmp_path, qapp):
    png = tmp_path / "empty.png"
    assert main(["--screenshot", str(png)]) == 0
    assert png.read_bytes().startswith(b"\x89PNG")


def test_screenshot_with_a_bad_case_prints_one_line_and_exits_2(tmp_path, qapp, capsys):
    bad = tmp_path / "bad.crmo"
    bad.write_text("not json at all", encoding="utf-8")
    png = tmp_path / "shot.png"
    assert main([str(bad), "--screenshot", str(png)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.crmo" in err[0]
    assert not png.exists()


def test_screenshot_without_a_display_and_without_pdf_libraries(tmp_path, examples_dir):
    """A fresh process with no display: --screenshot goes offscreen by itself, and start-up loads
    neither ReportLab nor QtPdf (they are imported only by the PDF actions)."""
    import os
    import subprocess
    import sys

    png = tmp_path / "shot.png"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")  # recent files: not the real user's settings
    code = ("import sys; from desktop_app.cli import main; "
            f"rc = main([{str(examples_dir / 'typical-multifocal.crmo')!r}, '--screenshot', {str(png)!r}]); "
            "print(rc, 'reportlab' in sys.modules, 'PySide6.QtPdf' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0", "False", "False"], out.stderr
    assert png.exists()
