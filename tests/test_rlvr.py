"""kitlib.rlvr: the brief's worked numbers, GRPO identities, KL-estimator identities, validation.

The numbers come from /work/shared/science/rlvr_entropy_support.md (the notebook-05 brief).
"""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from kitlib import rlhf
from kitlib import rlvr as V

LOG3 = np.log([0.5, 0.2, 0.3])
R3 = np.array([1.0, 1.0, 0.0])


def _softmax(t):
    e = np.exp(t - t.max())
    return e / e.sum()


# -- pass@k (worked number 1; the log1p form) -----------------------------------------------------
def test_pass_at_k_worked_numbers():
    np.testing.assert_allclose(V.pass_at_k([0.9, 0.5, 0.05, 0.0], [1, 4, 16, 64]),
                               [0.3625, 0.530723, 0.639965, 0.740619], atol=5e-7)
    assert V.pass_at_k_unbiased(10, 2, 5) == pytest.approx(0.777778, abs=5e-7)
    assert V.pass_at_k_unbiased(10, 7, 5) == 1.0
    assert V.pass_at_k(1e-12, 1e6) == pytest.approx(9.999995e-7, rel=1e-9)
    assert V.pass_at_k is rlhf.pass_at_k and V.kl_estimates is rlhf.kl_estimates


def test_pass_at_k_scalar_and_vector_k_agree():
    p = np.random.default_rng(0).random(50)
    ks = np.array([1, 3, 10, 100])
    np.testing.assert_allclose(V.pass_at_k(p, ks), [V.pass_at_k(p, int(k)) for k in ks], rtol=1e-14)
    assert isinstance(V.pass_at_k(p, 3), float)
    assert V.pass_at_k([1 + 1e-13], 5) == 1.0  # round-off of Cπ above 1 is read as 1


def test_unbiased_estimator_is_elementwise_and_exact():
    n, k = 20, 6
    c = np.arange(n + 1)
    got = V.pass_at_k_unbiased(n, c, k)
    want = [1 - math.comb(n - ci, k) / math.comb(n, k) for ci in c]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
    assert got[0] == 0.0 and (got[n - k + 1:] == 1.0).all()


def test_unbiased_estimator_is_unbiased_and_plugin_biased_low():
    d = V.pass_at_k_spread([0.2], 10, 5)
    assert d["true"] == pytest.approx(1 - 0.8**5)
    assert d["unbiased_mean"] == pytest.approx(0.6723, abs=5e-5)
    assert d["plugin_mean"] == pytest.approx(0.5936, abs=5e-5)
    # variance grows as k approaches n
    sds = [V.pass_at_k_spread([0.2], 10, k)["unbiased_sd"] for k in (1, 5, 9)]
    assert sds[0] < sds[1] < sds[2]


# -- GRPO (worked number 2, identities) -----------------------------------------------------------
def test_grpo_worked_number_2():
    u = V.grpo_expected_update(LOG3, R3, 4, eps=0.0)
    np.testing.assert_allclose(u, [0.245188, 0.098075, -0.343264], atol=5e-7)
    a_plus, _ = V.group_advantage_means(0.7, 4, eps=0.0)
    assert a_plus == pytest.approx(0.490377, abs=5e-7)
    np.testing.assert_allclose(V.grpo_expected_update(LOG3, R3, 4, scale="none"),
                               [0.1125, 0.045, -0.1575], atol=1e-15)
    d = 0.1 * u
    assert V.entropy_change(LOG3, d) == pytest.approx(-4.7832e-3, abs=5e-8)
    assert V.entropy_change(LOG3, d, exact=True) == pytest.approx(-5.1026e-3, abs=5e-8)


@pytest.mark.parametrize("scale", ["std", "none"])
@pytest.mark.parametrize("G", [2, 3, 8, 33])
def test_update_sums_to_zero_and_parts_add_up(scale, G):
    rng = np.random.default_rng(G)
    th = rng.normal(size=7)
    R = (rng.random((5, 7)) < 0.4).astype(float)
    kw = dict(scale=scale, eps=1e-6)
    u = V.grpo_expected_update(th, R, G, **kw)
    assert abs(u.sum()) < 1e-15
    pos = V.grpo_expected_update(th, R, G, part="positive", **kw)
    neg = V.grpo_expected_update(th, R, G, part="negative", **kw)
    np.testing.assert_allclose(pos + neg, u, atol=1e-15)
    assert abs(pos.sum()) < 1e-15 and abs(neg.sum()) < 1e-15


def test_scale_none_is_exactly_one_minus_one_over_g_times_pg():
    rng = np.random.default_rng(3)
    th = rng.normal(size=6)
    R = (rng.random((4, 6)) < 0.5).astype(float)
    pi = _softmax(th)
    for G in (2, 5, 16):
        want = np.mean([(1 - 1 / G) * pi * (r - pi @ r) for r in R], axis=0)
        np.testing.assert_allclose(V.grpo_expected_update(th, R, G, scale="none"), want,
                                   rtol=1e-12, atol=1e-16)


def test_large_group_limit_is_normalised_pg():
    pi = _softmax(LOG3)
    p = pi @ R3
    want = pi * (R3 - p) / math.sqrt(p * (1 - p))
    np.testing.assert_allclose(V.grpo_expected_update(LOG3, R3, 4096, eps=0.0), want, rtol=2e-3)


def test_expected_update_matches_brute_force_enumeration():
    """Enumerate all K^G groups for a tiny case (independent of the Binomial derivation)."""
    import itertools
    th = np.log([0.5, 0.3, 0.2])
    r = np.array([1.0, 0.0, 1.0])
    pi = _softmax(th)
    G = 4
    want = np.zeros(3)
    for ys in itertools.product(range(3), repeat=G):
        ys = np.array(ys)
        A = V.grpo_advantages(r[ys], ddof=1, eps=1e-3)
        g = sum(a * (np.eye(3)[y] - pi) for a, y in zip(A, ys)) / G
        want += np.prod(pi[ys]) * g
    np.testing.assert_allclose(V.grpo_expected_update(th, r, G, ddof=1, eps=1e-3), want, atol=1e-14)


@pytest.mark.parametrize("part", ["all", "positive", "negative"])
@pytest.mark.parametrize("scale", ["std", "none"])
def test_multilevel_rewards_enumerate_multinomial_counts(part, scale):
    """Multi-level rewards: the multinomial enumeration equals brute force over all K^G groups,
    and on binary rewards it equals the Binomial fast path."""
    import itertools
    th = np.log([0.4, 0.1, 0.3, 0.2])
    r = np.array([1.0, 0.5, 0.0, 0.5])
    pi = _softmax(th)
    G = 5
    want = np.zeros(4)
    for ys in itertools.product(range(4), repeat=G):
        ys = np.array(ys)
        A = V.grpo_advantages(r[ys], scale=scale, eps=1e-2)
        A = {"all": A, "positive": np.maximum(A, 0), "negative": np.minimum(A, 0)}[part]
        want += np.prod(pi[ys]) * (np.bincount(ys, weights=A, minlength=4) - pi * A.sum()) / G
    got = V.grpo_expected_update(th, r, G, scale=scale, eps=1e-2, part=part)
    np.testing.assert_allclose(got, want, atol=1e-15)
    R = np.array([[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    # rewards 1/2 instead of 0/1 take the multi-level path; advantages are shift-invariant
    np.testing.assert_allclose(V.grpo_expected_update(th, R + 1.0, 8, scale=scale, part=part),
                               V.grpo_expected_update(th, R, 8, scale=scale, part=part), atol=1e-15)


@pytest.mark.parametrize("part", ["all", "positive", "negative"])
def test_expected_update_is_the_mean_of_sampled_updates(part):
    th = np.log([0.5, 0.2, 0.3])
    n = 200_000
    samples = np.array([V.grpo_sampled_update(th, R3, 4, eps=0.0, part=part, n_groups=n // 20,
                                              seed=seed) for seed in range(20)])
    mean, se = samples.mean(0), samples.std(0, ddof=1) / math.sqrt(20)
    exact = V.grpo_expected_update(th, R3, 4, eps=0.0, part=part)
    assert (np.abs(mean - exact) < 4 * se + 1e-12).all()
    assert (se < 0.01).all()


def test_sampled_update_is_seeded():
    a = V.grpo_sampled_update(LOG3, R3, 8, seed=5)
    b = V.grpo_sampled_update(LOG3, R3, 8, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, V.grpo_sampled_update(LOG3, R3, 8, seed=6))


def test_advantages():
    A = V.grpo_advantages([[1, 0, 0, 1], [1, 1, 1, 1]], eps=0.0)
    np.testing.assert_allclose(A, [[1, -1, -1, 1], [0, 0, 0, 0]])
    np.testing.assert_allclose(V.grpo_advantages([1.0, 0.0, 0.0], ddof=1, eps=0.0),
                               np.array([2, -1, -1]) / 3 / np.std([1, 0, 0], ddof=1))
    np.testing.assert_allclose(V.grpo_advantages([3.0, 1.0], scale="none"), [1.0, -1.0])


def test_hard_prompts_starve():
    """Correct logit moves ≈ p·√(G−1) (2.64e-3 at G = 8, p = 1e-3), not √p."""
    p = 1e-3
    u = V.grpo_expected_update(np.log([p, 1 - p]), [1.0, 0.0], 8)
    assert u[0] == pytest.approx(2.64e-3, abs=5e-6)
    assert u[0] == pytest.approx(p * math.sqrt(7), rel=0.01)
    assert u[0] < 0.1 * math.sqrt(p)


def test_entropy_change_first_order_converges():
    rng = np.random.default_rng(4)
    th = rng.normal(size=9)
    d = rng.normal(size=9)
    errs = [abs(V.entropy_change(th, h * d, exact=True) - V.entropy_change(th, h * d)) for h in
            (1e-2, 1e-3)]
    assert errs[1] < errs[0] / 50  # second-order remainder
    # holes stay holes: delta on a -inf logit is ignored
    th[0] = -np.inf
    d2 = d.copy()
    d2[0] = 100.0
    assert V.entropy_change(th, d2, exact=True) == V.entropy_change(th, d, exact=True)


def test_reinforcing_likely_correct_lowers_entropy_pushing_confident_wrong_raises_it():
    th = np.log([0.7, 0.2, 0.1])
    assert V.entropy_change(th, 0.1 * V.grpo_expected_update(th, [1, 0, 0], 8)) < 0
    assert V.entropy_change(th, 0.1 * V.grpo_expected_update(th, [0, 1, 1], 8)) > 0


# -- KL estimators ------------------------------------------------------------------------------
def _fd(f, th, h=1e-6):
    g = np.zeros_like(th)
    for i in range(th.size):
        e = np.zeros_like(th)
        e[i] = h
        g[i] = (f(th + e) - f(th - e)) / (2 * h)
    return g


def _rkl(th, ref):
    pi, q = _softmax(th), _softmax(ref)
    return float(np.sum(pi * np.log(pi / q)))


def _fkl(th, ref):
    pi, q = _softmax(th), _softmax(ref)
    m = q > 0
    return float(np.sum(q[m] * np.log(q[m] / pi[m])))


def test_k3_value():
    assert V.kl_estimates(np.log(0.5), np.log(0.25))["k3"] == pytest.approx(0.193147, abs=5e-7)


def test_kl_grad_identities_match_finite_differences():
    rng = np.random.default_rng(5)
    th, ref = rng.normal(size=6), rng.normal(size=6)
    g_rkl = _fd(lambda t: _rkl(t, ref), th)
    g_fkl = _fd(lambda t: _fkl(t, ref), th)
    kg = {(e, p): V.kl_grad(th, ref, e, p) for e in ("k1", "k2", "k3") for p in ("reward", "loss")}
    np.testing.assert_allclose(kg["k1", "reward"], g_rkl, atol=1e-8)
    np.testing.assert_allclose(kg["k2", "loss"], g_rkl, atol=1e-8)
    np.testing.assert_allclose(kg["k3", "loss"], g_fkl, atol=1e-8)
    np.testing.assert_allclose(kg["k3", "loss"], _softmax(th) - _softmax(ref), atol=1e-15)
    np.testing.assert_allclose(kg["k3", "reward"], g_rkl - g_fkl, atol=1e-8)
    assert (kg["k1", "loss"] == 0).all()
    # k2-reward is neither gradient
    assert np.abs(kg["k2", "reward"] - g_rkl).max() > 1e-3
    assert np.abs(kg["k2", "reward"] - g_fkl).max() > 1e-3


def test_kl_grad_matches_sampled_surrogate_expectation():
    """k as reward: E[k ∇log π]; k as loss: E[∇k] — checked by enumerating y ~ π."""
    rng = np.random.default_rng(6)
    th, ref = rng.normal(size=5), rng.normal(size=5)
    pi = _softmax(th)
    for est in ("k1", "k2", "k3"):
        def k_of(t, y):
            lp = np.log(_softmax(t))[y]
            lq = np.log(_softmax(ref))[y]
            return float(rlhf.kl_estimates(lp, lq)[est])
        loss = sum(pi[y] * _fd(lambda t: k_of(t, y), th) for y in range(5))
        reward = sum(pi[y] * k_of(th, y) * (np.eye(5)[y] - pi) for y in range(5))
        np.testing.assert_allclose(V.kl_grad(th, ref, est, "loss"), loss, atol=1e-8)
        np.testing.assert_allclose(V.kl_grad(th, ref, est, "reward"), reward, atol=1e-12)


def test_k3_loss_is_finite_with_reference_zeros():
    ref = np.array([0.0, 0.0, -np.inf])
    th = np.zeros(3)
    g = V.kl_grad(th, ref, "k3", "loss")
    np.testing.assert_allclose(g, np.full(3, 1 / 3) - [0.5, 0.5, 0.0], atol=1e-15)
    for est, place in (("k1", "reward"), ("k2", "loss"), ("k3", "reward")):
        with pytest.raises(ValueError, match="ref_logits"):
            V.kl_grad(th, ref, est, place)


# -- support: reverse vs forward KL (worked number 3) -------------------------------------------
def test_regularized_optimum_worked_number_3():
    np.testing.assert_allclose(V.regularized_optimum([0.5, 0.5, 0.0], [0, 0, 1], 0.25, "reverse_kl"),
                               [0.5, 0.5, 0.0], atol=1e-15)
    np.testing.assert_allclose(V.regularized_optimum([0.5, 0.5, 0.0], [0, 0, 1], 0.25, "forward_kl"),
                               [0.125, 0.125, 0.75], atol=1e-12)


@pytest.mark.parametrize("beta", [0.05, 0.3, 0.7, 0.95])
def test_forward_kl_binary_outside_mass_is_one_minus_beta(beta):
    p_ref = np.array([0.4, 0.3, 0.3, 0.0, 0.0])
    r = np.array([0.0, 0.0, 0.0, 1.0, 1.0])
    pi = V.regularized_optimum(p_ref, r, beta, "forward_kl")
    assert pi @ r == pytest.approx(1 - beta, abs=1e-12)
    assert pi[3] == pytest.approx(pi[4])  # split equally
    assert V.regularized_optimum(p_ref, r, beta, "reverse_kl") @ r == 0.0
    # beta >= 1: nothing leaves the support
    assert V.regularized_optimum(p_ref, r, 1.5, "forward_kl") @ r == 0.0


def test_forward_kl_tie_inside_sends_nothing_outside():
    pi = V.regularized_optimum([0.5, 0.5, 0.0], [1.0, 0.0, 1.0], 0.2, "forward_kl")
    assert pi[2] == 0.0


def test_forward_kl_optimum_beats_perturbations():
    """The objective E_π r − β·KL(π_ref‖π) is maximal at the returned π (random directions)."""
    p_ref = np.array([0.5, 0.3, 0.2, 0.0, 0.0])
    r = np.array([0.2, 0.0, 0.5, 1.0, 0.9])
    beta = 0.3

    def J(pi):
        m = p_ref > 0
        return pi @ r - beta * np.sum(p_ref[m] * np.log(p_ref[m] / pi[m]))

    pi = V.regularized_optimum(p_ref, r, beta, "forward_kl")
    assert pi[3] > 0 and pi[4] == 0
    rng = np.random.default_rng(7)
    for _ in range(200):
        q = np.abs(pi + 1e-3 * rng.normal(size=5))
        q /= q.sum()
        assert J(q) <= J(pi) + 1e-12


def test_regularized_optimum_is_rlhfs_solver():
    p, r = np.array([0.3, 0.3, 0.4, 0.0]), np.array([0.0, 0.5, 0.2, 1.0])
    for div in ("reverse_kl", "forward_kl"):
        np.testing.assert_array_equal(V.regularized_optimum(p, r, 0.2, div),
                                      rlhf.f_regularized_policy(p, r, 0.2, div))


# -- entropy regularisation ----------------------------------------------------------------------
def test_entropy_bonus_is_the_entropy_gradient():
    rng = np.random.default_rng(8)
    th = rng.normal(size=7)
    g = _fd(lambda t: float(rlhf.entropy(_softmax(t))), th)
    np.testing.assert_allclose(V.entropy_bonus_grad(th), g, atol=1e-8)
    pi = _softmax(th)
    H = rlhf.entropy(pi)
    assert ((V.entropy_bonus_grad(th) > 0) == (np.log(pi) < -H)).all()


def test_top_p_bonus_is_the_nucleus_entropy_gradient():
    th = np.log([0.5, 0.25, 0.15, 0.06, 0.04])
    keep = V.nucleus_mask(th, 0.8)
    np.testing.assert_array_equal(keep, [True, True, True, False, False])

    def h_nucleus(t):
        q = _softmax(t)[keep]
        q = q / q.sum()
        return float(-(q * np.log(q)).sum())

    np.testing.assert_allclose(V.entropy_bonus_grad(th, top_p=0.8), _fd(h_nucleus, th), atol=1e-8)


def test_lp_reg_pull_scales_kept_answers():
    th = np.log([0.6, 0.3, 0.08, 0.02])
    proxy = V.lp_reg_proxy(th, tau=0.05)
    np.testing.assert_allclose(proxy, np.array([0.6, 0.3, 0.08, 0.0]) / 0.98)
    np.testing.assert_allclose(V.lp_reg_proxy(th, kappa=0.4), [2 / 3, 1 / 3, 0, 0])
    with np.errstate(divide="ignore"):
        log_proxy = np.log(proxy)
    g = V.kl_grad(th, log_proxy, "k3", "loss")
    np.testing.assert_allclose(g, _softmax(th) - proxy, atol=1e-15)


# -- toys ----------------------------------------------------------------------------------------
def test_toys():
    t2 = V.toy_t2()
    np.testing.assert_allclose(t2.p_ref, [0.40, 0.25, 0.15, 0.10, 0.08, 0.02])
    assert t2.rewards.shape == (200, 6)
    np.testing.assert_allclose(t2.solve_rate, [0.3, 0.5, 0.6, 0.75, 0.85, 0.15])
    assert t2.p_ref @ t2.solve_rate == pytest.approx(0.481)
    t1 = V.toy_t1()
    assert t1.p_ref[5] == 0.0 and t1.logits[5] == -np.inf
    assert V.toy_t1(hole="tiny").p_ref[5] == pytest.approx(1e-6)
    t3 = V.toy_t3()
    assert t3.p_ref[0] == pytest.approx(1e-3) and _softmax(t3.teacher_logits)[0] == pytest.approx(0.5)
    j = V.toy_entropy_explosion()
    assert j.p_ref.size == 1000 and j.p_ref[3:].sum() == pytest.approx(0.09)


# -- validation ----------------------------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: V.pass_at_k([0.5, 1.5], 2), "p_correct"),
    (lambda: V.pass_at_k([0.5], 0), "k must"),
    (lambda: V.pass_at_k([0.5], [[1, 2]]), "k must"),
    (lambda: V.pass_at_k_unbiased(10, 11, 2), "c must"),
    (lambda: V.pass_at_k_unbiased(10, 2, 11), "k must"),
    (lambda: V.pass_at_k_unbiased(10.5, 2, 3), "n must"),
    (lambda: V.grpo_advantages([1.0]), "rewards"),
    (lambda: V.grpo_advantages([1.0, 2.0], scale="mad"), "scale must be one of"),
    (lambda: V.grpo_advantages([1.0, 2.0], ddof=2), "ddof"),
    (lambda: V.grpo_advantages([1.0, 2.0], eps=-1), "eps"),
    (lambda: V.grpo_expected_update(LOG3, R3, 1), "group_size"),
    (lambda: V.grpo_expected_update(LOG3, R3, 10_000), "group_size"),
    (lambda: V.grpo_expected_update(LOG3, R3, 4.5), "group_size"),
    (lambda: V.grpo_expected_update(LOG3, [1, 0], 4), "rewards must be an array of shape"),
    (lambda: V.grpo_expected_update(LOG3, [1, np.nan, 0], 4), "rewards must be finite"),
    (lambda: V.grpo_expected_update(np.zeros(12), np.arange(12.0), 4096), "distinct levels"),
    (lambda: V.grpo_expected_update([np.nan, 0, 0], R3, 4), "logits"),
    (lambda: V.grpo_expected_update(LOG3, R3, 4, part="neg"), "part must be one of"),
    (lambda: V.grpo_sampled_update(LOG3, R3, 4, n_groups=0), "n_groups"),
    (lambda: V.grpo_sampled_update(LOG3, R3, 4, seed="x"), "seed"),
    (lambda: V.grpo_sampled_update(LOG3, R3, 4, n_groups=10**7), "n_groups"),
    (lambda: V.entropy_change(LOG3, [0.1, 0.2]), "delta"),
    (lambda: V.entropy_change(LOG3, [0.1, 0.2, 0.3], exact="yes"), "exact"),
    (lambda: V.kl_grad(LOG3, LOG3, "k4", "loss"), "estimator must be one of"),
    (lambda: V.kl_grad(LOG3, LOG3, "k1", "penalty"), "placement must be one of"),
    (lambda: V.kl_grad(LOG3, LOG3[:2], "k1", "loss"), "ref_logits"),
    (lambda: V.regularized_optimum([0.5, 0.6], [0, 1], 0.3, "forward_kl"), "p_ref must sum to 1"),
    (lambda: V.regularized_optimum([0.5, 0.5], [0, 1], 0.0, "forward_kl"), "beta"),
    (lambda: V.regularized_optimum([0.5, 0.5], [0, 1], 0.3, "js"), "divergence must be one of"),
    (lambda: V.regularized_optimum([0.5, 0.5], [0, np.inf], 0.3, "reverse_kl"), "rewards"),
    (lambda: V.entropy_bonus_grad(LOG3, top_p=0.0), "top_p"),
    (lambda: V.entropy_bonus_grad(LOG3, top_p=1.5), "top_p"),
    (lambda: V.lp_reg_proxy(LOG3), "exactly one of tau and kappa"),
    (lambda: V.lp_reg_proxy(LOG3, tau=2.0), "tau"),
    (lambda: V.toy_t1(hole="big"), "hole must be one of"),
    (lambda: V.toy_t2(spark=1.0), "spark"),
    (lambda: V.toy_t2(n_prompts=0), "n_prompts"),
    (lambda: V.toy_t3(p_student=0.0), "p_student"),
    (lambda: V.pass_at_k_spread([0.2], 10, 11), "k must"),
    (lambda: V.crossover_k([0.2], [0.2, 0.3]), "p_after must be a 1-D array of the same length"),
])
def test_invalid_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_too_large_input_is_refused():
    with pytest.raises(ValueError, match="logits must have at most"):
        V.entropy_bonus_grad(np.broadcast_to(0.0, (V.MAX_ANSWERS + 1,)))
    with pytest.raises(ValueError, match="rewards must have at most"):
        V.grpo_expected_update(np.zeros(2), np.broadcast_to(0.0, (V.MAX_CELLS, 2)), 4)
    with pytest.raises(ValueError, match="p_correct.size"):
        V.pass_at_k(np.broadcast_to(0.5, (10**6,)), np.arange(1, 101))


def test_import_pulls_no_plotting_widgets_or_torch():
    code = ("import sys, kitlib.rlvr; print(any(m in sys.modules for m in "
            "('torch', 'matplotlib', 'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- trajectories: the brief's T2 / T3 / DPH-RL / entropy-explosion numbers ---------------------
@pytest.fixture(scope="module")
def t2_run():
    t = V.toy_t2()
    return t, V.grpo_train(t.logits, t.rewards, steps=200, group_size=8, lr=1.0)


def test_t2_exact_grpo_numbers(t2_run):
    t, run = t2_run
    pk = run.pass_at_k([1, 16, 256])
    np.testing.assert_allclose(pk[0], [0.481, 0.859, 0.999], atol=5e-4)
    np.testing.assert_allclose(pk[-1], [0.848, 0.851, 0.861], atol=5e-4)
    assert run.entropy[0] == pytest.approx(1.51, abs=5e-3)
    assert run.entropy[-1] == pytest.approx(0.06, abs=5e-3)
    assert run.policies[0, 5] == pytest.approx(0.02)
    assert run.policies[-1, 5] == pytest.approx(3e-4, abs=5e-5)
    assert V.crossover_k(run.p_correct[0], run.p_correct[-1]) == 15
    assert run.policies.shape == (201, 6) and run.p_correct.shape == (201, 200)


def test_t2_pass1_rises_while_pass_at_256_falls(t2_run):
    _, run = t2_run
    assert (np.diff(run.pass1) > 0).all()
    assert run.pass_at_k(256)[-1] < run.pass_at_k(256)[0] - 0.1


def test_first_order_entropy_prediction_tracks_exact(t2_run):
    _, run = t2_run
    assert run.dH_exact.shape == run.dH_first_order.shape == (200,)
    np.testing.assert_allclose(run.dH_exact, np.diff(run.entropy))
    big = np.abs(run.dH_exact) > 1e-3
    rel = np.abs(run.dH_first_order - run.dH_exact)[big] / np.abs(run.dH_exact[big])
    assert np.median(rel) < 0.2
    assert (np.sign(run.dH_first_order[big]) == np.sign(run.dH_exact[big])).mean() > 0.9


def test_every_prompt_rises_on_a_single_prompt_toy():
    """Per-prompt exact small steps raise p (so every pass@k) — no crossover without sharing."""
    t = V.toy_t1(hole="none")
    run = V.grpo_train(t.logits, t.rewards, steps=100, lr=0.1)
    assert (np.diff(run.p_correct[:, 0]) > 0).all()


def test_rich_get_richer_inside_the_correct_set():
    """Δθ_y ∝ π_y among correct answers: their ratio grows every step, and entropy keeps falling
    after pass@1 has stopped moving (collapse onto one correct answer)."""
    t = V.toy_t1(hole="none")
    run = V.grpo_train(t.logits, t.rewards, steps=400)
    ratio = run.policies[:, 0] / run.policies[:, 2]  # the two common correct answers
    assert (np.diff(ratio) > 0).all() and ratio[-1] > 50 * ratio[0]
    flat = int(np.argmax(run.pass1 > 0.99))
    assert run.pass1[-1] - run.pass1[flat] < 0.01
    assert run.entropy[-1] < 0.25 * run.entropy[flat]


def test_sampled_run_is_seeded_and_close_to_exact(t2_run):
    t, run = t2_run
    a = V.grpo_train(t.logits, t.rewards, steps=50, mode="sampled", seed=3)
    b = V.grpo_train(t.logits, t.rewards, steps=50, mode="sampled", seed=3)
    np.testing.assert_array_equal(a.policies, b.policies)
    assert not np.array_equal(a.policies, V.grpo_train(t.logits, t.rewards, steps=50,
                                                       mode="sampled", seed=4).policies)
    assert abs(a.pass1[-1] - run.pass1[50]) < 0.05


def test_t3_steps_to_half():
    t = V.toy_t3()
    runs = {
        "grpo": V.grpo_train(t.logits, t.rewards, steps=300),
        "k2": V.grpo_train(t.logits, t.rewards, steps=300, kd_coef=0.2,
                           teacher_logits=t.teacher_logits, kd_estimator="k2"),
        "k3": V.grpo_train(t.logits, t.rewards, steps=300, kd_coef=0.2,
                           teacher_logits=t.teacher_logits, kd_estimator="k3"),
    }
    assert {k: V.steps_to_reach(r, 0.5) for k, r in runs.items()} == {"grpo": 196, "k2": 137, "k3": 21}


def test_dph_rl_matched_optima():
    m = V.matched_optima(V.toy_t2(), [0.70, 0.75, 0.80], ks=(1, 256))
    for div in ("reverse_kl", "forward_kl"):
        np.testing.assert_allclose(m[div]["pass_at_k"][:, 0], [0.70, 0.75, 0.80], atol=1e-10)
    np.testing.assert_allclose(m["reverse_kl"]["pass_at_k"][:, 1], [0.893, 0.863, 0.851], atol=5e-4)
    np.testing.assert_allclose(m["forward_kl"]["pass_at_k"][:, 1], [0.957, 0.934, 0.900], atol=5e-4)


def test_entropy_explosion_toy():
    t = V.toy_entropy_explosion()
    run = V.grpo_train(t.logits, t.rewards, steps=300, entropy_coef=0.5)
    assert run.policies[-1, 3:].sum() == pytest.approx(0.85, abs=5e-3)
    assert run.pass1[-1] == pytest.approx(0.15, abs=6e-3)  # .145
    # SIREN's top-p mask: .95 holds ~445 junk answers and still floods at α = 1; .905 does not,
    # but the nucleus shrinks with the policy and the 1 % spark dies anyway
    assert V.nucleus_mask(t.logits, 0.95)[3:].sum() == pytest.approx(445, abs=2)
    flood = V.grpo_train(t.logits, t.rewards, steps=300, entropy_coef=1.0, top_p=0.95)
    tight = V.grpo_train(t.logits, t.rewards, steps=300, entropy_coef=1.0, top_p=0.905)
    assert flood.policies[-1, 3:].sum() > 0.9
    assert tight.policies[-1, 3:].sum() < 0.01
    assert tight.policies[-1, 2] < 1e-3  # the spark


def test_lp_reg_removes_noise_but_not_rich_get_richer():
    t = V.toy_entropy_explosion()
    plain = V.grpo_train(t.logits, t.rewards, steps=300)
    lp = V.grpo_train(t.logits, t.rewards, steps=300, lp_coef=0.5, lp_tau=1e-3)
    assert lp.policies[-1, 3:].sum() < plain.policies[-1, 3:].sum()  # noise removed faster
    assert lp.policies[-1, 2] < 1e-3 and lp.entropy[-1] < 0.1  # spark still dies, collapse stays


def test_positive_only_keeps_more_entropy_on_a_wrong_heavy_prompt():
    """Dropping the negative part removes the push-down of confident wrong answers (GTPO/APO)."""
    t = V.toy_t1(hole="none")
    allp = V.grpo_train(t.logits, t.rewards, steps=30, lr=0.5)
    pos = V.grpo_train(t.logits, t.rewards, steps=30, lr=0.5, part="positive")
    neg = V.grpo_train(t.logits, t.rewards, steps=30, lr=0.5, part="negative")
    assert pos.pass1[-1] < allp.pass1[-1] and neg.pass1[-1] < allp.pass1[-1]
    assert pos.policies.shape == neg.policies.shape


def test_support_holes_stay_holes_and_reverse_kl_on_t1_runs():
    t = V.toy_t1(hole="zero")
    for est, place in (("k1", "reward"), ("k2", "loss"), ("k3", "loss")):
        run = V.grpo_train(t.logits, t.rewards, steps=50, kl_coef=0.1, kl_estimator=est,
                           kl_placement=place)
        assert (run.policies[:, 5] == 0).all()
    tiny = V.toy_t1(hole="tiny")
    run = V.grpo_train(tiny.logits, tiny.rewards, steps=300)
    assert run.policies[-1, 5] < 1e-5  # the optimum may be elsewhere; training never finds it


def test_kl_regularised_training_k1_reward_equals_k2_loss_and_k3_keeps_the_spark():
    t = V.toy_t2()
    runs = {est: V.grpo_train(t.logits, t.rewards, steps=400, kl_coef=0.05, kl_estimator=est,
                              kl_placement=place)
            for est, place in (("k1", "reward"), ("k2", "loss"), ("k3", "loss"))}
    np.testing.assert_allclose(runs["k1"].policies, runs["k2"].policies, rtol=1e-9, atol=1e-15)
    assert runs["k3"].policies[-1, 5] > 3 * runs["k1"].policies[-1, 5]  # mass-covering pull
    assert runs["k3"].pass_at_k(256)[-1] > runs["k1"].pass_at_k(256)[-1] + 0.02


def test_trajectory_pass_at_k_matches_pass_at_k_per_step(t2_run):
    _, run = t2_run
    ks = np.array([1, 4, 64])
    got = run.pass_at_k(ks)
    assert got.shape == (201, 3) and run.pass_at_k(4).shape == (201,)
    for t in (0, 57, 200):
        np.testing.assert_allclose(got[t], V.pass_at_k(run.p_correct[t], ks), rtol=1e-14)
    np.testing.assert_allclose(got[:, 0], run.pass1, rtol=1e-14)


def test_kl_descent_decreases_the_objective_it_claims():
    rng = np.random.default_rng(9)
    th, ref = rng.normal(size=5), rng.normal(size=5)
    q = _softmax(ref)

    def rkl(p):
        return float(np.sum(p * np.log(p / q)))

    def fkl(p):
        return float(np.sum(q * np.log(q / p)))

    for est, place, f in (("k1", "reward", rkl), ("k2", "loss", rkl), ("k3", "loss", fkl)):
        pols = V.kl_descent(th, ref, est, place, lr=0.5, steps=50)
        vals = [f(p) for p in pols]
        assert (np.diff(vals) <= 1e-15).all() and vals[-1] < 0.2 * vals[0]
    still = V.kl_descent(th, ref, "k1", "loss", steps=10)
    np.testing.assert_allclose(still, np.broadcast_to(still[0], still.shape), atol=1e-15)


def test_optimum_frontier_monotone_in_beta():
    t = V.toy_t2()
    f = V.optimum_frontier(t, np.geomspace(0.01, 10, 30), "forward_kl", ks=(1, 256))
    assert (np.diff(f["pass_at_k"][:, 0]) < 0).all()
    np.testing.assert_allclose(f["policies"].sum(1), 1.0)


def test_pass_at_k_spread_vector_k():
    p = np.array([0.05, 0.3, 0.9])
    d = V.pass_at_k_spread(p, 16, np.array([1, 4, 16]))
    for i, k in enumerate((1, 4, 16)):
        one = V.pass_at_k_spread(p, 16, k)
        for key in one:
            assert d[key][i] == pytest.approx(one[key], rel=1e-12)
    np.testing.assert_allclose(d["unbiased_mean"], d["true"], rtol=1e-12)


@pytest.mark.parametrize("call, match", [
    (lambda: V.grpo_train(LOG3, R3, steps=-1), "steps"),
    (lambda: V.grpo_train(LOG3, [1, 0.5, 0]), "rewards must be verifiable"),
    (lambda: V.grpo_train(LOG3, R3, lr=0), "lr"),
    (lambda: V.grpo_train(LOG3, R3, mode="mc"), "mode must be one of"),
    (lambda: V.grpo_train(LOG3, R3, kd_coef=0.1), "teacher_logits must be given"),
    (lambda: V.grpo_train(LOG3, R3, kl_coef=-0.1), "kl_coef"),
    (lambda: V.grpo_train(LOG3, R3, kl_coef=0.1, kl_estimator="k1", kl_placement="reward",
                          ref_logits=[0.0, 0.0, -np.inf]), "ref_logits must be finite where the policy has mass"),
    (lambda: V.grpo_train(LOG3, R3, lp_coef=0.1), "exactly one of tau and kappa"),
    (lambda: V.grpo_train(LOG3, R3, entropy_coef=0.1, top_p=0.0), "top_p"),
    (lambda: V.grpo_train(LOG3, R3, steps=200_000), "steps"),
    (lambda: V.steps_to_reach("run", 0.5), "traj must be a Trajectory"),
    (lambda: V.matched_optima(V.toy_t2(), [0.95]), "pass1 must be"),
    (lambda: V.optimum_frontier(V.toy_t2(), [0.0], "forward_kl"), "betas"),
    (lambda: V.kl_descent(LOG3, LOG3, "k1", "loss", lr=-1), "lr"),
])
def test_trajectory_invalid_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()
