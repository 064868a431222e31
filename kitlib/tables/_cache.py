"""Precomputed tables: computed once, kept in memory, and shipped on disk keyed by the code.

A *table* is a pure function of keyword-only, hashable parameters (numbers, strings, booleans,
tuples of those) returning a mapping ``name -> array or scalar`` (one level of nested mappings is
allowed). Decorating it with :func:`table` gives it three layers:

1. **memory** — a second call with the same parameters returns the same (read-only) arrays;
2. **disk** — ``kitlib/tables/data/<name>-<key>.npz``, committed with the code and written by
   ``python -m kitlib.tables`` (``make tables``). ``key`` is a SHA-256 of the table's name, its
   parameters and the *fingerprint* of the numerics: the abstract syntax trees of every numerics
   module (docstrings and comments left out) and the versions of numpy, scipy, torch and POT.
   A file whose key does not match the code is never read: a stale table is recomputed, not
   shown. ``tests/test_tables.py`` recomputes every shipped table and compares it with the file;
3. **compute** — on a miss, the function runs (with a progress bar where it loops).

Set the environment variable ``KITLIB_TABLES=compute`` to ignore the files (benchmarks of a cold
start, the verification test).

Only what a notebook asks for by default is shipped: each table lists its parameter sets in
``presets`` (the default call ``f()`` always). Other parameters are computed on demand.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import importlib.metadata
import inspect
import json
import os
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

__all__ = ["table", "TABLES", "TableSpec", "fingerprint", "progress", "DATA_DIR", "canonical",
           "flatten", "code_only"]

DATA_DIR = Path(__file__).resolve().parent / "data"
_KITLIB = Path(__file__).resolve().parents[1]
#: Folders and files of kitlib whose code cannot change a table: views, widgets, figures,
#: exercises, and the cache's own machinery (paths relative to kitlib/).
_NOT_NUMERICS = ("views", "checks", "contracts", "explore.py", "blit.py", "textcache.py", "style.py",
                 "controls.py", "figures.py", "tables/_cache.py", "tables/__init__.py",
                 "tables/__main__.py")
_VERSIONED = ("numpy", "scipy", "torch", "pot")
_SCALAR_TYPES = (bool, int, float, str, type(None))

#: Every decorated table, by name (``"<topic>.<function>"``).
TABLES: dict[str, TableSpec] = {}


@dataclass
class TableSpec:
    """A registered table: its function, its name and the parameter sets that are shipped."""

    name: str
    func: Callable
    presets: tuple[dict, ...] = ()
    memory: dict = field(default_factory=dict, repr=False)
    #: Where the shipped files live (tests point a throw-away table elsewhere).
    data_dir: Path = DATA_DIR

    def complete(self, params: Mapping[str, Any]) -> dict:
        """``params`` with every default filled in (so ``f()`` and ``f(n=default)`` share a key)."""
        sig = inspect.signature(self.func)
        unknown = sorted(set(params) - set(sig.parameters))
        if unknown:
            raise TypeError(f"table {self.name!r} has no parameter(s) {unknown}; "
                            f"it takes {sorted(sig.parameters)}")
        full = {k: p.default for k, p in sig.parameters.items() if p.default is not p.empty}
        full.update(params)
        return full

    def shipped(self) -> list[dict]:
        """Parameter sets written to disk by ``python -m kitlib.tables``: ``{}`` plus presets."""
        out = [self.complete({})]
        for p in self.presets:
            p = self.complete(p)
            if p not in out:
                out.append(p)
        return out

    def key(self, params: Mapping[str, Any], *, code: str | None = None) -> str:
        """Hash of the name, the completed parameters and ``code`` (default: the numerics'
        current :func:`fingerprint`)."""
        params = self.complete(params)
        text = json.dumps({"table": self.name, "params": canonical(params),
                           "code": fingerprint() if code is None else code}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]

    def path(self, params: Mapping[str, Any], *, code: str | None = None) -> Path:
        return self.data_dir / f"{self.name}-{self.key(params, code=code)}.npz"

    def load(self, params: Mapping[str, Any]) -> dict | None:
        """The shipped table for ``params`` and the current code, or None (missing, stale,
        unreadable, or files switched off with ``KITLIB_TABLES=compute``)."""
        path = self.path(params)
        if not (_use_files() and path.is_file()):
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                flat = {k: z[k] for k in z.files}
        except (OSError, ValueError, zipfile.BadZipFile):
            return None
        if str(flat.pop("__key__", "")) != self.key(params):
            return None
        return _unflatten(flat)

    def save(self, params: Mapping[str, Any], result: Mapping, *, code: str | None = None) -> Path:
        """Write one table file (``python -m kitlib.tables``); ``code`` as in :meth:`key`."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        path = self.path(params, code=code)
        flat = flatten(result)
        flat["__key__"] = np.asarray(self.key(params, code=code))
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, **flat)
        tmp.replace(path)
        return path

    def compute(self, params: Mapping[str, Any]) -> dict:
        """A fresh computation, normalised exactly as a stored table is (never cached)."""
        return _normalise(self.func(**self.complete(params)))


def canonical(params: Mapping[str, Any]) -> dict:
    out = {}
    for k in sorted(params):
        out[k] = _canonical_value(k, params[k])
    return out


def _canonical_value(name: str, v):
    if isinstance(v, (tuple, list)):
        return [_canonical_value(name, x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, _SCALAR_TYPES):
        return v
    raise TypeError(f"table parameter {name!r} must be a number, string, bool, None or a tuple of "
                    f"those; got {type(v).__name__}")


def _numerics_sources() -> list[tuple[str, str]]:
    out = []
    for path in sorted(_KITLIB.rglob("*.py")):
        rel = path.relative_to(_KITLIB).as_posix()
        if rel.split("/")[0] not in _NOT_NUMERICS and rel not in _NOT_NUMERICS:
            out.append((rel, path.read_text(encoding="utf-8")))
    return out


def _versions() -> str:
    out = []
    for dist in _VERSIONED:
        try:
            out.append(f"{dist}={importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{dist}=absent")
    return ";".join(out)


def _raw_hash(sources) -> str:
    h = hashlib.sha256(_versions().encode())
    for rel, text in sources:
        h.update(rel.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def fingerprint() -> str:
    """SHA-256 of the numerics' code (ASTs without docstrings) and the numeric libraries' versions.

    Parsing every module takes ~0.5 s, so ``data/FINGERPRINT.json`` (written with the tables)
    remembers the fingerprint of the exact source bytes it was computed from; it is reused only
    when the raw sources hash to the same value.
    """
    sources = _numerics_sources()
    raw = _raw_hash(sources)
    try:
        memo = json.loads((DATA_DIR / "FINGERPRINT.json").read_text())
        if memo.get("raw") == raw:
            return memo["fingerprint"]
    except (OSError, ValueError, KeyError):
        pass
    h = hashlib.sha256(_versions().encode())
    for rel, text in sources:
        h.update(rel.encode() + b"\0" + code_only(text).encode() + b"\0")
    return h.hexdigest()


def write_fingerprint_memo() -> None:
    """Record the current fingerprint against the raw sources (``python -m kitlib.tables``)."""
    fingerprint.cache_clear()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    memo = DATA_DIR / "FINGERPRINT.json"
    memo.unlink(missing_ok=True)
    value = fingerprint()
    memo.write_text(json.dumps({"raw": _raw_hash(_numerics_sources()), "fingerprint": value}) + "\n")


def code_only(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                and body and isinstance(body[0], ast.Expr)
                and isinstance(getattr(body[0], "value", None), ast.Constant)
                and isinstance(body[0].value.value, str)):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, include_attributes=False)


def _normalise(result) -> dict:
    """``name -> read-only array`` (0-d arrays become Python scalars); one level of nesting."""
    if not isinstance(result, Mapping):
        raise TypeError(f"a table must return a mapping of arrays; got {type(result).__name__}")
    return _unflatten(flatten(result))


def flatten(result: Mapping, prefix: str = "") -> dict[str, np.ndarray]:
    flat = {}
    for k, v in result.items():
        if not isinstance(k, str) or "/" in k or k.startswith("__"):
            raise TypeError(f"table entry names must be strings without '/' or a leading '__'; got {k!r}")
        if isinstance(v, Mapping):
            if prefix:
                raise TypeError("tables allow one level of nested mappings")
            flat.update(flatten(v, f"{k}/"))
            continue
        a = np.asarray(v)
        if a.dtype == object:
            raise TypeError(f"table entry {prefix + k!r} is not a numeric, bool or string array")
        flat[prefix + k] = a
    return flat


def _leaf(a: np.ndarray):
    if a.ndim == 0:
        return a.item()
    # A read-only view: the caller cannot change the cached table, and an array the table
    # function returned as is (a module's grid constant) stays writable for its owner.
    view = a.view()
    view.flags.writeable = False
    return view


def _unflatten(flat: Mapping[str, np.ndarray]) -> dict:
    out: dict = {}
    for k, a in flat.items():
        if "/" in k:
            outer, inner = k.split("/", 1)
            out.setdefault(outer, {})[inner] = _leaf(a)
        else:
            out[k] = _leaf(a)
    return out


def _use_files() -> bool:
    return os.environ.get("KITLIB_TABLES", "").lower() != "compute"


def table(name: str, *, presets: tuple[dict, ...] = ()):
    """Register ``func`` as the table ``name`` (``"<topic>.<what>"``), cached as described above.

    The decorated function must take keyword-only parameters; calling it with positional
    arguments raises ``TypeError``. It returns the cached, read-only result.
    """
    if name in TABLES:
        raise ValueError(f"table {name!r} is registered twice")

    def wrap(func):
        spec = TableSpec(name=name, func=func, presets=tuple(dict(p) for p in presets))
        sig = inspect.signature(func)
        if any(p.kind is not inspect.Parameter.KEYWORD_ONLY for p in sig.parameters.values()):
            raise TypeError(f"table {name!r}: every parameter must be keyword-only")

        @functools.wraps(func)
        def cached(**params):
            params = spec.complete(params)
            memo_key = json.dumps(canonical(params), sort_keys=True)
            hit = spec.memory.get(memo_key)
            if hit is None:
                hit = spec.load(params)
                if hit is None:
                    hit = spec.compute(params)
                spec.memory[memo_key] = hit
            return hit

        cached.spec = spec
        TABLES[name] = spec
        return cached

    return wrap


def progress(iterable, desc: str, total: int | None = None):
    """A progress bar for a table's loop: a widget bar if ipywidgets is already loaded (a
    notebook), else a text bar; numerics never import widgets themselves."""
    if "ipywidgets" in sys.modules:
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    return tqdm(iterable, desc=desc, total=total, leave=False)
