"""How every command says it failed: one line on stderr and an exit status. The CLI uses it too,
so the commands never import `desktop_app.cli` (imports point one way)."""
from __future__ import annotations

import sys

PROG = "crmo-consult"


def fail(message: str, status: int = 2) -> int:
    """One short line on stderr (escaped and truncated: errors.one_line), exit status 2 (bad input)."""
    from desktop_app.storage.errors import one_line

    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    return status
