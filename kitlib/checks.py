"""Exercise feedback: compare a student's answer with the right one and say so kindly.

Every checker prints one verdict line (a tick or a cross, what was expected in words, and a hint
when the answer is wrong) and returns a :class:`Verdict`, which is truthy exactly when the answer
is right and displays nothing more in a notebook (the printed line is the feedback). Nothing here raises on a wrong
or malformed answer: a student who types ``"0.35"`` or forgets to fill in ``...`` gets a
message, not a traceback. Errors in how the *instructor* called a checker (a negative
tolerance, an empty list of choices) do raise ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["Verdict", "check_number", "check_array", "check_choice"]

_OK = "\u2705"
_NO = "\u274c"


class Verdict:
    """The outcome of a check: ``bool(verdict)`` says whether the answer was right.

    A notebook cell ending in a check shows only the printed verdict line, not an ``Out[...]``
    value (the object has an empty rich display).
    """

    __slots__ = ("ok", "message")

    def __init__(self, ok: bool, message: str):
        self.ok = bool(ok)
        self.message = message

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other) -> bool:
        return self.ok == bool(other)

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return f"Verdict(ok={self.ok})"

    def _ipython_display_(self) -> None:
        """Display nothing: the verdict line was already printed."""


def _verdict(ok: bool, message: str, hint: str | None) -> Verdict:
    line = f"{_OK if ok else _NO} {message}"
    if not ok and hint:
        line += f"  Hint: {hint}"
    print(line)
    return Verdict(ok, line)


def _unanswered(answer) -> bool:
    return answer is None or answer is Ellipsis


def check_number(answer, expected: float, *, rtol: float = 1e-3, atol: float = 0.0,
                 hint: str | None = None, name: str = "answer") -> Verdict:
    """Check a scalar answer against ``expected`` within ``|a - e| <= atol + rtol*|e|``."""
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0; got rtol={rtol!r}, atol={atol!r}")
    if _unanswered(answer):
        return _verdict(False, f"{name}: not answered yet (replace the ... with a number).", hint)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return _verdict(False, f"{name}: expected a number, got {answer!r}.", hint)
    if not np.isfinite(value):
        return _verdict(False, f"{name}: {value} is not a finite number.", hint)
    tol = atol + rtol * abs(expected)
    if abs(value - expected) <= tol:
        return _verdict(True, f"{name} = {value:.6g} is right.", hint)
    direction = "too large" if value > expected else "too small"
    return _verdict(False, f"{name} = {value:.6g} is {direction} (off by more than {tol:.2g}).", hint)


def check_array(answer, expected, *, rtol: float = 1e-3, atol: float = 1e-8,
                hint: str | None = None, name: str = "answer") -> Verdict:
    """Check an array answer elementwise (same shape, ``numpy.allclose`` rule)."""
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0; got rtol={rtol!r}, atol={atol!r}")
    expected = np.asarray(expected, dtype=float)
    if _unanswered(answer):
        return _verdict(False, f"{name}: not answered yet.", hint)
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _verdict(False, f"{name}: expected an array of numbers, got {answer!r}.", hint)
    if value.shape != expected.shape:
        return _verdict(False, f"{name}: expected shape {expected.shape}, got {value.shape}.", hint)
    close = np.isclose(value, expected, rtol=rtol, atol=atol)
    if close.all():
        return _verdict(True, f"{name}: all {value.size} entries are right.", hint)
    bad = int((~close).sum())
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    return _verdict(False, f"{name}: {bad} of {value.size} entries are off "
                           f"(first at index {first}: {value[first]:.4g} vs {expected[first]:.4g}).",
                    hint)


def check_choice(answer, expected, choices: Sequence | None = None, *,
                 hint: str | None = None, name: str = "answer") -> Verdict:
    """Check a multiple-choice answer. Strings compare case- and space-insensitively."""
    if choices is not None and len(choices) == 0:
        raise ValueError("choices must list at least one option; got an empty sequence")

    def norm(x):
        return " ".join(x.lower().split()) if isinstance(x, str) else x

    if _unanswered(answer):
        opts = f" Options: {list(choices)}." if choices is not None else ""
        return _verdict(False, f"{name}: not answered yet.{opts}", hint)
    if choices is not None and norm(answer) not in [norm(c) for c in choices]:
        return _verdict(False, f"{name}: {answer!r} is not one of the options {list(choices)}.", hint)
    if norm(answer) == norm(expected):
        return _verdict(True, f"{name}: {answer!r} is right.", hint)
    return _verdict(False, f"{name}: {answer!r} is not it.", hint)
