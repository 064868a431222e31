"""Unit tests for kitlib.ib against exact oracles: the binary symmetric source's parametric curve,
the critical β, Gaussian IB against a direct optimisation over the encoder matrix, brute-force
deterministic IB, and the sample estimators against Gaussian / mixture truths."""

import math
import subprocess
import sys

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import minimize

from kitlib import ib

BSS = ib.binary_symmetric_source(0.1)


def _random_table(nx, ny, seed):
    p = np.random.default_rng(seed).random((nx, ny)) ** 3
    return p / p.sum()


# ---- basic quantities and validation -------------------------------------------------------
def test_mutual_information_of_the_binary_symmetric_source():
    assert ib.mutual_information(BSS) == pytest.approx(0.368064, abs=1e-6)
    assert ib.mutual_information(np.outer([0.3, 0.7], [0.2, 0.5, 0.3])) == pytest.approx(0.0, abs=1e-15)
    assert ib.mutual_information(np.diag([0.25] * 4)) == pytest.approx(math.log(4))


def test_critical_beta_of_the_binary_symmetric_source():
    assert ib.critical_beta(BSS) == pytest.approx(1.5625)
    assert ib.critical_beta(np.outer([0.5, 0.5], [0.5, 0.5])) == math.inf


@pytest.mark.parametrize("bad, match", [
    ([[0.6, -0.1], [0.25, 0.25]], ">= 0"),
    ([[0.5, 0.5], [0.5, 0.5]], "sum to 1"),
    ([0.5, 0.5], "2-D"),
])
def test_invalid_tables_raise(bad, match):
    with pytest.raises(ValueError, match="pxy"):
        ib.mutual_information(bad)
    with pytest.raises(ValueError, match=match):
        ib.ib_curve(bad, [1.0])


@pytest.mark.parametrize("betas", [[0.0], [-1.0, 2.0], [np.nan]])
def test_non_positive_beta_raises(betas):
    with pytest.raises(ValueError, match="betas"):
        ib.ib_curve(BSS, betas)
    with pytest.raises(ValueError, match="betas"):
        ib.gaussian_ib(*ib.canonical_covariances([0.5]), betas)


def test_non_positive_definite_covariance_raises():
    with pytest.raises(ValueError, match="cov_x must be positive definite"):
        ib.gaussian_ib([[1.0, 2.0], [2.0, 1.0]], np.zeros((2, 1)), [[1.0]], [2.0])
    with pytest.raises(ValueError, match="joint covariance"):  # |correlation| > 1
        ib.gaussian_ib([[1.0]], [[1.5]], [[1.0]], [2.0])
    with pytest.raises(ValueError, match="sigma"):
        ib.kolchinsky_tracey_bounds(np.zeros((3, 1)), 0.0)


# ---- discrete IB -----------------------------------------------------------------------------
def test_binary_symmetric_source_matches_its_parametric_curve():
    delta = np.linspace(0.02, 0.45, 12)  # near beta_1 convergence slows down (critical slowing)
    beta, i_x, i_y = ib.bss_curve(0.1, delta)
    curve = ib.ib_curve(BSS, beta, n_restarts=2, n_iter=5000, tol=1e-12)
    np.testing.assert_allclose(curve.I_XT, i_x, atol=2e-4)
    np.testing.assert_allclose(curve.I_TY, i_y, atol=2e-4)


def test_trivial_below_critical_beta_and_full_information_at_large_beta():
    betas = np.array([0.3, 0.9, 1.2, 1.5, 1.55, 200.0])
    c = ib.ib_curve(BSS, betas)
    assert np.all(c.I_XT[:-1] < 1e-6)
    assert c.I_TY[-1] == pytest.approx(ib.mutual_information(BSS), abs=1e-3)
    p = _random_table(6, 5, 3)
    c = ib.ib_curve(p, [0.5, 0.99, 500.0])  # I(T;Y) <= I(T;X) makes T trivial for every beta <= 1
    assert np.all(c.I_XT[:2] < 1e-6)
    assert c.I_TY[-1] == pytest.approx(ib.mutual_information(p), abs=1e-3)
    assert c.I_XT[-1] == pytest.approx(ib.entropy(p.sum(1)), abs=2e-2)


def test_optimal_curve_is_concave_and_each_point_is_globally_best():
    p = _random_table(8, 6, 7)
    betas = np.geomspace(1.0, 60.0, 60)
    c = ib.ib_curve(p, betas, seed=1)
    assert np.all(np.diff(c.I_XT) >= -1e-6) and np.all(np.diff(c.I_TY) >= -1e-6)
    # each point supports the whole curve with slope 1/beta: it is on the concave envelope
    L = c.I_XT[None, :] - betas[:, None] * c.I_TY[None, :]
    assert np.all(np.diag(L)[:, None] <= L + 1e-6)
    # chords: the curve lies above the chord between any two points
    x, y = c.I_XT, c.I_TY
    keep = np.r_[True, np.diff(x) > 1e-4]
    x, y = x[keep], y[keep]
    slopes = np.diff(y) / np.diff(x)
    assert np.all(np.diff(slopes) <= 1e-3)


def test_annealing_restarts_beat_forward_annealing_alone():
    p = _random_table(10, 10, 1)
    betas = np.geomspace(2.0, 50.0, 40)
    best = ib.ib_curve(p, betas)
    q = np.full((10, 10), 0.1)
    rng = np.random.default_rng(0)
    for b, L in zip(betas, best.lagrangian):
        q = ib.blahut_arimoto(p, b, np.clip(q * (1 + 0.02 * rng.standard_normal(q.shape)), 1e-12, None))
        assert L <= ib.ib_lagrangian(q, p, b) + 1e-7


def test_encoders_are_stochastic_matrices_and_reproduce_the_curve():
    p = _random_table(5, 4, 2)
    c = ib.ib_curve(p, [1.5, 4.0, 20.0])
    np.testing.assert_allclose(c.encoders.sum(-1), 1.0, atol=1e-9)
    for b, q, L in zip(c.betas, c.encoders, c.lagrangian):
        assert ib.ib_lagrangian(q, p, b) == pytest.approx(L, abs=1e-9)


def test_straight_segment_preset_jumps():
    # x0 (prob 0.1) alone produces y = 2: T = 1[X = 0] has I(T;X) = I(T;Y) = h(0.1)
    p = np.array([[0.0, 0.0, 0.1], [0.36, 0.09, 0.0], [0.09, 0.36, 0.0]])
    c = ib.ib_curve(p, [0.98, 1.05])
    h01 = -(0.1 * math.log(0.1) + 0.9 * math.log(0.9))
    assert c.I_XT[0] < 1e-6
    assert c.I_XT[1] == pytest.approx(h01, abs=1e-3) and c.I_TY[1] == pytest.approx(h01, abs=1e-3)
    assert ib.critical_beta(p) == pytest.approx(1.0)


# ---- Gaussian IB -----------------------------------------------------------------------------
def test_gaussian_critical_betas_example():
    g = ib.gaussian_ib(*ib.canonical_covariances([0.9, 0.6, 0.3]), [2.0])
    np.testing.assert_allclose(g.critical_betas, [1.234568, 2.777778, 11.111111], rtol=1e-6)
    assert g.I_XY == pytest.approx(-0.5 * np.log(1 - np.array([0.81, 0.36, 0.09])).sum())


def _general_gaussian(seed=0, rhos=(0.85, 0.5)):
    rng = np.random.default_rng(seed)
    n = len(rhos)
    Lx = rng.standard_normal((n, n)) + 2 * np.eye(n)
    Ly = rng.standard_normal((n, n)) + 2 * np.eye(n)
    cx = Lx @ Lx.T
    cy = Ly @ Ly.T
    cxy = Lx @ np.diag(rhos) @ Ly.T
    return cx, cxy, cy


def test_gaussian_ib_closed_form_against_direct_optimisation():
    cov = _general_gaussian()
    betas = np.array([1.5, 3.0, 8.0])
    g = ib.gaussian_ib(*cov, betas)
    np.testing.assert_allclose(g.critical_betas, 1 / np.array([0.85, 0.5]) ** 2, rtol=1e-9)
    rng = np.random.default_rng(0)
    for b, A, ix, iy in zip(betas, g.encoders, g.I_XT, g.I_TY):
        L_closed, ix_A, iy_A = ib.gaussian_ib_objective(A, *cov, b)
        assert ix_A == pytest.approx(ix, abs=1e-9) and iy_A == pytest.approx(iy, abs=1e-9)
        f = lambda a: ib.gaussian_ib_objective(a.reshape(2, 2), *cov, b)[0]  # noqa: E731
        best = min(minimize(f, rng.standard_normal(4), method="Nelder-Mead",
                            options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 4000}).fun
                   for _ in range(4))
        assert best >= L_closed - 1e-6
        assert best == pytest.approx(L_closed, abs=1e-4)


def test_gaussian_curve_formula_and_slope():
    g = ib.gaussian_ib(*ib.canonical_covariances([0.9, 0.6, 0.3]), np.geomspace(1.3, 1e4, 400))
    lam = g.lambdas
    for b, ix, iy, n in zip(g.betas, g.I_XT, g.I_TY, g.n_active):
        ln = lam[:n]
        pred = ix - n / 2 * np.log(np.prod(1 - ln) ** (1 / n) + np.exp(2 * ix / n) * np.prod(ln) ** (1 / n))
        assert iy == pytest.approx(pred, abs=1e-9)
    slope = np.gradient(g.I_TY, g.I_XT)
    np.testing.assert_allclose(slope[5:-5], 1 / g.betas[5:-5], rtol=2e-2)
    assert g.I_TY[-1] == pytest.approx(g.I_XY, abs=1e-3)


# ---- deterministic IB --------------------------------------------------------------------------
def test_deterministic_ib_matches_brute_force_over_partitions():
    p = _random_table(5, 3, 11)
    betas = np.array([0.5, 2.0, 5.0, 20.0])
    d = ib.deterministic_ib(p, betas, n_init=30)
    parts = np.array(list(_set_partitions(5)))
    hard = np.eye(5)[parts]  # one-hot encoders p(t|x) of every hard map, (52, |X|, |T|)
    _, i_ty, h_t = ib.encoder_information(hard, p)
    for b, h, i in zip(betas, d.H_T, d.I_TY):
        assert h - b * i == pytest.approx(np.min(h_t - b * i_ty), abs=1e-9)
    assert len(parts) == 52  # Bell number B5


def _set_partitions(n):
    """All set partitions of range(n) as label lists (restricted growth strings)."""
    def rec(prefix, m):
        if len(prefix) == n:
            yield prefix
            return
        for k in range(m + 1):
            yield from rec(prefix + [k], max(m, k + 1))
    yield from rec([0], 1)


def test_encoder_information_of_hard_and_trivial_encoders():
    """A hard encoder T = X keeps everything: I(X;T) = H(T) = H(X), I(T;Y) = I(X;Y); a trivial
    one keeps nothing; a stack gives the same numbers as one encoder at a time."""
    p = _random_table(4, 3, 5)
    hx = ib.entropy(p.sum(1))
    ix, iy, ht = ib.encoder_information(np.eye(4), p)
    assert ix == pytest.approx(hx) and ht == pytest.approx(hx)
    assert iy == pytest.approx(ib.mutual_information(p))
    assert ib.encoder_information(np.full((4, 2), 0.5), p) == pytest.approx((0.0, 0.0, math.log(2)))
    q = np.random.default_rng(0).dirichlet(np.ones(3), size=(2, 5, 4))
    stacked = ib.encoder_information(q, p)
    one = ib.encoder_information(q[1, 3], p)
    assert [a[1, 3] for a in stacked] == pytest.approx(list(one), rel=1e-12)
    assert np.all(stacked[1] <= stacked[0] + 1e-12) and np.all(stacked[0] <= stacked[2] + 1e-12)
    assert ib.ib_lagrangian(q[0, 0], p, 2.5) == pytest.approx(stacked[0][0, 0] - 2.5 * stacked[1][0, 0])
    with pytest.raises(ValueError, match=r"\bq\b.*shape"):
        ib.encoder_information(np.full((3, 2), 0.5), p)


# ---- estimators -----------------------------------------------------------------------------
def _gaussian_pair(rho, n, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return x, rho * x + math.sqrt(1 - rho * rho) * rng.standard_normal(n)


def test_ksg_within_sampling_error_of_gaussian_truth():
    truth = -0.5 * math.log(1 - 0.25)
    est = [ib.mi_ksg(*_gaussian_pair(0.5, 2000, s), k=3) for s in range(3)]
    assert abs(np.mean(est) - truth) < 0.02
    rng = np.random.default_rng(5)
    cov = np.array([[1, 0.3, 0.6, 0], [0.3, 1, 0, 0.5], [0.6, 0, 1, 0.2], [0, 0.5, 0.2, 1]])
    z = rng.multivariate_normal(np.zeros(4), cov, size=2000)
    assert ib.mi_ksg(z[:, :2], z[:, 2:]) == pytest.approx(ib.gaussian_mi(cov, 2), abs=0.04)


def test_binning_is_biased_upwards():
    x, y = _gaussian_pair(0.5, 2000, 0)
    assert ib.mi_binned(x, y, bins=30) > 0.2 > 0.1438


def test_kolchinsky_tracey_bounds_bracket_the_truth():
    h = np.array([[-1.0], [0.0], [0.3], [2.0], [2.1]])
    for sigma in (0.1, 0.5, 2.0):
        dens = lambda t: np.mean(np.exp(-(t - h[:, 0]) ** 2 / (2 * sigma**2))) / math.sqrt(2 * math.pi * sigma**2)  # noqa: E731
        ent = quad(lambda t: -dens(t) * math.log(max(dens(t), 1e-300)), -4 - 10 * sigma, 6 + 10 * sigma,
                   limit=400, points=list(h[:, 0]))[0]
        truth = ent - 0.5 * math.log(2 * math.pi * math.e * sigma**2)
        lo, up = ib.kolchinsky_tracey_bounds(h, sigma)
        assert lo - 1e-6 <= truth <= up + 1e-6
        assert up <= math.log(5) + 1e-12


def test_cauchy_schwarz_qmi_orders_dependence():
    rng = np.random.default_rng(0)
    x = rng.standard_normal(400)
    indep = ib.cauchy_schwarz_qmi(x, rng.standard_normal(400))
    dep = ib.cauchy_schwarz_qmi(x, x + 0.1 * rng.standard_normal(400))
    assert 0 <= indep < 0.02 < dep


def test_binned_layer_information_saturation_compresses():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 5))
    W = rng.standard_normal((5, 3))
    y = rng.integers(0, 2, 1000)
    vals = [ib.binned_layer_information(np.tanh(s * x @ W), y, n_bins=30, lo=-1, hi=1)[0] for s in (1, 10)]
    assert vals[0] == pytest.approx(6.4, abs=0.3) and vals[1] == pytest.approx(3.1, abs=0.4)
    assert max(vals) <= math.log(1000) + 1e-12


# ---- training -----------------------------------------------------------------------------
def test_symmetric_task_is_balanced_and_deterministic():
    X, y = ib.symmetric_task(n_inputs=12, seed=0)
    assert X.shape == (4096, 12) and y.sum() == 2048
    assert np.array_equal(y, ib.symmetric_task(n_inputs=12, seed=0)[1])


def test_training_records_every_layer_reproducibly():
    a = ib.train_information_plane(activation="relu", epochs=4, record_every=2, seed=3)
    b = ib.train_information_plane(activation="relu", epochs=4, record_every=2, seed=3)
    assert list(a.epochs) == [0, 2, 4]
    assert [l_.shape[2] for l_ in a.layers] == [10, 7, 5, 4, 3, 2]
    assert all(np.array_equal(u, v) for u, v in zip(a.layers, b.layers))
    assert a.layers[0].min() >= 0
    ix, iy = ib.binned_layer_information(a.layers[0][-1], a.labels, n_bins=30)
    assert 0 <= iy <= math.log(2) + 1e-12 and iy <= ix <= math.log(4096) + 1e-12
    with pytest.raises(ValueError, match="activation"):
        ib.train_information_plane(activation="sigmoid")


def test_importing_ib_does_not_import_torch_or_matplotlib():
    code = "import sys, kitlib.ib; print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_noisy_layer_information_limits():
    rng = np.random.default_rng(0)
    h = rng.standard_normal((200, 3))
    y = (h[:, 0] > 0).astype(int)
    ix_small, iy_small = ib.noisy_layer_information(h, y, sigma=1e-3)
    assert ix_small == pytest.approx(math.log(200), abs=1e-6)  # distinct points, tiny noise
    assert iy_small == pytest.approx(math.log(2), abs=0.01)
    ix_big, iy_big = ib.noisy_layer_information(h, y, sigma=100.0)
    assert ix_big < 1e-3 and iy_big < 1e-3
    lo, up = ib.kolchinsky_tracey_bounds(h, 0.5)
    assert ib.noisy_layer_information(h, y, sigma=0.5)[0] == pytest.approx(up)


def test_gaussian_curve_slope_is_continuous_and_curvature_jumps_at_each_critical_beta():
    """The curve is not kinked at β_i = 1/(1 − λ_i): finite differences of the curve itself show
    the same slope 1/β_i on both sides, while d²I(T;Y)/dI(X;T)² drops in size by n/(n + 1)."""
    cov = ib.canonical_covariances([0.9, 0.6, 0.3])
    crit = ib.gaussian_ib(*cov, [2.0]).critical_betas
    for i, bc in enumerate(crit[1:], start=1):  # n = i directions active just below bc
        sides = {}
        for side in (-1, 1):
            g = ib.gaussian_ib(*cov, bc * np.exp(side * np.array([1e-4, 2e-4, 3e-4])))
            d1 = np.diff(g.I_TY) / np.diff(g.I_XT)
            d2 = np.diff(d1)[0] / (0.5 * (g.I_XT[2] - g.I_XT[0]))
            sides[side] = (d1, d2)
        np.testing.assert_allclose(sides[-1][0], 1 / bc, rtol=1e-3)
        np.testing.assert_allclose(sides[1][0], 1 / bc, rtol=1e-3)
        assert sides[1][1] / sides[-1][1] == pytest.approx(i / (i + 1), rel=2e-3)
        slope, curv, n = ib.gaussian_ib_curvature(*cov, [bc * (1 - 1e-9), bc * (1 + 1e-9)])
        np.testing.assert_allclose(slope, 1 / bc, rtol=1e-8)
        assert list(n) == [i, i + 1]
        assert curv[1] / curv[0] == pytest.approx(i / (i + 1), rel=1e-6)
        assert sides[-1][1] == pytest.approx(curv[0], rel=2e-3)
    slope, curv, n = ib.gaussian_ib_curvature(*cov, [1.1, 1.3])
    assert n[0] == 0 and np.isnan(curv[0]) and curv[1] < 0

# ---- issue 17: wrong answers and bad input -----------------------------------------------------
def test_ksg_on_tied_data_matches_the_discrete_truth():
    """Tied samples (discrete data) used to give negative MI (−4.6 nats for X = Y a fair bit);
    with the documented jitter KSG recovers H(X) = log 2 and log 4, and ~0 when independent."""
    rng = np.random.default_rng(0)
    bit = rng.integers(0, 2, 2000).astype(float)
    assert ib.mi_ksg(bit, bit) == pytest.approx(math.log(2), abs=0.02)
    four = rng.integers(0, 4, 2000).astype(float)
    assert ib.mi_ksg(four, four) == pytest.approx(math.log(4), abs=0.05)
    other = rng.integers(0, 2, 2000).astype(float)
    assert abs(ib.mi_ksg(bit, other)) < 0.03
    assert ib.mi_ksg(bit, bit, seed=1) == pytest.approx(ib.mi_ksg(bit, bit, seed=1), abs=0)


def test_ksg_jitter_leaves_continuous_estimates_unchanged():
    rng = np.random.default_rng(3)
    a = rng.standard_normal(1500)
    b = 0.8 * a + 0.6 * rng.standard_normal(1500)
    assert ib.mi_ksg(a, b) == pytest.approx(ib.mi_ksg(a, b, jitter=0.0), abs=1e-12)


@pytest.mark.parametrize("call, name", [
    (lambda: ib.ib_lagrangian([[np.nan, 1.0], [0.5, 0.5]], BSS, 2.0), "q"),
    (lambda: ib.ib_lagrangian([[0.7, 0.7], [0.5, 0.5]], BSS, 2.0), "q"),  # a row sums to 1.4
    (lambda: ib.ib_lagrangian(np.full((3, 2), 0.5), BSS, 2.0), "q"),  # was an einsum error
    (lambda: ib.ib_lagrangian([[1.0, 0.0], [0.0, 1.0]], BSS, np.nan), "beta"),
    (lambda: ib.entropy([np.nan, 0.5]), "p"),  # was 0.347
    (lambda: ib.entropy(None), "p"),  # was -0.0
    (lambda: ib.ib_curve(BSS, [1.0], n_t=2.7), "n_t"),  # was truncated to 2
    (lambda: ib.ib_curve(BSS, [1.0], n_restarts=True), "n_restarts"),
    (lambda: ib.ib_curve(BSS, [1.0], seed=1.5), "seed"),  # was "SeedSequence expects int"
    (lambda: ib.mi_binned([0.0, 1.0, 2.0], [1.0, 0.0, 2.0], bins=2.5), "bins"),
    (lambda: ib.mi_ksg([0.0, 1.0, 2.0], [1.0, 0.0, 2.0], k=1.5), "k"),
    (lambda: ib.deterministic_ib(BSS, [1.0], n_init=-1), "n_init"),
    (lambda: ib.train_information_plane(widths=(0,), epochs=1), "widths"),  # was ZeroDivisionError
    (lambda: ib.train_information_plane(epochs=2.5), "epochs"),
    (lambda: ib.binned_layer_information(np.zeros(4), [0, 1, 0, 1], lo=1.0, hi=0.0), "hi"),
    (lambda: ib.gaussian_ib_objective(np.ones((1, 3)), *ib.canonical_covariances([0.5, 0.2]), 2.0), "A"),
])
def test_bad_input_is_refused_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_pairwise_estimators_refuse_before_allocating_gigabytes():
    with pytest.raises(ValueError, match="limit") as err:
        ib.kolchinsky_tracey_bounds(np.zeros((30_000, 1)), 1.0)  # 4 N² float64 ≈ 27 GiB
    assert "subsample" in str(err.value)
    from kitlib import limits
    h = np.linspace(0, 1, 200)
    with limits.raised(memory_bytes=1e5), pytest.raises(ValueError, match="limit"):
        ib.kolchinsky_tracey_bounds(h, 0.1)
    assert np.isfinite(ib.kolchinsky_tracey_bounds(h, 0.1)).all()


def test_training_leaves_torch_global_random_state_untouched():
    torch = pytest.importorskip("torch")
    before = torch.get_rng_state().clone()
    ib.train_information_plane(activation="tanh", widths=(3,), epochs=1, record_every=1, seed=0)
    assert torch.equal(torch.get_rng_state(), before)


@pytest.mark.parametrize("call, name", [
    (lambda: ib.kolchinsky_tracey_bounds(np.full((5, 1), 1e300) * np.arange(5)[:, None], 0.5), "h"),
    (lambda: ib.cauchy_schwarz_qmi(np.arange(5.0) * 1e300, np.arange(5.0)), "x"),
    (lambda: ib.noisy_layer_information(np.arange(6.0) * 1e300, [0, 1] * 3, sigma=0.5), "t"),
    (lambda: ib.gaussian_ib_objective([[1e300, 0.0]], *ib.canonical_covariances([0.5, 0.2]), 2.0), "A"),
    (lambda: ib.gaussian_ib(np.eye(2), np.zeros((2, 1)), [[1.0, 0.0], [0.0, 1.0]], [2.0]), "cov_y"),
    (lambda: ib.gaussian_mi([[2.0]], 1), "cov"),
    (lambda: ib.mi_ksg([0.0, 1.0, 2.0, 3.0], [1.0, 0.0, 2.0, 3.0], k=1, jitter=1.0), "jitter"),
])
def test_careless_probe_cases_are_refused_not_nan(call, name):
    """Found by a careless-user probe: these returned NaN or named the wrong argument."""
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_ksg_handles_values_near_the_float64_limit():
    x = np.repeat([1e300, -1e300], 50)
    assert ib.mi_ksg(x, x) == pytest.approx(math.log(2), abs=0.05)
