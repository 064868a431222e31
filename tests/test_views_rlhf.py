"""The RLHF explorers show the numbers kitlib.rlhf computes and refuse bad values. The sweep of
every control over its range and the corners of the parameter box is tests/test_views.py's,
which covers every registered explorer."""

import numpy as np

from kitlib import rlhf
from kitlib.figures import drawn_texts
from kitlib.tables import rlhf as tables
from kitlib.views import rlhf as views

NAMES = sorted(views.EXPLORERS)


def test_registry_names_and_factories():
    assert set(NAMES) == {"rlhf.frontier", "rlhf.best_of_n", "rlhf.f_divergences", "rlhf.diversity",
                          "rlhf.training", "rlhf.goodhart", "rlhf.memoryless"}
    for name in NAMES:
        assert callable(views.EXPLORERS[name])


def _text(ex, needle):
    return next(t for t in drawn_texts(ex.fig) if needle in t)


def test_frontier_reads_out_the_worked_numbers(built):
    ex = built["rlhf.frontier"]
    ex.set(beta=1.0, peakedness=1.0, reward="gaussian")
    toy = tables.lm_toy(peakedness=1.0, reward="gaussian")
    p, r = toy["p_ref"], toy["rewards"]
    f = rlhf.frontier(p, r, [1.0])
    assert f"R  = {f.reward[0]:.4f}" in _text(ex, "R  =")


def test_best_of_n_readout_is_exact_and_below_the_bound(built):
    ex = built["rlhf.best_of_n"]
    ex.set(N=100.0, ties_by_identity=False, reward="levels")
    toy = tables.lm_toy(peakedness=1.0, reward="levels")
    p, r = toy["p_ref"], toy["rewards"]
    b = rlhf.best_of_n(p, r, 100)
    txt = _text(ex, "exact KL =")
    assert f"exact KL = {b.kl:.4f}" in txt and b.kl < b.kl_bound


def test_training_points_land_where_theory_says():
    pre = tables.training()
    assert np.abs(pre["k1"][:, 1] - pre["theory"][:, 1]).max() < 0.05
    # k3-as-loss sits below the reverse-KL frontier at its own KL
    p, r = pre["p_ref"], pre["rewards"]
    for kl, rew in pre["k3"]:
        assert rew <= rlhf.kl_budget_policy(p, r, kl).reward + 1e-3
    err = np.abs(pre["dpo"][:, 2, 1] - pre["theory"][2, 1])
    assert err[-1] < err[0]


def test_importing_the_views_does_not_import_torch():
    import subprocess
    import sys

    code = "import sys, kitlib.views.rlhf; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_vanilla_policy_gradient_runs_below_the_frontier():
    pre = tables.training()
    p, r = pre["p_ref"], pre["rewards"]
    for kl, rew in list(zip(pre["van_kl"], pre["van_R"]))[10::100]:
        assert rew <= rlhf.kl_budget_policy(p, r, kl).reward + 1e-12


def test_readouts_are_marked_for_the_text_mirror(built):
    """Every explorer's readout uses the shared readout box (gid "readout", mirrored as text)."""
    for name in NAMES:
        gids = [t.get_gid() for ax in built[name].fig.axes for t in ax.texts]
        assert "readout" in gids, name


def test_diversity_rows_use_the_numerics_entropy_and_distinct_counts():
    from kitlib.tables import rlhf as tables

    row = tables.diversity()[tables.diversity_key(0.0, target=0.5, divergence="js")]
    p, correct, proxy = tables.prompts(0.0)
    pol = rlhf.f_regularized_batch(p, proxy, row["beta"], "js")
    assert row["H"] == np.mean([rlhf.entropy(q) for q in pol])
    assert row["dist"] == np.mean([rlhf.expected_distinct(q, 8) for q in pol])
