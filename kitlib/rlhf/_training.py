"""KL estimators and training: torch REINFORCE and DPO (torch imported lazily), PG paths."""

from __future__ import annotations

import numpy as np
from scipy import special

from kitlib import _validate as _v
from kitlib.rlhf._common import (_STEP_OVERHEAD, _TORCH_STEP_OVERHEAD, MAX_RESPONSES, _limit,
                                 _logp, _lse, _pr)
from kitlib.rlhf._fdiv import _check_div

def kl_estimates(log_policy, log_ref) -> dict:
    """Schulman's per-sample estimators of KL(π_θ‖π_ref) on samples y ~ π_θ (*Approximating KL
    Divergence*), with log ρ = log π_ref(y) − log π_θ(y):

    k1 = −log ρ (unbiased, high variance), k2 = ½(log ρ)² (biased, low variance),
    k3 = (ρ − 1) − log ρ (unbiased, ≥ 0). Returns ``{"k1": ..., "k2": ..., "k3": ...}``.

    Contract
    --------
    log_policy
        1-D real array, finite, non-empty; at most 4,194,304 entries (same shape as log_ref).
    log_ref
        1-D real array, finite, non-empty; at most 4,194,304 entries (same shape as log_policy).
    Budget (1 GB / 1 core): up to 4,194,304 samples. Bad or too-large input raises ValueError naming
    the argument, before any allocation.
    """
    lpi = _v.array(log_policy, "log_policy", ndim=(0, 1, 2), max_size=MAX_RESPONSES)
    lref = _v.array(log_ref, "log_ref", ndim=(0, 1, 2), max_size=MAX_RESPONSES)
    if lpi.shape != lref.shape:
        raise ValueError(f"log_policy and log_ref must have the same shape; got {lpi.shape} and {lref.shape}")
    lr = lref - lpi
    return {"k1": -lr, "k2": 0.5 * lr**2, "k3": np.expm1(lr) - lr}


def _torch_seed(seed) -> int:
    """An int seed for a local torch.Generator from the kit's seed (None, int >= 0 or a numpy
    Generator, checked by ``_validate.as_generator``): an int is used as is, otherwise one is drawn."""
    gen = _v.as_generator(seed)  # refuses a bad seed, naming it
    if isinstance(seed, (int, np.integer)):
        return int(seed)
    return int(gen.integers(2**63))


def _torch():
    import torch  # lazy: importing kitlib.rlhf never imports torch

    return torch


class _one_thread:
    """Run tiny torch problems on one thread (restored afterwards): with vectors of a few entries,
    intra-op threads only contend — ten times slower on a busy 2-core machine."""

    def __init__(self, torch):
        self.torch = torch

    def __enter__(self):
        self.n = self.torch.get_num_threads()
        self.torch.set_num_threads(1)

    def __exit__(self, *exc):
        self.torch.set_num_threads(self.n)


def train_policy(p_ref, rewards, beta, *, estimator: str = "k1", placement: str = "reward",
                 steps: int = 300, seed: int = 0, batch: int = 512, lr: float = 0.1) -> np.ndarray:
    """REINFORCE on a softmax policy (logits θ, initialised at log π_ref) with a sampled KL term.

    Each step draws ``batch`` responses y ~ π_θ and uses estimator k ∈ {k1, k2, k3} of
    KL(π_θ‖π_ref) (see :func:`kl_estimates`):

    * ``placement="reward"``: r'(y) = r(y) − β·k(y), detached, in the REINFORCE term (PPO / RLOO
      style). With k1 this converges to the reverse-KL tilt π_β.
    * ``placement="loss"``: the loss adds β·mean k(y) as a differentiable function of θ at the
      sampled y (GRPO style). k2 → the tilt; **k3 → the forward-KL optimum** (its gradient is that
      of KL(π_ref‖π)); k1 has zero expected gradient (no regularisation at all).

    Uses a mean baseline and Adam; torch is imported here, lazily. Returns π_θ after ``steps``.
    torch's global random state is untouched (a local ``torch.Generator`` seeded from ``seed``).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (every entry > 0 for training (log π_ref finite)).
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    estimator
        one of 'k1', 'k2', 'k3'.
    placement
        one of 'reward', 'loss'.
    steps
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    batch
        integer >= 1 (True and fractions refused).
    lr
        finite real number > 0.
    Budget (1 GB / 1 core): steps·(50·(batch + responses) + 3e5) up to 2e9 operations (~6 000
    steps). Bad or too-large input raises ValueError naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _v.positive_scalar(beta, "beta")
    _v.one_of(estimator, "estimator", ("k1", "k2", "k3"))
    _v.one_of(placement, "placement", ("reward", "loss"))
    steps = _v.integer(steps, "steps", low=1)
    batch = _v.integer(batch, "batch", low=1)
    lr = _v.positive_scalar(lr, "lr")
    _limit(f"train_policy with steps={steps}, batch={batch} and {p.size} responses",
           nbytes=8.0 * 20 * (batch + p.size),
           operations=steps * (50.0 * (batch + p.size) + _TORCH_STEP_OVERHEAD),
           hint="use fewer steps or a smaller batch")
    if (p == 0).any():
        raise ValueError("p_ref must be > 0 everywhere for training (log π_ref must be finite)")
    torch_seed = _torch_seed(seed)
    torch = _torch()
    gen = torch.Generator().manual_seed(torch_seed)
    logp_ref = torch.tensor(np.log(p), dtype=torch.float64)
    rew = torch.tensor(r, dtype=torch.float64)
    with _one_thread(torch):
        return _reinforce(torch, logp_ref, rew, b, estimator, placement, steps, batch, lr, gen)


def _reinforce(torch, logp_ref, rew, b, estimator, placement, steps, batch, lr, gen):
    theta = logp_ref.clone().requires_grad_(True)
    opt = torch.optim.Adam([theta], lr=lr)
    for _ in range(steps):
        logpi = torch.log_softmax(theta, 0)
        with torch.no_grad():
            y = torch.multinomial(logpi.exp(), batch, replacement=True, generator=gen)
        lp_y = logpi[y]
        log_rho = logp_ref[y] - lp_y
        ests = {"k1": -log_rho, "k2": 0.5 * log_rho**2, "k3": torch.expm1(log_rho) - log_rho}
        k = ests[estimator]
        if placement == "reward":
            adv = (rew[y] - b * k).detach()
            loss = -((adv - adv.mean()) * lp_y).mean()
        else:
            adv = rew[y] - rew[y].mean()
            loss = -(adv * lp_y).mean() + b * k.mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        return _trained(torch.softmax(theta, 0).numpy().astype(np.float64), lr)


def _trained(pi: np.ndarray, lr: float) -> np.ndarray:
    """The trained policy, or ValueError naming ``lr`` when the optimisation diverged."""
    if not np.isfinite(pi).all():
        raise ValueError(f"training diverged (the policy became non-finite) with lr={lr!r}; use a "
                         "smaller lr")
    return pi


def _f_score(torch, log_u, divergence: str, alpha):
    """g′(u) of the regulariser's generator (``kitlib.rlhf.generator``) in torch, up to an additive
    constant (which cancels in the pairwise difference): reverse KL log u (+1), forward KL −1/u,
    JS ½ log(2u/(u + 1)) = ½(log 2 + log σ(log u)), α (1 − u^{−α})/α."""
    if divergence == "reverse_kl":
        return log_u
    if divergence == "forward_kl":
        return -torch.exp(-log_u)
    if divergence == "js":
        return 0.5 * torch.nn.functional.logsigmoid(log_u)
    if divergence == "alpha":
        return -torch.expm1(-alpha * log_u) / alpha
    raise ValueError(f"divergence must be one of ['reverse_kl', 'forward_kl', 'js', 'alpha'] for "
                     f"DPO; got {divergence!r}")


def dpo_policy(p_ref, rewards, beta, *, n_pairs, seed: int = 0, divergence: str = "reverse_kl",
               alpha=None, steps: int = 400, lr: float = 0.1) -> np.ndarray:
    """DPO / f-DPO on Bradley–Terry pairs drawn from π_ref × π_ref.

    ``n_pairs`` pairs (y, y′) ~ π_ref × π_ref are labelled y ≻ y′ with probability σ(r(y) − r(y′));
    the policy logits minimise −mean log σ(β(s(log u_w) − s(log u_l))) with u = π/π_ref and score
    s = log u (reverse KL: the population minimiser is exactly π_β), −e^{−log u} (forward KL),
    ½·logsigmoid(log u) (JS, the Jensen–Shannon divergence) or (1 − u^{−α})/α (α), i.e.
    the f′ of the registry generators (``kitlib.rlhf.generator``) — *Direct Preference Optimization: Your Language
    Model is Secretly a Reward Model*; *Beyond Reverse KL* (f-DPO). Full-batch Adam on the pair
    counts. Returns the fitted policy.

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries
        (every entry > 0 for training (log π_ref finite)).
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    beta
        finite real number > 0.
    n_pairs
        integer >= 1 (True and fractions refused).
    seed
        None, an int >= 0 or a numpy.random.Generator.
    divergence
        one of 'reverse_kl', 'forward_kl', 'js', 'alpha'.
    alpha
        finite real number > 0 and < 1; or None (only (and required) for divergence='alpha').
    steps
        integer >= 1 (True and fractions refused).
    lr
        finite real number > 0.
    Budget (1 GB / 1 core): responses up to ~1200 (M × M pair counts and autograd temporaries);
    steps·(20·M² + 3e5) + 50·n_pairs up to 2e9 operations. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    b = _v.positive_scalar(beta, "beta")
    _v.one_of(divergence, "divergence", ("reverse_kl", "forward_kl", "js", "alpha"))
    a = _check_div(divergence, alpha)
    n_pairs = _v.integer(n_pairs, "n_pairs", low=1)
    steps = _v.integer(steps, "steps", low=1)
    lr = _v.positive_scalar(lr, "lr")
    m = p.size
    _limit(f"dpo_policy with {m} responses, n_pairs={n_pairs} and steps={steps}",
           # torch's autograd holds ~20 M × M temporaries per step (measured RSS)
           nbytes=8.0 * 24 * m * m + 8.0 * 6 * n_pairs, operations=steps * (20.0 * m * m + _TORCH_STEP_OVERHEAD) + 50.0 * n_pairs,
           hint="use fewer responses, pairs or steps")
    if (p == 0).any():
        raise ValueError("p_ref must be > 0 everywhere for DPO (log π_ref must be finite)")
    rng = _v.as_generator(seed)
    y1 = rng.choice(m, size=n_pairs, p=p)
    y2 = rng.choice(m, size=n_pairs, p=p)
    first = rng.random(n_pairs) < special.expit(r[y1] - r[y2])
    w = np.where(first, y1, y2)
    lo = np.where(first, y2, y1)
    counts = np.zeros((m, m))
    np.add.at(counts, (w, lo), 1.0)
    torch = _torch()
    C = torch.tensor(counts / counts.sum(), dtype=torch.float64)
    logp_ref = torch.tensor(np.log(p), dtype=torch.float64)
    with _one_thread(torch):
        theta = logp_ref.clone().requires_grad_(True)
        opt = torch.optim.Adam([theta], lr=lr)
        for _ in range(steps):
            log_u = torch.log_softmax(theta, 0) - logp_ref
            s = _f_score(torch, log_u, divergence, a)
            loss = -(C * torch.nn.functional.logsigmoid(b * (s[:, None] - s[None, :]))).sum()
            opt.zero_grad()
            loss.backward()
            opt.step()
        with torch.no_grad():
            return _trained(torch.softmax(theta, 0).numpy().astype(np.float64), lr)


def natural_pg_path(p_ref, rewards, times) -> np.ndarray:
    """Natural policy gradient on softmax logits from π_ref: θ_t = log π_ref + t·r (t = η·steps).

    It walks exactly along the frontier: π_t is the tilt with β = 1/t. Returns (T, M) policies
    (t = 0 gives π_ref).

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    times
        1-D real array, finite, entries >= 0, non-empty; at most 4,194,304 entries (a scalar is one
        time).
    Budget (1 GB / 1 core): times × responses up to ~4e6. Bad or too-large input raises ValueError
    naming the argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    t = _v.array(times, "times", ndim=1, atleast_1d=True, max_size=MAX_RESPONSES, low=0.0)
    _limit(f"natural_pg_path with {t.size} times and {p.size} responses", nbytes=8.0 * 6 * t.size * p.size,
           hint="pass fewer times")
    a = _logp(p)[None, :] + t[:, None] * (r - r[p > 0].max())[None, :]
    return np.exp(a - _lse(a)[:, None])


def vanilla_pg_path(p_ref, rewards, lr: float, steps: int) -> np.ndarray:
    """Exact (expected-gradient) softmax policy gradient on E_π r from logits log π_ref:
    θ ← θ + η·π⊙(r − E_π r). Returns (steps + 1, M) policies; it runs below the frontier.

    Contract
    --------
    p_ref
        probability vector: finite, >= 0, summing to 1 within 1e-08; at most 4,194,304 entries.
    rewards
        1-D real array, finite, non-empty; at most 4,194,304 entries (one finite reward per
        response, finite range).
    lr
        finite real number > 0.
    steps
        integer >= 0 (True and fractions refused).
    Budget (1 GB / 1 core): (steps + 1) × responses up to ~4e6 numbers; steps·(20·responses + 1e5)
    up to 2e9 operations (~20 000 steps). Bad or too-large input raises ValueError naming the
    argument, before any allocation.
    """
    p, r = _pr(p_ref, rewards)
    eta = _v.positive_scalar(lr, "lr")
    steps = _v.integer(steps, "steps", low=0)
    _limit(f"vanilla_pg_path with steps={steps} and {p.size} responses",
           nbytes=8.0 * 3 * (steps + 1) * p.size, operations=steps * (20.0 * p.size + _STEP_OVERHEAD),
           hint="use fewer steps")
    theta = _logp(p).copy()
    out = [p.copy()]
    for _ in range(steps):
        pi = np.exp(theta - _lse(theta))
        theta = theta + eta * pi * (r - pi @ r)
        out.append(np.exp(theta - _lse(theta)))
    return np.array(out)


