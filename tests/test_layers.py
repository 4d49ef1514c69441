"""The layer rules of architecture.md, checked on the source so they stay true.

Every module's imports (top-level and lazy ones inside functions) are read with `ast`:
- a layer imports only the layers below it: ui → report → plan → course → criteria → case; storage → case;
- nothing inside the package imports the package root (`desktop_app/__init__.py` re-exports for scripts);
  the version, name, disclaimer and resources folder come from `desktop_app.about`, which any layer may use;
- Qt (PySide6/shiboken6) only in ui/ (the entry points reach it through ui modules);
- criteria/ and plan/ are pure: no file, process or network modules, no open();
- nowhere pickle, eval or exec (case files are data, never code).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "desktop_app"

# Which desktop_app layers each layer may import (itself included). None = anything.
ALLOWED: dict[str, set[str] | None] = {
    "case": {"case"},
    "criteria": {"case", "criteria"},
    # course (§13 follow-up) reads the diagnosis; the plan reads the course (never both ways).
    "course": {"case", "criteria", "course"},
    "plan": {"case", "criteria", "course", "plan"},
    "storage": {"case", "storage"},
    # report → storage: the note is written with storage's atomic writer and its CaseFileError,
    # so there is one atomic-write routine and one error type for "could not write <file>".
    "report": {"case", "criteria", "course", "plan", "report", "storage"},
    # fhir: the FHIR export (issue 25) renders what the note renders, and attaches the note's PDF.
    "fhir": {"case", "criteria", "course", "plan", "report", "storage", "fhir"},
    "ui": {"case", "criteria", "course", "plan", "report", "storage", "fhir", "library", "ui"},
    # The clinic's case library (issue 24): reads files and summarises them; never ui or report.
    "library": {"case", "criteria", "course", "plan", "storage", "library"},
    # Entry points: parse arguments and dispatch to any layer; the subcommands never import the CLI.
    "cli": None, "__main__": None, "__init__": None,
    "commands": {"case", "criteria", "course", "plan", "report", "storage", "fhir", "library", "ui",
                 "commands"},
    "about": set(),  # the bottom: imports nothing of the package
}
EVERYONE_MAY_USE = {"about"}
QT_ALLOWED = {"ui"}
QT_PACKAGES = {"PySide6", "shiboken6"}
PURE_LAYERS = {"criteria", "course", "plan"}
IO_MODULES = {"os", "pathlib", "io", "shutil", "tempfile", "subprocess", "socket", "urllib", "http",
              "sqlite3", "glob"}
NEVER = {"pickle", "marshal", "shelve"}
# `from desktop_app import X`: the lazy public API names belong to the layer that defines them.
PUBLIC_API = {"load_case": "storage", "save_case": "storage", "assess": "criteria",
              "build_plan": "plan", "write_consult_pdf": "report", "course": "course"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(tree: ast.AST) -> list[tuple[int, str, list[str]]]:
    """(line, module, imported names) for every import statement, lazy ones included."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.ImportFrom):  # relative import: the project uses absolute ones
            found.append((node.lineno, "." * node.level + (node.module or ""), []))
    return found


def _targets(module: str, names: list[str]) -> list[str]:
    """The desktop_app layers an import reaches ("" for the package's constants)."""
    parts = module.split(".")
    if parts[0] != "desktop_app":
        return []
    if len(parts) > 1:
        return [parts[1]]
    # from desktop_app import APP_NAME / assess / case ...
    return [PUBLIC_API.get(n, n if (PACKAGE / n).is_dir() or (PACKAGE / f"{n}.py").exists() else "")
            for n in names]


def _violations(path: Path) -> list[str]:
    layer = _layer(path)
    allowed = ALLOWED[layer]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    where = lambda line: f"{path.relative_to(PACKAGE.parent)}:{line}"  # noqa: E731
    out = []
    for line, module, names in _imports(tree):
        top = module.split(".")[0]
        if module.startswith("."):
            out.append(f"{where(line)} relative import {module!r} (use desktop_app.…)")
        if top in QT_PACKAGES and layer not in QT_ALLOWED:
            out.append(f"{where(line)} imports {module} (Qt only in desktop_app/ui/)")
        if top in NEVER:
            out.append(f"{where(line)} imports {module}")
        if layer in PURE_LAYERS and top in IO_MODULES:
            out.append(f"{where(line)} imports {module} ({layer} is pure: no I/O)")
        if module == "desktop_app" and layer != "__init__":
            out.append(f"{where(line)} imports the package root (use desktop_app.about or the module itself)")
        for target in _targets(module, names):
            if target and target not in EVERYONE_MAY_USE and allowed is not None and target not in allowed:
                out.append(f"{where(line)} {layer} imports {module} ({target} is not below {layer})")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("eval", "exec"):
                out.append(f"{where(node.lineno)} calls {node.func.id}()")
            if node.func.id == "open" and layer in PURE_LAYERS:
                out.append(f"{where(node.lineno)} calls open() ({layer} is pure: no I/O)")
    return out


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_respects_the_layers(path):
    assert _layer(path) in ALLOWED, f"{path}: a new top-level layer; add it to ALLOWED with its rule"
    assert _violations(path) == []


def test_the_checker_catches_violations(tmp_path, monkeypatch):
    """The rules above can fail: a criteria module that imports Qt, the UI, os and pickle."""
    fake = tmp_path / "desktop_app"
    (fake / "criteria").mkdir(parents=True)
    bad = fake / "criteria" / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtWidgets import QWidget\n"
                   "def f():\n    from desktop_app.ui.app import run_gui\n    import pickle\n"
                   "    from desktop_app import assess, save_case, APP_NAME\n    return eval('1'), open('x')\n",
                   encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    problems = "\n".join(_violations(bad))
    for expected in ("imports os", "Qt only", "ui is not below criteria", "imports pickle",
                     "storage is not below criteria", "imports the package root", "calls eval()", "calls open()"):
        assert expected in problems
    assert problems.count("\n") == 7  # exactly the 8 above


def test_the_checker_catches_a_command_importing_the_cli(tmp_path, monkeypatch):
    """commands/ never imports cli: a subcommand that does is reported."""
    fake = tmp_path / "desktop_app"
    (fake / "commands").mkdir(parents=True)
    (fake / "cli.py").write_text("", encoding="utf-8")
    bad = fake / "commands" / "bad.py"
    bad.write_text("from desktop_app.cli import fail\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert _violations(bad) == [f"desktop_app/commands/bad.py:1 commands imports desktop_app.cli "
                                f"(cli is not below commands)"]
