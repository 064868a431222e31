"""Argument checks shared by every numerics module (the one validation module).

Every check raises ``ValueError`` (a wrong type is a bad value too, so callers catch one
exception class; the resource and convergence errors below are subclasses) with a message
naming the argument, what is allowed and the value received, in the style of SciPy and
scikit-learn::

    alpha must be a finite real number; got nan
    n must be an integer >= 2; got 2.5
    p must sum to 1 along the last axis (tolerance 1.0e-08); got a sum of 1.5 ...

How to use it in a public function (validate everything first, estimate resources, then work)::

    from kitlib import _validate as v

    def f(p, q, order, *, n=100, seed=0):
        p = v.probability_vector(p, "p")                       # float64, exactly normalised
        q = v.probability_vector(q, "q")
        order = v.real_scalar(order, "order", low=0, low_open=True)
        n = v.integer(n, "n", low=2)
        rng = v.as_generator(seed)                             # the one seed convention
        v.check_budget("f", 8 * n * p.size, hint="lower n")   # refused before allocating
        v.check_work("f", n * p.size * 50, hint="lower n")
        ...

and give the function an entry in the contract table (``kitlib/contracts/<module>.py``; its
docstring says how), which ``tests/test_contracts.py`` turns into generated bad-input tests.

Conventions
-----------
* Scalars: booleans, strings, ``None`` and arrays are refused where a number is asked for.
* Integers: ``int`` / ``numpy.integer`` and integral floats (``1e4``) are accepted; ``True``,
  fractional floats (``2.5``) and strings are refused (never silently truncated).
* Probability vectors: 1-D (or stacked along the last axis), finite, >= 0 and summing to 1 within
  ``PROB_TOL`` (1e-8, or 50 machine epsilons of a lower-precision float dtype); they are returned
  divided by their sum, so downstream maths sees an exact normalisation.
* Arrays: converted to float64, shape checked *before* any element-wise work (so a too-large
  input is refused without touching it), then finiteness and range.
* Randomness: one convention, an argument ``seed`` that is ``None`` (fresh entropy), an
  ``int >= 0`` or a ``numpy.random.Generator`` (used as is); :func:`as_generator` turns it into
  a Generator. Functions never touch global random state (numpy's or torch's).
* Resources: :func:`check_budget` / :func:`check_work` compare an estimate computed from the
  argument sizes with :mod:`kitlib.limits` and refuse with a message naming the limit and how
  to go beyond it.
* Iterations: loops have a cap; on reaching it a function either raises :class:`ConvergenceError`
  (a ``ValueError``) or warns with :class:`ConvergenceWarning` and returns the best result so far.
* A library error that is the cause of a refusal is chained with ``raise ... from err``.
"""

from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from kitlib import limits as _limits

#: tolerance on ``|sum(p) - 1|`` for probability vectors of float64 entries
PROB_TOL = 1e-8


class ConvergenceWarning(RuntimeWarning):
    """An iteration cap was reached; the result returned is the best found so far."""


class ConvergenceError(ValueError):
    """An iteration cap was reached and no usable result exists."""


class ResourceLimitError(ValueError):
    """An input would need more memory or time than :mod:`kitlib.limits` allows."""


def _fmt(value) -> str:
    """A short repr of ``value`` for messages (arrays summarised by shape)."""
    if isinstance(value, np.ndarray) and value.size > 6:
        return f"an array of shape {value.shape}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def fail(name: str, allowed: str, value) -> ValueError:
    """The standard error: "``name`` must be ``allowed``; got ``value``" (returned, not raised)."""
    return ValueError(f"{name} must be {allowed}; got {_fmt(value)}")


_fail = fail


def _interval(low, high, low_open, high_open) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return ""


def _outside(value, low, high, low_open, high_open) -> bool:
    if low is not None and (value <= low if low_open else value < low):
        return True
    return high is not None and (value >= high if high_open else value > high)


# --------------------------------------------------------------------------------------------
# scalars
# --------------------------------------------------------------------------------------------
def real_scalar(x, name: str, *, low: float | None = None, high: float | None = None,
                low_open: bool = False, high_open: bool = False,
                allowed: str | None = None) -> float:
    """``x`` as a finite float, optionally inside ``[low, high]`` (ends open if asked).

    Booleans, strings, ``None`` and arrays with more than zero dimensions are refused.
    """
    rng_text = _interval(low, high, low_open, high_open)
    allowed = allowed or ("a finite real number" + (f" {rng_text}" if rng_text else ""))
    if isinstance(x, (bool, np.bool_, str, bytes)) or x is None or np.ndim(x) != 0:
        raise _fail(name, allowed, x)
    try:
        value = float(x)
    except (TypeError, ValueError) as err:
        raise _fail(name, allowed, x) from err
    if not math.isfinite(value) or _outside(value, low, high, low_open, high_open):
        raise _fail(name, allowed, value)
    return value


def positive_scalar(x, name: str) -> float:
    """``x`` as a finite float > 0."""
    return real_scalar(x, name, low=0.0, low_open=True, allowed="a finite real number > 0")


def nonnegative_scalar(x, name: str) -> float:
    """``x`` as a finite float >= 0."""
    return real_scalar(x, name, low=0.0, allowed="a finite real number >= 0")


def in_range(x, name: str, low: float | None, high: float | None, *, low_open: bool = False,
             high_open: bool = False) -> float:
    """``x`` as a finite float in the interval from ``low`` to ``high`` (open ends if asked)."""
    return real_scalar(x, name, low=low, high=high, low_open=low_open, high_open=high_open)


def probability(x, name: str, *, open_ends: bool = False) -> float:
    """``x`` as a probability in [0, 1] (in (0, 1) if ``open_ends``)."""
    return real_scalar(x, name, low=0.0, high=1.0, low_open=open_ends, high_open=open_ends)


def integer(x, name: str, *, low: int | None = None, high: int | None = None) -> int:
    """``x`` as an int in ``[low, high]``.

    ``int``, ``numpy.integer`` and floats with an integral value (``1e4``) are accepted;
    booleans, fractional floats (never truncated), strings and arrays are refused.
    """
    bounds = _interval(low, high, False, False)
    allowed = "an integer" + (f" {bounds}" if bounds else "")
    if isinstance(x, (bool, np.bool_)) or x is None or isinstance(x, (str, bytes)) \
            or np.ndim(x) != 0:
        raise _fail(name, allowed, x)
    if isinstance(x, (numbers.Integral, np.integer)):
        value = int(x)
    elif isinstance(x, (numbers.Real, np.floating)):
        xf = float(x)
        if not math.isfinite(xf) or not xf.is_integer():
            raise _fail(name, allowed, x)
        value = int(xf)
    else:
        raise _fail(name, allowed, x)
    if _outside(value, low, high, False, False):
        raise _fail(name, allowed, x)
    return value


def integer_at_least(x, name: str, low: int) -> int:
    """``x`` as an int >= ``low`` (see :func:`integer`)."""
    return integer(x, name, low=low)


def one_of(value, name: str, options) -> str:
    """``value`` if it is one of the string ``options``."""
    options = tuple(options)
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; "
                         f"got {_fmt(value)}")
    return value


def boolean(x, name: str) -> bool:
    """``x`` if it is a bool (``numpy.bool_`` too); 0/1 and strings are refused."""
    if not isinstance(x, (bool, np.bool_)):
        raise _fail(name, "True or False", x)
    return bool(x)


def tolerance(x, name: str, *, smallest: float = 1e-14, largest: float = 1.0) -> float:
    """A convergence tolerance in ``[smallest, largest]``.

    Tolerances below ~1e-14 ask for more than float64 arithmetic can deliver and turn a
    stopping rule into an endless loop, so they are refused.
    """
    return real_scalar(x, name, low=smallest, high=largest,
                       allowed=f"a finite real number in [{smallest:g}, {largest:g}] "
                               "(float64 arithmetic cannot reach a smaller tolerance)")


# --------------------------------------------------------------------------------------------
# arrays
# --------------------------------------------------------------------------------------------
def as_float_array(x, name: str, *, max_size: int | None = None,
                   what: str = "an array of real numbers") -> np.ndarray:
    """``x`` as a float64 array of any shape (no copy if it already is one).

    ``None``, strings, dicts, sets and complex values are refused; ``max_size`` (total entries)
    is checked right after the conversion, before any element-wise work.
    """
    if x is None or isinstance(x, (str, bytes, dict, set)):
        raise _fail(name, what, x)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError, np.exceptions.ComplexWarning) as err:
        raise _fail(name, what, x) from err
    if max_size is not None and arr.size > max_size:
        raise ResourceLimitError(f"{name} must have at most {max_size:,} entries on the 1 GB "
                                 f"budget; got shape {arr.shape} ({arr.size:,} entries). "
                                 f"Subsample or process it in chunks.")
    return arr


def _float_array(x, name: str, what: str) -> np.ndarray:
    return as_float_array(x, name, what=what)


def array(x, name: str, *, ndim: int | tuple[int, ...] = 1, min_size: int = 1,
          max_size: int | None = None, shape: tuple | None = None, low: float | None = None,
          high: float | None = None, low_open: bool = False, high_open: bool = False,
          finite: bool = True, atleast_1d: bool = False) -> np.ndarray:
    """``x`` as a float64 array, checked in this order (cheap first, element-wise last).

    Parameters
    ----------
    ndim : int or tuple of int
        Allowed numbers of dimensions.
    min_size : int
        Smallest number of entries along the first axis (1: non-empty).
    max_size : int, optional
        Largest total number of entries, checked before any element is read.
    shape : tuple, optional
        Required shape; ``None`` entries match any length.
    low, high, low_open, high_open : optional
        Range every entry must lie in.
    finite : bool
        Refuse NaN and ±inf (default).
    atleast_1d : bool
        Promote a scalar to a 1-entry array first.
    """
    ndims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    kind = " or ".join(f"{k}-D" for k in ndims)
    arr = _float_array(x, name, f"a {kind} array of real numbers")
    if atleast_1d and arr.ndim == 0:
        arr = arr[None]
    if arr.ndim not in ndims:
        raise ValueError(f"{name} must be a {kind} array; got shape {arr.shape}")
    if shape is not None and (len(shape) != arr.ndim or any(
            s is not None and s != a for s, a in zip(shape, arr.shape))):
        want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {want}; got shape {arr.shape}")
    if max_size is not None and arr.size > max_size:
        raise ResourceLimitError(f"{name} must have at most {max_size:,} entries on the 1 GB "
                                 f"budget; got shape {arr.shape} ({arr.size:,} entries). "
                                 f"Subsample or process it in chunks.")
    if (arr.shape[0] if arr.ndim else 1) < min_size or (arr.ndim and 0 in arr.shape):
        raise ValueError(f"{name} must have at least {max(min_size, 1)} entr"
                         f"{'y' if max(min_size, 1) == 1 else 'ies'} along its first axis "
                         f"and no empty axis; got shape {arr.shape}")
    if finite and not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} must contain only finite numbers; got {n_nan} NaN and "
                         f"{n_inf} infinite entries")
    if low is not None or high is not None:
        with np.errstate(invalid="ignore"):
            lo, hi = np.nanmin(arr), np.nanmax(arr)
        bad = lo if _outside(lo, low, high, low_open, high_open) else (
            hi if _outside(hi, low, high, low_open, high_open) else None)
        if bad is not None:
            raise ValueError(f"{name} must be "
                             f"{_interval(low, high, low_open, high_open)} everywhere; "
                             f"got an entry {float(bad)!r}")
    return arr


def array_1d(x, name: str, **kwargs) -> np.ndarray:
    """A finite 1-D float64 array (see :func:`array`)."""
    return array(x, name, ndim=1, **kwargs)


def array_2d(x, name: str, **kwargs) -> np.ndarray:
    """A finite 2-D float64 array (see :func:`array`)."""
    return array(x, name, ndim=2, **kwargs)


def same_length(a: np.ndarray, b: np.ndarray, na: str, nb: str, axis: int = 0) -> None:
    """Refuse arrays whose lengths along ``axis`` differ."""
    if a.shape[axis] != b.shape[axis]:
        raise ValueError(f"{na} and {nb} must have the same length along axis {axis}; got "
                         f"{na}.shape={a.shape} and {nb}.shape={b.shape}")


def _sum_tolerance(x, tol: float) -> float:
    dtype = getattr(x, "dtype", None)
    if dtype is not None and np.issubdtype(dtype, np.floating):
        return max(tol, 50.0 * float(np.finfo(dtype).eps))
    return tol


def probability_vector(x, name: str, *, tol: float = PROB_TOL, ndim: int | None = 1,
                       max_size: int | None = None) -> np.ndarray:
    """Probability vector(s) along the last axis, returned exactly normalised (float64).

    Each vector must be finite, have non-negative entries and sum to 1 within ``tol``
    (``PROB_TOL`` = 1e-8 for float64 input; 50 machine epsilons for lower precision).
    ``ndim=None`` allows stacks of vectors (any ``ndim >= 1``).
    """
    arr = _float_array(x, name, "a probability vector (an array of non-negative numbers "
                                "summing to 1)")
    if arr.ndim == 0 or (ndim is not None and arr.ndim != ndim):
        want = f"{ndim}-D" if ndim is not None else "at least 1-D"
        raise ValueError(f"{name} must be a probability vector ({want}, probabilities along "
                         f"the last axis); got shape {arr.shape}")
    if max_size is not None and arr.size > max_size:
        raise ResourceLimitError(f"{name} must have at most {max_size:,} entries on the 1 GB "
                                 f"budget; got shape {arr.shape}")
    if arr.shape[-1] == 0 or 0 in arr.shape:
        raise ValueError(f"{name} must have at least one entry along the last axis; "
                         f"got shape {arr.shape}")
    if not np.isfinite(arr).all():
        n_nan = int(np.isnan(arr).sum())
        n_inf = int(np.isinf(arr).sum())
        raise ValueError(f"{name} must contain only finite numbers; got {n_nan} NaN and "
                         f"{n_inf} infinite entries")
    low = float(arr.min())
    if low < 0:
        raise ValueError(f"{name} must be non-negative; got min {low:g}")
    sums = arr.sum(axis=-1)
    tol = _sum_tolerance(x, tol)
    bad = np.abs(sums - 1.0) > tol
    if np.any(bad):
        worst = float(np.asarray(sums)[bad].flat[0])
        raise ValueError(f"{name} must sum to 1 along the last axis (tolerance {tol:.1e}); got a "
                         f"sum of {worst!r}. Normalise with "
                         f"{name} / {name}.sum(-1, keepdims=True).")
    return arr / sums[..., None]


# --------------------------------------------------------------------------------------------
# randomness
# --------------------------------------------------------------------------------------------
def as_generator(seed, name: str = "seed") -> np.random.Generator:
    """The one seed convention: ``None``, an ``int >= 0`` or a ``numpy.random.Generator``.

    Returns a ``numpy.random.Generator`` (the same object if one was given). Booleans, floats,
    negative integers and strings are refused with a message naming ``name``.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (numbers.Integral, np.integer)) \
            or int(seed) < 0:
        raise ValueError(f"{name} must be None, an integer >= 0 or a numpy.random.Generator; "
                         f"got {_fmt(seed)}")
    return np.random.default_rng(int(seed))


def check_seed(seed, name: str = "seed"):
    """Validate ``seed`` (see :func:`as_generator`) without using it; returns it unchanged."""
    if seed is not None and not isinstance(seed, np.random.Generator):
        as_generator(seed, name)
    return seed


# --------------------------------------------------------------------------------------------
# resources and iteration caps
# --------------------------------------------------------------------------------------------
def _bytes(n: float) -> str:
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n:.0f} B"


def check_budget(name: str, n_bytes_estimate: float, *, limit: float | None = None,
                 hint: str = "subsample the input or process it in chunks") -> None:
    """Refuse, before allocating, a call whose working memory estimate passes the limit.

    Parameters
    ----------
    name : str
        What is refused (the function, or the argument that makes it large).
    n_bytes_estimate : float
        Estimated bytes of the largest working set, computed from argument sizes only.
    limit : float, optional
        Bytes allowed; default ``kitlib.limits.current()["memory_bytes"]`` (256 MiB).
    hint : str
        The cheaper route to suggest.
    """
    cap = _limits.current()["memory_bytes"] if limit is None else float(limit)
    if n_bytes_estimate > cap:
        raise ResourceLimitError(
            f"{name} would need about {_bytes(n_bytes_estimate)} of memory, past the limit of "
            f"{_bytes(cap)} on the 1 GB / 1-core budget; {hint}, or raise the limit with "
            f"`with kitlib.limits.raised(memory_bytes=...)`.")


def check_work(name: str, n_operations: float, *, limit: float | None = None,
               hint: str = "use fewer points or a coarser grid") -> None:
    """Refuse a call whose operation count (estimated from sizes) passes the time limit."""
    cap = _limits.current()["operations"] if limit is None else float(limit)
    if n_operations > cap:
        raise ResourceLimitError(
            f"{name} would need about {n_operations:.2g} operations, past the limit of "
            f"{cap:.2g} (about 10 s on one core); {hint}, or raise the limit with "
            f"`with kitlib.limits.raised(operations=...)`.")


def warn_not_converged(name: str, iterations: int, detail: str = "") -> None:
    """Warn (``ConvergenceWarning``) that ``name`` stopped at its iteration cap."""
    warnings.warn(f"{name} stopped at its cap of {iterations} iterations without meeting its "
                  f"tolerance{'; ' + detail if detail else ''}; the result is the best so far.",
                  ConvergenceWarning, stacklevel=3)
