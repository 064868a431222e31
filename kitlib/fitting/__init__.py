r"""Fitting a model by minimising a divergence: what each divergence makes the model do.

The convention of the whole kit: p is the **target** (data, teacher), q the **model** (student);
forward KL(p‖q) is mass-covering, reverse KL(q‖p) mode-seeking, Minka's α interpolates (α → 1
forward, α → 0 reverse). Natural logs, float64.

Which function to choose
------------------------
* One Gaussian q = N(μ, s²) fitted to a 1-D Gaussian mixture p, globally:
  :func:`fit_gaussian` (→ :class:`GaussianFit`); the objective itself, vectorised over candidate
  (μ, s) for checking: :func:`gaussian_objective`; a plotting landscape and the fit in one call,
  for explorers: :func:`fit_gaussian_grid` (fit and landscape) and :func:`gaussian_landscape`.
* The symmetric two-mode target ½N(−d, 1) + ½N(d, 1): :func:`switch_separation` (where the
  global fit jumps to one mode), :func:`one_mode_appears` (where a one-mode *local* minimum first
  exists) and :func:`switch_curve` (the switch separation along Minka's α, for a plot).
* A k-component mixture q fitted by forward or reverse KL, with its optimisation path:
  :func:`fit_mixture` (→ :class:`MixtureFit`).
* Gradients felt by a model that starts far from the target (SinKD's argument for optimal
  transport): :func:`gradient_far_away` (→ :class:`FarGradients`).
* Categorical (logit) distillation: :func:`softmax`, :func:`student_fit` and
  :func:`balanced_student_fit` (→ :class:`StudentFit`).

Numerics: divergences between densities are evaluated on uniform grids by
:func:`kitlib.divergences.grid_divergence` (log space, batched over candidates); each candidate gets
its own window, sized from the target (all components ± 12 sd), the candidate (± 12 s) and, for
the tail-sensitive α-divergences, the envelope of p^α q^{1−α}. The spacing resolves the narrowest
feature *and* the "valleys" between separated components (log p, √p and p^α have complex
branch points there), which gives ~1e-12 relative accuracy for these smooth integrands. TV is
computed exactly from the crossings of p and q and the mixture CDFs (a Riemann sum of |p − q| has
an O(dx²) error at each kink). Where ∫p^α q^{1−α} diverges through the tails the objective is +inf
by an analytic test, never a truncated finite number.

Nothing here imports matplotlib, ipywidgets or torch. POT is imported only by
``gradient_far_away(..., "sinkhorn")``, through ``kitlib.divergences.sinkhorn_divergence``, which
switches POT's torch/JAX/TensorFlow/CuPy backends off before importing it.

Layout (private modules, public names re-exported here): ``_common`` (limits, the accepted
divergence names as subsets of :data:`kitlib.divergences.DIVERGENCES`, target validation),
``_objective`` (D(p ‖ N(μ, s²)) on per-candidate grids), ``_gaussian`` (global fits,
landscapes), ``_switch`` (switch separations and curves), ``_mixture``, ``_far`` (far-away
gradients), ``_distill`` (categorical distillation).
"""

from __future__ import annotations

from kitlib.fitting._common import (
    FAR_DIVERGENCES,
    FIT_DIVERGENCES,
    MAX_ABS_ALPHA,
    MAX_CANDIDATES,
    MAX_CLASSES,
    MAX_COMPONENTS,
    MAX_DISTANCES,
    MAX_DYNAMIC_RANGE,
    MAX_D_MAX,
    MAX_LOCATION_RATIO,
    MAX_LOGITS,
    MAX_STARTS,
    MAX_SWITCH_ALPHAS,
    MIXTURE_DIVERGENCES,
    SCALE_RANGE,
    STUDENT_DIVERGENCES,
)
from kitlib.fitting._objective import (
    gaussian_objective,
)
from kitlib.fitting._gaussian import (
    GaussianFit,
    fit_gaussian,
    fit_gaussian_grid,
    gaussian_landscape,
)
from kitlib.fitting._switch import (
    switch_separation,
    one_mode_appears,
    switch_curve,
)
from kitlib.fitting._mixture import (
    MixtureFit,
    fit_mixture,
)
from kitlib.fitting._far import (
    FarGradients,
    gradient_far_away,
)
from kitlib.fitting._distill import (
    StudentFit,
    softmax,
    student_fit,
    balanced_student_fit,
)

__all__ = [
    "FIT_DIVERGENCES",
    "MIXTURE_DIVERGENCES",
    "FAR_DIVERGENCES",
    "STUDENT_DIVERGENCES",
    "GaussianFit",
    "MixtureFit",
    "FarGradients",
    "StudentFit",
    "gaussian_objective",
    "fit_gaussian",
    "fit_gaussian_grid",
    "gaussian_landscape",
    "switch_separation",
    "one_mode_appears",
    "switch_curve",
    "fit_mixture",
    "gradient_far_away",
    "softmax",
    "student_fit",
    "balanced_student_fit",
]
