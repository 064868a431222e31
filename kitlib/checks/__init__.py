"""Exercise feedback: compare a student's answer with the right one and say so kindly.

Every checker prints one verdict line (a tick or a cross, what was expected in words, and a hint
when the answer is wrong) and returns a :class:`Verdict`, which is truthy exactly when the answer
is right and displays nothing more in a notebook (the printed line is the feedback). Nothing here raises on a wrong
or malformed answer: a student who types ``"0.35"`` or forgets to fill in ``...`` gets a
message, not a traceback. Errors in how the *instructor* called a checker (a negative
tolerance, an empty list of choices) do raise ``ValueError``.

The generic checkers live here. Each notebook's exercises have a module of their own,
``kitlib.checks.nbNN`` (imported on demand: ``from kitlib.checks import nb01``), whose functions
take the student's answer, compute the right one with kitlib and call a generic checker; their
``MODEL_ANSWERS`` feed the instructors' solutions and the test that no student notebook stores them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["Verdict", "check_number", "check_array", "check_choice", "check_choices",
           "check_function", "check_explanation"]

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


def check_choices(answer, expected, choices: Sequence, *, hint: str | None = None,
                  name: str = "answer") -> Verdict:
    """Check a "select all that apply" answer: the set of chosen options must equal ``expected``.

    ``answer`` is a list (or set) of options; order, case and spacing do not matter. The verdict
    says how many are missing and how many were wrong picks, without naming them.
    """
    if len(choices) == 0:
        raise ValueError("choices must list at least one option; got an empty sequence")

    def norm(x):
        return " ".join(x.lower().split()) if isinstance(x, str) else x

    options = {norm(c) for c in choices}
    want = {norm(e) for e in expected}
    if not want <= options:
        raise ValueError(f"expected must be a subset of choices; got {sorted(map(str, want - options))}")
    if _unanswered(answer):
        return _verdict(False, f"{name}: not answered yet. Options: {list(choices)}.", hint)
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        return _verdict(False, f"{name}: expected a list of options, got {answer!r}.", hint)
    got = {norm(a) for a in answer}
    unknown = got - options
    if unknown:
        return _verdict(False, f"{name}: {sorted(map(str, unknown))} not among the options "
                               f"{list(choices)}.", hint)
    if got == want:
        return _verdict(True, f"{name}: all {len(want)} right, none wrong.", hint)
    missing, wrong = len(want - got), len(got - want)
    return _verdict(False, f"{name}: {missing} missing and {wrong} wrong pick(s).", hint)


def check_function(student, reference, cases: Sequence, *, rtol: float = 1e-6, atol: float = 1e-10,
                   hint: str | None = None, name: str = "your function") -> Verdict:
    """Check a student's function against ``reference`` on every argument tuple of ``cases``.

    Each case is a tuple of positional arguments (or a dict of keyword arguments). The outputs are
    compared with the ``numpy.allclose`` rule (same shape). An exception raised by the student's
    code, a ``...`` left in place or a wrong shape gives a verdict naming the first failing case;
    nothing propagates.
    """
    if rtol < 0 or atol < 0:
        raise ValueError(f"rtol and atol must be >= 0; got rtol={rtol!r}, atol={atol!r}")
    if len(cases) == 0:
        raise ValueError("cases must hold at least one argument tuple; got none")
    if _unanswered(student) or not callable(student):
        return _verdict(False, f"{name}: not written yet (define the function first).", hint)

    def call(fn, case):
        return fn(**case) if isinstance(case, dict) else fn(*case)

    for i, case in enumerate(cases):
        # The student's function runs first: an unfinished one gets its verdict at once,
        # without paying for the reference (some are root searches taking a second).
        try:
            got = call(student, case)
            if _unanswered(got):
                return _verdict(False, f"{name}: returns ... (not finished yet).", hint)
            got = np.asarray(got, dtype=float)
        except Exception as err:  # the student's code: report, never raise
            return _verdict(False, f"{name} raised {type(err).__name__}: {err} (case {i + 1}).", hint)
        want = np.asarray(call(reference, case), dtype=float)
        if got.shape != want.shape:
            return _verdict(False, f"{name}: case {i + 1} gives shape {got.shape}, expected "
                                   f"{want.shape}.", hint)
        if not np.all(np.isfinite(got)):
            return _verdict(False, f"{name}: case {i + 1} of {len(cases)} gives a non-finite value "
                                   "(nan or inf).", hint)
        if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False):
            return _verdict(False, f"{name}: case {i + 1} of {len(cases)} is off "
                                   f"(max difference {np.max(np.abs(got - want)):.3g}).", hint)
    return _verdict(True, f"{name} agrees with kitlib on all {len(cases)} cases.", hint)


def check_explanation(answer, must_mention: Sequence[Sequence[str]], *,
                      must_not: Sequence[str] = (), min_words: int = 8,
                      hint: str | None = None, name: str = "answer") -> Verdict:
    """A first screen for a short written answer (the instructor reads the rest).

    ``must_mention`` is a list of ideas, each a list of interchangeable phrases (matched
    case-insensitively as substrings): the answer must mention every idea in some wording.
    ``must_not`` lists phrases of a typical misconception that make the answer wrong. The verdict
    says how many ideas are missing, not which words would pass.
    """
    if len(must_mention) == 0 or any(len(group) == 0 for group in must_mention):
        raise ValueError("must_mention must be a non-empty list of non-empty phrase lists")
    if min_words < 0:
        raise ValueError(f"min_words must be >= 0; got {min_words!r}")
    if _unanswered(answer) or not isinstance(answer, str) or not answer.strip():
        return _verdict(False, f"{name}: not answered yet (write a sentence or two in the string).",
                        hint)
    text = " ".join(answer.lower().split())
    if len(text.split()) < min_words:
        return _verdict(False, f"{name}: too short to explain it (at least {min_words} words).", hint)
    for phrase in must_not:
        if phrase.lower() in text:
            return _verdict(False, f"{name}: it says {phrase!r}, which is the misconception here.",
                            hint)
    missing = sum(not any(p.lower() in text for p in group) for group in must_mention)
    if missing:
        return _verdict(False, f"{name}: {missing} of {len(must_mention)} key ideas missing.", hint)
    return _verdict(True, f"{name}: mentions all {len(must_mention)} key ideas; compare with the "
                          "model answer.", hint)
