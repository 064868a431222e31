"""Shared argument checks and log-space helpers of :mod:`kitlib.rlhf` (private).

Every check goes through :mod:`kitlib._validate`; these are only the shapes rlhf needs often
(a probability vector with its rewards, a β grid, the resource budget).
"""

from __future__ import annotations

import numpy as np
from scipy import special

from kitlib import _validate as _v

#: largest probability vector (and rewards) on the 1 GB budget
MAX_RESPONSES = 2**22
_SUM_TOL = _v.PROB_TOL

#: operations charged for the fixed cost of one small step, so that many tiny steps are not
#: free (measured on one busy core: a vanilla_pg_path step ~0.16 ms, a train_policy step ~1.7 ms;
#: the limit of 2e9 operations is ~10 s)
_STEP_OVERHEAD = 1e5
_TORCH_STEP_OVERHEAD = 3e5


def _prob(p, name: str = "p_ref") -> np.ndarray:
    return _v.probability_vector(p, name, max_size=MAX_RESPONSES)


def _rewards(r, p: np.ndarray, name: str = "rewards", ref: str = "p_ref") -> np.ndarray:
    arr = _v.array(r, name, ndim=(0, 1, 2), max_size=MAX_RESPONSES, finite=False)
    if arr.shape != p.shape:
        raise ValueError(f"{name} must have the shape of {ref} {p.shape}; got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite; got {int((~np.isfinite(arr)).sum())} non-finite entries")
    with np.errstate(over="ignore"):
        span = arr.max() - arr.min() if arr.size else 0.0
    if not np.isfinite(span):
        raise ValueError(f"{name} must span a finite range (max − min overflows float64); got "
                         f"min {arr.min():g} and max {arr.max():g}. Rescale the rewards.")
    return arr


def _same_shape(pi: np.ndarray, p: np.ndarray) -> None:
    if pi.shape != p.shape:
        raise ValueError(f"policy and p_ref must have the same shape; got {pi.shape} and {p.shape}")


def _policy_and_ref(policy, p_ref) -> tuple[np.ndarray, np.ndarray]:
    pi, p = _prob(policy, "policy"), _prob(p_ref)
    _same_shape(pi, p)
    return pi, p


def _betas(betas) -> np.ndarray:
    return _v.array(betas, "betas", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=0.0,
                    low_open=True)


def _limit(what: str, *, nbytes: float = 0.0, operations: float = 0.0, hint: str) -> None:
    """Refuse, before allocating, a call whose estimated memory or work passes kitlib.limits."""
    _v.check_budget(what, nbytes, hint=hint)
    _v.check_work(what, operations, hint=hint)


def _pr(p_ref, rewards) -> tuple[np.ndarray, np.ndarray]:
    p = _prob(p_ref)
    return p, _rewards(rewards, p)


def _logp(p: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(p)


def _lse(a: np.ndarray, axis: int = -1) -> np.ndarray:
    return special.logsumexp(a, axis=axis)
