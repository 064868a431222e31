"""Resource limits every public kitlib function respects (the 1 GB / 1-core budget).

A public function estimates, from the sizes of its arguments alone, the memory of its largest
working array and the number of elementary operations it will do, and refuses *before
allocating* when an estimate passes the limit here (``ValueError`` naming the limit, the
estimate and a cheaper route such as subsampling or chunking). The defaults leave room for a
notebook kernel, its figures and a few temporaries inside 1 GB of RAM on one core.

To go beyond them on a bigger machine, raise them for a block of code::

    import kitlib.limits
    with kitlib.limits.raised(memory_bytes=8 * 2**30, operations=1e11):
        kitlib.divergences.sinkhorn_divergence(x, y, eps=0.1)
"""

from __future__ import annotations

import contextlib

__all__ = ["MEMORY_BYTES", "OPERATIONS", "current", "raised"]

#: default largest working memory of one call, in bytes (256 MiB: a quarter of the 1 GB budget,
#: since a numpy expression holds a few temporaries of the largest array at once)
MEMORY_BYTES = 256 * 2**20
#: default largest number of elementary floating-point operations of one call (about 10 s of
#: vectorised numpy work on one core; transcendental functions run at ~1e8–1e9 per second)
OPERATIONS = 2e9

_current = {"memory_bytes": MEMORY_BYTES, "operations": OPERATIONS}


def current() -> dict:
    """The limits in force: ``{"memory_bytes": ..., "operations": ...}``."""
    return dict(_current)


@contextlib.contextmanager
def raised(*, memory_bytes: float | None = None, operations: float | None = None):
    """Context manager raising (or lowering) the limits for the calls inside the block.

    Parameters
    ----------
    memory_bytes : float, optional
        Largest working memory of one call, bytes (> 0).
    operations : float, optional
        Largest number of elementary operations of one call (> 0).
    """
    new = dict(_current)
    for key, value in (("memory_bytes", memory_bytes), ("operations", operations)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 \
                or value != value or value == float("inf"):
            raise ValueError(f"{key} must be a finite real number > 0; got {value!r}")
        new[key] = float(value)
    old = dict(_current)
    _current.update(new)
    try:
        yield current()
    finally:
        _current.clear()
        _current.update(old)
