"""Shared test set-up: a headless matplotlib backend and figure clean-up."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def built(request):
    """Every explorer of the test module's ``views`` module, built once for the module."""
    registry = request.module.views.EXPLORERS
    out = {name: factory() for name, factory in sorted(registry.items())}
    yield out
    for ex in out.values():
        plt.close(ex.fig)
