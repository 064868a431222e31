"""Exercises of notebook 05: every check accepts the model answer (in every correct form) and
rejects typical wrong answers; no model answer appears in the student notebook."""

import re
from pathlib import Path

import numpy as np
import pytest

from kitlib import rlvr
from kitlib.checks import nb05

STUDENT = Path(__file__).resolve().parents[1] / "notebooks" / "05_rlvr_entropy_and_support.ipynb"
M = nb05.MODEL_ANSWERS


def _model_fn():
    ns = {"np": np}
    exec(M["exercise_2"], ns)
    return ns["first_order_dH"]


def test_every_exercise_has_a_model_answer():
    assert set(M) == {f"exercise_{i}" for i in range(1, 6)}


# -- exercise 1: forward-KL optimum on a hole ---------------------------------------------------
@pytest.mark.parametrize("answer", [0.63, "0.63", np.float64(0.63), 0.6300, 1 - 0.37, "0.630"])
def test_ex1_accepts_every_form_of_the_right_answer(answer):
    assert nb05.exercise_1(answer)


@pytest.mark.parametrize("answer", [0.0, 0.37, 1.0, 0.75, 0.5, 0.6, ..., None, "about half"])
def test_ex1_rejects_typical_wrong_answers(answer):
    # 0: the reverse-KL habit; 0.37: β itself; 0.75: the notebook's β = 0.25 case
    assert not nb05.exercise_1(answer)


def test_ex1_expected_value_is_one_minus_beta():
    """The derivation's answer 1 − β is accepted to the last digit, and it is what kitlib computes."""
    assert nb05.exercise_1(1 - nb05.EX1_BETA)
    toy = rlvr.toy_t1(hole="zero", rewards="hard")
    opt = rlvr.regularized_optimum(toy.p_ref, toy.rewards[0], nb05.EX1_BETA, "forward_kl")
    assert np.isclose(opt[-1], 1 - nb05.EX1_BETA, atol=1e-12)


# -- exercise 2: coding, first-order entropy change ---------------------------------------------
def test_ex2_accepts_the_model_function():
    assert nb05.exercise_2(_model_fn())


def test_ex2_accepts_an_independent_correct_version():
    def mine(logits, delta):
        pi = np.exp(logits - logits.max())
        pi /= pi.sum()
        lp = np.log(pi)
        return -np.sum(pi * (lp - pi @ lp) * (delta - pi @ delta))
    assert nb05.exercise_2(mine)


def _wrong_sign(logits, delta):
    return -_model_fn()(logits, delta)


def _no_centering(logits, delta):
    pi = np.exp(logits - np.logaddexp.reduce(logits))
    return -np.sum(pi * np.log(pi) * delta)


def _cov_with_pi(logits, delta):
    pi = np.exp(logits - np.logaddexp.reduce(logits))
    return -(np.sum(pi * pi * delta) - np.sum(pi * pi) * np.sum(pi * delta))


def _unnormalised(logits, delta):
    return -(np.mean(logits * delta) - np.mean(logits) * np.mean(delta))


@pytest.mark.parametrize("fn", [_wrong_sign, _no_centering, _cov_with_pi, _unnormalised, None, ...])
def test_ex2_rejects_typical_mistakes(fn):
    assert not nb05.exercise_2(fn)


def test_ex2_reference_is_kitlib():
    logits, delta = np.log([0.5, 0.2, 0.3]), np.array([0.1, -0.2, 0.05])
    assert np.isclose(_model_fn()(logits, delta), rlvr.entropy_change(logits, delta), rtol=1e-12)


# -- exercise 3: the large-k ceiling in prompts -------------------------------------------------
@pytest.mark.parametrize("answer", [170, "170", 170.0, np.int64(170)])
def test_ex3_accepts_the_right_count(answer):
    assert nb05.exercise_3(answer)


@pytest.mark.parametrize("answer", [200, 30, 171, 169, 0.85, 40, ...])
def test_ex3_rejects_typical_wrong_answers(answer):
    # 200: "everything"; 30: the spark's prompts; 0.85: a fraction, not a count
    assert not nb05.exercise_3(answer)


def test_ex3_ceiling_is_what_trained_pass_at_k_approaches():
    toy = rlvr.toy_t2()
    tr = rlvr.grpo_train(toy.logits, toy.rewards, steps=200)
    ceiling = nb05.MODEL_ANSWERS["exercise_3"] / 200
    p256 = float(rlvr.pass_at_k(tr.p_correct[-1], 256))
    assert ceiling < p256 < ceiling + 0.02      # "just above your ceiling"
    assert float(rlvr.pass_at_k(tr.p_correct[-1], 10**6)) > ceiling  # spark not exactly dead


# -- exercise 4: which placements are the reverse KL --------------------------------------------
@pytest.mark.parametrize("answer", [["k1-reward", "k2-loss"], ["K2-LOSS", "k1-reward"],
                                    ("k2-loss", "k1-reward"), {"k1-reward", "k2-loss"}])
def test_ex4_accepts_the_right_set(answer):
    assert nb05.exercise_4(answer)


@pytest.mark.parametrize("answer", [["k1-reward"], ["k1-reward", "k3-loss"], ["k3-loss"],
                                    ["k1-reward", "k2-loss", "k3-reward"], "k1-reward", ...,
                                    ["k1 reward"]])
def test_ex4_rejects_typical_wrong_answers(answer):
    assert not nb05.exercise_4(answer)


# -- exercise 5: explain ------------------------------------------------------------------------
def test_ex5_accepts_the_model_answer():
    assert nb05.exercise_5(M["exercise_5"])


@pytest.mark.parametrize("answer", [
    "Because the KL is too strong.",
    "The forward KL optimum is wrong, because the regulariser keeps the policy close to the reference "
    "so nothing ever changes in training at all.",
    "The gradient of the forward KL is too small and the learning rate should be increased a lot "
    "so that the policy moves faster towards the answer F.",
    "...",
])
def test_ex5_rejects_answers_missing_the_key_ideas(answer):
    assert not nb05.exercise_5(answer)


# -- no model answer in the student notebook ----------------------------------------------------
def _student_json() -> str:
    return STUDENT.read_text(encoding="utf-8")


@pytest.mark.parametrize("token", ["0.63", "0.630", "170"])
def test_no_numeric_model_answer_in_the_student_notebook(token):
    pattern = re.compile(r"(?<![\w.])" + re.escape(token) + r"(?![\w])")
    assert not pattern.search(_student_json()), f"{token} appears in the student notebook"


@pytest.mark.parametrize("phrase", [
    "k2 as a loss", "k2 as loss", "k2-loss = ", "= k2-loss", "np.sum(pi * logp * delta)",
    "what the objective allows (it charges nothing",
    "only reweights what it already samples",
])
def test_no_model_text_in_the_student_notebook(phrase):
    """(The six placements are the options of exercise 4, so their names do appear.)"""
    assert phrase not in _student_json()
