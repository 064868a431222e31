"""Every topic notebook in real JupyterLab + Chromium: Run All shows no error, every explorer
renders a non-blank canvas, and every slider of every explorer, moved with the keyboard,
changes its canvas."""

from pathlib import Path

import nbformat
import pytest

from .lab import ROOT, NotebookPage

TOPIC_NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                         if not p.name.startswith("00_"))


def expected_explorers(name: str) -> int:
    """How many explorers the notebook builds: code cells that call an ``*_explorer()`` factory."""
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return sum("_explorer()" in c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("name", TOPIC_NOTEBOOKS)
def test_notebook_runs_and_every_explorer_responds(lab, chrome, name):
    base, token, _ = lab
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    try:
        nb = NotebookPage(page, base, token, name)
        nb.run_all(timeout=240)
        assert nb.error_outputs() == [], name
        expected = expected_explorers(name)
        n = nb.wait_explorers(expected)
        assert n == expected >= 1, f"{name}: {n} of {expected} explorers rendered"
        for i in range(n):
            assert nb.canvas_pixels(i).std() > 0, f"{name}: explorer {i} canvas is blank"
            for j in range(nb.sliders_of(i).count()):
                before = nb.canvas_pixels(i)
                nb.press_slider_key(i, j, "ArrowRight")
                after, _ = nb.wait_pixels_change(i, before)
                if after is None:  # at the end of its range: step back instead
                    nb.press_slider_key(i, j, "ArrowLeft")
                    nb.press_slider_key(i, j, "ArrowLeft")
                    after, _ = nb.wait_pixels_change(i, before)
                assert after is not None, f"{name}: explorer {i}, slider {j}: no change on a key press"
        assert nb.error_outputs() == [], name
    finally:
        page.close()


def test_topic_notebooks_exist():
    assert "01_mode_seeking_vs_mass_covering.ipynb" in TOPIC_NOTEBOOKS
    assert all(Path(ROOT / "notebooks" / n).stat().st_size > 0 for n in TOPIC_NOTEBOOKS)
