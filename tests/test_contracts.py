"""Bad-input suite generated from the contract tables in ``kitlib/contracts/``.

For every public function of the numerics modules and every argument in its contract, each
kind of bad value the contract refuses (NaN, inf, negative/out of range, empty, wrong shape,
wrong type, unnormalised, fractional or boolean counts, unknown options, too large) is drawn by
hypothesis and substituted into the contract's valid baseline call. The call must raise
``ValueError`` or ``TypeError`` whose message names the argument, using less than
``BAD_CALL_CPU_S`` of CPU time and allocating less than ``BAD_CALL_BYTES`` (tracemalloc peak):
bad input is refused before any real work. CPU time (not wall time) is measured, so a loaded
machine does not make the check flaky; the bound is the issue's "within a second".
"""

from __future__ import annotations

import copy
import dataclasses
import importlib
import math
import re
import time
import tracemalloc
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kitlib import contracts as C

BAD_CALL_BYTES = 16 * 2**20
BAD_CALL_CPU_S = 1.0
EXAMPLES = 3

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=list(HealthCheck))


def _tables():
    out = {}
    for mod in C.MODULES:
        try:
            out[mod] = C.table(mod)
        except ModuleNotFoundError:
            out[mod] = None
    return out


TABLES = _tables()


def _functions():
    for mod, tab in TABLES.items():
        for name, contract in (tab or {}).items():
            if contract.kind == "function":
                yield mod, name, contract


def _arg_cases():
    for mod, name, contract in _functions():
        for arg_name, arg in contract.args.items():
            for kind in arg.bad_kinds():
                yield pytest.param(mod, name, arg_name, kind, id=f"{mod}.{name}-{arg_name}-{kind}")


def _large_cases():
    for mod, name, contract in _functions():
        for i, _ in enumerate(contract.too_large):
            yield pytest.param(mod, name, i, id=f"{mod}.{name}-too_large{i}")


def _target(mod: str, name: str):
    return getattr(importlib.import_module(f"kitlib.{mod}"), name)


def _baseline(contract) -> dict:
    return {k: C.evaluate(v) for k, v in copy.deepcopy(contract.baseline).items()}


# --------------------------------------------------------------------------------------------
# strategies of bad values
# --------------------------------------------------------------------------------------------
def _span(x) -> float:
    return 1e6 * (1.0 + abs(x))


def _below(arg) -> st.SearchStrategy:
    lo = arg.low
    if arg.kind == "integer":
        return st.integers(int(lo) - 1000, int(lo) - 1)
    return st.floats(min_value=lo - _span(lo), max_value=lo, exclude_max=not arg.low_open,
                     allow_nan=False)


def _above(arg) -> st.SearchStrategy:
    hi = arg.high
    if arg.kind == "integer":
        return st.integers(int(hi) + 1, int(hi) + 1000)
    return st.floats(min_value=hi, max_value=hi + _span(hi), exclude_min=not arg.high_open,
                     allow_nan=False)


def _with_entry(base: np.ndarray, values: st.SearchStrategy) -> st.SearchStrategy:
    """``base`` with one entry (position drawn) replaced by a drawn value."""
    def put(i_v):
        i, v = i_v
        out = np.array(base, dtype=np.float64, copy=True)
        out.flat[i % out.size] = v
        return out
    return st.tuples(st.integers(0, max(base.size - 1, 0)), values).map(put)


def _wrong_type(arg) -> st.SearchStrategy:
    common = ["abc", {"a": 1}]
    if not arg.none_ok:
        common.append(None)
    if arg.kind == "real":
        return st.sampled_from(common + [True, [1.0, 2.0], 1 + 2j])
    if arg.kind == "integer":
        return st.sampled_from(common + ["3", [2, 3]])
    if arg.kind in ("prob", "array"):
        return st.sampled_from(common + [[1 + 1j, 2.0]])
    if arg.kind == "choice":
        return st.sampled_from([3, b"x", ["a"]] + ([] if arg.none_ok else [None]))
    if arg.kind == "seed":
        return st.sampled_from(["0", [1, 2], 0.0 + 1j])
    if arg.kind == "boolean":
        return st.sampled_from(["yes", 2, None])
    if arg.kind == "func":
        return st.sampled_from([3, "f", None])
    raise AssertionError(arg.kind)


def _too_large(arg, base) -> st.SearchStrategy:
    m = int(arg.max_size)
    if arg.kind == "integer":
        return st.integers(m + 1, 10 * m + 1)
    base = np.asarray(base, dtype=np.float64)
    if base.ndim <= 1:
        fill = 1.0 / (m + 1) if arg.kind == "prob" else float(base.flat[0])
        return st.just(np.broadcast_to(np.float64(fill), (m + 1,)))
    rows = m // int(np.prod(base.shape[1:])) + 1
    fill = float(base.flat[0])
    return st.just(np.broadcast_to(np.float64(fill), (rows,) + base.shape[1:]))


def bad_values(arg, kind: str, base) -> st.SearchStrategy:
    """Hypothesis strategy of values of ``kind`` that ``arg``'s contract refuses."""
    scalar = arg.kind in ("real", "integer", "seed", "choice", "boolean", "func")
    nan = st.just(math.nan)
    inf = st.sampled_from([math.inf, -math.inf])
    if kind == "nan":
        return nan if scalar else _with_entry(np.asarray(base), nan)
    if kind == "inf":
        return inf if scalar else _with_entry(np.asarray(base), inf)
    if kind == "negative":
        if arg.kind == "seed":
            return st.integers(-10**6, -1)
        return _with_entry(np.asarray(base), st.floats(-1.0, -1e-3))
    if kind in ("below", "above"):
        side = _below(arg) if kind == "below" else _above(arg)
        return side if scalar else _with_entry(np.asarray(base), side)
    if kind == "empty":
        b = np.asarray(base)
        return st.just(np.empty((0,) + b.shape[1:]) if b.ndim > 1 else np.empty(0))
    if kind == "wrong_shape":
        b = np.asarray(base, dtype=np.float64)
        opts = [np.stack([b, b]) if arg.kind == "array" else b[None, None]]
        if b.ndim >= 2:
            opts.append(b.ravel())
        return st.sampled_from(opts)
    if kind == "wrong_type":
        return _wrong_type(arg)
    if kind == "unnormalised":
        b = np.asarray(base, dtype=np.float64)
        return st.one_of(st.floats(1.01, 3.0), st.floats(0.2, 0.99)).map(lambda f: b * f)
    if kind == "fraction":
        lo = max(arg.low if arg.low is not None else 0, 0)
        hi = arg.high if arg.high is not None else lo + 100
        return st.floats(lo + 0.01, max(hi - 0.01, lo + 0.02)).filter(
            lambda x: not float(x).is_integer())
    if kind == "bool":
        return st.sampled_from([True, np.True_])
    if kind == "too_large":
        return _too_large(arg, base)
    if kind == "unknown_option":
        return st.text(min_size=0, max_size=6).filter(lambda s: s not in arg.options)
    raise AssertionError(f"unknown bad kind {kind!r}")


# --------------------------------------------------------------------------------------------
# running a call under the limits
# --------------------------------------------------------------------------------------------
def _refused(f, kwargs: dict) -> tuple[BaseException, int, float]:
    """Call ``f(**kwargs)``; return the exception, the peak traced bytes and the CPU seconds."""
    tracemalloc.start()
    t0 = time.process_time()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            f(**kwargs)
    except (ValueError, TypeError) as err:
        exc = err
    else:
        exc = None
    finally:
        cpu = time.process_time() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return exc, peak, cpu


def _names(message: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", message) is not None


@pytest.mark.parametrize("mod, name, arg_name, kind", list(_arg_cases()))
def test_bad_argument_is_refused(mod, name, arg_name, kind):
    contract = TABLES[mod][name]
    arg = contract.args[arg_name]
    f = _target(mod, name)
    base = _baseline(contract)

    @SETTINGS
    @given(bad=bad_values(arg, kind, base.get(arg_name)))
    def check(bad):
        kwargs = dict(base, **{arg_name: bad})
        exc, peak, cpu = _refused(f, kwargs)
        assert exc is not None, f"{name}({arg_name}={bad!r}) was accepted"
        assert _names(str(exc), arg_name), f"message does not name {arg_name!r}: {exc}"
        assert peak < BAD_CALL_BYTES, f"allocated {peak / 2**20:.1f} MiB before refusing"
        assert cpu < BAD_CALL_CPU_S, f"took {cpu:.2f} s of CPU before refusing"

    check()


@pytest.mark.parametrize("mod, name, index", list(_large_cases()))
def test_too_large_call_is_refused_before_allocating(mod, name, index):
    contract = TABLES[mod][name]
    over = {k: C.evaluate(v) for k, v in contract.too_large[index].items()}
    kwargs = dict(_baseline(contract), **over)
    exc, peak, cpu = _refused(_target(mod, name), kwargs)
    assert exc is not None, f"{name} accepted a too-large call {sorted(over)}"
    assert "limit" in str(exc) or any(_names(str(exc), k) for k in over), str(exc)
    assert peak < BAD_CALL_BYTES, f"allocated {peak / 2**20:.1f} MiB before refusing"
    assert cpu < BAD_CALL_CPU_S, f"took {cpu:.2f} s of CPU before refusing"


def _no_nan(value, path="result"):
    if isinstance(value, (float, np.floating)):
        assert not math.isnan(value), f"{path} is NaN"
    elif isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating):
        assert not np.isnan(value).any(), f"{path} has NaN"
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            _no_nan(v, f"{path}[{i}]")
    elif dataclasses.is_dataclass(value):
        for fld in dataclasses.fields(value):
            _no_nan(getattr(value, fld.name), f"{path}.{fld.name}")


@pytest.mark.parametrize("mod, name", [pytest.param(m, n, id=f"{m}.{n}")
                                       for m, n, _ in _functions()])
def test_baseline_call_is_accepted_and_not_nan(mod, name):
    contract = TABLES[mod][name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = _target(mod, name)(**_baseline(contract))
    _no_nan(result)


@pytest.mark.parametrize("mod", C.MODULES)
def test_every_public_name_has_a_contract(mod):
    module = importlib.import_module(f"kitlib.{mod}")
    table = TABLES[mod]
    assert table is not None, f"kitlib/contracts/{mod}.py is missing"
    assert sorted(set(module.__all__) - set(table)) == [], "public names without a contract"
    assert sorted(set(table) - set(module.__all__)) == [], "contracts for non-public names"


@pytest.mark.parametrize("mod, name", [pytest.param(m, n, id=f"{m}.{n}")
                                       for m, n, _ in _functions()])
def test_contract_lists_every_argument(mod, name):
    import inspect

    params = inspect.signature(_target(mod, name)).parameters
    args = TABLES[mod][name].args
    assert sorted(params) == sorted(args)
    assert set(TABLES[mod][name].baseline) <= set(params)


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("mod, name", [pytest.param(m, n, id=f"{m}.{n}")
                                       for m, n, _ in _functions()])
def test_docstring_states_the_contract(mod, name):
    """The docstring carries the table's contract (refresh: python -m kitlib.contracts MOD)."""
    doc = _target(mod, name).__doc__ or ""
    assert _squash(C.contract_text(TABLES[mod][name])) in _squash(doc)
