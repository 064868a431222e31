"""Argument checks shared by the numerics modules.

Each raises ``ValueError`` naming the argument, what is allowed and the value received
("alpha must be a finite real number; got nan"), in the style of SciPy and scikit-learn.
"""

from __future__ import annotations

import math

import numpy as np


def real_scalar(x, name: str, *, allowed: str = "a finite real number") -> float:
    """``x`` as a finite float; booleans, strings and arrays are rejected."""
    if isinstance(x, (bool, np.bool_, str, bytes)) or np.ndim(x) != 0:
        raise ValueError(f"{name} must be {allowed}; got {x!r}")
    try:
        value = float(x)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be {allowed}; got {x!r}") from err
    if not math.isfinite(value):
        raise ValueError(f"{name} must be {allowed}; got {value!r}")
    return value


def positive_scalar(x, name: str) -> float:
    """``x`` as a finite float > 0."""
    value = real_scalar(x, name, allowed="a finite real number > 0")
    if value <= 0:
        raise ValueError(f"{name} must be a finite real number > 0; got {value!r}")
    return value


def integer_at_least(x, name: str, low: int) -> int:
    """``x`` as an int >= ``low``; booleans and floats are rejected."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {low}; got {x!r}")
    if int(x) < low:
        raise ValueError(f"{name} must be an integer >= {low}; got {int(x)!r}")
    return int(x)


def one_of(value, name: str, options) -> str:
    """``value`` if it is one of the string ``options``."""
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
    return value
