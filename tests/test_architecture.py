"""The house: the package's stages import one way, no module is part of an import cycle (imports
inside functions included), no module does two jobs (over 500 lines), and an import that is not at
the top of its module says why in a comment."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "exoreview"
# stage of each part of the package: a module may import its own stage or an earlier one.
# appraisal and screening are siblings: neither imports the other.
STAGES = {
    "errors": 0,
    "core": 1,
    "appraisal": 2,
    "screening": 2,
    "views": 3,
    "app": 4,
    "cli": 5,
    "commands": 5,
}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.AST) -> list[str]:
    """The package modules an import statement of `module` loads."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = module.split(".")
            if not MODULES[module].name == "__init__.py":
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        names = [prefix] + [f"{prefix}.{a.name}" for a in node.names]
    return [n for n in names if n in MODULES and n != module]


def _imports() -> dict[str, list[tuple[str, ast.AST, bool]]]:
    """module → (imported module, the statement, at the top of the module?)"""
    out: dict[str, list] = defaultdict(list)
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(module, node):
                    out[module].append((target, node, id(node) in top))
    return out


IMPORTS = _imports()


def _stage(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) == 1:
        return None  # the package facade: exoreview/__init__.py
    return STAGES[parts[1]]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_part_of_the_package_has_a_stage():
    assert {_part(m) for m in MODULES} - {""} <= set(STAGES)


def test_no_import_from_a_later_stage_or_a_sibling():
    wrong = []
    for module, imports in IMPORTS.items():
        here = _stage(module)
        for target, node, _top in imports:
            there = _stage(target)
            if here is None or there is None:
                if here is None and _part(target) not in ("core", "errors"):
                    wrong.append(f"{module} (the facade) imports {target}")
                continue
            sibling = there == here and _part(target) != _part(module) and here == 2
            if there > here or sibling:
                wrong.append(f"{module}:{node.lineno} imports {target}")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle():
    graph = {m: {t for t, _n, _top in IMPORTS.get(m, ())} for m in MODULES}
    # a package's __init__ is loaded before its children: importing a.b.c imports a.b too
    for m in list(graph):
        for t in list(graph[m]):
            parts = t.split(".")
            for k in range(2, len(parts)):
                parent = ".".join(parts[:k])
                if parent in MODULES and parent != m and not m.startswith(parent + "."):
                    graph[m].add(parent)
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        seen = set()
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join(path + [start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, path + [nxt]))
    assert not cycles, "\n".join(sorted(set(cycles)))


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_over_500_lines(module):
    n = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{module}: {n} lines (a module over {MAX_LINES} lines usually does two jobs)"


def test_an_import_inside_a_function_says_why():
    """Any import statement not at the top of its module (of the package or not) carries a comment
    on its line or the line above."""
    missing = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        top = {id(n) for n in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                at = node.lineno - 1
                while at > 0 and lines[at - 1].strip().startswith(("import ", "from ")):
                    at -= 1  # a block of imports: the comment goes above the block
                here, above = lines[node.lineno - 1], lines[at - 1] if at > 0 else ""
                if "#" not in here and not above.strip().startswith("#"):
                    missing.append(f"{module}:{node.lineno}: {here.strip()}")
    assert not missing, "\n".join(missing)


def test_the_rules_checker_sees_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a small package with a cycle and an upward import trips them."""
    pkg = tmp_path / "exoreview"
    for name, text in {
        "__init__.py": "",
        "core/__init__.py": "",
        "views/__init__.py": "",
        "core/a.py": "from . import b\nfrom ..views import c\n",
        "core/b.py": "from . import a\n",
        "views/c.py": "",
    }.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    mods = _modules()
    monkeypatch.setattr(__import__(__name__), "MODULES", mods)
    monkeypatch.setattr(__import__(__name__), "IMPORTS", _imports())
    with pytest.raises(AssertionError, match="exoreview.core.a:2 imports exoreview.views.c"):
        test_no_import_from_a_later_stage_or_a_sibling()
    with pytest.raises(AssertionError, match="exoreview.core.a -> exoreview.core.b -> exoreview.core.a"):
        test_no_import_cycle()
