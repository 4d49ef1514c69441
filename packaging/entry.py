"""PyInstaller entry script for both executables (crmo-consult and crmo-consult-debug)."""
import sys

from desktop_app.cli import main

if __name__ == "__main__":
    sys.exit(main())
