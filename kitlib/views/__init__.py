"""Explorers for the notebooks, one module per topic, each imported only when it is used.

``from kitlib.views import kde`` loads the KDE explorers and their numerics and nothing else, so
a notebook pays only for the topics it shows (``import kitlib.views`` itself loads no topic).

``EXPLORERS`` maps a stable name (``"<topic>.<explorer>"``) to a zero-argument factory that
builds the explorer with its default settings. Tests, benchmarks and the browser suite iterate
over it; it imports every topic on first use. Every explorer of the kit must be registered
there through its topic module's own ``EXPLORERS`` dict.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

#: Topic modules, in the order of the notebooks.
TOPICS = ("start", "divergences", "kde", "ib", "rlhf", "rlvr")

__all__ = ["EXPLORERS", "TOPICS"]


class _AllExplorers(Mapping):
    """Name -> factory over every topic; the topics are imported on first access."""

    def __init__(self):
        self._merged: dict | None = None

    def _load(self) -> dict:
        if self._merged is None:
            merged = {}
            for topic in TOPICS:
                merged.update(importlib.import_module(f"kitlib.views.{topic}").EXPLORERS)
            self._merged = merged
        return self._merged

    def __getitem__(self, name):
        return self._load()[name]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __repr__(self):
        return f"<kit explorers: {len(self)} over topics {', '.join(TOPICS)}>"


EXPLORERS: Mapping = _AllExplorers()


def __getattr__(name):
    if name in TOPICS:
        return importlib.import_module(f"kitlib.views.{name}")
    raise AttributeError(f"module 'kitlib.views' has no attribute {name!r}")
