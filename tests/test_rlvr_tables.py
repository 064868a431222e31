"""The tables of notebook 05 (kitlib.tables.rlvr) hold what their docstrings say: shapes along
the explorers' grids, the documented codes for missing values, and the numbers kitlib.rlvr gives
for the same settings. (That shipped files equal a fresh computation is tests/test_tables.py's.)"""

import numpy as np
import pytest

from kitlib import rlvr
from kitlib.tables import rlvr as T


def test_training_is_stacked_along_the_sliders():
    tab = T.training()
    nG, nL, S = len(T.T2_GROUPS), len(T.T2_LRS), T.T2_STEPS
    assert tab["exact"]["passk"].shape == (nG, nL, S + 1, len(T.PASS_KS))
    assert tab["exact"]["dH"].shape == (nG, nL, S)
    assert tab["sampled"]["H"].shape == (len(T.SAMPLED_SEEDS), S + 1)
    # the (G = 8, lr = 1) slot is the notebook's default run, t2_run()
    i, j = T.T2_GROUPS.index(8), T.T2_LRS.index(1.0)
    run = T.t2_run()
    np.testing.assert_array_equal(tab["exact"]["passk"][i, j], run["passk"])
    np.testing.assert_array_equal(tab["exact"]["spark"][i, j], run["policies"][:, -1])
    with pytest.raises(ValueError):            # tables are read-only: copy before changing
        run["H"][0] = 0.0


def test_pass_at_k_table_codes_missing_values():
    tab = T.pass_at_k_table()
    sp = tab["spread"]
    k, n = sp["k"][None, :], sp["budgets"][:, None]
    assert np.isnan(sp["base_mean"][k > n]).all() and np.isfinite(sp["base_mean"][k <= n]).all()
    b8 = T.BUDGETS.index(8)
    assert np.isnan(sp["trained_sd"][:, b8][:, sp["k"] > 8]).all()
    # step 0 is the base model itself: no crossover (−1, NaN); at step 200 the base wins from 15
    assert tab["cross"][0] == -1 and np.isnan(tab["cross_pass"][0])
    last = T.CHECKPOINTS.index(200)
    assert tab["cross"][last] == rlvr.crossover_k(tab["pc_base"], tab["pc"][last], k_max=1024) == 15
    assert tab["cross_pass"][last] == pytest.approx(float(rlvr.pass_at_k(tab["pc_base"], 15)))
    exact = rlvr.pass_at_k_spread(tab["pc"][last], 64, np.array([1, 2, 4, 8, 16, 32, 64]))
    b = T.BUDGETS.index(64)
    np.testing.assert_allclose(sp["trained_sd"][last, b, :7], exact["unbiased_sd"], rtol=1e-12)


def test_t3_runs_code_never_as_minus_one_and_grpo_alone_ignores_beta():
    tab = T.t3_runs()
    assert tab["none"]["hit"].shape == (len(T.KD_BETAS), len(T.KD_LRS))
    assert (tab["none"]["p"] == tab["none"]["p"][:1]).all()       # same run at every β
    assert tab["k3"]["hit"][T.KD_BETAS.index(0.2), T.KD_LRS.index(1.0)] == 21
    assert tab["none"]["hit"][0, T.KD_LRS.index(0.5)] == -1       # lr 0.5: not within 300 steps


def test_placement_verdicts_are_the_numerics_verdicts():
    tab = T.placement()
    assert tab["verdict"].shape == (len(T.TILTS), len(T.KL_COMBOS))
    i = T.TILTS.index(0.0)                     # at π = π_ref both KLs have zero gradient
    assert set(tab["verdict"][i]) == {"nothing (its expected gradient is 0)"}
    for n, c in enumerate(T.KL_COMBOS):
        assert tab["verdict"][3, n] == rlvr.kl_term_optimises(tab["g"][3, n], tab["rkl"][3], tab["fkl"][3])


def test_kl_term_optimises_names_each_case_and_refuses_bad_input():
    r, f = np.array([0.2, -0.1, -0.1]), np.array([0.1, 0.0, -0.1])
    assert rlvr.kl_term_optimises(r, r, f) == "reverse KL(π‖π_ref)"
    assert rlvr.kl_term_optimises(f, r, f) == "forward KL(π_ref‖π)"
    assert rlvr.kl_term_optimises(r - f, r, f) == "reverse − forward KL"
    assert rlvr.kl_term_optimises(0 * r, r, f) == "nothing (its expected gradient is 0)"
    assert rlvr.kl_term_optimises(r, r, r) == "both KLs (π = π_ref)"
    assert rlvr.kl_term_optimises(np.array([1.0, 0.0, -1.0]), r, f) == "neither KL"
    with pytest.raises(ValueError, match="grad_forward"):
        rlvr.kl_term_optimises(r, r, f[:2])
    with pytest.raises(ValueError, match="rtol"):
        rlvr.kl_term_optimises(r, r, f, rtol=-1.0)


def test_support_runs_follow_the_reward_set():
    hard, easy = T.support_runs(hole="zero", rewards="hard"), T.support_runs(hole="zero", rewards="easy")
    nb = len(T.SUPPORT_BETAS)
    assert hard["forward_kl"]["policies"].shape == (nb, T.SUPPORT_STEPS + 1, 6)
    # only F correct: p_correct is π(F) (exactly 0 from a hole); with A, C, F correct it is not
    np.testing.assert_array_equal(hard["reverse_kl"]["p_correct"], hard["reverse_kl"]["policies"][..., -1])
    assert (hard["reverse_kl"]["p_correct"] == 0).all()
    np.testing.assert_allclose(easy["reverse_kl"]["p_correct"][:, 0], 0.40 + 0.15)   # π_ref(A) + π_ref(C)
    assert rlvr.toy_t1(rewards="hard").labels == ("A", "B", "C", "D", "E", "F✓ (rare)")
