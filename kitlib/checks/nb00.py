"""Exercises of notebook 00 (start here): forward and reverse KL between two Gaussians.

Each function takes the student's answer, recomputes the right one with :mod:`kitlib` and
returns a :class:`kitlib.checks.Verdict`. ``MODEL_ANSWERS`` holds the instructor's answers.
"""

from __future__ import annotations

import numpy as np

from kitlib import divergences as dv
from kitlib.checks import check_explanation, check_function, check_number

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "MODEL_ANSWERS"]


def exercise_1(answer):
    """Predict, then check: KL(p‖q) for p = N(0, 1), q = N(0, 2²), in nats."""
    return check_number(answer, dv.gaussian_kl(0.0, 1.0, 0.0, 4.0), rtol=2e-3,
                        hint="½[S0/S1 + (m1 − m0)²/S1 − 1 + log(S1/S0)] with S0 = 1, S1 = 4 "
                             "(S is a variance, not a width)")


def exercise_2(answer):
    """Predict, then check: with s = σ = 1, the factor by which KL(p‖q) grows when μ goes 1 → 2."""
    factor = dv.gaussian_kl(0.0, 1.0, 2.0, 1.0) / dv.gaussian_kl(0.0, 1.0, 1.0, 1.0)
    return check_number(answer, factor, rtol=1e-2,
                        hint="with equal widths only the (m1 − m0)²/S1 term of the closed form is "
                             "left: how does it scale with the distance?")


def _reference_kl(m0, S0, m1, S1):
    return dv.gaussian_kl(m0, S0, m1, S1)


def exercise_3(student_kl, seed: int = 0):
    """Coding: the closed form KL(N(m0, S0) ‖ N(m1, S1)) (S = variances), on random inputs."""
    rng = np.random.default_rng(seed)
    cases = [(0.0, 1.0, 0.0, 4.0)]
    for _ in range(5):
        m0, m1 = rng.normal(0.0, 2.0, size=2)
        S0, S1 = rng.uniform(0.1, 5.0, size=2)
        cases.append((float(m0), float(S0), float(m1), float(S1)))
    return check_function(student_kl, _reference_kl, cases, rtol=1e-8, atol=1e-12,
                          hint="S0, S1 are variances; the log term is log(S1/S0), not log(S0/S1)")


def exercise_4(answer):
    """Explain: why the forward integrand p·log(p/q) goes negative while its area stays ≥ 0."""
    return check_explanation(
        answer,
        [["q > p", "q is larger", "q is bigger", "p < q", "p is smaller", "smaller than q",
          "larger than p", "below 1", "less than 1", "< 1"],
         ["integrate to 1", "integrates to 1", "total mass", "normalis", "normaliz", "sum to 1",
          "jensen", "gibbs", "log x ≤ x − 1", "log x <= x - 1", "log(x) <= x - 1", "ln x ≤ x − 1"]],
        must_not=["can be negative overall", "area can be negative"],
        hint="where is log(p/q) < 0? and what do p and q have in common that forbids a negative total?")


MODEL_ANSWERS = {
    "exercise_1": 0.5 * (0.25 - 1.0 + np.log(4.0)),
    "exercise_2": 4.0,
    "exercise_3": ("def my_gaussian_kl(m0, S0, m1, S1):\n"
                   "    return 0.5 * (S0 / S1 + (m1 - m0) ** 2 / S1 - 1 + np.log(S1 / S0))"),
    "exercise_4": ("The integrand p log(p/q) is negative wherever q is larger than p, because there "
                   "the ratio p/q is below 1 and its log is negative. The area cannot be negative: "
                   "both densities integrate to 1, so the mass q gains in one place it must lose "
                   "elsewhere, and Jensen's inequality (log x ≤ x − 1) gives "
                   "∫p log(q/p) ≤ ∫(q − p) = 0 (Gibbs' inequality)."),
}

