"""Divergence Lab's thin library.

Numerics (no plotting, no widgets): ``kitlib.divergences``, ``kitlib.fitting`` and the other
topic modules; ``kitlib.tables`` holds what the explorers precompute (shipped on disk). Views
(ipywidgets + matplotlib): ``kitlib.views``, built on ``kitlib.explore``. ``kitlib.style`` holds
the palette and figure export, ``kitlib.checks`` the exercise feedback, ``kitlib.limits`` the
memory and work budget every public function checks before it allocates.

The kit's exceptions and warnings are importable from here: :class:`ResourceLimitError` (a
call would exceed the budget of :mod:`kitlib.limits`), :class:`ConvergenceError` and
:class:`ConvergenceWarning` (an iterative solver stopped before its tolerance).
"""

__version__ = "0.1.0"
__all__ = ["ConvergenceError", "ConvergenceWarning", "ResourceLimitError", "__version__"]


def __getattr__(name):
    # imported on first use, so that ``import kitlib.views`` stays light (no numpy)
    if name in ("ConvergenceError", "ConvergenceWarning", "ResourceLimitError"):
        from kitlib import _validate

        return getattr(_validate, name)
    raise AttributeError(f"module 'kitlib' has no attribute {name!r}")
