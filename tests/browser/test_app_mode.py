"""App mode (`make app`): a notebook served by Voilà shows live explorers without code, and a
slider moved with the keyboard changes the canvas."""

import io

import matplotlib.image as mpimg
import numpy as np

from .lab import voila_server


def _pixels(canvas):
    return mpimg.imread(io.BytesIO(canvas.screenshot()), format="png")


def test_voila_app_slider_moves_canvas(chromium, chrome, tmp_path):
    with voila_server(tmp_path, "00_start_here.ipynb") as url:
        page = chrome.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(url, timeout=120_000)
            canvas = page.locator(".kit-explorer .jupyter-matplotlib-figure canvas").first
            canvas.wait_for(timeout=120_000)
            body = page.inner_text("body")
            # code lines of the notebook (the prose may name kitlib modules, but not import them)
            assert "from kitlib import" not in body and "gaussian_kl_explorer()" not in body, \
                "code is shown"
            assert "Start here: Divergence Lab" in body  # the narrative is
            page.wait_for_timeout(500)
            before = _pixels(canvas)
            assert before.std() > 0
            handle = page.locator(".kit-explorer .widget-slider .noUi-handle").first
            handle.focus()
            page.keyboard.press("ArrowRight")
            for _ in range(200):
                page.wait_for_timeout(25)
                after = _pixels(canvas)
                if not np.array_equal(before, after):
                    break
            assert not np.array_equal(before, after), "slider key press did not change the canvas"
            assert page.locator("text=Traceback").count() == 0
        finally:
            page.close()
