"""The start-here notebook in real JupyterLab + Chromium: Run All, no error, a slider moved
with the keyboard changes the canvas pixels."""

import numpy as np

from .lab import NotebookPage


def test_start_here_runs_and_slider_moves_canvas(lab, chrome):
    base, token, _ = lab
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    try:
        nb = NotebookPage(page, base, token, "00_start_here.ipynb")
        nb.run_all()
        assert nb.error_outputs() == []
        assert nb.wait_explorers(1) == 1
        page.locator(".kit-explorer .jupyter-matplotlib-figure canvas").first.wait_for()
        before = nb.canvas_pixels(0)
        assert before.std() > 0, "the canvas is blank"
        assert nb.sliders_of(0).count() >= 2
        nb.press_slider_key(0, 0, "ArrowRight")
        after, _ = nb.wait_pixels_change(0, before)
        assert after is not None, "a slider key press did not change the canvas"
        assert not np.array_equal(before, after)
        assert nb.error_outputs() == []
    finally:
        page.close()
