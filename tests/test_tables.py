"""The table cache (kitlib.tables): shipped files are current and equal a fresh computation.

Every registered table at every shipped parameter set must have its file for the current code
(else: run ``make tables``), and that file must hold what a fresh computation gives now. The
mechanics (keys, staleness, read-only results) are tested on a throw-away table.
"""

from __future__ import annotations

import numpy as np
import pytest

from kitlib.tables import _cache, load_all

SPECS = load_all()
SHIPPED = [(name, params) for name, spec in sorted(SPECS.items()) for params in spec.shipped()]


def _ids(item):
    name, params = item
    return name + ("" if params == SPECS[name].complete({}) else f"-{sorted(params.items())}")


@pytest.mark.parametrize("item", SHIPPED, ids=[_ids(i) for i in SHIPPED])
def test_shipped_table_is_current_and_equals_a_fresh_computation(item):
    name, params = item
    spec = SPECS[name]
    path = spec.path(params)
    assert path.is_file(), f"{path.name} missing for the current code: run `make tables`"
    stored = _cache._load(spec, params)
    assert stored is not None, f"{path.name} is unreadable or keyed to other code: run `make tables`"
    fresh = spec.compute(params)
    flat_s, flat_f = _cache._flatten(stored), _cache._flatten(fresh)
    assert sorted(flat_s) == sorted(flat_f)
    for key in flat_f:
        s, f = flat_s[key], flat_f[key]
        assert s.shape == f.shape and s.dtype == f.dtype, key
        if np.issubdtype(f.dtype, np.floating) or np.issubdtype(f.dtype, np.complexfloating):
            np.testing.assert_allclose(s, f, rtol=1e-9, atol=1e-12, equal_nan=True, err_msg=key)
        else:
            np.testing.assert_array_equal(s, f, err_msg=key)


def test_no_stale_or_unknown_files_are_shipped():
    wanted = {SPECS[n].path(p).name for n, p in SHIPPED}
    shipped = {p.name for p in _cache.DATA_DIR.glob("*.npz")}
    assert shipped <= wanted, f"stale table files (run `make tables`): {sorted(shipped - wanted)}"


# -- mechanics, on a throw-away table ----------------------------------------------------------
@pytest.fixture()
def demo(tmp_path, monkeypatch):
    monkeypatch.setattr(_cache, "DATA_DIR", tmp_path)
    calls = []

    def compute(*, n=3, scale=1.0):
        calls.append((n, scale))
        return {"x": scale * np.arange(n), "n": n, "nested": {"label": np.array(["a", "b"])}}

    name = f"test.demo{len(_cache.TABLES)}"
    f = _cache.table(name, presets=({"n": 4},))(compute)
    yield f, calls
    _cache.TABLES.pop(name, None)


def test_memory_cache_and_defaults_share_a_key(demo):
    f, calls = demo
    a = f()
    assert f(n=3) is a and calls == [(3, 1.0)]
    assert a["n"] == 3 and isinstance(a["n"], int)
    with pytest.raises(ValueError):
        a["x"][0] = 5.0  # read-only: a caller cannot corrupt the cache
    with pytest.raises(TypeError):
        f(3)
    with pytest.raises(TypeError, match="no parameter"):
        f(m=2)


def test_disk_round_trip_and_stale_files_are_never_read(demo, monkeypatch):
    f, calls = demo
    spec = f.spec
    params = spec.complete({"n": 4})
    _cache.save(spec, params, {"x": np.full(4, 7.0), "n": 4, "nested": {"label": np.array(["z"])}})
    assert f(n=4)["x"][0] == 7.0 and calls == []  # read from disk, not computed
    spec.memory.clear()
    monkeypatch.setenv("KITLIB_TABLES", "compute")
    assert f(n=4)["x"][0] == 0.0 and calls == [(4, 1.0)]  # files ignored on request
    monkeypatch.delenv("KITLIB_TABLES")
    spec.memory.clear()
    _cache.fingerprint.cache_clear()
    monkeypatch.setattr(_cache, "_raw_hash", lambda sources: "changed")
    monkeypatch.setattr(_cache, "_code_only", lambda text: "other code")
    try:
        assert f(n=4)["x"][0] == 0.0  # the code changed: the old file's key no longer matches
    finally:
        _cache.fingerprint.cache_clear()


def test_fingerprint_ignores_docstrings_and_comments_but_not_code():
    base = "def f(x):\n    '''doc'''\n    return x + 1  # one\n"
    assert _cache._code_only(base) == _cache._code_only(base.replace("doc", "other").replace("one", "two"))
    assert _cache._code_only(base) != _cache._code_only(base.replace("x + 1", "x + 2"))


def test_tables_refuse_positional_parameters_and_unhashable_values():
    with pytest.raises(TypeError, match="keyword-only"):
        _cache.table("test.bad_signature")(lambda n=1: {"n": n})
    with pytest.raises(TypeError, match="must be a number"):
        _cache._canonical({"grid": np.arange(3)})
