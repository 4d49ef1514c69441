"""Baseline: a bare PySide6 tabbed window rendered offscreen to a PNG, nothing else.

The app's cold start (`crmo-consult CASE --screenshot`) is compared with this in the same run.
Like the app with CRMO_CONSULT_TRACE_STARTUP=1, it prints `first-frame <time.monotonic()>` to
stderr once the window has been painted.
"""
import sys
import time

from PySide6.QtWidgets import (QApplication, QFormLayout, QLabel, QLineEdit, QMainWindow, QSplitter,
                               QTabWidget, QWidget)


def main(png: str) -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    for name in ("Patient", "Symptoms", "Labs", "Imaging", "Biopsy", "Treatment", "Mimics", "Plan"):
        page = QWidget()
        form = QFormLayout(page)
        for i in range(8):
            form.addRow(f"{name} field {i}", QLineEdit())
        tabs.addTab(page, name)
    splitter = QSplitter()
    splitter.addWidget(tabs)
    splitter.addWidget(QLabel("Assessment"))
    window.setCentralWidget(splitter)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    print(f"first-frame {time.monotonic():.6f}", file=sys.stderr, flush=True)
    ok = window.grab().save(png)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
