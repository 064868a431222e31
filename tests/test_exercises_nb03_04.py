"""Exercises of notebooks 03 and 04: every check accepts the model answer (and every correct
form), rejects typical wrong answers, and no model answer leaks into the student notebook."""

import json
from pathlib import Path

import numpy as np
import pytest

from kitlib.checks import nb03, nb04

ROOT = Path(__file__).resolve().parents[1]


def _define(src: str):
    ns = {"np": np}
    exec(src, ns)
    return ns[src.split("(")[0].removeprefix("def ").strip()]


def _answer(mod, key):
    v = mod.MODEL_ANSWERS[key]
    return _define(v) if isinstance(v, str) and v.startswith("def ") else v


@pytest.mark.parametrize("mod", [nb03, nb04], ids=["nb03", "nb04"])
def test_model_answers_pass(mod):
    for key in mod.MODEL_ANSWERS:
        assert getattr(mod, key)(_answer(mod, key)), key


# -- notebook 03 --------------------------------------------------------------------------------
def test_nb03_numbers_accept_every_correct_form_and_reject_typical_mistakes():
    assert nb03.exercise_1(2 / 3) and nb03.exercise_1("0.667") and nb03.exercise_1(0.6667)
    for wrong in (1.0, 0.5, 1.5, 0.75, None, "two thirds"):  # "no change", n/(n+1) at n=1, inverse
        assert not nb03.exercise_1(wrong)
    assert nb03.exercise_2(1 / 0.49) and nb03.exercise_2(2.041)
    for wrong in (1 / 0.7, 1 / 0.51, 0.49, 2.0):  # 1/ρ, 1/(1−ρ²), ρ², rounded too far
        assert not nb03.exercise_2(wrong)


def test_nb03_ba_step_rejects_typical_mistakes():
    def no_prior(q, pxy, beta):  # forgets the p(t) factor
        px = pxy.sum(1)
        pyx = pxy / px[:, None]
        pt = px @ q
        pyt = (q * px[:, None]).T @ pyx / pt[:, None]
        kl = (pyx[:, None, :] * np.log(pyx[:, None, :] / pyt[None])).sum(-1)
        w = np.exp(-beta * kl)
        return w / w.sum(1, keepdims=True)

    def unnormalised(q, pxy, beta):
        px = pxy.sum(1)
        pyx = pxy / px[:, None]
        pt = px @ q
        pyt = (q * px[:, None]).T @ pyx / pt[:, None]
        kl = (pyx[:, None, :] * np.log(pyx[:, None, :] / pyt[None])).sum(-1)
        return pt[None, :] * np.exp(-beta * kl)

    assert not nb03.exercise_3(no_prior)
    assert not nb03.exercise_3(unnormalised)
    assert not nb03.exercise_3(lambda q, pxy, beta: q)  # no update at all
    assert not nb03.exercise_3(...)


def test_nb03_gaussian_point_rejects_typical_mistakes():
    good = _answer(nb03, "exercise_4")

    def all_directions(rhos, beta):  # forgets that a direction is off below its β_i
        rho2 = np.asarray(rhos, float) ** 2
        with np.errstate(invalid="ignore"):
            i_xt = 0.5 * np.sum(np.log((beta - 1) * rho2 / (1 - rho2)))
            return np.array([i_xt, i_xt - 0.5 * np.sum(np.log(beta * rho2))])

    def bits(rhos, beta):
        return good(rhos, beta) / np.log(2)

    assert not nb03.exercise_4(all_directions)
    assert not nb03.exercise_4(bits)


def test_nb03_explanation_screen():
    assert nb03.exercise_5(nb03.MODEL_ANSWERS["exercise_5"])
    assert not nb03.exercise_5("The network compresses its input late in training, which is why "
                               "it generalises so well; the plot proves compression.")
    assert not nb03.exercise_5("because of bins")


# -- notebook 04 --------------------------------------------------------------------------------
def test_nb04_choice_and_number():
    assert nb04.exercise_1("reverse KL") and nb04.exercise_1("Reverse  kl")
    assert not nb04.exercise_1("forward KL") and not nb04.exercise_1("JS")
    g = (1 - np.sqrt(0.4)) ** 2
    assert nb04.exercise_4(g) and nb04.exercise_4("0.1351") and nb04.exercise_4(0.135)
    for wrong in (1 - np.sqrt(0.4), 0.25, 0.4 * (1 - np.sqrt(0.4)), 0.16):  # λ*, c=0.25, ...
        assert not nb04.exercise_4(wrong)


def test_nb04_bon_kl_rejects_the_bound_and_identity_ties():
    def bound(level_masses, n):
        return float(np.log(n) - (n - 1) / n)

    def off_by_one(level_masses, n):  # uses F^(N−1)
        P = np.asarray(level_masses, float)
        F = np.cumsum(P)
        Fb = np.concatenate([[0.0], F[:-1]])
        b = F ** (n - 1) - Fb ** (n - 1)
        b = b / b.sum()
        k = b > 0
        return float(np.sum(b[k] * np.log(b[k] / P[k])))

    assert not nb04.exercise_2(bound)
    assert not nb04.exercise_2(off_by_one)


def test_nb04_tilt_kl_rejects_the_naive_formula():
    def naive(p_ref, rewards, beta):
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            w = p_ref * np.exp(rewards / beta)
            Z = w.sum()
            pi = w / Z
            return float(pi @ rewards / beta - np.log(Z))

    def forward(p_ref, rewards, beta):  # KL(π_ref‖π) instead
        a = np.log(p_ref) + (rewards - rewards.max()) / beta
        pi = np.exp(a - np.logaddexp.reduce(a))
        return float(np.sum(p_ref * np.log(p_ref / pi)))

    assert not nb04.exercise_3(naive)
    assert not nb04.exercise_3(forward)


def test_nb04_explanation_screen():
    assert nb04.exercise_5(nb04.MODEL_ANSWERS["exercise_5"])
    assert not nb04.exercise_5("Forward KL is mass-covering so it has more diversity and therefore "
                               "a higher pass@k on every prompt, easy or hard alike, always.")


# -- no leaks -------------------------------------------------------------------------------------
def _numbers(v):
    return {f"{v:.{d}f}" for d in (3, 4, 6)}


@pytest.mark.parametrize("mod,nb", [(nb03, "03_information_bottleneck.ipynb"),
                                    (nb04, "04_rlhf_reward_kl_frontier.ipynb")], ids=["nb03", "nb04"])
def test_no_model_answer_in_the_student_notebook(mod, nb):
    text = (ROOT / "notebooks" / nb).read_text(encoding="utf-8")
    nbj = json.loads(text)
    blob = "\n".join("".join(c["source"]) + json.dumps(c.get("outputs", [])) for c in nbj["cells"])
    for key, v in mod.MODEL_ANSWERS.items():
        if isinstance(v, (float, np.floating)):
            for tok in _numbers(float(v)):
                assert tok not in blob, f"{key}: {tok} leaks"
        elif v.startswith("def "):
            body = [ln.strip() for ln in v.splitlines()[1:] if len(ln.strip()) > 25]
            for ln in body:
                assert ln not in blob, f"{key}: code line leaks: {ln}"
        elif " " in v and len(v) > 60:
            for phrase in (v[:50], v[len(v) // 2: len(v) // 2 + 50], v[-50:]):
                assert phrase not in blob, f"{key}: model text leaks"
        else:
            # a choice answer is an option the notebook lists; what must not leak is a
            # statement of it: the check's verdict line (the tick) for the right option
            assert f"'{v}' is right" not in blob
    assert "<details>" not in blob and "Solutions" not in blob
