"""Exercises of notebook 02: kernel density estimation in high dimension.

Each function takes the student's answer, recomputes the right one with :mod:`kitlib` and
returns a :class:`kitlib.checks.Verdict`. ``MODEL_ANSWERS`` holds the instructor's answers (code
answers as source text that defines the function).
"""

from __future__ import annotations

import numpy as np

from kitlib import kde
from kitlib.checks import check_choice, check_explanation, check_function, check_number

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5", "MODEL_ANSWERS"]

REGIMES = ["extreme-value", "heavy-tailed", "CLT"]


def exercise_1(answer):
    """Predict, then check: at h = 1, the smallest α = ln n / d at which the KDE has left the
    extreme-value regime (d → ∞). Read off the phase diagram to 2 %, or compute α_G(1)."""
    return check_number(answer, float(kde.alpha_G(1.0)), rtol=2e-2,
                        hint="h_G falls as α grows: find the α where the h_G line crosses h = 1")


def exercise_2(answer):
    """Predict, then check: the regime at d = 50, n = 20 000, h = 1.3 (finite-size thresholds)."""
    kappa = kde.finite_size_thresholds(50, n=20_000).kappa(1.3)
    return check_choice(answer, kde.regime_name(kappa), REGIMES,
                        hint="κ_d(h) = (h / h_G(d, n))²; the phase diagram's dots are h_G(d, n) and "
                             "h_CLT(d, n) at α = ln n / d")


def _thresholds(alpha):
    th = kde.thresholds(alpha)
    return np.array([th.h_G, th.h_CLT, th.h_KL])


def exercise_3(student_thresholds, seed: int = 0):
    """Coding: (h_G, h_CLT, h_KL) from a root find of t² − t − ln t = 2α, on random α."""
    rng = np.random.default_rng(seed)
    cases = [(0.2,)] + [(float(a),) for a in rng.uniform(0.02, 1.5, size=4)]
    return check_function(student_thresholds, _thresholds, cases, rtol=1e-6, atol=1e-9,
                          hint="the root t* lies in (0, 1); h_G² = t/(1 − t), h_KL² = t(1 + t)")


def _participation(D, h):
    return kde.weight_stats_from_sq_distances(D, h, 1).participation


def exercise_4(student_participation, seed: int = 0):
    """Coding: the participation Σ_i w_i² of the normalised kernel weights, from squared distances."""
    rng = np.random.default_rng(seed)
    cases = [(rng.uniform(0.0, 5.0, size=50), 1.0),
             (kde.sample_sq_distances(50, 2_000, seed=rng), 0.8),
             (kde.sample_sq_distances(50, 2_000, seed=rng), 2.5),
             (kde.sample_sq_distances(50, 2_000, seed=rng, size=3), 0.3),
             (kde.sample_sq_distances(200, 500, seed=rng), 0.2)]  # exp(−D/2h²) underflows here
    return check_function(student_participation, _participation, cases, rtol=1e-6, atol=1e-12,
                          hint="w_i ∝ exp(−D_i/2h²): subtract the smallest D before exponentiating "
                               "(or use scipy.special.softmax), and sum over the last axis")


def exercise_5(answer):
    """Explain: why the extreme-value region shrinks (h_G falls) as α grows."""
    return check_explanation(
        answer,
        [["more points", "more data", "more samples", "n grows", "larger n", "n increases",
          "exponentially many", "e^{αd}", "e^(αd)"],
         ["many", "several", "comparable", "average", "share", "no single", "spread"],
         ["smaller h", "narrower", "h_g falls", "h_g decreases", "h_g drops", "lower h",
          "shrink", "smaller bandwidth"]],
        must_not=["grows with α", "grows with alpha", "region grows", "more condensation"],
        hint="at a fixed h, what does a larger n do to the number of points at nearly the smallest "
             "distance?")


MODEL_ANSWERS = {
    "exercise_1": float(0.5 * (np.log(2.0) - 0.25)),
    "exercise_2": "heavy-tailed",
    "exercise_3": ("def my_thresholds(alpha):\n"
                   "    t = brentq(lambda t: t * t - t - np.log(t) - 2 * alpha, 1e-300, 1 - 1e-15)\n"
                   "    h_G = np.sqrt(t / (1 - t))\n"
                   "    return np.array([h_G, np.sqrt(2) * h_G, np.sqrt(t * (1 + t))])"),
    "exercise_4": ("def my_participation(D, h):\n"
                   "    logk = -(D - D.min(axis=-1, keepdims=True)) / (2 * h * h)\n"
                   "    w = np.exp(logk)\n"
                   "    w /= w.sum(axis=-1, keepdims=True)\n"
                   "    return (w * w).sum(axis=-1)"),
    "exercise_5": ("With α = ln n / d larger, there are exponentially more data points, so at a fixed "
                   "bandwidth many points sit at nearly the smallest distance and share the "
                   "estimate: no single point dominates, and the sum averages. Condensation onto a "
                   "few points then needs a narrower kernel, so h_G falls as α grows and the "
                   "extreme-value region below it shrinks."),
}
