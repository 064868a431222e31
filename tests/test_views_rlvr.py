"""The RLVR explorers (notebook 05) show the numbers kitlib.rlvr computes. The sweep of every
control over its range and the corners of the parameter box is tests/test_views.py's, which covers
every registered explorer."""

import numpy as np

from kitlib import rlvr
from kitlib.figures import drawn_texts
from kitlib.views import rlvr as views

NAMES = sorted(views.EXPLORERS)


def test_registry_names_and_factories():
    assert set(NAMES) == {"rlvr.training", "rlvr.pass_at_k", "rlvr.support", "rlvr.kl_placement",
                          "rlvr.distill_rehearsal", "rlvr.entropy_fixes"}
    from kitlib.views import EXPLORERS

    assert set(NAMES) <= set(EXPLORERS)


def _text(ex, needle):
    return next(t for t in drawn_texts(ex.fig) if needle in t)


def test_training_readout_is_the_trajectory(built):
    ex = built["rlvr.training"]
    ex.set(group_size=8, lr=1.0, step=200, sampled=-1)
    toy = rlvr.toy_t2()
    tr = rlvr.grpo_train(toy.logits, toy.rewards, steps=200, group_size=8, lr=1.0)
    pk = tr.pass_at_k(np.array([1, 16, 256]))[-1]
    txt = _text(ex, "pass@1")
    assert f"pass@1 {pk[0]:.3f}  @16 {pk[1]:.3f}  @256 {pk[2]:.3f}" in txt
    assert f"H = {tr.entropy[-1]:.3f}" in txt
    j = 199
    assert f"exact ΔH {tr.dH_exact[j]:+.2e}" in _text(ex, "exact ΔH")
    # the brief's worked numbers, read off the explorer
    assert "pass@1 0.848  @16 0.851  @256 0.861" in txt


def test_training_sampled_run_is_drawn_and_seeded(built):
    ex = built["rlvr.training"]
    ex.set(sampled=1, group_size=8, lr=1.0)
    assert "sampled (seed 1)" in _text(ex, "pass@1")
    a = views.training_run(8, 1.0, seed=1)["passk"]
    b = views.training_run(8, 1.0, seed=2)["passk"]
    assert not np.allclose(a, b)          # seeds differ
    ex.set(sampled=-1)


def test_pass_at_k_readout_and_crossover(built):
    ex = built["rlvr.pass_at_k"]
    ex.set(step=200, n=64, show_plugin=True)
    run = views.t2_run(group_size=8, lr=1.0)
    k_x = rlvr.crossover_k(run["pc"][0], run["pc"][-1])
    assert k_x == 15
    txt = _text(ex, "base wins")
    assert f"base wins from k = {k_x}" in txt
    sp = rlvr.pass_at_k_spread(run["pc"][0], 64, 64)
    assert f"base {sp['unbiased_sd']:.3f}" in txt
    # at step 0 nothing has changed: no crossover
    ex.set(step=0)
    assert "none up to k = 1024" in _text(ex, "none up to")
    ex.set(step=200)


def test_support_readout_and_optima(built):
    ex = built["rlvr.support"]
    ex.set(beta=0.25, hole="zero", rewards="hard")
    txt = _text(ex, "mass outside")
    hard = rlvr.toy_t1(hole="zero", rewards="hard")
    assert hard.rewards[0].tolist() == [0, 0, 0, 0, 0, 1]
    fwd = rlvr.regularized_optimum(hard.p_ref, hard.rewards[0], 0.25, "forward_kl")
    assert np.isclose(fwd[-1], 0.75)
    assert f"mass outside   0.000     {fwd[-1]:.3f}" in txt
    assert "π(F) trained  0 (exactly) / 0 (exactly)" in txt


def test_support_tick_marks_follow_the_reward_set(built):
    """✓ marks the correct answers on the x axis: only F in the hard set, A, C and F in the easy one."""
    ex = built["rlvr.support"]
    ax = ex.fig.axes[0]

    def ticked():
        return [t.get_text() for t in ax.get_xticklabels() if "✓" in t.get_text()]

    ex.set(rewards="hard")
    assert ticked() == ["F✓ (rare)"]
    ex.set(rewards="easy")
    assert ticked() == ["A✓", "C✓", "F✓ (rare)"]
    ex.set(rewards="hard")
    assert ticked() == ["F✓ (rare)"]


def test_placement_verdicts_match_the_derivation():
    tab = views.placement_table(1.5)
    verdicts = {c: rlvr.kl_term_optimises(tab["g"][c], tab["rkl"], tab["fkl"]) for c in views.KL_COMBOS}
    assert verdicts == tab["verdict"]          # the table stores what the numerics say
    assert verdicts[("k1", "reward")].startswith("reverse")
    assert verdicts[("k2", "loss")].startswith("reverse")
    assert verdicts[("k3", "loss")].startswith("forward")
    assert verdicts[("k1", "loss")].startswith("nothing")
    assert verdicts[("k3", "reward")].startswith("reverse − forward")
    assert verdicts[("k2", "reward")] == "neither KL"
    # descending the reverse-KL placements drives RKL to 0; k1-loss does not move
    for c in (("k1", "reward"), ("k2", "loss"), ("k3", "loss")):
        assert tab["runs"][c]["rkl"][-1] < 1e-6 and tab["runs"][c]["fkl"][-1] < 1e-6
    assert np.ptp(tab["runs"][("k1", "loss")]["rkl"]) == 0.0
    # "placed in the reward, k2 and k3 drive both KLs up" (notebook prose)
    for c in (("k2", "reward"), ("k3", "reward")):
        assert tab["runs"][c]["rkl"][-1] > tab["runs"][c]["rkl"][0]
        assert tab["runs"][c]["fkl"][-1] > tab["runs"][c]["fkl"][0]


def test_placement_readout(built):
    ex = built["rlvr.kl_placement"]
    ex.set(estimator="k3", placement="loss", t=1.5)
    assert "descends: forward KL(π_ref‖π)" in _text(ex, "descends")
    ex.set(estimator="k1", placement="loss")
    assert "descends: nothing" in _text(ex, "descends")


def test_distill_readout_reproduces_the_brief(built):
    ex = built["rlvr.distill_rehearsal"]
    ex.set(kd_beta=0.2, lr=1.0, pass1=0.75)
    txt = _text(ex, "steps to p")
    for kd, hit in (("none", 196), ("k2", 137), ("k3", 21)):
        assert views.t3_run(kd, 0.2, 1.0)["hit"] == hit
        assert f"{views.KD_SHORT[kd]:<12s} {hit:>7}" in txt
    txt_f = _text(ex, "matched pass@1")
    assert "pass@256   0.863    0.934" in txt_f


def test_entropy_fixes_readout(built):
    ex = built["rlvr.entropy_fixes"]
    ex.set(alpha=0.5, top_p=1.0, tau=1e-3)
    r = views.fix_run("bonus", alpha=0.5, top_p=1.0)
    assert f"bonus     {r['pc'][-1]:6.3f} {r['junk'][-1]:9.2e}" in _text(ex, "step 200")


def test_importing_the_views_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, kitlib.views.rlvr; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_fixed_axis_limits_contain_every_precomputed_run():
    """The explorers use fixed limits (no re-render on a slider step): the data must fit."""
    for g in views.T2_GROUPS:
        for lr in views.T2_LRS:
            r = views.training_run(g, lr)
            x = np.r_[r["dH"], r["dH1"]] / lr
            assert -0.08 < x.min() and x.max() < 0.06
            assert r["passk"].min() > 0.4
    for s in views.SAMPLED_SEEDS:
        assert views.training_run(8, 1.0, seed=s)["passk"].min() > 0.4
    for t in views.TILTS:
        tab = views.placement_table(t)
        for c in views.KL_COMBOS:
            assert np.abs(np.r_[tab["g"][c], tab["rkl"], tab["fkl"]]).max() < 0.3
    runs = [views.fix_run("grpo"), views.fix_run("positive")]
    runs += [views.fix_run("bonus", alpha=a, top_p=tp) for a in views.ALPHAS for tp in views.TOP_PS]
    runs += [views.fix_run("lp_reg", alpha=a, tau=tau) for a in views.ALPHAS for tau in views.TAUS]
    for r in runs:
        assert 1e-3 < r["H"].min() and r["H"].max() < 10.0


def test_view_runs_index_the_same_numbers_as_a_fresh_training_run():
    """The stacked tables hold, at each grid point, exactly the run kitlib.rlvr computes."""
    toy = rlvr.toy_t2()
    tr = rlvr.grpo_train(toy.logits, toy.rewards, steps=200, group_size=4, lr=0.5)
    r = views.training_run(4, 0.5)
    np.testing.assert_array_equal(r["H"], tr.entropy)
    np.testing.assert_array_equal(r["spark"], tr.policies[:, -1])
    t1 = rlvr.toy_t1(hole="tiny", rewards="easy")
    tr1 = rlvr.grpo_train(t1.logits, t1.rewards, steps=views.SUPPORT_STEPS, group_size=8, lr=1.0,
                          kl_coef=0.37, kl_estimator="k3", kl_placement="loss")
    np.testing.assert_array_equal(views.support_run("tiny", "easy", 0.37, "forward_kl")["policies"],
                                  tr1.policies)
    junk = rlvr.toy_entropy_explosion()
    tr2 = rlvr.grpo_train(junk.logits, junk.rewards, steps=200, group_size=8, lr=1.0, lp_coef=0.25,
                          lp_tau=1e-2)
    np.testing.assert_array_equal(views.fix_run("lp_reg", alpha=0.25, tau=1e-2)["pc"], tr2.policies[:, 0])
    assert views.fix_run("bonus", alpha=0.0, top_p=0.9)["pc"].tolist() == views.fix_run("grpo")["pc"].tolist()
