"""Slow tests for kitlib.fitting.

Marked ``slow`` because ``gradient_far_away(..., "sinkhorn")`` imports POT (about 2 s once per
process) and solves a few dozen entropic OT problems.
"""

from __future__ import annotations

import numpy as np
import pytest

from kitlib.fitting import gradient_far_away

pytestmark = pytest.mark.slow


def test_sinkhorn_gradient_is_the_w2_gradient():
    """A translation changes S_ε by a quadratic: ∂S_ε/∂μ = 2(μ − E_p x), exactly as W2²."""
    dist = np.array([0.0, 3.0, 12.0])
    g = gradient_far_away(dist, "sinkhorn", eps=0.5, n_support=48)
    np.testing.assert_allclose(g.gradients, 2 * dist, atol=1e-5, rtol=1e-5)
    assert np.all(np.diff(g.values) > 0)
    assert g.values[-1] == pytest.approx(144.0, rel=1e-3)
    # a two-mode target: Sinkhorn keeps pulling where JS has gone flat
    kw = dict(weights=[0.5, 0.5], means=[-2.0, 2.0], stds=[1.0, 1.0])
    far = gradient_far_away([20.0], "sinkhorn", eps=0.5, n_support=48, **kw)
    js = gradient_far_away([20.0], "js", **kw)
    assert far.gradients[0] == pytest.approx(40.0, rel=1e-5)
    assert js.gradients[0] < 1e-12
