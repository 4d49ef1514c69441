"""The Qt half of `crmo-consult --self-test` (desktop_app/commands/self_test.py): Qt stays in ui/.

Needs no display: Qt runs offscreen when there is none. Writes nothing outside `workdir` (window
settings included).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def qt_app():
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before the QApplication exists
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def render_main_window(case, workdir: Path) -> tuple[int, int]:
    """Build the main window on `case`, show and grab it; the grabbed image's (width, height)
    ((0, 0) when the image is empty). `case` itself is not modified."""
    app = qt_app()
    from PySide6.QtCore import QSettings

    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.prompter import HeadlessPrompter

    # Settings in the temporary folder: the self-test must not touch the user's recent files.
    settings = QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(prompter=HeadlessPrompter(), settings=settings, check_recovery=False)
    try:
        window.doc.replace_case(case.model_copy(deep=True))
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        image = window.grab().toImage()
        return (0, 0) if image.isNull() else (image.width(), image.height())
    finally:
        window.doc.mark_saved()  # nothing to ask on close
        window.close()
        window.deleteLater()
        app.processEvents()


def pdf_text(path: Path) -> tuple[str, str]:
    """(error name or "", all text of the PDF), read with QtPdf (the in-app preview's engine)."""
    qt_app()
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_:
        return error.name, ""
    text = "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))
    document.close()
    return "", text
