"""Baseline for start-up measurements: a bare PySide6 tabbed window, nothing of the app.

Bundled with packaging/baseline.spec the same way as the app, so that the app's frozen start-up
time can be compared with the floor that Qt itself sets. `--screenshot PNG` renders offscreen and
exits, like `crmo-consult --screenshot`.
"""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

    app = QApplication(argv[:1])
    window = QMainWindow()
    tabs = QTabWidget()
    for name in ("Patient", "Symptoms", "Labs", "Imaging", "Assessment"):
        tabs.addTab(QLabel(f"{name} tab"), name)
    window.setCentralWidget(tabs)
    window.resize(1100, 750)
    if "--screenshot" in argv:
        target = argv[argv.index("--screenshot") + 1]
        window.show()
        app.processEvents()
        return 0 if window.grab().save(target) else 1
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
