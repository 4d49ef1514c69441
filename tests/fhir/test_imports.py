"""fhir.resources belongs to the FHIR export alone: imported only inside desktop_app/fhir, and
desktop_app.fhir itself only inside functions (the export path), never at a module's top level."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"


def _imports(tree: ast.AST, top_level_only: bool) -> list[tuple[int, str]]:
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    out = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.append((node.lineno, node.module))
    return out


def test_fhir_resources_is_imported_only_in_desktop_app_fhir():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "fhir":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong += [f"{path.name}:{line} {m}" for line, m in _imports(tree, False)
                  if m == "fhir" or m.startswith(("fhir.", "fhir_core"))]
    assert wrong == []


def test_the_export_is_imported_lazily_outside_its_package():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "fhir":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wrong += [f"{path.name}:{line} {m}" for line, m in _imports(tree, True) if m.startswith("desktop_app.fhir")]
    assert wrong == []
