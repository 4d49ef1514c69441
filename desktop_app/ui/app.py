"""Start the window: `run_gui(case_path, screenshot=None)` from `crmo-consult [CASE] [--screenshot PNG]`.

Start-up draws the window's frame first (menus, toolbar, tab titles) and only then imports the case
model and criteria engine and opens the case (~150 ms later), so the app answers a double-click at
once. ReportLab and QtPdf are imported only when a PDF action is used.

`--screenshot` renders the window offscreen (no display needed), saves a PNG and exits; it never
shows a dialog: a bad case file raises `StartupError`, which the CLI prints as one line (exit 2).

With CRMO_CONSULT_TRACE_STARTUP=1 in the environment, stderr gets `first-frame <t>` and
`case-shown <t>` (t = time.monotonic(), the system-wide clock): the benchmarks read them.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional

from desktop_app.about import APP_NAME

SCREENSHOT_SIZE = (1280, 800)
EXPOSE_WAIT_S = 0.5  # a window manager maps a new window in a few ms; never wait longer than this


class StartupError(Exception):
    """--screenshot could not do its job; the message is one sentence naming the file."""


def _needs_offscreen() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _application():
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)  # QSettings location
    app.setApplicationDisplayName(APP_NAME)
    return app


def run_gui(case_path: Optional[str] = None, screenshot: Optional[str] = None) -> int:
    if screenshot and _needs_offscreen():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = _application()
    from desktop_app.ui.main_window import MainWindow

    if screenshot:
        return _screenshot(app, MainWindow, case_path, Path(screenshot))

    window = MainWindow(check_recovery=False, frame_only=True)
    _show_first_frame(app, window)
    window.start(case_path)  # a bad file → error dialog; the window opens with an empty case
    _trace("case-shown")
    window.offer_recovery()
    return app.exec()


def _show_first_frame(app, window) -> None:
    """Show the window and return once it has been painted on screen."""
    window.show()
    deadline = time.monotonic() + EXPOSE_WAIT_S
    app.processEvents()
    while not window.windowHandle().isExposed() and time.monotonic() < deadline:
        time.sleep(0.005)  # the window manager has not mapped it yet
        app.processEvents()
    _trace("first-frame")


def _trace(event: str) -> None:
    if os.environ.get("CRMO_CONSULT_TRACE_STARTUP"):
        print(f"{event} {time.monotonic():.6f}", file=sys.stderr, flush=True)


def _screenshot(app, MainWindow, case_path: Optional[str], png: Path) -> int:
    from desktop_app.ui.prompter import HeadlessPrompter

    prompter = HeadlessPrompter()
    window = MainWindow(prompter=prompter, check_recovery=False, frame_only=True)
    window.resize(*SCREENSHOT_SIZE)
    _show_first_frame(app, window)
    if not window.start(case_path):
        raise StartupError(prompter.errors[-1] if prompter.errors else f"{case_path}: could not be opened")
    for _ in range(3):  # let layouts settle
        app.processEvents()
    _trace("case-shown")
    ok = window.grab().save(str(png))
    if ok:  # the picture shows the patient's record: owner-only, like the case files
        png.chmod(0o600)
    window.doc.mark_saved()  # nothing to ask on close
    window.close()
    if not ok:
        raise StartupError(f"{png}: could not write the screenshot")
    return 0
