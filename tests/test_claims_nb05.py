"""Qualitative claims of notebook 05's prose ("what to look for", summary), asserted on the numbers
behind them. Each test names the sentence it checks."""

import numpy as np
import pytest

from kitlib import rlvr
from kitlib.views import rlvr as views


@pytest.fixture(scope="module")
def run():
    return views.t2_run(group_size=8, lr=1.0)


# -- the idea ------------------------------------------------------------------------------------
def test_hard_prompts_starve():
    """'with p ≪ 1 a correct answer's logit moves by about p√(G−1), not √p'."""
    for G in (4, 8, 32):
        a_plus, _ = rlvr.group_advantage_means(1e-4, G)
        move = 1e-4 * a_plus
        assert abs(move / (1e-4 * np.sqrt(G - 1)) - 1) < 0.01
        assert move < 0.1 * np.sqrt(1e-4)


def test_rich_get_richer_among_correct_answers():
    """'among correct answers Δθ_y ∝ π_y'."""
    pi = np.array([0.4, 0.1, 0.3, 0.2])
    r = np.array([1.0, 1.0, 0.0, 0.0])
    g = rlvr.grpo_expected_update(np.log(pi), r, 8)
    assert np.isclose(g[0] / pi[0], g[1] / pi[1])


def test_entropy_bonus_lifts_every_answer_below_minus_h():
    """'the bonus gradient −π_y(log π_y + H) lifts every answer with log π_y < −H'."""
    rng = np.random.default_rng(3)
    th = rng.normal(0, 2, 50)
    pi = np.exp(th - np.logaddexp.reduce(th))
    H = -(pi * np.log(pi)).sum()
    g = rlvr.entropy_bonus_grad(th)
    assert ((g > 0) == (np.log(pi) < -H)).all()


# -- Explore 1 -----------------------------------------------------------------------------------
def test_pass1_rises_then_stalls_while_pass256_falls(run):
    p = run["passk"]
    assert p[200, 0] > p[0, 0] + 0.3
    assert p[50, 0] > p[0, 0] + 0.3                 # "quickly"
    assert p[200, 0] - p[100, 0] < 0.01              # "then stalls"
    assert p[200, 2] < p[0, 2] - 0.1                 # pass@256 falls
    assert run["policies"][200, -1] < run["policies"][0, -1] / 10   # the spark loses its mass


def test_entropy_falls_by_more_than_ten_and_keeps_falling(run):
    H = run["H"]
    assert H[200] < H[0] / 10
    assert H[200] < H[100] < H[50]                   # after pass@1 has stopped moving
    top = int(np.argmax(H))
    assert 0 < top < 20                               # "first rises for a few steps"
    assert (np.diff(H[top:]) < 0).all()               # then keeps falling
    # the likely strategy that solves only the easiest prompts is pushed down at the start
    assert run["policies"][top, 0] < run["policies"][0, 0]


def test_covariance_law_sign_and_gap_growing_with_lr():
    """'the covariance law has the sign of the exact change at (almost) every step; the gap grows
    with the learning rate'."""
    for g in views.T2_GROUPS:
        gaps = []
        for lr in views.T2_LRS:
            r = views.training_run(g, lr)
            assert (np.sign(r["dH1"]) == np.sign(r["dH"])).mean() >= 0.99
            gaps.append(np.abs(r["dH1"] - r["dH"]).max())
        assert np.all(np.diff(gaps) > 0)
    assert (np.sign(views.training_run(8, 1.0)["dH1"]) == np.sign(views.training_run(8, 1.0)["dH"])).all()


def test_larger_groups_converge_to_almost_the_same_place():
    finals = np.array([views.training_run(g, 1.0)["passk"][-1] for g in views.T2_GROUPS[1:]])
    assert np.ptp(finals[:, 0]) < 0.01


def test_sampled_run_wanders_around_the_exact_one(run):
    for seed in range(3):
        s = views.training_run(8, 1.0, seed=seed)
        assert abs(s["passk"][-1, 0] - run["passk"][-1, 0]) < 0.05


# -- Explore 2 -----------------------------------------------------------------------------------
def test_crossover_flat_trained_curve_and_base_wins_beyond(run):
    base, tr = run["pc"][0], run["pc"][-1]
    ks = np.arange(1, 1025)
    pb, pt = rlvr.pass_at_k(base, ks), rlvr.pass_at_k(tr, ks)
    assert pt[0] - pb[0] > 0.3                        # wins by a wide margin at k = 1
    assert pt[-1] - pt[0] < 0.05 < 0.5 < pb[-1] - pb[0]   # much flatter
    kx = rlvr.crossover_k(base, tr)
    assert 8 <= kx <= 32                              # "a moderate k"
    assert (pb[kx - 1:] > pt[kx - 1:]).all()          # wins at every larger one


def test_easy_prompts_to_certainty_hardest_lose_their_mass(run):
    d = rlvr.toy_t2().info["d"]
    base, tr = run["pc"][0], run["pc"][-1]
    assert (tr[d < 0.3] > 0.99).all()
    hard = d >= 0.85
    assert (tr[hard] < base[hard] / 10).all()


def test_estimator_spread_and_plugin_bias(run):
    base, tr = run["pc"][0], run["pc"][-1]
    sb = rlvr.pass_at_k_spread(base, 16, np.array([1, 8, 16]))
    st = rlvr.pass_at_k_spread(tr, 16, np.array([1, 8, 16]))
    bias_b = sb["true"] - sb["plugin_mean"]
    bias_t = st["true"] - st["plugin_mean"]
    assert (bias_b[1:] > 0).all() and (bias_t[1:] > 0).all()   # biased low
    assert (bias_b[1:] > 10 * bias_t[1:]).all()                  # more so for the base model
    s64 = rlvr.pass_at_k_spread(base, 64, np.array([1, 8, 64]))
    assert s64["unbiased_sd"][2] > s64["unbiased_sd"][1] > s64["unbiased_sd"][0]
    assert np.allclose(sb["unbiased_mean"], sb["true"], atol=1e-12)


def test_own_softmax_per_prompt_every_exact_step_raises_every_p():
    """'[derived here] with its own softmax per prompt, every exact small GRPO step raises p_j'."""
    rng = np.random.default_rng(11)
    for _ in range(50):
        K = int(rng.integers(3, 9))
        th = rng.normal(0, 2, K)
        r = (rng.random(K) < 0.4).astype(float)
        if r.sum() in (0, K):
            continue
        pi = np.exp(th - np.logaddexp.reduce(th))
        g = rlvr.grpo_expected_update(th, r, int(rng.integers(2, 33)))
        th2 = th + 1e-3 * g
        pi2 = np.exp(th2 - np.logaddexp.reduce(th2))
        assert pi2 @ r >= pi @ r - 1e-15


# -- Explore 3 -----------------------------------------------------------------------------------
@pytest.mark.parametrize("beta", views.SUPPORT_BETAS)
def test_reverse_never_leaves_support_forward_does(beta):
    toy = rlvr.toy_t1(hole="zero", rewards="hard")
    rev = rlvr.regularized_optimum(toy.p_ref, toy.rewards[0], beta, "reverse_kl")
    fwd = rlvr.regularized_optimum(toy.p_ref, toy.rewards[0], beta, "forward_kl")
    assert rev[-1] == 0.0
    if beta < 1:
        assert np.isclose(fwd[-1], 1 - beta, atol=1e-9)
    easy = rlvr.toy_t1(hole="zero", rewards="easy")
    fe = rlvr.regularized_optimum(easy.p_ref, easy.rewards[0], beta, "forward_kl")
    assert fe[-1] == 0.0                              # a correct answer inside: a tie


def test_training_from_pi_ref_does_not_find_f():
    for div in ("reverse_kl", "forward_kl"):
        for beta in (0.05, 0.25, 1.0, 10.0):
            z = views.support_run("zero", "hard", beta, div)
            assert (z["policies"][:, -1] == 0.0).all()             # exactly 0
            t = views.support_run("tiny", "hard", beta, div)
            assert t["policies"][:, -1].max() < 2e-6                # stays near 1e-6
            if div == "forward_kl" and beta < 1:                    # the optimum allows 1 − β
                assert np.isclose(t["opt"][-1], 1 - beta, atol=1e-4)
            n = views.support_run("none", "hard", beta, div)
            if beta <= 0.25:
                assert n["policies"][-1, -1] > 0.85                 # a visible mass is found
            else:                                                   # "a large β holds it back"
                assert n["policies"][-1, -1] < (0.6 if beta == 1.0 else 0.1)


# -- Explore 5 -----------------------------------------------------------------------------------
def test_forward_kd_several_times_sooner():
    hits = {kd: views.t3_run(kd, 0.2, 1.0)["hit"] for kd in ("none", "k2", "k3")}
    assert hits == {"none": 196, "k2": 137, "k3": 21}
    assert 5 * hits["k3"] < hits["k2"] < hits["none"]


def test_reverse_kd_pull_is_proportional_to_own_mass():
    """'the reverse-KL pull on y is π_y(ℓ_y − KL)': a student with 10× less mass on y is pulled
    (in θ_y) about 10× less, the forward pull is not."""
    teacher = np.log([0.5, 0.5])
    for p in (1e-3, 1e-4):
        th = np.log([p, 1 - p])
        rev = -rlvr.kl_grad(th, teacher, "k2", "loss")[0]
        fwd = -rlvr.kl_grad(th, teacher, "k3", "loss")[0]
        assert rev < 20 * p and fwd > 0.4


def test_forward_keeps_more_pass256_and_grpo_path_above_both(run):
    tab = views.frontier_table()
    assert (tab["forward_kl"]["matched_pass"][:, 1] > tab["reverse_kl"]["matched_pass"][:, 1]).all()
    # "so the spark survives": more spark mass under forward KL at every matched pass@1
    assert (tab["forward_kl"]["matched_policies"][:, -1] > tab["reverse_kl"]["matched_policies"][:, -1]).all()
    for div in ("reverse_kl", "forward_kl"):
        f = tab[div]["frontier"]
        o = np.argsort(f[:, 0])
        curve = np.interp(run["passk"][:, 0], f[o, 0], f[o, 1])
        assert (run["passk"][:, 2] > curve).all()


def test_forward_kl_training_runs_sit_above_reverse_ones():
    """'the forward-KL runs sit above the reverse-KL runs, by less' (than the optima)."""
    rv, fw = views.kl_run_endpoints("reverse_kl"), views.kl_run_endpoints("forward_kl")
    o = np.argsort(rv[:, 0])
    inside = (fw[:, 0] >= rv[:, 0].min()) & (fw[:, 0] <= rv[:, 0].max())
    assert inside.sum() >= 6
    gap = fw[inside, 1] - np.interp(fw[inside, 0], rv[o, 0], rv[o, 1])
    assert (gap > 0).all()
    m = views.frontier_table()
    assert gap.max() < (m["forward_kl"]["matched_pass"][:, 1] - m["reverse_kl"]["matched_pass"][:, 1]).max()


def test_rehearsal_gradient_is_sft_on_base_samples():
    """'∇KL(π_ref‖π) = −E_{y∼π_ref}∇log π(y)': k3-loss equals π − π_ref."""
    rng = np.random.default_rng(2)
    th, ref = rng.normal(size=6), rng.normal(size=6)
    pi = np.exp(th - np.logaddexp.reduce(th))
    p_ref = np.exp(ref - np.logaddexp.reduce(ref))
    sft = -(p_ref[:, None] * (np.eye(6) - pi[None, :])).sum(0)
    assert np.allclose(rlvr.kl_grad(th, ref, "k3", "loss"), sft, atol=1e-12)


# -- Explore 6 -----------------------------------------------------------------------------------
def test_unmasked_bonus_floods_masked_does_not():
    flood = views.fix_run("bonus", alpha=0.5, top_p=1.0)
    assert flood["junk"][-1] > 0.5 and flood["pc"][-1] < 0.2
    wide = views.fix_run("bonus", alpha=1.0, top_p=0.95)
    tight = views.fix_run("bonus", alpha=1.0, top_p=0.905)
    assert wide["junk"][-1] > 0.5 and tight["junk"][-1] < 0.01 and tight["pc"][-1] > 0.9


def test_reward_placed_k2_k3_drive_both_kls_up_from_any_t_above_zero():
    for t in views.TILTS:
        tab = views.placement_table(t)
        for c in (("k2", "reward"), ("k3", "reward")):
            r, f = tab["runs"][c]["rkl"], tab["runs"][c]["fkl"]
            if t == 0.0:
                assert r.max() < 1e-12 and f.max() < 1e-12          # at rest at π = π_ref
            else:
                assert r[-1] > r[0] and f[-1] > f[0]


def test_lp_reg_cannot_stop_collapse_positive_only_is_slower():
    grpo = views.fix_run("grpo")
    lp = views.fix_run("lp_reg", alpha=0.5, tau=1e-3)
    pos = views.fix_run("positive")
    assert lp["H"][-1] < lp["H"][0] / 10 and lp["H"][-1] < 2 * grpo["H"][-1]
    assert lp["junk"][-1] < 0.01
    assert pos["H"][-1] > 5 * grpo["H"][-1]
