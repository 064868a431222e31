"""Exercises of notebook 05 (RL with verifiable rewards): each check computes the right answer
with :mod:`kitlib.rlvr` at call time and returns a :class:`kitlib.checks.Verdict`.

* ``exercise_1`` (predict, then check): the forward-KL optimum's mass on a support hole.
* ``exercise_2`` (small coding task): the first-order entropy change −Cov_π(log π, δ).
* ``exercise_3`` (predict, then check): how many T2 prompts a collapsed GRPO policy can still solve.
* ``exercise_4`` (predict, then check; select all): the placements that follow the reverse KL.
* ``exercise_5`` (explain): why training does not find what the forward-KL optimum allows.
"""

from __future__ import annotations

import numpy as np

from kitlib import rlvr
from kitlib.checks import check_choices, check_explanation, check_function, check_number

__all__ = ["exercise_1", "exercise_2", "exercise_3", "exercise_4", "exercise_5", "MODEL_ANSWERS",
           "EX1_BETA", "PLACEMENT_CHOICES"]

EX1_BETA = 0.37
PLACEMENT_CHOICES = ("k1-reward", "k1-loss", "k2-reward", "k2-loss", "k3-reward", "k3-loss")


def _ex1_expected() -> float:
    toy = rlvr.toy_t1(hole="zero", rewards="hard")
    return float(rlvr.regularized_optimum(toy.p_ref, toy.rewards[0], EX1_BETA, "forward_kl")[-1])


def exercise_1(answer):
    """Mass of the forward-KL optimum on F (a hole, the only correct answer) at β = EX1_BETA."""
    return check_number(answer, _ex1_expected(), rtol=1e-3, atol=1e-4,
                        name="π*(F) under forward KL",
                        hint="nothing inside the support is correct: the optimum pays λ = r_O = 1 "
                             "and keeps βπ_ref/(λ − r) inside; what is left goes to F.")


def _first_order(logits, delta):
    return rlvr.entropy_change(logits, delta)


def _ex2_cases():
    rng = np.random.default_rng(5)
    cases = []
    for k in (3, 5, 8, 12):
        cases.append((rng.normal(0, 2, k), rng.normal(0, 0.1, k)))
    cases.append((np.array([4.0, 0.0, -3.0]), np.array([0.2, -0.1, 0.0])))
    return cases


def exercise_2(student_fn):
    """``student_fn(logits, delta)`` must return −Cov_{y∼π}(log π_y, δ_y), π = softmax(logits)."""
    return check_function(student_fn, _first_order, _ex2_cases(), rtol=1e-6, atol=1e-12,
                          name="first_order_dH",
                          hint="π = softmax(θ); Cov_π(a, b) = Σ π a b − (Σ π a)(Σ π b), "
                               "with a = log π and b = δ; return minus it.")


def _ex3_expected() -> int:
    toy = rlvr.toy_t2()
    return int(toy.rewards[:, :5].max(axis=1).sum())


def exercise_3(answer):
    """Number of T2 prompts (of 200) solved by some non-spark strategy: the large-k ceiling."""
    return check_number(answer, float(_ex3_expected()), rtol=0.0, atol=0.5,
                        name="prompts still solvable",
                        hint="once the spark has no mass, a prompt can be solved only if one of the "
                             "other five strategies solves it.")


def exercise_4(answer):
    """Select every estimator × placement whose expected gradient is ∇KL(π‖π_ref)."""
    toy = rlvr.toy_t1(hole="none")
    th = toy.logits + 1.3 * toy.rewards[0]
    rkl = rlvr.kl_grad(th, toy.logits, "k1", "reward")
    expected = []
    for name in PLACEMENT_CHOICES:
        est, place = name.split("-")
        g = rlvr.kl_grad(th, toy.logits, est, place)
        if np.allclose(g, rkl, rtol=1e-9, atol=1e-12):
            expected.append(name)
    return check_choices(answer, expected, PLACEMENT_CHOICES, name="reverse-KL placements",
                         hint="write each expected gradient as E_π[...]: a detached reward k gives "
                              "π⊙(k − E_π k); a loss gives E_π[∇k].")


EX5_IDEAS = (
    ("proportional to π", "proportional to its probability", "proportional to the probability",
     "∝ π", "times π", "scaled by π", "multiplied by π", "proportional to the mass",
     "proportional to its mass", "proportional to π(f)", "proportional to the policy"),
    ("sampled", "sample", "drawn", "never see", "never seen", "rarely"),
    ("optimum", "objective", "allows", "fixed point"),
)


def exercise_5(answer):
    """Why neither GRPO nor GRPO + a forward-KL (k3-loss) term finds F when π_ref(F) = 1e-6."""
    return check_explanation(answer, EX5_IDEAS, must_not=("the gradient is zero because the kl",),
                             min_words=20, name="explanation",
                             hint="look at the factor in front of every update to θ_F, and at what "
                                  "a sample of eight answers contains.")


MODEL_ANSWERS = {
    "exercise_1": 0.63,
    "exercise_2": ("def first_order_dH(logits, delta):\n"
                   "    logp = logits - np.logaddexp.reduce(logits)\n"
                   "    pi = np.exp(logp)\n"
                   "    return -(np.sum(pi * logp * delta) - np.sum(pi * logp) * np.sum(pi * delta))"),
    "exercise_3": 170,
    "exercise_4": ["k1-reward", "k2-loss"],
    "exercise_5": ("Every update to the logit of F is proportional to π(F): the exact expected GRPO "
                   "step is π_F·E[A | F], about 3e-6 per unit learning rate, and the k3 pull π_F − π_ref(F) "
                   "starts at zero. In a "
                   "sample of eight answers F is essentially never drawn, so no reward signal reaches "
                   "it either. The forward-KL optimum is what the objective allows (it charges nothing "
                   "for moving mass to F); gradient training from π_ref only reweights what it "
                   "already samples, so it does not get there in any realistic number of steps."),
}
