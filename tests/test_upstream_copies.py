"""The repo carries its own copies of the upstream spec and examples; this is the only test that
looks at the upstream folder (`../shared`), and only when it is there (a user's clone has none).

A failure names each drifted file, so whoever refreshes a copy knows which one to take.
"""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
UPSTREAM = REPO.parent / "shared"

# (copy in this repo, the upstream file it must equal byte for byte)
COPIES: list[tuple[Path, Path]] = (
    [(REPO / "docs" / n, UPSTREAM / "spec" / n)
     for n in ("clinical-rules.md", "case-format.md", "assessment-output.md")]
    + [(p, UPSTREAM / "examples" / p.name) for p in sorted((REPO / "resources" / "examples").glob("*.crmo"))]
    + [(p, UPSTREAM / "examples" / p.name) for p in sorted((REPO / "tests" / "examples").glob("*.expected.json"))]
)


# docs/assessment-output.md may carry this repository's own contracts (the library's) after this line,
# so for that file only the part before it is compared with upstream.
ADDITIONS_MARKER = b"<!-- Below: this repository's additions, not part of the upstream contract -->"


def _upstream_part(copy: Path) -> bytes:
    data = copy.read_bytes()
    if copy.name != "assessment-output.md" or ADDITIONS_MARKER not in data:
        return data
    # The marker follows the upstream text after one blank line ("\n\n" + marker).
    return data[: data.index(ADDITIONS_MARKER)].removesuffix(b"\n")


def test_the_repo_has_its_own_copies():
    # Holds with or without ../shared: the docs, 6 example cases and their 6 expected results.
    missing = [str(c.relative_to(REPO)) for c, _ in COPIES if not c.is_file()]
    assert not missing and len(COPIES) == 15, (missing, len(COPIES))


@pytest.mark.skipif(not UPSTREAM.is_dir(), reason="no ../shared beside the repo (a user's clone)")
@pytest.mark.parametrize("copy, upstream", COPIES, ids=[c.name for c, _ in COPIES])
def test_copy_equals_upstream(copy: Path, upstream: Path):
    assert upstream.is_file(), f"{upstream} no longer exists upstream; remove or rename {copy.relative_to(REPO)}"
    assert _upstream_part(copy) == upstream.read_bytes(), (
        f"{copy.relative_to(REPO)} drifted from {upstream}: copy the upstream file over it"
    )
