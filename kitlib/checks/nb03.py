"""Exercises of notebook 03: information-bottleneck planes.

Each function takes the student's answer, recomputes the right one with :mod:`kitlib` and
returns a :class:`kitlib.checks.Verdict`. ``MODEL_ANSWERS`` holds the instructor's answers (code
answers as source text that defines the function; explanations as model text).
"""

from __future__ import annotations

import numpy as np

from kitlib import _validate as v
from kitlib import ib
from kitlib.checks import check_explanation, check_function, check_number

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5", "MODEL_ANSWERS",
           "RHOS_EX1", "RHO_EX2"]

#: Canonical correlations of exercise 1 (the explorer's default).
RHOS_EX1 = (0.9, 0.6, 0.3)
#: Correlation of exercise 2.
RHO_EX2 = 0.7


def curvature_ratio(*, rhos=RHOS_EX1, which: int = 2) -> float:
    """|curvature| just above β_which divided by |curvature| just below it (Gaussian IB)."""
    cov = ib.canonical_covariances(list(rhos))
    bc = float(ib.gaussian_ib(*cov, [2.0]).critical_betas[which])
    _, c, _ = ib.gaussian_ib_curvature(*cov, [bc * (1 - 1e-9), bc * (1 + 1e-9)])
    return float(c[1] / c[0])


def exercise_1(answer):
    """Predict, then check: the factor by which |d²I(T;Y)/dI(X;T)²| changes as β crosses β₃."""
    return check_number(answer, curvature_ratio(), rtol=5e-3,
                        hint="just below β₃ two directions are active, just above three; the "
                             "curvature is −2(β − 1)/(n β²)")


def first_beta(*, rho: float = RHO_EX2) -> float:
    """β at which the Gaussian IB curve of scalars with correlation ``rho`` leaves the origin."""
    return float(ib.gaussian_ib(*ib.canonical_covariances([rho]), [2.0]).critical_betas[0])


def exercise_2(answer):
    """Predict, then check: β at which T stops being trivial for scalar Gaussians, ρ = 0.7."""
    return check_number(answer, first_beta(), rtol=2e-3,
                        hint="β₁ = 1/(1 − λ₁) with λ₁ = 1 − ρ²")


def _one_step(q, pxy, beta):
    return ib.blahut_arimoto(pxy, beta, q, n_iter=1, tol=1e-14)


def _random_joint(rng, nx, ny):
    p = rng.random((nx, ny)) ** 2 + 1e-3
    return p / p.sum()


def _random_encoder(rng, nx, nt):
    q = rng.random((nx, nt)) + 0.05
    return q / q.sum(1, keepdims=True)


def exercise_3(student_step, *, seed: int = 0):
    """Coding: one Blahut–Arimoto update of the IB encoder, on random tables and encoders."""
    rng = v.as_generator(seed)
    cases = []
    for nx, ny, nt, beta in ((3, 2, 2, 2.0), (4, 3, 3, 0.7), (5, 4, 3, float(rng.uniform(1.0, 8.0)))):
        cases.append((_random_encoder(rng, nx, nt), _random_joint(rng, nx, ny), beta))
    return check_function(student_step, _one_step, cases, rtol=1e-7, atol=1e-10,
                          hint="p(t) = Σ_x p(x)q(t|x); p(y|t) = Σ_x p(x,y)q(t|x)/p(t); then "
                               "q(t|x) ∝ p(t)·exp(−β·KL[p(y|x) ‖ p(y|t)]), normalised over t")


def _gauss_point(rhos, beta):
    g = ib.gaussian_ib(*ib.canonical_covariances(list(rhos)), [beta])
    return np.array([g.I_XT[0], g.I_TY[0]])


def exercise_4(student_point, *, seed: int = 0):
    """Coding: (I(X;T), I(T;Y)) of the Gaussian IB optimum from the canonical correlations."""
    rng = v.as_generator(seed)
    cases = [((0.8,), 1.2), ((0.8,), 4.0), ((0.9, 0.5), 3.0), ((0.9, 0.5, 0.2), 30.0),
             (tuple(np.round(rng.uniform(0.1, 0.95, 3), 3)), float(rng.uniform(1.0, 50.0)))]
    return check_function(student_point, _gauss_point, cases, rtol=1e-8, atol=1e-12,
                          hint="only directions with β > 1/ρ_i² count; each adds "
                               "½log((β−1)ρ_i²/(1−ρ_i²)) to I(X;T) and ½log(β ρ_i²) to "
                               "I(X;T) − I(T;Y)")


_EX5_IDEAS = [
    ["entropy", "h(binned", "h(t", "h(bin"],
    ["bin", "resolution", "cell"],
    ["noise", "stochastic", "σ", "sigma", "infinite", "deterministic"],
]


def exercise_5(answer):
    """Explain: what binned I(X;T) of a deterministic layer measures, and what would make it
    a well-defined information."""
    return check_explanation(answer, _EX5_IDEAS,
                             must_not=["proves compression", "proves that the network compresses"],
                             min_words=20,
                             hint="what is H(T | X) for a deterministic layer? what sets the value "
                                  "then, and what does adding noise change?")


MODEL_ANSWERS = {
    "exercise_1": 2.0 / 3.0,
    "exercise_2": 1.0 / 0.49,
    "exercise_3": '''def ba_step(q, pxy, beta):
    px = pxy.sum(1)
    p_y_given_x = pxy / px[:, None]
    pt = px @ q
    p_y_given_t = (q * px[:, None]).T @ p_y_given_x / pt[:, None]
    kl = (p_y_given_x[:, None, :] * np.log(p_y_given_x[:, None, :] / p_y_given_t[None, :, :])).sum(-1)
    logits = np.log(pt)[None, :] - beta * kl
    new = np.exp(logits - logits.max(1, keepdims=True))
    return new / new.sum(1, keepdims=True)
''',
    "exercise_4": '''def gaussian_point(rhos, beta):
    rho2 = np.asarray(rhos, float) ** 2
    on = beta > 1 / rho2
    i_xt = 0.5 * np.sum(np.log((beta - 1) * rho2[on] / (1 - rho2[on])))
    i_ty = i_xt - 0.5 * np.sum(np.log(beta * rho2[on]))
    return np.array([i_xt, i_ty])
''',
    "exercise_5": ("For a deterministic layer H(T | X) = 0, so after binning I(X;T) is just the "
                   "entropy of the binned activations, H(binned T): it counts how the input "
                   "patterns fall into cells at the bin scale and is capped by log N. Saturating "
                   "units crowd patterns into few cells, so the number falls without the layer "
                   "discarding anything in the continuous sense; change the bin width and the "
                   "'compression' changes or disappears. Without binning the true I(X;T) of a "
                   "deterministic map of a continuous input is infinite. Adding noise, "
                   "T = h(X) + N(0, σ²I), makes it finite and well defined, but then σ sets its "
                   "value just as the bin width did."),
}
