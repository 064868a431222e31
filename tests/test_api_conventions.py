"""Kit-wide API conventions (issue: one vocabulary, one place for each thing).

* Notebooks, solutions, tests and benchmarks use only public names of kitlib: no ``_name``
  imported from kitlib or reached as an attribute of a kitlib module.
* Every public function of the numerics and the tables takes its optional arguments as
  keyword-only (scikit-learn style): ``f(x, *, option=default)``.
* ``import kitlib.views`` loads no topic: a notebook pays only for the topics it shows.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NUMERICS = ("kitlib.divergences", "kitlib.fitting", "kitlib.kde", "kitlib.ib", "kitlib.rlhf",
            "kitlib.rlvr")


def _kitlib_aliases(tree: ast.AST) -> set[str]:
    """Local names bound to kitlib modules (``import kitlib.x as y``, ``from kitlib import x``)."""
    names = {"kitlib"}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("kitlib"):
                    names.add(a.asname or a.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kitlib"):
            for a in node.names:
                target = f"{node.module}.{a.name}"
                try:
                    if inspect.ismodule(importlib.import_module(target)):
                        names.add(a.asname or a.name)
                except ImportError:
                    pass
    return names


def private_uses(source: str) -> list[str]:
    """Private kitlib names a piece of code uses: ``from kitlib.x import _y``, ``import
    kitlib._y``, ``<kitlib module>._y``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kitlib"):
            parts = node.module.split(".")
            found += [f"{node.module}" for p in parts if p.startswith("_")][:1]
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("kitlib")
                      and any(p.startswith("_") for p in a.name.split("."))]
    aliases = _kitlib_aliases(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id in aliases:
                found.append(ast.unparse(node))
    return sorted(set(found))


def _code_cells(path: Path) -> str:
    nb = json.loads(path.read_text())
    lines = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            src = "".join(cell["source"])
            lines.append("\n".join(l for l in src.splitlines() if not l.lstrip().startswith(("%", "!"))))
    return "\n\n".join(lines)


SOURCES = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("solutions/*.ipynb"),
                  *ROOT.glob("tests/**/*.py"), *ROOT.glob("benchmarks/*.py"),
                  *ROOT.glob("notebooks/*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES])
def test_only_public_kitlib_names_are_used(path):
    source = _code_cells(path) if path.suffix == ".ipynb" else path.read_text()
    assert private_uses(source) == []


def test_the_private_name_scan_finds_what_it_must():
    code = ("from kitlib.views import kde as vk\nimport kitlib.rlhf as R\nfrom kitlib import _validate\n"
            "from kitlib.tables._cache import table\nx = vk._gaps()\ny = R.kl\nz = kitlib.views.rlhf._index\n")
    got = private_uses(code)
    assert "vk._gaps" in got and "kitlib.tables._cache" in got and "kitlib._validate" in got
    assert "kitlib.views.rlhf._index" in got and not any("R.kl" in g for g in got)


def _public_functions():
    for modname in NUMERICS:
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if inspect.isfunction(obj):
                yield f"{modname}.{name}", obj
            elif inspect.isclass(obj):
                for meth_name, meth in vars(obj).items():
                    if inspect.isfunction(meth) and not meth_name.startswith("_"):
                        yield f"{modname}.{name}.{meth_name}", meth


PUBLIC = sorted(_public_functions(), key=lambda t: t[0])


@pytest.mark.parametrize("name,func", PUBLIC, ids=[n for n, _ in PUBLIC])
def test_optional_arguments_are_keyword_only(name, func):
    positional_with_default = [
        p.name for p in inspect.signature(func).parameters.values()
        if p.default is not p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert positional_with_default == [], (
        f"{name}: optional arguments {positional_with_default} must be keyword-only (after *)")


def test_importing_kitlib_views_loads_no_topic():
    code = ("import sys, kitlib.views\n"
            "heavy = [m for m in ('kitlib.views.divergences', 'kitlib.views.kde', 'kitlib.views.ib',"
            " 'kitlib.views.rlhf', 'kitlib.views.rlvr', 'kitlib.fitting', 'kitlib.kde', 'kitlib.ib',"
            " 'kitlib.rlhf', 'kitlib.rlvr', 'torch', 'scipy', 'matplotlib.pyplot') if m in sys.modules]\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_tables_and_numerics_import_no_plotting_or_widgets():
    """Data flows one way: numerics <- tables <- views. Loading every table module (and so every
    numerics module) must not load matplotlib, ipywidgets or the views."""
    code = ("import sys\nfrom kitlib.tables import load_all\nload_all()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')"
            " or m.startswith('kitlib.views') or m == 'kitlib.explore'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
