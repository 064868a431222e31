"""The start-here explorer shows the right numbers."""

import numpy as np
import pytest

from kitlib.views.start import gaussian_kl_compute, gaussian_kl_explorer


def test_oracle_row_numbers():
    d = gaussian_kl_compute({"model_mean": 1.0, "model_sd": 1.5, "target_sd": 1.0})
    assert d["forward_exact"] == pytest.approx(0.3499096, abs=1e-7)
    assert d["reverse_exact"] == pytest.approx(0.7195349, abs=1e-7)
    assert d["forward_grid"] == pytest.approx(d["forward_exact"], rel=1e-6)
    assert d["reverse_grid"] == pytest.approx(d["reverse_exact"], rel=1e-6)


def test_integrand_areas_match_the_divergences():
    d = gaussian_kl_compute({"model_mean": 0.5, "model_sd": 0.8, "target_sd": 1.2})
    x = np.linspace(-8, 8, 801)
    assert np.trapezoid(d["forward_integrand"], x) == pytest.approx(d["forward_exact"], rel=1e-3)
    assert np.trapezoid(d["reverse_integrand"], x) == pytest.approx(d["reverse_exact"], rel=1e-3)


def test_readout_text_follows_sliders():
    ex = gaussian_kl_explorer()
    text = [t for t in ex.fig.axes[1].texts if "forward" in t.get_text()][0]
    assert "0.3499" in text.get_text() and "0.7195" in text.get_text()
    ex.set(model_mean=0.0, model_sd=1.0)
    assert "0.0000" in text.get_text()
