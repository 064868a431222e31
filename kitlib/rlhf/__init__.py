"""RLHF reward–KL frontiers: exact tilts, best-of-N, f-regularised optima, KL estimators, toys.

Notation: ``p_ref`` is the reference policy π_ref (probabilities over M responses), ``rewards`` the
reward r(y) of each response, and **KL means KL(π‖π_ref)** (the "reverse" KL that RLHF penalises)
unless a name says otherwise. Natural logarithms, float64 throughout.

Which function to choose
------------------------
* The KL-regularised optimum and its frontier: :func:`tilt`, :func:`frontier` (vectorised over β,
  log-space, no cancellation at tiny β), :func:`kl_budget_policy` (constrained form KL ≤ Δ) and
  :func:`dual_reward` (its dual), :func:`rlhf_objective` (Korbak's identity).
* Best-of-N, exact: :func:`best_of_n`, :func:`best_of_n_curve` (many N at once),
  :func:`best_of_n_levels` (level masses given in log space, huge N through ``log_n``),
  :func:`bon_kl_bound` = log N − (N−1)/N, :func:`win_rate`.
* Other regularisers (f-DPO): :func:`f_regularized_policy`, :func:`f_divergence_value`,
  :func:`f_regularized_batch` (many prompts) and :func:`matched_beta` (β at an exactly matched
  mean reward or pass@1); :func:`generator` gives each regulariser's f-generator from
  :data:`kitlib.divergences.F_DIVERGENCES`.
* Diversity: :func:`entropy`, :func:`coverage`, :func:`expected_distinct`, :func:`pass_at_k`,
  :func:`pass_at_k_unbiased`.
* Training: :func:`kl_estimates` (Schulman's k1, k2, k3), :func:`train_policy` (torch REINFORCE),
  :func:`dpo_policy` (DPO / f-DPO on Bradley–Terry pairs), :func:`natural_pg_path`,
  :func:`vanilla_pg_path`.
* Toys: :func:`categorical_lm`, :func:`prompts_toy`, :func:`memoryless_bon`,
  :func:`goodhart_tilt`, :func:`goodhart_bon`, :func:`fit_gao`.

One vocabulary. Every regulariser name is a canonical name of :mod:`kitlib.divergences` with the
registry's formula, under its (target, model) convention with target p = π_ref and model q = π:
``f_divergence_value(pi, p_ref, name)`` equals ``divergences.divergence(p_ref, pi, name)``.
``"reverse_kl"`` is KL(π‖π_ref), ``"forward_kl"`` KL(π_ref‖π), ``"js"`` the Jensen–Shannon
divergence (never 2·JSD), ``"alpha"`` Minka's D_α(π_ref‖π), ``"neyman_chi2"`` Σ(π − π_ref)²/π_ref
(= Pearson χ²(π‖π_ref); the registry's ``"chi2"`` is Pearson with p = target), ``"tv"``.

Conventions. The α of :func:`f_regularized_policy` is f-DPO's α, i.e. Minka's α with p = π_ref:
D_α = (1 − Σ π_ref^α π^{1−α}) / (α(1 − α)); α → 0 is reverse KL(π‖π_ref), α → 1 forward
KL(π_ref‖π). (TRL's α is 1 − this α since its DPO refactor.) Best-of-N breaks ties by draw order
(the first of the tied best draws is returned) unless ``ties="identity"``. Where π_ref = 0,
:func:`f_regularized_policy` is exact for reverse KL and Neyman χ² (0 there) and forward KL (which
may put mass there, see notebook 05), and restricts JS, α and TV to supp π_ref.

Seed papers: *Asymptotics of Language Model Alignment* (Yang et al. 2024); *RL with KL penalties is
better viewed as Bayesian inference* (Korbak, Perez, Buckley 2022); *Beyond Reverse KL: Generalizing
Direct Preference Optimization with Diverse Divergence Constraints* (Wang et al. 2023); *Aligning
Language Models with Preferences through f-divergence Minimization* (Go et al. 2023);
*Theoretical guarantees on the best-of-n alignment policy* (Beirami et al. 2024); *Scaling Laws for
Reward Model Overoptimization* (Gao, Schulman, Hilton 2022); *Approximating KL Divergence*
(Schulman 2020).

Importing this package imports neither matplotlib nor torch; only :func:`train_policy` and
:func:`dpo_policy` import torch. Layout (private modules, everything public is re-exported here):
``_frontier`` (tilt, frontier, constrained form), ``_best_of_n``, ``_fdiv`` (f-regularised optima),
``_diversity`` (entropy, coverage, pass@k), ``_training`` (KL estimators, torch REINFORCE / DPO,
policy-gradient paths), ``_toys`` (toy problems, memoryless model, Goodhart), ``_common`` (checks).

Argument contract (every public function; the machine-readable table is ``kitlib.contracts.rlhf``)
-----------------------------------------------------------------------------------------------
* Probability vectors (``p_ref``, ``policy``): 1-D float arrays, finite, >= 0, summing to 1
  within 1e-8 (then renormalised exactly), at most ``MAX_RESPONSES`` = 2²² entries.
* ``rewards``: finite floats of the shape of the probability vector they go with.
* β, learning rates, ``delta``, ``c``, ``k`` of pass@k: finite real numbers > 0; ``kl_budget`` >= 0.
* Counts (``steps``, ``batch``, ``n_pairs``, ``m``, ``n_tokens``, ...) are integers; ``True`` and
  fractions such as 2.5 are refused, never truncated. ``seed``: None, an int >= 0 or a
  ``numpy.random.Generator``; global random state (numpy's, torch's) is never touched.
* Sizes: every call estimates its memory and work from the argument sizes and, past
  :mod:`kitlib.limits` (256 MiB and ~2·10⁹ operations, a 1 GB / 1-core budget), refuses before
  allocating with a ``ValueError`` naming the limit and a cheaper route. The largest size each
  function accepts at the default limits is stated in its docstring.
* Every refusal is a ``ValueError`` whose message names the argument, what is allowed and the
  value received.
"""

from __future__ import annotations

from kitlib.rlhf._best_of_n import (BestOfN, best_of_n, best_of_n_curve, best_of_n_levels,
                                    bon_kl_bound, win_rate)
from kitlib.rlhf._common import MAX_RESPONSES
from kitlib.rlhf._diversity import (coverage, entropy, expected_distinct, pass_at_k,
                                    pass_at_k_unbiased)
from kitlib.rlhf._fdiv import (BATCH_REGULARIZERS, F_REGULARIZERS, f_divergence_value,
                               f_regularized_batch, f_regularized_policy, generator, matched_beta)
from kitlib.rlhf._frontier import (ConstrainedPolicy, Frontier, dual_reward, expected_reward,
                                   frontier, kl_budget_policy, kl_to_ref, rlhf_objective, tilt)
from kitlib.rlhf._toys import (MemorylessBoN, categorical_lm, fit_gao, goodhart_bon,
                               goodhart_lambda_star, goodhart_tilt, memoryless_bon, prompts_toy)
from kitlib.rlhf._training import (dpo_policy, kl_estimates, natural_pg_path, train_policy,
                                   vanilla_pg_path)

__all__ = [
    # KL-regularised optimum
    "Frontier", "tilt", "frontier", "ConstrainedPolicy", "kl_budget_policy", "dual_reward",
    "expected_reward", "kl_to_ref", "rlhf_objective",
    # best-of-N
    "BestOfN", "best_of_n", "best_of_n_curve", "best_of_n_levels", "bon_kl_bound", "win_rate",
    # f-regularised
    "F_REGULARIZERS", "BATCH_REGULARIZERS", "generator", "f_regularized_policy",
    "f_regularized_batch", "matched_beta", "f_divergence_value",
    # diversity
    "entropy", "coverage", "expected_distinct", "pass_at_k", "pass_at_k_unbiased",
    # training
    "kl_estimates", "train_policy", "dpo_policy", "natural_pg_path", "vanilla_pg_path",
    # toys
    "categorical_lm", "prompts_toy", "MemorylessBoN", "memoryless_bon", "goodhart_tilt",
    "goodhart_bon", "goodhart_lambda_star", "fit_gao",
]
