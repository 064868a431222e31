"""The start-here explorer: forward and reverse KL between two 1-D Gaussians.

Target p = N(m_p, σ_p²) and model q = N(μ, s²). The top panel shows both densities; the bottom
panel shows both integrands, p·log(p/q) (whose area is KL(p‖q), forward) and q·log(q/p) (whose
area is KL(q‖p), reverse), with both numbers from the closed form and from the grid integral.
"""

from __future__ import annotations

import numpy as np

from kitlib import divergences as dv
from kitlib.controls import slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure, steady_limits
from kitlib.style import COLORS
from kitlib.views._common import readout_box

__all__ = ["gaussian_kl_explorer", "EXPLORERS"]

_X_VIEW = np.linspace(-8.0, 8.0, 801)


def _integration_grid(m_p, sd_p, mu, s, n=4001):
    lo = min(m_p - 12 * sd_p, mu - 12 * s)
    hi = max(m_p + 12 * sd_p, mu + 12 * s)
    return np.linspace(lo, hi, n)


def _band(x, y):
    """Vertices of the region between the x-axis and the curve y(x), for PolyCollection.set_verts."""
    return [np.concatenate([np.column_stack([x, y]), [[x[-1], 0.0], [x[0], 0.0]]])]


def gaussian_kl_compute(params: dict) -> dict:
    """Densities, integrands and both KL values for the current slider values."""
    m_p, sd_p = 0.0, params["target_sd"]
    mu, s = params["model_mean"], params["model_sd"]
    lp_view = dv.log_normal_pdf(_X_VIEW, m_p, sd_p)
    lq_view = dv.log_normal_pdf(_X_VIEW, mu, s)
    x = _integration_grid(m_p, sd_p, mu, s)
    dx = x[1] - x[0]
    lp, lq = dv.log_normal_pdf(x, m_p, sd_p), dv.log_normal_pdf(x, mu, s)
    return {
        "p": np.exp(lp_view),
        "q": np.exp(lq_view),
        "forward_integrand": dv.kl_integrand(lp_view, lq_view),
        "reverse_integrand": dv.kl_integrand(lq_view, lp_view),
        "forward_exact": dv.gaussian_kl(m_p, sd_p**2, mu, s**2),
        "reverse_exact": dv.gaussian_kl(mu, s**2, m_p, sd_p**2),
        "forward_grid": dv.grid_divergence(lp, lq, dx, "forward_kl"),
        "reverse_grid": dv.grid_divergence(lp, lq, dx, "reverse_kl"),
    }


def gaussian_kl_explorer() -> Explorer:
    """Forward KL(p‖q) and reverse KL(q‖p) between two Gaussians, with both integrands."""
    fig, (ax_d, ax_i) = new_figure(2, 1, figsize=(8.0, 5.6), sharex=True)
    x = _X_VIEW
    (line_p,) = ax_d.plot(x, np.zeros_like(x), color=COLORS["target"], label="target p")
    (line_q,) = ax_d.plot(x, np.zeros_like(x), color=COLORS["model"], label="model q")
    ax_d.set_ylabel("density")
    ax_d.legend(loc="upper left")
    ax_d.set_title("Two Gaussians")

    fill_f = ax_i.fill_between(x, 0, 0, color=COLORS["forward_kl"], alpha=0.25, lw=0)
    fill_r = ax_i.fill_between(x, 0, 0, color=COLORS["reverse_kl"], alpha=0.25, lw=0)
    (line_f,) = ax_i.plot(x, np.zeros_like(x), color=COLORS["forward_kl"],
                          label=r"$p\,\log(p/q)$  (area = KL$(p\|q)$, forward)")
    (line_r,) = ax_i.plot(x, np.zeros_like(x), color=COLORS["reverse_kl"], ls="--",
                          label=r"$q\,\log(q/p)$  (area = KL$(q\|p)$, reverse)")
    ax_i.axhline(0.0, color="0.6", lw=0.8)
    ax_i.set_xlabel("x")
    ax_i.set_ylabel("integrand")
    ax_i.legend(loc="upper left")
    readout = readout_box(ax_i, 0.99, 0.95, ha="right", fontsize=10, boxed=False)
    ax_d.set_xlim(x[0], x[-1])

    def draw(d):
        line_p.set_ydata(d["p"])
        line_q.set_ydata(d["q"])
        line_f.set_ydata(d["forward_integrand"])
        line_r.set_ydata(d["reverse_integrand"])
        fill_f.set_verts(_band(x, d["forward_integrand"]))
        fill_r.set_verts(_band(x, d["reverse_integrand"]))
        top = max(d["p"].max(), d["q"].max())
        steady_limits(ax_d, 0.0, 1.1 * top)
        lo = min(d["forward_integrand"].min(), d["reverse_integrand"].min())
        hi = max(d["forward_integrand"].max(), d["reverse_integrand"].max())
        pad = 0.08 * (hi - lo) + 1e-3
        steady_limits(ax_i, lo - pad, hi + 3 * pad)
        readout.set_text(
            f"KL(p||q) forward = {d['forward_exact']:8.4f}  (grid {d['forward_grid']:.4f})\n"
            f"KL(q||p) reverse = {d['reverse_exact']:8.4f}  (grid {d['reverse_grid']:.4f})")

    controls = {
        "model_mean": slider("model mean μ", 1.0, -4.0, 4.0, 0.05),
        "model_sd": slider("model width s", 1.5, 0.2, 4.0, 0.05),
        "target_sd": slider("target width σ", 1.0, 0.2, 4.0, 0.05),
    }
    return Explorer(controls, gaussian_kl_compute, draw, fig=fig,
                    title="Forward and reverse KL between p = N(0, σ²) and q = N(μ, s²)",
                    note="Make q narrow, then wide: which KL punishes a model that misses "
                         "the target's mass, and which one a model that puts mass where p has none?")


EXPLORERS = {"start.gaussian_kl": gaussian_kl_explorer}
