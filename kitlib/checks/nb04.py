"""Exercises of notebook 04: RLHF reward–KL frontiers.

Each function takes the student's answer, recomputes the right one with :mod:`kitlib` and
returns a :class:`kitlib.checks.Verdict`. ``MODEL_ANSWERS`` holds the instructor's answers (code
answers as source text that defines the function; explanations as model text).
"""

from __future__ import annotations

import numpy as np

from kitlib import rlhf
from kitlib.checks import check_choice, check_explanation, check_function, check_number

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5", "MODEL_ANSWERS",
           "EX1_NOISE", "EX1_TARGET", "EX1_K", "EX1_OPTIONS", "EX4_C"]

#: Setting of exercise 1 (Explore 4): proxy noise σ, matched pass@1, and k.
EX1_NOISE, EX1_TARGET, EX1_K = 1.0, 0.3, 64
EX1_OPTIONS = ["reverse KL", "forward KL", "JS"]
_EX1_KEYS = {"reverse KL": "reverse_kl", "forward KL": "forward_kl", "JS": "js"}
#: Exploit cost of exercise 4 (Explore 6).
EX4_C = 0.4


def best_at_k(*, noise: float = EX1_NOISE, target: float = EX1_TARGET, k: int = EX1_K) -> str:
    """Which regulariser has the highest pass@k at exactly matched pass@1 (Explore 4's data,
    the table :func:`kitlib.tables.rlhf.diversity`)."""
    from kitlib.tables import rlhf as tables  # widget-free; shipped on disk

    i = int(np.flatnonzero(tables.PASS_KS == k)[0])
    rows = tables.diversity()
    vals = {name: rows[tables.diversity_key(noise, target=target, divergence=key)]["passk"][i]
            for name, key in _EX1_KEYS.items()}
    return max(vals, key=vals.get)


def exercise_1(answer):
    """Predict, then check: with proxy noise σ = 1 and matched pass@1 = 0.3, which regulariser
    has the highest pass@64?"""
    return check_choice(answer, best_at_k(), EX1_OPTIONS,
                        hint="with a noisy proxy, 'keeping every response alive' keeps the responses "
                             "the proxy over-rates too; set the explorer to σ = 1, pass@1 = 0.3")


def _bon_kl(level_masses, n):
    P = np.asarray(level_masses, float)
    return rlhf.best_of_n(P, np.arange(P.size, dtype=float), n).kl


def exercise_2(student_kl, seed: int = 0):
    """Coding: the exact KL(best-of-N ‖ π_ref) from the π_ref-masses of the reward levels."""
    rng = np.random.default_rng(seed)
    cases = [([0.5, 0.5], 4), ([0.7, 0.2, 0.1], 16), ([0.1, 0.2, 0.3, 0.4], 3)]
    for K, n in ((5, int(rng.integers(2, 50))), (8, int(rng.integers(50, 2000)))):
        P = rng.dirichlet(np.ones(K))
        cases.append((P, n))
    return check_function(student_kl, _bon_kl, cases, rtol=1e-8, atol=1e-12,
                          hint="with CDF F_k, level k wins with probability b_k = F_k^N − F_{k−1}^N; "
                               "KL = Σ_k b_k log(b_k / P_k)")


def _tilt_kl(p_ref, rewards, beta):
    return float(rlhf.frontier(p_ref, rewards, [beta]).kl[0])


def exercise_3(student_kl, seed: int = 0):
    """Coding: KL(π_β ‖ π_ref) of the tilt, stable down to tiny β."""
    rng = np.random.default_rng(seed)
    cases = [(np.full(4, 0.25), np.array([0.0, 1.0, 2.0, 3.0]), 1.0)]
    for beta in (0.37, 1e-3, 1e-6):
        p = rng.dirichlet(np.ones(7))
        cases.append((p, rng.normal(0.0, 2.0, 7), beta))
    return check_function(student_kl, _tilt_kl, cases, rtol=1e-7, atol=1e-12,
                          hint="work with a = log π_ref + (r − r_max)/β and a log-sum-exp; the "
                               "naive R/β − log Z overflows at β = 1e-6")


def gold_peak(c: float = EX4_C) -> float:
    """The highest gold gain of the proxy-optimal tilt in the Goodhart toy."""
    return float(rlhf.goodhart_tilt(rlhf.goodhart_lambda_star(c), c)["gold"])


def exercise_4(answer):
    """Predict, then check: the highest gold gain the proxy-tilt reaches for exploit cost c = 0.4."""
    return check_number(answer, gold_peak(), rtol=2e-3,
                        hint="maximise λ − cλ/(1 − λ) over λ; simplify the value at the maximum")


_EX5_IDEAS = [
    ["reward"],
    ["sampl", "draw", "generat"],
    ["rare", "never", "tiny", "small probability", "low probability", "almost no", "hardly"],
]


def exercise_5(answer):
    """Explain: why the exact forward-KL optimum lifts hard prompts, and why an RL method that
    learns from its own samples would not get the same lift for free."""
    return check_explanation(answer, _EX5_IDEAS, min_words=20,
                             must_not=["because forward kl has higher entropy"],
                             hint="what does the exact optimum know about a correct answer π_ref "
                                  "gives probability 10⁻⁴, and how would a sampler learn it?")


MODEL_ANSWERS = {
    "exercise_1": "reverse KL",
    "exercise_2": '''def bon_kl(level_masses, n):
    P = np.asarray(level_masses, float)
    F = np.cumsum(P)
    F_below = np.concatenate([[0.0], F[:-1]])
    b = F**n - F_below**n
    keep = b > 0
    return float(np.sum(b[keep] * np.log(b[keep] / P[keep])))
''',
    "exercise_3": '''def tilt_kl(p_ref, rewards, beta):
    a = np.log(p_ref) + (rewards - rewards.max()) / beta
    lse = a.max() + np.log(np.sum(np.exp(a - a.max())))
    pi = np.exp(a - lse)
    return float(np.sum(pi * (rewards - rewards.max())) / beta - lse)
''',
    "exercise_4": (1 - np.sqrt(0.4)) ** 2,
    "exercise_5": ("The exact optimum of E r − β·KL(π_ref‖π) is computed from the reward of every "
                   "response, including correct answers that π_ref gives a tiny probability. Forward "
                   "KL forbids dropping any response, and the normalisation pushes the remaining "
                   "mass onto the correct ones, so even a prompt whose correct answers π_ref almost "
                   "never produces ends at p(correct) ≈ 1 − β. A policy-gradient learner only "
                   "learns the reward of responses it samples; with probability 10⁻⁴ per draw it "
                   "would need about ten thousand draws of that prompt to see a correct answer "
                   "once, so it cannot reproduce the lift from its own samples. The picture is an "
                   "upper bound on what a mass-covering regulariser can do, not the DPH-RL method."),
}
