"""kitlib.rlhf against the brief's worked numbers, closed forms, identities and brute force."""

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest
from scipy import special

from kitlib import rlhf as R

U4 = np.full(4, 0.25)
R4 = np.array([0.0, 1.0, 2.0, 3.0])


# -- 1. tilt and frontier ------------------------------------------------------------------------
def test_worked_example():
    pi = R.tilt(U4, R4, 1.0)
    np.testing.assert_allclose(pi, [0.032059, 0.087144, 0.236883, 0.643914], atol=1e-6)
    f = R.frontier(U4, R4, [1.0])
    assert f.reward[0] == pytest.approx(2.492653, abs=1e-6)
    assert f.kl[0] == pytest.approx(0.438757, abs=1e-6)
    assert R.kl_to_ref(pi, U4) == pytest.approx(f.kl[0], rel=1e-12)


def test_slope_is_beta():
    p, r = R.categorical_lm(200, 1.0, seed=1)
    for beta in (0.05, 0.3, 2.0):
        f = R.frontier(p, r, [beta * (1 - 1e-3), beta * (1 + 1e-3)])
        assert np.diff(f.reward)[0] / np.diff(f.kl)[0] == pytest.approx(beta, rel=1e-5)


def test_limits_and_no_cancellation_at_tiny_beta():
    p = np.array([0.1, 0.2, 0.3, 0.25, 0.15])
    r = np.array([0.0, 1.0, 3.0, 3.0, -2.0])
    f = R.frontier(p, r, [1e-300, 1e-6, 1e9])
    assert f.reward[0] == 3.0 and f.kl[0] == pytest.approx(-math.log(0.55), rel=1e-14)
    assert f.kl[1] == pytest.approx(-math.log(0.55), rel=1e-12)
    assert f.reward[2] == pytest.approx(p @ r, abs=1e-8) and f.kl[2] < 1e-15
    # the naive R/β − log Z overflows / cancels at small β; the stable form agrees with Σ π log(π/p)
    with np.errstate(over="ignore"):
        naive = f.reward[1] / 1e-6 - np.log(p @ np.exp(r / 1e-6))
    assert not np.isfinite(naive)
    pi = R.tilt(p, r, 0.02)
    assert R.frontier(p, r, [0.02]).kl[0] == pytest.approx(R.kl_to_ref(pi, p), rel=1e-12)


def test_constrained_form_and_dual():
    p, r = R.categorical_lm(100, 1.5, seed=2)
    kmax = R.frontier(p, r, [1e-300]).kl[0]
    for delta in (0.01, 0.5, 0.5 * kmax, 0.99 * kmax):
        c = R.kl_budget_policy(p, r, delta)
        assert c.kl == pytest.approx(delta, rel=1e-8)
        assert R.dual_reward(p, r, delta) == pytest.approx(c.reward, rel=1e-7)
    c = R.kl_budget_policy(p, r, kmax + 1.0)
    assert c.beta == 0.0 and c.reward == r.max()
    assert R.dual_reward(p, r, kmax + 1.0) == r.max()
    z = R.kl_budget_policy(p, r, 0.0)
    np.testing.assert_allclose(z.policy, p)


def test_korbak_identity():
    rng = np.random.default_rng(3)
    p, r = R.categorical_lm(30, 1.0, seed=3)
    beta = 0.7
    log_z = special.logsumexp(np.log(p) + r / beta)
    pib = R.tilt(p, r, beta)
    for _ in range(5):
        q = rng.dirichlet(np.ones(30))
        lhs = R.rlhf_objective(q, p, r, beta)
        rhs = -beta * R.kl_to_ref(q, pib) + beta * log_z
        assert lhs == pytest.approx(rhs, rel=1e-10)
    assert R.rlhf_objective(pib, p, r, beta) == pytest.approx(beta * log_z, rel=1e-12)


def test_small_kl_gaussian_law():
    p, r = R.categorical_lm(2000, 0.0, seed=4)  # uniform reference, Gaussian rewards
    f = R.frontier(p, r, [200.0])
    var = p @ r**2 - (p @ r) ** 2
    assert f.reward[0] - p @ r == pytest.approx(math.sqrt(2 * var * f.kl[0]), rel=1e-2)


def test_natural_pg_walks_the_frontier_and_vanilla_runs_below():
    p, r = R.categorical_lm(50, 1.0, seed=5)
    path = R.natural_pg_path(p, r, [0.0, 0.5, 2.0])
    np.testing.assert_allclose(path[0], p)
    np.testing.assert_allclose(path[2], R.tilt(p, r, 0.5), rtol=1e-12)
    van = R.vanilla_pg_path(p, r, 1.0, 200)
    for pi in van[20::60]:
        c = R.kl_budget_policy(p, r, R.kl_to_ref(pi, p))
        assert pi @ r <= c.reward + 1e-12


# -- 2. best-of-N ---------------------------------------------------------------------------------
def _brute_bon(p, r, n, ties):
    m = p.size
    out = np.zeros(m)
    for draws in itertools.product(range(m), repeat=n):
        w = np.prod(p[list(draws)])
        if ties == "draw_order":
            best = max(range(n), key=lambda i: (r[draws[i]], -i))
            out[draws[best]] += w
        else:
            out[max(draws, key=lambda y: (r[y], -y))] += w
    return out


@pytest.mark.parametrize("ties", ["draw_order", "identity"])
def test_best_of_n_matches_brute_force(ties):
    p = np.array([0.1, 0.3, 0.2, 0.25, 0.15])
    r = np.array([1.0, 2.0, 2.0, 0.0, 1.0])
    for n in (1, 2, 3, 4):
        b = R.best_of_n(p, r, n, ties=ties)
        np.testing.assert_allclose(b.policy, _brute_bon(p, r, n, ties), atol=1e-13)
        assert b.kl == pytest.approx(R.kl_to_ref(b.policy, p), abs=1e-12)
        assert b.reward == pytest.approx(b.policy @ r, rel=1e-12)


def test_ties_rules_differ_and_draw_order_keeps_reference_proportions():
    p = np.array([0.1, 0.3, 0.2, 0.25, 0.15])
    r = np.array([1.0, 2.0, 2.0, 0.0, 1.0])
    a = R.best_of_n(p, r, 4).policy
    b = R.best_of_n(p, r, 4, ties="identity").policy
    assert a[1] / a[2] == pytest.approx(p[1] / p[2])
    assert not np.allclose(a, b)


def test_bound_is_an_upper_bound_and_exact_for_continuous_rewards():
    m = 200_000
    p = np.full(m, 1.0 / m)
    r = np.arange(m, dtype=float)
    for n in (2, 10, 64):
        b = R.best_of_n(p, r, n)
        assert b.kl <= b.kl_bound
        assert b.kl == pytest.approx(R.bon_kl_bound(n), abs=2e-3)
    assert R.bon_kl_bound(1) == 0.0
    assert R.bon_kl_bound(4) == pytest.approx(math.log(4) - 0.75)


def test_binary_reward_kl_stays_below_log2():
    p = np.full(4, 0.25)
    r = np.array([0.0, 0.0, 1.0, 1.0])
    for n in (2, 10, 1e6, 1e300):
        b = R.best_of_n(p, r, n)
        assert b.kl <= math.log(2) + 1e-15 and b.kl <= b.kl_bound
    assert R.best_of_n(p, r, 1e300).kl == pytest.approx(math.log(2))
    assert R.best_of_n(p, r, 1e300, ties="identity").kl == pytest.approx(math.log(4))


def test_curve_matches_single_calls_and_win_rate_bound():
    p, r = R.categorical_lm(300, 1.0, seed=6, reward="levels", n_levels=6)
    ns = np.array([1, 2, 7, 50, 1e6])
    c = R.best_of_n_curve(p, r, ns)
    for i, n in enumerate(ns):
        b = R.best_of_n(p, r, n)
        assert c.kl[i] == pytest.approx(b.kl, abs=1e-13)
        assert c.reward[i] == pytest.approx(b.reward, rel=1e-13)
        assert R.win_rate(b.policy, p, r) <= n / (n + 1) + 1e-12
    assert R.win_rate(p, p, r) == pytest.approx(0.5)


def test_levels_in_log_space_for_huge_n():
    lq = R.best_of_n_levels([0.0, 1.0, 2.0], np.log([0.5, 0.3, 0.2]), log_n=np.log(3.0))
    F = np.array([0.5, 0.8, 1.0])
    np.testing.assert_allclose(np.exp(lq), np.diff(np.concatenate([[0], F**3])), rtol=1e-13)
    lq = R.best_of_n_levels([0.0, 1.0], np.log([0.5, 0.5]), log_n=5000.0)
    assert np.exp(lq[1]) == 1.0 and lq[0] < -1e300


# -- 3. f-regularised optima ---------------------------------------------------------------------
DIVS = ["reverse_kl", "forward_kl", "js", "alpha", "neyman_chi2", "tv"]


def _pol(p, r, beta, div, alpha=0.5):
    return R.f_regularized_policy(p, r, beta, div, alpha=alpha if div == "alpha" else None)


@pytest.mark.parametrize("div", DIVS)
def test_f_optimum_beats_random_policies(div):
    rng = np.random.default_rng(7)
    p, r = R.categorical_lm(12, 1.0, seed=7)
    beta = 0.6
    a = 0.5 if div == "alpha" else None
    pi = _pol(p, r, beta, div)
    assert pi.sum() == pytest.approx(1.0) and (pi >= 0).all()

    def obj(q):
        return q @ r - beta * R.f_divergence_value(q, p, div, alpha=a)

    best = obj(pi)
    for _ in range(200):
        q = np.clip(pi + 0.02 * rng.standard_normal(12) * pi, 1e-300, None)
        assert obj(q / q.sum()) <= best + 1e-10
        q = rng.dirichlet(np.ones(12))
        assert obj(q) <= best + 1e-10


def test_alpha_limits():
    p, r = R.categorical_lm(40, 1.0, seed=8)
    np.testing.assert_allclose(_pol(p, r, 0.5, "alpha", 1e-7), R.tilt(p, r, 0.5), rtol=1e-5)
    np.testing.assert_allclose(_pol(p, r, 0.5, "alpha", 1 - 1e-7), _pol(p, r, 0.5, "forward_kl"),
                               rtol=1e-5)
    q = _pol(p, r, 0.5, "js")
    assert R.f_divergence_value(q, p, "alpha", alpha=1e-7) == pytest.approx(R.kl_to_ref(q, p), rel=1e-5)


def test_forward_kl_kkt_and_keeps_every_response():
    p, r = R.categorical_lm(40, 1.0, seed=9)
    beta = 0.3
    pi = _pol(p, r, beta, "forward_kl")
    lam = r + beta * p / pi
    np.testing.assert_allclose(lam, lam[0], rtol=1e-10)
    assert lam[0] == pytest.approx(pi @ r + beta, rel=1e-10)
    assert (pi > 0).all()
    assert (_pol(p, r, beta, "reverse_kl") >= 0).all()


def test_neyman_chi2_is_sparse_and_tv_is_greedy():
    p, r = R.categorical_lm(40, 1.0, seed=10)
    pi = _pol(p, r, 0.2, "neyman_chi2")
    assert (pi == 0).sum() > 0
    t = _pol(p, r, 0.5, "tv")
    keep = r >= r.max() - 0.5
    np.testing.assert_allclose(t[keep & (r < r.max())], p[keep & (r < r.max())])
    assert (t[~keep] == 0).all()
    assert t[np.argmax(r)] == pytest.approx(p[np.argmax(r)] + p[~keep].sum())


def test_binary_reward_collapses_every_f_to_one_family():
    p = np.array([0.3, 0.1, 0.25, 0.05, 0.3])
    r = np.array([0.0, 1.0, 0.0, 1.0, 0.0])
    target = R.tilt(p, r, 0.4)
    m = target @ r
    for div in DIVS:
        a = 0.3 if div == "alpha" else None
        pi = _pol(p, r, 0.4, div, 0.3)
        u = pi / p
        assert np.ptp(u[r == 1]) < 1e-12 and np.ptp(u[r == 0]) < 1e-12  # one family ...
        if div == "tv":
            continue
        # ... so matching the reward gives the very same policy
        from scipy.optimize import brentq
        b = brentq(lambda x: _pol(p, r, math.exp(x), div, 0.3) @ r - m, -8, 8)
        np.testing.assert_allclose(_pol(p, r, math.exp(b), div, a), target, atol=1e-9)


def test_forward_kl_lifts_hard_prompts_to_one_minus_beta():
    p = np.array([1e-6, 1 - 1e-6])
    r = np.array([1.0, 0.0])
    pi = _pol(p, r, 0.3, "forward_kl")
    assert pi[0] == pytest.approx(0.7, abs=1e-4)
    assert _pol(p, r, 0.3, "reverse_kl")[0] < 0.01


# rlhf.f_regularized_policy(categorical_lm(200, 1, seed=1, correlation=.3), β = .5, forward KL)[:3]
# computed with the code before the forward-KL support fix (commit e57fb64)
FULL_SUPPORT_BEFORE = [0.0018332862819611475, 0.0038987050706305137, 0.0005893932295972576]


def test_forward_kl_fix_leaves_full_support_unchanged():
    """Notebook 04's f-divergence toy (table kitlib.tables.rlhf.f_curves) has full support: the
    fix must not move a single bit there. The reference values were computed before the fix."""
    p, r = R.categorical_lm(200, 1.0, seed=1, correlation=0.3)
    pi = R.f_regularized_policy(p, r, 0.5, "forward_kl")
    lam = r + 0.5 * p / pi
    np.testing.assert_allclose(lam, lam[0], rtol=1e-10)
    np.testing.assert_allclose(pi[:3], FULL_SUPPORT_BEFORE, rtol=1e-15)
    batch = R.f_regularized_batch(p[None, :], r[None, :], 0.5, "forward_kl")[0]
    np.testing.assert_allclose(batch, pi, rtol=1e-9)


def test_batch_forward_kl_leaves_the_support_like_the_single_solver():
    p = np.array([[0.4, 0.6, 0.0, 0.0], [0.25, 0.25, 0.5, 0.0], [0.5, 0.5, 0.0, 0.0]])
    r = np.array([[0.0, 0.0, 1.0, 1.0], [0.0, 1.0, 0.0, 0.5], [1.0, 0.0, 0.0, 0.0]])
    b = R.f_regularized_batch(p, r, 0.3, "forward_kl")
    for i in range(3):
        np.testing.assert_allclose(b[i], R.f_regularized_policy(p[i], r[i], 0.3, "forward_kl"),
                                   atol=1e-12)


def test_forward_kl_optimum_leaves_the_support():
    """KL(π_ref‖π) charges nothing outside supp π_ref: an outside reward above λ takes the rest."""
    np.testing.assert_allclose(R.f_regularized_policy([0.5, 0.5, 0.0], [0, 0, 1], 0.25, "forward_kl"),
                               [0.125, 0.125, 0.75], atol=1e-12)
    pi = R.f_regularized_policy([0.6, 0.4, 0.0, 0.0], [0, 0, 1, 1], 0.3, "forward_kl")
    np.testing.assert_allclose(pi, [0.18, 0.12, 0.35, 0.35], atol=1e-12)  # correct mass 1 − β
    # a single in-support level, and the tie case (nothing goes outside)
    np.testing.assert_allclose(R.f_regularized_policy([1.0, 0.0], [0, 1], 0.4, "forward_kl"),
                               [0.4, 0.6], atol=1e-12)
    assert R.f_regularized_policy([0.5, 0.5, 0.0], [1, 0, 1], 0.2, "forward_kl")[2] == 0.0
    # the reverse KL and the support-restricted divergences keep exact zeros
    for div in ("reverse_kl", "neyman_chi2", "js", "tv"):
        assert R.f_regularized_policy([0.5, 0.5, 0.0], [0, 0, 1], 0.25, div)[2] == 0.0


def test_forward_kl_optimum_with_holes_satisfies_kkt():
    p = np.array([0.5, 0.3, 0.2, 0.0, 0.0])
    r = np.array([0.2, 0.0, 0.5, 1.0, 0.9])
    beta = 0.3
    pi = R.f_regularized_policy(p, r, beta, "forward_kl")
    lam = 1.0  # the best outside reward
    np.testing.assert_allclose(pi[:3], beta * p[:3] / (lam - r[:3]), rtol=1e-12)
    assert pi[3] == pytest.approx(1 - pi[:3].sum()) and pi[4] == 0.0


def test_pass_at_k_takes_an_array_of_k_and_unbiased_is_elementwise():
    np.testing.assert_allclose(R.pass_at_k([0.5, 0.0], [1, 2]), [0.25, 0.375])
    np.testing.assert_allclose(R.pass_at_k_unbiased(5, np.array([0, 1, 3]), 3), [0.0, 0.6, 1.0])


# -- diversity ------------------------------------------------------------------------------------
def test_diversity_measures():
    u = np.full(8, 0.125)
    assert R.entropy(u) == pytest.approx(math.log(8))
    assert R.expected_distinct(u, 1) == pytest.approx(1.0)
    assert R.expected_distinct(u, 3) == pytest.approx(8 * (1 - (7 / 8) ** 3))
    assert R.coverage(u, u) == 1.0
    assert R.pass_at_k([0.5, 0.0], 2) == pytest.approx(0.375)
    n, c, k = 10, 3, 4
    assert R.pass_at_k_unbiased(n, c, k) == pytest.approx(1 - math.comb(n - c, k) / math.comb(n, k))
    assert R.pass_at_k_unbiased(5, 3, 3) == 1.0


# -- 5. estimators and training -------------------------------------------------------------------
def test_k1_k3_are_unbiased_and_k3_nonnegative():
    p, _ = R.categorical_lm(20, 1.0, seed=11)
    pi = np.random.default_rng(11).dirichlet(np.ones(20))
    k = R.kl_estimates(np.log(pi), np.log(p))
    assert pi @ k["k1"] == pytest.approx(R.kl_to_ref(pi, p))
    assert pi @ k["k3"] == pytest.approx(R.kl_to_ref(pi, p))
    assert (k["k3"] >= 0).all() and (k["k2"] >= 0).all()


def test_training_lands_where_theory_says():
    beta = 1.0
    tilt = R.tilt(U4, R4, beta)
    fwd = _pol(U4, R4, beta, "forward_kl")
    k1 = R.train_policy(U4, R4, beta, estimator="k1", placement="reward", steps=250, seed=0)
    k3 = R.train_policy(U4, R4, beta, estimator="k3", placement="loss", steps=250, seed=0)
    assert np.abs(k1 - tilt).max() < 0.02
    assert np.abs(k3 - fwd).max() < 0.02
    assert np.abs(k3 - tilt).max() > 0.03  # clearly a different point
    free = R.train_policy(U4, R4, beta, estimator="k1", placement="loss", steps=100, seed=0)
    assert free @ R4 > tilt @ R4 + 0.2  # k1 as a loss does not regularise


def test_dpo_converges_as_pairs_grow():
    tilt = R.tilt(U4, R4, 1.0)
    err = [np.abs(R.dpo_policy(U4, R4, 1.0, n_pairs=n, seed=0) - tilt).max() for n in (50, 100_000)]
    assert err[1] < 0.01 and err[0] > err[1]
    fwd = R.dpo_policy(U4, R4, 1.0, n_pairs=100_000, seed=0, divergence="forward_kl")
    assert (fwd > 0).all()


# -- 4. toys ---------------------------------------------------------------------------------------
def test_memoryless_bon_approaches_the_tilt():
    res = [R.memoryless_bon(n, 0.3, 0.1) for n in (10, 100, 10_000, 100_000)]
    gaps = [abs(x.reward - x.tilt_reward) for x in res]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-3
    assert res[-1].kl == pytest.approx(0.1, abs=1e-3)
    assert [x.kl_to_tilt for x in res] == sorted((x.kl_to_tilt for x in res), reverse=True)
    x = res[0].tilt_reward
    assert x * math.log(x / 0.3) + (1 - x) * math.log((1 - x) / 0.7) == pytest.approx(0.1)


def test_goodhart_tilt_closed_form_and_peak():
    c = 0.25
    lam = np.linspace(0, 0.95, 20001)
    g = R.goodhart_tilt(lam, c)
    assert lam[np.argmax(g["gold"])] == pytest.approx(R.goodhart_lambda_star(c), abs=1e-4)
    assert np.all(np.diff(g["proxy"]) > 0)
    # closed-form KL against numerical integration of the tilted exponential + Gaussian
    lm = 0.4
    assert g["kl"][np.searchsorted(lam, lm)] == pytest.approx(
        0.5 * lm**2 + lm / (1 - lm) + math.log(1 - lm), rel=1e-3)


def test_goodhart_bon_beats_tilt_on_gold_and_turns_down():
    c = 0.25
    ns = np.array([1, 2, 4, 16, 64, 1000, 30000])
    b = R.goodhart_bon(ns, c)
    assert abs(b["proxy"][0]) < 1e-6 and abs(b["gold"][0]) < 1e-6
    assert np.all(np.diff(b["proxy"]) > 0)
    assert b["gold"][-1] < b["gold"].max()  # gold turns down
    lam = np.linspace(0, 0.999, 20001)
    t = R.goodhart_tilt(lam, c)
    for kl, gold in zip(b["kl"][1:4], b["gold"][1:4]):
        assert gold > np.interp(kl, t["kl"], t["gold"])


def test_gao_fits_recover_coefficients():
    kl = np.linspace(0.1, 10, 30)
    d = np.sqrt(kl)
    assert R.fit_gao(kl, d * (1.3 - 0.2 * d), "bon") == pytest.approx((1.3, 0.2))
    assert R.fit_gao(kl, d * (0.9 - 0.1 * np.log(d)), "rl") == pytest.approx((0.9, 0.1))


# -- validation -------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: R.tilt([0.5, 0.6], [0, 1], 1.0), "p_ref must sum to 1"),
    (lambda: R.tilt([-0.5, 1.5], [0, 1], 1.0), "p_ref must be non-negative"),
    (lambda: R.tilt([0.5, 0.5], [0, 1], 0.0), "beta must be"),
    (lambda: R.tilt([0.5, 0.5], [0, 1], -1.0), "beta must be"),
    (lambda: R.tilt([0.5, 0.5], [0, 1, 2], 1.0), "shape of p_ref"),
    (lambda: R.frontier([0.5, 0.5], [0, 1], [1.0, -1.0]), "betas must"),
    (lambda: R.best_of_n([0.5, 0.5], [0, 1], 0), "n must be"),
    (lambda: R.best_of_n([0.5, 0.5], [0, 1], 2, ties="random"), "ties must be"),
    (lambda: R.f_regularized_policy([0.5, 0.5], [0, 1], 1.0, "alpha", alpha=1.0), r"alpha must be a real number in the open interval"),
    (lambda: R.f_regularized_policy([0.5, 0.5], [0, 1], 1.0, "alpha"), r"alpha must be a real number in the open interval"),
    (lambda: R.f_regularized_policy([0.5, 0.5], [0, 1], 1.0, "hellinger"), "divergence must be one of"),
    (lambda: R.kl_budget_policy([0.5, 0.5], [0, 1], -0.1), "kl_budget"),
    (lambda: R.dual_reward([0.5, 0.5], [0, 1], "a"), "kl_budget"),
    (lambda: R.bon_kl_bound(0.5), "n must be"),
    (lambda: R.train_policy([0.5, 0.5], [0, 1], 1.0, estimator="k4"), "estimator"),
    (lambda: R.train_policy([0.5, 0.5], [0, 1], 1.0, placement="x"), "placement"),
    (lambda: R.memoryless_bon(10, 1.5, 0.1), "q must"),
])
def test_invalid_input_raises(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_import_pulls_neither_torch_nor_matplotlib():
    code = "import sys, kitlib.rlhf; print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_batched_policies_match_single_prompt_solver():
    p, correct, proxy = R.prompts_toy(n_prompts=20, n_responses=16, seed=12, proxy_noise=0.5)
    for div in ("reverse_kl", "forward_kl"):
        batch = R.f_regularized_batch(p, proxy, 0.3, div)
        for i in range(0, 20, 5):
            np.testing.assert_allclose(batch[i], R.f_regularized_policy(p[i], proxy[i], 0.3, div),
                                       rtol=1e-9, atol=1e-15)


def test_js_batch_matches_single_prompt_solver_and_is_the_jsd():
    p, correct, proxy = R.prompts_toy(n_prompts=12, n_responses=16, seed=4, proxy_noise=0.7)
    batch = R.f_regularized_batch(p, proxy, 0.4, "js")
    for i in range(p.shape[0]):
        np.testing.assert_allclose(batch[i], R.f_regularized_policy(p[i], proxy[i], 0.4, "js"),
                                   atol=1e-12)
    # "js" is the Jensen–Shannon divergence itself (was 2·JSD before issue 14) ...
    from kitlib import divergences as D
    pi = batch[0]
    assert R.f_divergence_value(pi, p[0], "js") == D.js(p[0], pi)
    assert R.f_divergence_value(pi, p[0], "js") <= math.log(2)
    # ... and the optimum satisfies β·f'(u) = r − λ with f' of JSD: ½ log(2u/(1 + u))
    u = pi / p[0]
    v = 0.5 * np.log(2 * u / (1 + u))
    np.testing.assert_allclose(np.diff(v) * 0.4, np.diff(proxy[0]), atol=1e-8)
    # a β·JSD regulariser is a (β/2)·(2·JSD) one: the optimum at β equals the f-GAN-JS one at β/2
    two_jsd = 0.5 * np.log(2 * u / (1 + u)) * 2
    np.testing.assert_allclose(np.diff(two_jsd) * 0.2, np.diff(proxy[0]), atol=1e-8)


@pytest.mark.parametrize("div", DIVS)
def test_every_regulariser_value_is_the_registry_value(div):
    """One vocabulary: rlhf's names are the registry's, with target p = π_ref and model q = π."""
    from kitlib import divergences as D
    rng = np.random.default_rng(3)
    for _ in range(5):
        p, pi = rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))
        a = 0.3 if div == "alpha" else None
        want = {"reverse_kl": D.kl(pi, p), "forward_kl": D.kl(p, pi), "js": D.js(p, pi),
                "alpha": D.alpha_divergence(p, pi, 0.3), "neyman_chi2": D.chi2(pi, p),
                "tv": D.tv(p, pi)}[div]
        assert R.f_divergence_value(pi, p, div, alpha=a) == want
        # ... and each is Σ π_ref·g(π/π_ref) for the registry generator g of R.generator
        g = R.generator(div, alpha=a)
        assert float(np.sum(p * g.f(pi / p))) == pytest.approx(want, rel=1e-9, abs=1e-14)
    # Neyman χ²(π_ref‖π) is the old rlhf "chi2" Σ(π − π_ref)²/π_ref
    assert R.f_divergence_value(pi, p, "neyman_chi2") == pytest.approx(np.sum((pi - p) ** 2 / p))
    with pytest.raises(ValueError, match="neyman_chi2"):
        R.f_divergence_value(pi, p, "chi2")
    with pytest.raises(ValueError, match="divergence"):
        R.f_regularized_policy(p, pi, 1.0, "js2")


@pytest.mark.parametrize("div", ["forward_kl", "js", "alpha", "neyman_chi2"])
def test_f_optimum_satisfies_kkt_with_the_registry_generator(div):
    """The optimum uses the registry generator's f': β·g'(π/π_ref) = r − λ wherever π > 0."""
    p, r = R.categorical_lm(30, 1.0, seed=11)
    a = 0.4 if div == "alpha" else None
    pi = R.f_regularized_policy(p, r, 0.3, div, alpha=a)
    alive = pi > 0
    lam = r[alive] - 0.3 * R.generator(div, alpha=a).f_prime(pi[alive] / p[alive])
    assert np.ptp(lam) < 1e-9


def test_matched_beta_hits_the_target_exactly():
    p, correct, proxy = R.prompts_toy(n_prompts=60, n_responses=16, seed=2, proxy_noise=0.5)
    for div in ("reverse_kl", "forward_kl", "js"):
        b = R.matched_beta(p, proxy, 0.4, div, score=correct, bracket=(0.005, 100.0))
        pol = R.f_regularized_batch(p, proxy, b, div)
        assert float(np.mean((pol * correct).sum(1))) == pytest.approx(0.4, abs=1e-9)
    # default score = the optimised reward; monotone, so the root is the unique one
    b = R.matched_beta(p, correct, 0.6, "forward_kl")
    pol = R.f_regularized_batch(p, correct, b, "forward_kl")
    assert float(np.mean((pol * correct).sum(1))) == pytest.approx(0.6, abs=1e-9)
    with pytest.raises(ValueError, match="target"):
        R.matched_beta(p, correct, 1.5, "reverse_kl")
    with pytest.raises(ValueError, match="divergence"):
        R.matched_beta(p, correct, 0.5, "chi2")
    with pytest.raises(ValueError, match="bracket"):
        R.matched_beta(p, correct, 0.5, "js", bracket=(1.0, 0.5))
    with pytest.raises(ValueError, match="2-D"):
        R.matched_beta(p[0], correct[0], 0.5, "js")

# -- issue 17: bad input, limits, global state -------------------------------------------------------
@pytest.mark.parametrize("call, name", [
    (lambda: R.vanilla_pg_path(U4, R4, 0.1, 2.5), "steps"),  # was truncated to 2
    (lambda: R.train_policy(U4, R4, 1.0, steps=2.5), "steps"),
    (lambda: R.train_policy(U4, R4, 1.0, steps=2, seed=1.5), "seed"),
    (lambda: R.dpo_policy(U4, R4, 1.0, n_pairs=10, seed="a"), "seed"),
    (lambda: R.categorical_lm(True, 1.0), "m"),
    (lambda: R.categorical_lm(5, 1.0, correlation=None), "correlation"),
    (lambda: R.kl_estimates([0.1, 0.2], [0.1, 0.2, 0.3]), "log_policy"),  # was a broadcast error
    (lambda: R.win_rate([1.0], U4, R4), "policy"),
    (lambda: R.best_of_n_levels([0.0, 1.0], [0.0, 0.0], log_n=1.0), "log_masses"),  # unnormalised
    (lambda: R.tilt(np.array([0.5, 0.5]), np.array([-1e308, 1e308]), 1.0), "rewards"),  # overflow
    (lambda: R.goodhart_bon([1e30], 0.5), "ns"),  # beyond the integration grid
    (lambda: R.pass_at_k_unbiased(10, 2.5, 3), "c"),
    (lambda: R.pass_at_k_unbiased(True, 1, 1), "n"),
    (lambda: R.pass_at_k_unbiased(10, 1, 2.5), "k"),
    (lambda: R.pass_at_k_unbiased(10, np.array([1.0, 2.5]), 2), "c"),
    (lambda: R.pass_at_k_unbiased(10, np.array([True, False]), 2), "c"),
])
def test_bad_input_is_refused_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_huge_calls_are_refused_before_allocating():
    with pytest.raises(ValueError, match="limit"):
        R.vanilla_pg_path(U4, R4, 0.1, 10**9)
    with pytest.raises(ValueError, match="limit"):
        R.dpo_policy(np.full(20_000, 1 / 20_000), np.zeros(20_000), 1.0, n_pairs=10)


def test_coverage_threshold_is_keyword_only():
    with pytest.raises(TypeError):
        R.coverage(U4, U4, 0.1)
    assert R.coverage(U4, U4, c=0.1) == 1.0


def test_training_leaves_torch_global_random_state_untouched():
    torch = pytest.importorskip("torch")
    before = torch.get_rng_state().clone()
    R.train_policy(U4, R4, 1.0, steps=3, batch=8, seed=0)
    assert torch.equal(torch.get_rng_state(), before)


def test_pass_at_k_unbiased_follows_the_kit_integer_convention():
    """Integral floats (10.0) are integers, as everywhere in the kit; bools and fractions are not."""
    assert R.pass_at_k_unbiased(10.0, 3.0, 2.0) == R.pass_at_k_unbiased(10, 3, 2)
    np.testing.assert_array_equal(R.pass_at_k_unbiased(10, np.array([1.0, 3.0]), 2),
                                  R.pass_at_k_unbiased(10, np.array([1, 3]), 2))
