"""The app's own start (`crmo-consult CASE --screenshot PNG`), with or without the Visits tab, or
with the Visits tab shown.

    app_variant.py [--no-visits-tab | --show-visits-tab] CASE PNG

Every variant goes through this file, so a comparison pays the same wrapper either way.
`--no-visits-tab` takes the tab out of the window's tab list before the window is built: the app as
it was before issue 18, for "start-up unchanged". `--show-visits-tab` makes the Visits tab current
once the case is open, so the screenshot (and the peak memory) include it. On exit the process
prints to stderr whether the Visits panel was built (`visits-panel-imported yes|no`).
"""
import sys

FLAGS = ("--no-visits-tab", "--show-visits-tab")


def main(argv: list[str]) -> int:
    case, png = [a for a in argv if a not in FLAGS]
    from desktop_app.ui import panels

    if "--no-visits-tab" in argv:
        panels.PANELS = tuple(p for p in panels.PANELS if p[1] != "VisitsPanel")
    if "--show-visits-tab" in argv:
        from desktop_app.ui.main_window import MainWindow

        start = MainWindow.start

        def start_then_show_visits(self, case_path):
            ok = start(self, case_path)
            self.tabs.setCurrentIndex(next(i for i in range(self.tabs.count())
                                           if self.tabs.tabText(i).startswith("Visits")))
            return ok

        MainWindow.start = start_then_show_visits
    from desktop_app.cli import main as app_main

    rc = app_main([case, "--screenshot", png])
    built = "desktop_app.ui.panels.visits" in sys.modules
    print(f"visits-panel-imported {'yes' if built else 'no'}", file=sys.stderr, flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
