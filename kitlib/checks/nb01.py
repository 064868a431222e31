"""Exercises of notebook 01: mode-seeking versus mass-covering divergences.

Each function takes the student's answer, recomputes the right one with :mod:`kitlib` and
returns a :class:`kitlib.checks.Verdict`. ``MODEL_ANSWERS`` holds the instructor's answers (code
answers as source text that defines the function).
"""

from __future__ import annotations

import itertools

import numpy as np

from kitlib import fitting as ft
from kitlib.checks import check_choice, check_explanation, check_function
from kitlib.tables import divergences as tables

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "ORDER_OPTIONS", "MODEL_ANSWERS"]

_NAMES = {"js": "JS", "hellinger": "Hellinger", "tv": "TV"}
#: The six possible orders of the three switch separations, as the student writes them.
ORDER_OPTIONS = [" < ".join(_NAMES[k] for k in perm) for perm in itertools.permutations(_NAMES)]


def switch_order() -> str:
    """The true order of d* (free width) for JS, Hellinger and TV, smallest first: the
    switch separations of :func:`kitlib.fitting.switch_separation` (d_max = 8, tol = 5e-3), read
    from the shipped table :func:`kitlib.tables.divergences.switch_separations`."""
    d = {k: tables.switch_separations(d_max=8.0, tol=5e-3)["free"][k] for k in _NAMES}
    return " < ".join(_NAMES[k] for k in sorted(d, key=d.get))


def exercise_1(answer):
    """Predict, then check: order the switch separations d* of JS, Hellinger and TV."""
    return check_choice(answer, switch_order(), ORDER_OPTIONS,
                        hint="a divergence that is more tolerant of a model missing a mode switches "
                             "earlier; read each d* off the readout of Explore 1")


def _tv_gradient(mu, s):
    return abs(float(ft.gradient_far_away(mu, "tv", std=s).gradients))


def exercise_2(student_grad, seed: int = 0):
    """Coding: |∂TV/∂μ| between p = N(0, 1) and q = N(μ, s²) from q at the crossing points of p
    and q, on random (μ, s) including s = 1."""
    rng = np.random.default_rng(seed)
    cases = [(1.0, 1.0), (2.0, 0.6), (0.7, 1.8)]
    cases += [(float(m), float(w)) for m, w in zip(rng.uniform(0.2, 4.0, 3), rng.uniform(0.4, 2.5, 3))]
    return check_function(student_grad, _tv_gradient, cases, rtol=1e-3, atol=1e-6,
                          hint="solve log p = log q, a quadratic in x (linear when s = 1); the "
                               "gradient is q at one crossing point minus q at the other")


def _d_star(alpha):
    return ft.switch_separation("alpha", alpha=alpha, d_max=8.0, tol=1e-3)


def exercise_3(student_d_star, seed: int = 0):
    """Coding: root-find the switch separation d*(α) along Minka's α (free width)."""
    rng = np.random.default_rng(seed)
    cases = [(0.0,), (float(np.round(rng.uniform(0.05, 0.2), 3)),),
             (float(np.round(rng.uniform(0.25, 0.4), 3)),)]
    return check_function(student_d_star, _d_star, cases, rtol=5e-3, atol=0.0,
                          hint="bracket d between 0.5 and 8, test whether the global fit's |μ| is "
                               "above d/2, and bisect")


def exercise_4(answer):
    """Explain: when does an f-divergence stop pulling a far-away model, and why not KL here?"""
    return check_explanation(
        answer,
        [["overlap", "disjoint", "support"],
         ["saturat", "bounded", "log 2", "constant", "flat", "maximum"],
         ["kl", "kullback"],
         ["infinite", "grows", "increases", "unbounded", "larger", "never saturates"]],
        must_not=["kl gradient vanishes", "kl's gradient vanishes", "tv has no gradient",
                  "tv gives no gradient"],
        hint="compare Gaussians (overlap everywhere) with boxes that no longer overlap")


MODEL_ANSWERS = {
    "exercise_1": switch_order,  # computed: "TV < JS < Hellinger" in this kit's setting
    "exercise_2": ("def tv_grad(mu, s):\n"
                   "    if s == 1:  # one crossing point, at mu / 2\n"
                   "        return norm.pdf(mu / 2, mu, 1)\n"
                   "    # log p = log q  <=>  (1 - s^2) x^2 - 2 mu x + mu^2 + 2 s^2 log s = 0\n"
                   "    x1, x2 = np.roots([1 - s**2, -2 * mu, mu**2 + 2 * s**2 * np.log(s)])\n"
                   "    return abs(norm.pdf(x1, mu, s) - norm.pdf(x2, mu, s))"),
    "exercise_3": ("def d_star(alpha):\n"
                   "    def one_mode(d):\n"
                   "        fit = ft.fit_gaussian(*views.bimodal_target(d), 'alpha', alpha=alpha)\n"
                   "        return abs(fit.mean) > d / 2\n"
                   "    lo, hi = 0.5, 8.0\n"
                   "    while hi - lo > 1e-4:\n"
                   "        mid = 0.5 * (lo + hi)\n"
                   "        lo, hi = (lo, mid) if one_mode(mid) else (mid, hi)\n"
                   "    return 0.5 * (lo + hi)"),
    "exercise_4": ("JS and TV are bounded (log 2 and 1): once p and q barely overlap they saturate "
                   "at their maximum, the objective is flat, and the gradient decays with the "
                   "overlap; for disjoint supports it is exactly zero, whatever the distance. KL "
                   "between two Gaussians never saturates: both have full support, log(p/q) is a "
                   "quadratic, and the KL grows with the distance (forward KL as δ²/2s²), so its "
                   "gradient grows too. KL only fails when the supports differ, and then it is "
                   "infinite rather than informative. A transport cost (W2, Sinkhorn) keeps a "
                   "gradient 2δ in both cases."),
}
