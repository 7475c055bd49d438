"""The layout stays as docs/architecture.md draws it: pages → ui → lstm_core, never back.

Imports are read with ``ast`` from every module, those inside functions too
(a function-level import is still a dependency; it only hides it).
"""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "lstm_core"
UI_LIBRARIES = ("streamlit", "plotly", "pandas")


def module_name(path):
    """lstm_core/a/b.py → "lstm_core.a.b"; lstm_core/a/__init__.py → "lstm_core.a"."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


CORE_MODULES = {module_name(p): p for p in sorted(CORE.rglob("*.py"))}


def imports(path):
    """Every module name ``path`` imports, relative imports resolved, function bodies included.

    ``from . import x`` names the module ``pkg.x`` when x is one (else the
    package itself); ``from .m import y`` names ``pkg.m``.
    """
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.append(sub if sub in CORE_MODULES else target)
    return found


def core_graph():
    """lstm_core module → the lstm_core modules it imports."""
    graph = {}
    for name, path in CORE_MODULES.items():
        targets = set()
        for target in imports(path):
            while target and target not in CORE_MODULES:   # import a.b.c of a module a.b: the module a.b
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
        graph[name] = targets
    return graph


def find_cycle(graph):
    """One import cycle as a list [a, b, …, a], or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def top_level_names():
    """The repository's top-level packages and modules (ui, lstm_core, bench, tests, explorer_app …)."""
    names = {"ui", "lstm_core", "bench", "tests", "explorer_app"}
    for p in ROOT.iterdir():
        if p.name.startswith((".", "_")):
            continue
        if p.suffix == ".py":
            names.add(p.stem)
        elif p.is_dir() and p.name != "pages" and any(p.glob("*.py")):
            names.add(p.name)
    return names


def test_no_page_is_named_like_a_top_level_package_or_module():
    """Running a page directly puts pages/ first on sys.path: a page named ui.py would shadow ui/."""
    clashes = sorted(p.name for p in (ROOT / "pages").iterdir() if p.stem in top_level_names())
    assert not clashes, f"page files named like a top-level package or module: {clashes}"


def test_the_graph_sees_imports_inside_functions_and_relative_imports():
    """The checks below are only as good as the graph: try it on known imports."""
    graph = core_graph()
    assert "lstm_core.cells.kernels" in graph["lstm_core.cells.lstm"]        # from .kernels import …
    assert "lstm_core.notation" in graph["lstm_core.cells.lstm"]             # from ..notation import …
    assert "lstm_core.files.reader" in graph["lstm_core.presets"]            # from ..files import reader
    assert "lstm_core.files.reader" in graph["lstm_core"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_inside_lstm_core():
    cycle = find_cycle(core_graph())
    assert cycle is None, "import cycle in lstm_core: " + " → ".join(cycle)


@pytest.mark.parametrize("name", sorted(CORE_MODULES))
def test_lstm_core_imports_no_ui_library_and_nothing_from_ui(name):
    bad = sorted({t for t in imports(CORE_MODULES[name]) if t.split(".")[0] in (*UI_LIBRARIES, "ui")})
    assert not bad, f"{name} imports {bad}; lstm_core stays free of the UI"


def test_analysis_measures_and_trains_nothing():
    bad = sorted(t for t in imports(CORE / "analysis.py")
                 if t.startswith(("lstm_core.training", "lstm_core.presets", "lstm_core.train")))
    assert not bad, f"lstm_core/analysis.py imports {bad}; experiments that train belong in lstm_core.training"


def test_errors_import_nothing_from_the_package():
    assert not [t for t in imports(CORE / "errors.py") if t.startswith("lstm_core")]
