"""Exercise checks of notebooks 00–02: right answers (in every correct form) pass, typical wrong
ones fail, and no model answer is stored in a student notebook."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import norm

from kitlib import fitting as ft
from kitlib.checks import nb00, nb01, nb02
from kitlib.views import divergences as views

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = {nb00: "00_start_here.ipynb", nb01: "01_mode_seeking_vs_mass_covering.ipynb",
             nb02: "02_kde_in_high_dimension.ipynb"}


def _code(mod, key):
    """The function defined by a model answer's source text."""
    ns = {"np": np, "norm": norm, "brentq": brentq, "ft": ft, "views": views}
    exec(mod.MODEL_ANSWERS[key], ns)  # noqa: S102 - our own model text
    return next(v for k, v in ns.items() if callable(v) and k not in ("norm", "brentq"))


# -- notebook 00 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [nb00.MODEL_ANSWERS["exercise_1"], 0.3181, "0.318", 0.31815])
def test_00_ex1_accepts(answer):
    assert nb00.exercise_1(answer)


@pytest.mark.parametrize("answer", [0.5 * (0.5 - 1 + np.log(2.0)),   # width 2 used as a variance
                                    0.5 * (0.25 - 1 - np.log(4.0)),  # log(S0/S1)
                                    0.807, ..., "abc", None])
def test_00_ex1_rejects(answer):
    assert not nb00.exercise_1(answer)


def test_00_ex2():
    for ok in (4, 4.0, "4", nb00.MODEL_ANSWERS["exercise_2"]):
        assert nb00.exercise_2(ok)
    for wrong in (2, 1, 8, ...):
        assert not nb00.exercise_2(wrong)


def test_00_ex3():
    assert nb00.exercise_3(_code(nb00, "exercise_3"))
    assert nb00.exercise_3(_code(nb00, "exercise_3"), seed=7)
    assert not nb00.exercise_3(lambda m0, S0, m1, S1: 0.5 * (S0 / S1 + (m1 - m0) ** 2 / S1 - 1
                                                              + np.log(S0 / S1)))
    assert not nb00.exercise_3(lambda m0, S0, m1, S1: 0.5 * (S0 / S1 + (m1 - m0) ** 2 - 1
                                                              + np.log(S1 / S0)))
    assert not nb00.exercise_3(lambda *a: ...)
    assert not nb00.exercise_3(...)


def test_00_ex4():
    assert nb00.exercise_4(nb00.MODEL_ANSWERS["exercise_4"])
    assert not nb00.exercise_4("because KL is positive")  # too short
    assert not nb00.exercise_4("The integrand is negative where the densities differ, and the area "
                               "can be negative overall for some models.")
    assert not nb00.exercise_4("It is negative somewhere but the KL divergence is always positive by "
                               "definition so nothing to worry about here.")


# -- notebook 01 ---------------------------------------------------------------------------------

def test_01_ex1():
    right = nb01.switch_order()
    assert right == "TV < JS < Hellinger"
    assert nb01.exercise_1(right) and nb01.exercise_1("tv  <  js < HELLINGER")
    for wrong in nb01.ORDER_OPTIONS:
        if wrong != right:
            assert not nb01.exercise_1(wrong)
    assert not nb01.exercise_1("JS, TV, Hellinger") and not nb01.exercise_1(...)


def test_01_ex2():
    model = _code(nb01, "exercise_2")
    assert nb01.exercise_2(model) and nb01.exercise_2(model, seed=11)
    assert not nb01.exercise_2(lambda mu, s: norm.pdf(mu / 2))      # ignores the width
    assert not nb01.exercise_2(lambda mu, s: 0.0)                    # "TV has no gradient"
    assert not nb01.exercise_2(lambda mu, s: 2 * norm.cdf(mu / 2) - 1)  # the value, not the slope


def test_01_ex3():
    assert nb01.exercise_3(_code(nb01, "exercise_3"))
    assert not nb01.exercise_3(lambda alpha: ft.one_mode_appears("alpha", alpha=alpha))
    assert not nb01.exercise_3(lambda alpha: 2.8)


def test_01_ex4():
    assert nb01.exercise_4(nb01.MODEL_ANSWERS["exercise_4"])
    assert not nb01.exercise_4("The KL gradient vanishes when the student is far away, just like JS, "
                               "because the overlap between supports is small and saturates.")
    assert not nb01.exercise_4("Far away the JS divergence saturates at log 2 so its gradient is "
                               "small when the overlap is small.")  # says nothing about KL


# -- notebook 02 ---------------------------------------------------------------------------------

def test_02_ex1():
    for ok in (nb02.MODEL_ANSWERS["exercise_1"], 0.2216, "0.222", 0.225):
        assert nb02.exercise_1(ok)
    for wrong in (0.3, 0.2, 1.0457, -0.2216, ...):
        assert not nb02.exercise_1(wrong)


def test_02_ex2():
    for ok in ("heavy-tailed", "Heavy-Tailed", " heavy-tailed "):
        assert nb02.exercise_2(ok)
    for wrong in ("CLT", "extreme-value", "heavy tailed regime", ...):
        assert not nb02.exercise_2(wrong)


def test_02_ex3():
    model = _code(nb02, "exercise_3")
    assert nb02.exercise_3(model) and nb02.exercise_3(model, seed=3)

    def swapped(alpha):  # h_G and h_KL exchanged
        g, c, k = model(alpha)
        return np.array([k, np.sqrt(2) * k, g])

    def wrong_equation(alpha):  # t² − t − ln t = α (missing factor 2)
        return model(alpha / 2)

    assert not nb02.exercise_3(swapped) and not nb02.exercise_3(wrong_equation)


def test_02_ex4():
    model = _code(nb02, "exercise_4")
    assert nb02.exercise_4(model) and nb02.exercise_4(model, seed=5)

    def naive(D, h):  # underflows to 0/0 for small h
        w = np.exp(-D / (2 * h * h))
        w = w / w.sum(axis=-1, keepdims=True)
        return (w * w).sum(axis=-1)

    def max_weight(D, h):
        logk = -(D - D.min(axis=-1, keepdims=True)) / (2 * h * h)
        w = np.exp(logk)
        return (w / w.sum(axis=-1, keepdims=True)).max(axis=-1)

    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the checker's nanmax over NaN output
        assert not nb02.exercise_4(naive)
    assert not nb02.exercise_4(max_weight)


def test_02_ex5():
    assert nb02.exercise_5(nb02.MODEL_ANSWERS["exercise_5"])
    assert not nb02.exercise_5("The extreme-value region grows with α because the nearest point gets "
                               "nearer, so there is more condensation at a fixed bandwidth.")


# -- no model answer in a student notebook -------------------------------------------------------

def _forms(value):
    """How a student (or a stored output) would write a model number."""
    return {f"{value:.3f}", f"{value:.4f}", f"{value:.5f}"}


@pytest.mark.parametrize("mod", list(NOTEBOOKS), ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_no_model_answer_in_the_student_notebook(mod):
    text = (ROOT / "notebooks" / NOTEBOOKS[mod]).read_text(encoding="utf-8")
    assert "<details>" not in text  # the old hidden-solution blocks are gone
    for key, answer in mod.MODEL_ANSWERS.items():
        if callable(answer):  # computed at check time (nb01 exercise 1: a choice among listed options)
            continue
        if isinstance(answer, float) and not answer.is_integer():
            for form in _forms(answer):
                assert form not in text, f"{key}: {form} is stored in {NOTEBOOKS[mod]}"
        elif isinstance(answer, str) and "\n" in answer:  # code: every substantial line
            for line in answer.splitlines():
                line = line.strip()
                if len(line) > 20 and not line.startswith(("def ", "return ...")):
                    assert json.dumps(line)[1:-1] not in text, f"{key}: {line!r} in {NOTEBOOKS[mod]}"
        elif isinstance(answer, str) and len(answer) > 80:  # explanation: its distinctive phrases
            for sentence in answer.split(". "):
                assert json.dumps(sentence[:60])[1:-1] not in text, f"{key}: {sentence[:60]!r}"
