"""The machine-readable argument contract of every public numerics function.

One table per numerics module, ``kitlib/contracts/<module>.py``, each defining
``CONTRACTS: dict[str, Contract]`` with one entry per name in that module's ``__all__``.
``tests/test_contracts.py`` reads the tables and, for every function and every argument,
substitutes hypothesis-generated bad values of each kind the contract refuses into the valid
``baseline`` call, asserting a ``ValueError``/``TypeError`` whose message names the argument,
raised quickly and without allocating (see the test module for the limits). It also asserts
that every ``__all__`` name has an entry and that every baseline call is itself accepted.

How to add an entry
-------------------
In ``kitlib/contracts/<module>.py``::

    CONTRACTS["renyi"] = Contract(
        args={
            "p": prob(),                                  # probability vector, tol PROB_TOL
            "q": prob(),
            "order": real(low=0, low_open=True),          # finite real > 0
        },
        baseline=dict(p=P3, q=Q3, order=2.0),             # a small valid call, by keyword
        budget="p, q up to 10**7 entries (8 bytes each, a few temporaries)",
    )

Argument kinds (constructors below): ``real`` (finite real scalar with an optional interval),
``integer`` (int >= low; integral floats accepted, True and fractions refused), ``prob``
(probability vector(s) along the last axis, summing to 1 within ``tol``), ``array`` (finite
float array with ``ndim``, optional range and ``max_size``), ``choice`` (one string of
``options``), ``seed`` (None, int >= 0 or numpy Generator), ``boolean``, ``func`` (a callable)
and ``anything`` (not generated). Each kind implies the bad-value kinds tested (see
:meth:`Arg.bad_kinds`); pass ``skip=("wrong_shape",)`` with a reason in ``doc`` when the
function legitimately accepts that kind (e.g. stacked vectors), or ``extra=`` to add kinds.
``too_large`` on the contract lists keyword overrides (callables building the values lazily)
that must be refused by a resource check before allocating. Non-function names (constants,
result types) get ``constant("what it is")``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable

from kitlib._validate import PROB_TOL

__all__ = ["Arg", "Contract", "real", "integer", "prob", "array", "choice", "seed", "boolean",
           "func", "anything", "constant", "MODULES", "BAD_KINDS", "table", "describe",
           "contract_text", "lazy", "evaluate"]

#: the numerics modules that carry a contract table
MODULES = ("divergences", "fitting", "kde", "ib", "rlhf", "rlvr")

#: every kind of bad value the generated suite knows how to build
BAD_KINDS = ("nan", "inf", "negative", "below", "above", "empty", "wrong_shape", "wrong_type",
             "unnormalised", "fraction", "bool", "too_large", "unknown_option")


@dataclass(frozen=True)
class Arg:
    """The contract of one argument (see the module docstring for the kinds)."""

    kind: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    ndim: int = 0
    finite: bool = True
    tol: float | None = None
    max_size: int | None = None
    options: tuple = ()
    none_ok: bool = False
    skip: tuple = ()
    extra: tuple = ()
    doc: str = ""

    def bad_kinds(self) -> tuple[str, ...]:
        """The bad-value kinds this argument must refuse."""
        k = self.kind
        kinds: list[str] = []
        if k == "real":
            kinds = ["nan", "inf", "wrong_type"] if self.finite else ["wrong_type"]
            kinds += ["below"] if self.low is not None else []
            kinds += ["above"] if self.high is not None else []
        elif k == "integer":
            kinds = ["fraction", "bool", "wrong_type"]
            kinds += ["below"] if self.low is not None else []
            kinds += ["above"] if self.high is not None else []
            kinds += ["too_large"] if self.max_size is not None else []
        elif k == "prob":
            kinds = ["nan", "inf", "negative", "empty", "wrong_shape", "wrong_type",
                     "unnormalised"]
            kinds += ["too_large"] if self.max_size is not None else []
        elif k == "array":
            kinds = (["nan", "inf"] if self.finite else []) + ["empty", "wrong_shape",
                                                               "wrong_type"]
            kinds += ["below"] if self.low is not None else []
            kinds += ["above"] if self.high is not None else []
            kinds += ["too_large"] if self.max_size is not None else []
        elif k == "choice":
            kinds = ["unknown_option", "wrong_type"]
        elif k == "seed":
            kinds = ["negative", "fraction", "bool", "wrong_type"]
        elif k in ("boolean", "func"):
            kinds = ["wrong_type"]
        kinds += [e for e in self.extra if e not in kinds]
        return tuple(x for x in kinds if x not in self.skip)


@dataclass(frozen=True)
class Contract:
    """The contract of one public name.

    Attributes
    ----------
    args : dict
        Argument name -> :class:`Arg`, for every argument of the signature.
    baseline : dict
        A small valid call by keyword (``f(**baseline)`` must succeed quickly).
    budget : str
        The largest sizes accepted on the 1 GB / 1-core budget, in words.
    too_large : tuple of dict
        Keyword overrides of the baseline (values or zero-argument callables building them)
        that exceed the budget and must be refused before allocating.
    kind : str
        ``"function"`` or ``"constant"`` (constants, result types: nothing to call).
    """

    args: dict = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)
    budget: str = ""
    too_large: tuple = ()
    kind: str = "function"
    doc: str = ""


def real(*, low=None, high=None, low_open=False, high_open=False, finite=True, none_ok=False,
         skip=(), extra=(), doc="") -> Arg:
    """A real scalar, finite unless ``finite=False``, optionally in an interval."""
    return Arg("real", low=low, high=high, low_open=low_open, high_open=high_open,
               finite=finite, none_ok=none_ok, skip=skip, extra=extra, doc=doc)


def integer(*, low=None, high=None, max_size=None, none_ok=False, skip=(), extra=(),
            doc="") -> Arg:
    """An integer in ``[low, high]``; ``max_size`` marks a resource limit (refused beyond)."""
    return Arg("integer", low=low, high=high, max_size=max_size, none_ok=none_ok, skip=skip,
               extra=extra, doc=doc)


def prob(*, tol=PROB_TOL, max_size=None, ndim=1, skip=(), extra=(), doc="") -> Arg:
    """A probability vector (or ``ndim``-D stack along the last axis) summing to 1 within tol."""
    return Arg("prob", tol=tol, max_size=max_size, ndim=ndim, skip=skip, extra=extra, doc=doc)


def array(*, ndim=1, low=None, high=None, low_open=False, high_open=False, finite=True,
          max_size=None, none_ok=False, skip=(), extra=(), doc="") -> Arg:
    """A real array of ``ndim`` dimensions."""
    return Arg("array", ndim=ndim, low=low, high=high, low_open=low_open, high_open=high_open,
               finite=finite, max_size=max_size, none_ok=none_ok, skip=skip, extra=extra,
               doc=doc)


def choice(options, *, none_ok=False, skip=(), doc="") -> Arg:
    """One of the strings ``options``."""
    return Arg("choice", options=tuple(options), none_ok=none_ok, skip=skip, doc=doc)


def seed(*, skip=(), doc="") -> Arg:
    """A seed: None, an int >= 0 or a numpy.random.Generator."""
    return Arg("seed", none_ok=True, skip=skip, doc=doc)


def boolean(*, skip=(), doc="") -> Arg:
    """True or False."""
    return Arg("boolean", skip=skip, doc=doc)


def func(*, doc="") -> Arg:
    """A callable."""
    return Arg("func", doc=doc)


def anything(doc="") -> Arg:
    """An argument with no generated bad values (say why in ``doc``)."""
    return Arg("anything", doc=doc)


def constant(doc: str) -> Contract:
    """The entry of a constant or result type in ``__all__`` (nothing to call)."""
    return Contract(kind="constant", doc=doc)


def _interval(a: Arg) -> str:
    lo = None if a.low is None else f"{'>' if a.low_open else '>='} {a.low:g}"
    hi = None if a.high is None else f"{'<' if a.high_open else '<='} {a.high:g}"
    return " and ".join(x for x in (lo, hi) if x)


def describe(a: Arg) -> str:
    """One sentence stating an argument's contract (used in the docstrings)."""
    rng = _interval(a)
    if a.kind == "real":
        text = "finite real number" if a.finite else "real number (±inf allowed, NaN refused)"
        text += f" {rng}" if rng else ""
    elif a.kind == "integer":
        text = "integer" + (f" {rng}" if rng else "") + " (True and fractions refused)"
        if a.max_size is not None:
            text += f"; at most {a.max_size:,} on the budget"
    elif a.kind == "prob":
        text = ("probability vector" if a.ndim == 1 else "probability vector(s) along the last "
                "axis") + f": finite, >= 0, summing to 1 within {a.tol:g}"
    elif a.kind == "array":
        text = (f"{a.ndim}-D " if "wrong_shape" not in a.skip else "") + "real array, " + (
            "finite" if a.finite else "no NaN") + (f", entries {rng}" if rng else "") + (
            ", non-empty" if "empty" not in a.skip else "")
    elif a.kind == "choice":
        text = "one of " + ", ".join(map(repr, a.options))
    elif a.kind == "seed":
        text = "None, an int >= 0 or a numpy.random.Generator"
    elif a.kind == "boolean":
        text = "True or False"
    elif a.kind == "func":
        text = "a callable"
    else:
        text = ""
    if a.kind in ("prob", "array") and a.max_size is not None:
        text += f"; at most {a.max_size:,} entries"
    if a.none_ok and a.kind != "seed":
        text += "; or None"
    if a.doc:
        text = f"{text} ({a.doc})" if text else a.doc
    return text + "."


def contract_text(contract: Contract, indent: str = "") -> str:
    """The ``Contract`` docstring section generated from a table entry, wrapped at 100 columns."""
    import textwrap

    def wrap(text, pad):
        return textwrap.fill(text, 100, initial_indent=pad, subsequent_indent=pad,
                             break_on_hyphens=False)

    lines = [indent + "Contract", indent + "--------"]
    for name, a in contract.args.items():
        lines += [indent + name, wrap(describe(a), indent + "    ")]
    tail = "Bad or too-large input raises ValueError naming the argument, before any allocation."
    if contract.budget:
        tail = f"Budget (1 GB / 1 core): {contract.budget}. " + tail
    lines.append(wrap(tail, indent))
    return "\n".join(lines)


def table(module: str) -> dict[str, Contract]:
    """The ``CONTRACTS`` table of numerics module ``module`` (e.g. ``"kde"``)."""
    return importlib.import_module(f"kitlib.contracts.{module}").CONTRACTS


def evaluate(value: Any) -> Any:
    """A baseline or override value: called if it is a zero-argument builder."""
    return value() if isinstance(value, Callable) and getattr(value, "_lazy", False) else value


def lazy(builder: Callable[[], Any]) -> Callable[[], Any]:
    """Mark ``builder`` as building an override value when the test runs (not at import)."""
    builder._lazy = True
    return builder
