"""Public, widget-free tables behind the explorers, one module per topic.

Everything an explorer precomputes (grids of fits, Monte Carlo over data sets, training runs)
is a function here, importable and testable without ipywidgets or matplotlib. Each is a
:func:`kitlib.tables._cache.table`: computed once per parameter set, kept in memory, and shipped
on disk keyed by the numerics' code (see that module). ``python -m kitlib.tables`` (``make
tables``) rebuilds the shipped files; ``tests/test_tables.py`` checks them against a fresh
computation.

Topic modules are imported on first use: ``kitlib.tables.kde`` etc.
"""

from __future__ import annotations

import importlib

from kitlib.tables._cache import (DATA_DIR, TABLES, TableSpec, canonical, code_only, fingerprint,
                                  flatten, progress, table)

TOPICS = ("divergences", "kde", "ib", "rlhf", "rlvr")

__all__ = ["TABLES", "TOPICS", "TableSpec", "DATA_DIR", "table", "fingerprint", "progress",
           "load_all", "canonical", "flatten", "code_only"]


def load_all() -> dict[str, TableSpec]:
    """Import every topic's table module and return the registry (name -> spec)."""
    for topic in TOPICS:
        try:
            importlib.import_module(f"kitlib.tables.{topic}")
        except ModuleNotFoundError as exc:
            if exc.name != f"kitlib.tables.{topic}":
                raise
    return TABLES


def __getattr__(name):
    if name in TOPICS:
        return importlib.import_module(f"kitlib.tables.{name}")
    raise AttributeError(f"module 'kitlib.tables' has no attribute {name!r}")
