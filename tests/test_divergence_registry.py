"""One divergence vocabulary: kitlib.divergences.DIVERGENCES.

(a) every public function of divergences, fitting, rlhf and rlvr that takes a divergence name
accepts only registry names (found through the contract tables: arguments whose options are
divergence names); (b) the values agree across modules on random probability vectors: the
registry's discrete function, the f-divergence of its generator, grid_divergence on densities
turned into grid masses, and rlhf.f_divergence_value (target p = π_ref, model q = π).
"""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from kitlib import contracts as C
from kitlib import divergences as D

CANONICAL = ("forward_kl", "reverse_kl", "alpha", "renyi", "js", "hellinger", "tv", "chi2",
             "neyman_chi2", "jeffreys", "cauchy_schwarz", "w2", "sinkhorn")
MODULES = ("divergences", "fitting", "rlhf", "rlvr")
ALPHAS = {"alpha": (-0.7, 0.0, 0.3, 1.0, 1.8), "renyi": (0.4, 1.0, 2.5)}


def _divergence_arguments():
    """(module, function, argument, options) for every argument whose options are divergences."""
    out = []
    for mod in MODULES:
        for fname, contract in C.table(mod).items():
            for arg_name, arg in contract.args.items():
                if arg.kind != "choice":
                    continue
                named = "div" in arg_name or (mod == "rlhf" and fname == "f_divergence_value")
                if named or set(arg.options) & set(CANONICAL):
                    out.append((mod, fname, arg_name, tuple(arg.options)))
    return out


ARGUMENTS = _divergence_arguments()


def test_the_registry_has_exactly_the_canonical_names():
    assert tuple(D.DIVERGENCES) == CANONICAL
    for name, entry in D.DIVERGENCES.items():
        assert entry.name == name
        assert entry.family in D.FAMILIES
        assert entry.reason and entry.formula and entry.label


def test_the_search_finds_the_known_divergence_arguments():
    found = {(m, f) for m, f, _, _ in ARGUMENTS}
    for expected in [("divergences", "grid_divergence"), ("divergences", "divergence"),
                     ("divergences", "f_divergence"), ("fitting", "fit_gaussian"),
                     ("fitting", "fit_mixture"), ("fitting", "gradient_far_away"),
                     ("fitting", "student_fit"), ("fitting", "switch_separation"),
                     ("rlhf", "f_divergence_value")]:
        assert expected in found, expected


@pytest.mark.parametrize("mod,fname,arg,options", ARGUMENTS,
                         ids=[f"{m}.{f}.{a}" for m, f, a, _ in ARGUMENTS])
def test_every_divergence_argument_takes_only_registry_names(mod, fname, arg, options):
    unknown = [o for o in options if o not in D.DIVERGENCES]
    assert not unknown, f"{mod}.{fname}({arg}=...) accepts non-registry names {unknown}"
    assert hasattr(importlib.import_module(f"kitlib.{mod}"), fname)


@pytest.mark.parametrize("mod,name", [
    ("divergences", "GRID_DIVERGENCES"), ("divergences", "DISCRETE_DIVERGENCES"),
    ("fitting", "FIT_DIVERGENCES"), ("fitting", "MIXTURE_DIVERGENCES"),
    ("fitting", "FAR_DIVERGENCES"), ("fitting", "STUDENT_DIVERGENCES")])
def test_the_accepted_name_tuples_are_registry_subsets(mod, name):
    names = getattr(importlib.import_module(f"kitlib.{mod}"), name)
    assert names and set(names) <= set(D.DIVERGENCES)


def test_f_divergences_are_the_registry_generators():
    for name, fdiv in D.F_DIVERGENCES.items():
        assert D.DIVERGENCES[name].generator is fdiv
    assert D.DIVERGENCES["alpha"].generator is D.minka_alpha


@pytest.mark.parametrize("old", ["js2", "pearson_chi2", "balanced", "hellinger2", "kl"])
def test_old_and_informal_names_are_refused(old):
    p, q = np.array([0.2, 0.8]), np.array([0.5, 0.5])
    with pytest.raises(ValueError, match="name"):
        D.divergence(p, q, old)
    with pytest.raises(ValueError, match="divergence"):
        D.grid_divergence(np.log(p), np.log(q), 1.0, old)


def test_family_at_follows_the_order():
    a = D.DIVERGENCES["alpha"]
    assert [a.family_at(alpha=x) for x in (-1.0, 0.0, 0.5, 1.0, 2.0)] == [
        "mode-seeking", "mode-seeking", "neither", "mass-covering", "mass-covering"]
    assert D.DIVERGENCES["renyi"].family_at(alpha=2.0) == "mass-covering"
    assert D.DIVERGENCES["renyi"].family_at(alpha=0.5) == "neither"
    assert D.DIVERGENCES["forward_kl"].family_at() == "mass-covering"
    with pytest.raises(ValueError, match="alpha"):
        D.DIVERGENCES["js"].family_at(alpha=0.5)
    # the family agrees with the generator's zero behaviour wherever there is one
    for entry in D.DIVERGENCES.values():
        g = entry.generator
        if isinstance(g, D.FDivergence) and g.mass_covering != g.zero_forcing:
            assert entry.family == ("mass-covering" if g.mass_covering else "mode-seeking")


def _pairs(n_pairs=12, seed=0):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_pairs):
        k = int(rng.integers(2, 9))
        conc = float(rng.choice([0.3, 1.0, 5.0]))
        out.append((rng.dirichlet(np.full(k, conc)), rng.dirichlet(np.full(k, conc))))
    return out


def _cases():
    for name, entry in D.DIVERGENCES.items():
        if entry.discrete is None:
            continue
        for alpha in ALPHAS.get(name, (None,)):
            yield name, alpha


CASES = list(_cases())


def _generator(name, alpha):
    g = D.DIVERGENCES[name].generator
    return g(alpha) if callable(g) else g


@pytest.mark.parametrize("name,alpha", CASES)
def test_divergence_dispatches_to_the_discrete_functions(name, alpha):
    direct = {"forward_kl": lambda p, q: D.kl(p, q), "reverse_kl": lambda p, q: D.kl(q, p),
              "alpha": lambda p, q: D.alpha_divergence(p, q, alpha),
              "renyi": lambda p, q: D.renyi(p, q, alpha), "js": D.js, "hellinger": D.hellinger2,
              "tv": D.tv, "chi2": D.chi2, "neyman_chi2": lambda p, q: D.chi2(q, p),
              "jeffreys": lambda p, q: D.kl(p, q) + D.kl(q, p),
              "cauchy_schwarz": D.cauchy_schwarz}[name]
    for p, q in _pairs():
        assert D.divergence(p, q, name, alpha=alpha) == pytest.approx(direct(p, q), rel=1e-12,
                                                                      abs=1e-15)


@pytest.mark.parametrize("name,alpha", CASES)
def test_divergence_equals_the_f_divergence_of_its_generator(name, alpha):
    g = _generator(name, alpha)
    if g is None:
        pytest.skip(f"{name} is not an f-divergence")
    for p, q in _pairs(seed=1):
        assert D.f_divergence(p, q, g) == pytest.approx(D.divergence(p, q, name, alpha=alpha),
                                                       rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("name,alpha", CASES)
def test_grid_divergence_equals_divergence_on_the_grid_masses(name, alpha):
    rng = np.random.default_rng(2)
    x = np.linspace(-4.0, 4.0, 81)
    dx = float(x[1] - x[0])
    for _ in range(6):
        log_p = -0.5 * ((x - rng.normal()) / rng.uniform(0.5, 2.0)) ** 2 + rng.normal(size=x.size)
        log_q = -0.5 * ((x - rng.normal()) / rng.uniform(0.5, 2.0)) ** 2 + rng.normal(size=x.size)
        p, q = np.exp(log_p) / np.exp(log_p).sum(), np.exp(log_q) / np.exp(log_q).sum()
        got = D.grid_divergence(log_p, log_q, dx, name, alpha=alpha)
        assert got == pytest.approx(D.divergence(p, q, name, alpha=alpha), rel=1e-9, abs=1e-12)


def _rlhf_cases():
    rlhf = importlib.import_module("kitlib.rlhf")
    for name in rlhf.F_REGULARIZERS:
        # rlhf's regulariser takes Minka's α in (0, 1) only
        for alpha in {"alpha": (0.3, 0.7)}.get(name, (None,)):
            yield name, alpha


@pytest.mark.parametrize("name,alpha", list(_rlhf_cases()))
def test_rlhf_regulariser_values_are_the_registry_values(name, alpha):
    """rlhf.f_divergence_value(π, π_ref, name) = divergence(p = π_ref, q = π, name)."""
    from kitlib import rlhf

    kw = {} if alpha is None else {"alpha": alpha}
    for p_ref, policy in _pairs(seed=3):
        expected = D.divergence(p_ref, policy, name, alpha=alpha)
        got = rlhf.f_divergence_value(policy, p_ref, name, **kw)
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_the_notebook_01_views_and_tables_use_registry_names():
    from kitlib.tables import divergences as T
    from kitlib.views import divergences as V

    names = [n for _, n in V.DIVERGENCE_OPTIONS]
    names += [n for n, _, _ in V.FAR_CURVES + V.F_CURVES]
    names += [n for n, _, _ in V.STUDENT_CURVES if n != "balanced"]  # balanced_student_fit
    names += list(T.SWITCH_DIVERGENCES + T.FAR_NAMES + T.STUDENT_DIVERGENCES)
    assert set(names) <= set(D.DIVERGENCES)
