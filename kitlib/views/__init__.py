"""Explorers for the notebooks, one module per topic.

``EXPLORERS`` maps a stable name (``"<topic>.<explorer>"``) to a zero-argument factory that
builds the explorer with its default settings. Tests, benchmarks and the browser suite iterate
over it, so every explorer of the kit must be registered here through its topic module's own
``EXPLORERS`` dict.
"""

from kitlib.views import divergences, ib, kde, rlhf, rlvr, start

EXPLORERS = {}
for _module in (start, divergences, kde, ib, rlhf, rlvr):
    EXPLORERS.update(_module.EXPLORERS)

__all__ = ["EXPLORERS"]
