"""The tables of notebook 03 (kitlib.tables.ib) hold what their docstrings say: the presets'
joint tables, the IB / DIB curves of kitlib.ib at the documented settings, and information
planes equal to the estimators applied to the recorded training run. (That every shipped file
equals a fresh computation is tests/test_tables.py's.)"""

import math
import subprocess
import sys

import numpy as np
import pytest

from kitlib import ib
from kitlib.tables import ib as tables


def test_presets_are_joint_tables_with_the_documented_thresholds():
    for name in tables.PRESET_NAMES:
        p = tables.preset_joint(name)
        assert np.all(p >= 0) and p.sum() == pytest.approx(1.0, abs=1e-12)
    assert ib.critical_beta(tables.preset_joint("bss")) == pytest.approx(1.5625)
    assert ib.critical_beta(tables.preset_joint("straight")) == pytest.approx(1.0)
    assert ib.critical_beta(tables.preset_joint("z_channel")) == pytest.approx(3.0)
    r = tables.preset_joint("random")
    assert r.shape == (10, 10) and np.array_equal(r, tables.random_joint(seed=1))
    assert not np.array_equal(r, tables.random_joint(seed=2))
    with pytest.raises(ValueError, match=r"\bname\b"):
        tables.preset_joint("bsc")
    with pytest.raises(ValueError, match=r"\bn_x\b"):
        tables.random_joint(n_x=0)


def test_discrete_and_dib_tables_are_the_curves_of_kitlib_ib():
    c = ib.IBCurve(**tables.discrete_curve(preset="z_channel"))
    direct = ib.ib_curve(tables.preset_joint("z_channel"), tables.BETAS, n_restarts=2, n_iter=300,
                         seed=0)
    np.testing.assert_allclose(c.I_XT, direct.I_XT, rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(c.n_clusters, direct.n_clusters)
    assert c.betas.size == 116 and c.critical_beta == pytest.approx(3.0)
    d = ib.DIBCurve(**tables.dib_curve())
    direct = ib.deterministic_ib(tables.preset_joint("straight"), tables.BETAS, n_init=10, seed=0)
    np.testing.assert_array_equal(d.assignments, direct.assignments)


def test_training_plane_equals_the_estimators_on_the_recorded_run():
    kw = dict(activation="relu", epochs=2, record_every=1, batch_size=512, lr=0.005, seed=1)
    t = tables.training_plane(**kw, bins=(4, 30), sigmas=(0.5,), n_noisy=64, subset_seed=3)
    rec = ib.train_information_plane(**kw)
    assert t["binned_I_XT"].shape == (2, 6, 3) and t["noisy_I_TY"].shape == (1, 6, 3)
    np.testing.assert_array_equal(t["train_accuracy"], rec.train_accuracy)
    layer = rec.layers[1][2]  # second hidden layer, last record; ReLU: binned on [0, run max]
    want = ib.binned_layer_information(layer, rec.labels, n_bins=30, lo=0.0,
                                       hi=float(rec.layers[1].max()))
    assert (t["binned_I_XT"][1, 1, 2], t["binned_I_TY"][1, 1, 2]) == pytest.approx(want, rel=1e-12)
    idx = np.random.default_rng(3).choice(4096, 64, replace=False)
    want = ib.noisy_layer_information(layer[idx].astype(float), rec.labels[idx], sigma=0.5)
    assert (t["noisy_I_XT"][0, 1, 2], t["noisy_I_TY"][0, 1, 2]) == pytest.approx(want, rel=1e-12)
    ix = t["binned_I_XT"]
    np.testing.assert_array_equal(t["binned_drop"], ix.max(axis=2) - ix[:, :, -1])
    assert np.all(ix <= math.log(4096) + 1e-9) and np.all(t["noisy_I_XT"] <= math.log(64) + 1e-9)


def test_reading_the_shipped_training_tables_does_not_import_torch():
    spec = tables.training_plane.spec
    if not all(spec.path(p).is_file() for p in spec.shipped()):
        pytest.skip("training tables not built for this code (run `make tables`)")
    code = ("import sys\nfrom kitlib.tables import ib\n"
            "ib.training_plane(); ib.training_plane(activation='relu')\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
