"""The app's own start (`crmo-consult CASE --screenshot PNG`), optionally without the Visits tab.

    app_variant.py [--no-visits-tab] CASE PNG

Both variants go through this file, so the start-up comparison pays the same wrapper either way.
`--no-visits-tab` takes the tab out of the window's tab list before the window is built: the app as
it was before issue 18, for "start-up unchanged". On exit the process prints to stderr whether the
Visits panel was built (`visits-panel-imported yes|no`): the tab is meant to be built when first shown.
"""
import sys


def main(argv: list[str]) -> int:
    no_visits_tab = "--no-visits-tab" in argv
    case, png = [a for a in argv if a != "--no-visits-tab"]
    from desktop_app.ui import panels

    if no_visits_tab:
        panels.PANELS = tuple(p for p in panels.PANELS if p[1] != "VisitsPanel")
    from desktop_app.cli import main as app_main

    rc = app_main([case, "--screenshot", png])
    built = "desktop_app.ui.panels.visits" in sys.modules
    print(f"visits-panel-imported {'yes' if built else 'no'}", file=sys.stderr, flush=True)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
