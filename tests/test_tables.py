"""The table cache (kitlib.tables): shipped files are current and equal a fresh computation.

Every registered table at every shipped parameter set must have its file for the current code
(else: run ``make tables``), and that file must hold what a fresh computation gives now. The
mechanics (keys, staleness, read-only results) are tested on a throw-away table.
"""

from __future__ import annotations

import numpy as np
import pytest

from kitlib import tables
from kitlib.tables import load_all

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
    stored = spec.load(params)
    assert stored is not None, f"{path.name} is unreadable or keyed to other code: run `make tables`"
    fresh = spec.compute(params)
    flat_s, flat_f = tables.flatten(stored), tables.flatten(fresh)
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
    shipped = {p.name for p in tables.DATA_DIR.glob("*.npz")}
    assert shipped <= wanted, f"stale table files (run `make tables`): {sorted(shipped - wanted)}"


# -- mechanics, on a throw-away table ----------------------------------------------------------
@pytest.fixture()
def demo(tmp_path):
    calls = []

    def compute(*, n=3, scale=1.0):
        calls.append((n, scale))
        return {"x": scale * np.arange(n), "n": n, "nested": {"label": np.array(["a", "b"])}}

    name = f"test.demo{len(tables.TABLES)}"
    f = tables.table(name, presets=({"n": 4},))(compute)
    f.spec.data_dir = tmp_path
    yield f, calls
    tables.TABLES.pop(name, None)


def test_memory_cache_and_defaults_share_a_key(demo):
    f, calls = demo
    a = f()
    assert f(n=3) is a and calls == [(3, 1.0)]
    assert a["n"] == 3 and isinstance(a["n"], int)
    assert list(a["nested"]["label"]) == ["a", "b"]
    with pytest.raises(ValueError):
        a["x"][0] = 5.0  # read-only: a caller cannot corrupt the cache
    with pytest.raises(TypeError):
        f(3)
    with pytest.raises(TypeError, match="no parameter"):
        f(m=2)
    assert f.spec.shipped() == [{"n": 3, "scale": 1.0}, {"n": 4, "scale": 1.0}]


def test_disk_round_trip_and_stale_files_are_never_read(demo, monkeypatch):
    f, calls = demo
    spec = f.spec
    marked = {"x": np.full(4, 7.0), "n": 4, "nested": {"label": np.array(["z"])}}
    spec.save({"n": 4}, marked)
    assert f(n=4)["x"][0] == 7.0 and calls == []  # read from disk, not computed
    spec.memory.clear()
    monkeypatch.setenv("KITLIB_TABLES", "compute")
    assert f(n=4)["x"][0] == 0.0 and calls == [(4, 1.0)]  # files ignored on request
    monkeypatch.delenv("KITLIB_TABLES")
    # a file written by other code is keyed (and named) differently: never read
    spec.memory.clear()
    spec.path({"n": 4}).unlink()
    old = spec.save({"n": 4}, marked, code="the code before an edit")
    assert old != spec.path({"n": 4})
    assert f(n=4)["x"][0] == 0.0 and len(calls) == 2
    # ... even when renamed to the current name: the key stored inside must match too
    spec.memory.clear()
    old.replace(spec.path({"n": 4}))
    assert f(n=4)["x"][0] == 0.0 and len(calls) == 3


def test_a_returned_constant_is_not_frozen_for_its_owner(tmp_path):
    grid = np.linspace(0.0, 1.0, 5)
    f = tables.table(f"test.constant{len(tables.TABLES)}")(lambda *, n=1: {"grid": grid})
    f.spec.data_dir = tmp_path
    try:
        out = f()
        with pytest.raises(ValueError):
            out["grid"][0] = 9.0
        grid[0] = -1.0  # the module's own constant stays writable
        assert out["grid"][0] == -1.0  # (a view: no copy of large tables)
    finally:
        tables.TABLES.pop(f.spec.name, None)


def test_fingerprint_ignores_docstrings_and_comments_but_not_code():
    base = "def f(x):\n    '''doc'''\n    return x + 1  # one\n"
    assert tables.code_only(base) == tables.code_only(base.replace("doc", "other").replace("one", "two"))
    assert tables.code_only(base) != tables.code_only(base.replace("x + 1", "x + 2"))


def test_tables_refuse_positional_parameters_and_unhashable_values():
    with pytest.raises(TypeError, match="keyword-only"):
        tables.table("test.bad_signature")(lambda n=1: {"n": n})
    with pytest.raises(TypeError, match="must be a number"):
        tables.canonical({"grid": np.arange(3)})
