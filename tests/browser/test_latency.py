"""A drag in real JupyterLab + Chromium ends on the last value's frame, and the kernel computes
fewer updates than the drag sent key presses (the latest value wins). Counts, never times."""

import time

from .lab import EXPLORER_STATE, NotebookPage

PRESSES = 20


def test_drag_of_rapid_presses_ends_on_the_last_value_with_fewer_updates(lab, chrome):
    base, token, _ = lab
    page = chrome.new_page(viewport={"width": 1400, "height": 1000})
    try:
        nb = NotebookPage(page, base, token, "00_start_here.ipynb")
        nb.run_all()
        assert nb.error_outputs() == []
        assert nb.wait_explorers(1) == 1
        assert all(w > 0 for w, _ in nb.wait_canvases())
        before = nb.kernel_json(EXPLORER_STATE)[-1]
        name, value, lo, hi, step, _ = before["sliders"][0]
        key = "ArrowRight" if (hi - value) / step >= PRESSES else "ArrowLeft"
        drag = nb.timed_drag(0, 0, key, presses=PRESSES, gap_ms=30.0)
        assert drag["presses"] == PRESSES and drag["changes_ms"], "the canvas never changed"

        deadline = time.monotonic() + 30
        while True:  # until the kernel has served every change (no update pending)
            after = nb.kernel_json(EXPLORER_STATE)[-1]
            if not after["pending"] and after["frame_params"] == after["params"] \
                    or time.monotonic() > deadline:
                break
            page.wait_for_timeout(100)
        expected = value + (1 if key == "ArrowRight" else -1) * PRESSES * step
        # the kernel holds the slider's final value, and the browser shows the same
        assert abs(after["params"][name] - expected) < step / 2, (after["params"], expected)
        assert abs(float(nb.slider_readout(0, 0)) - after["params"][name]) < step / 2
        # the frame on screen was computed for that value, with nothing left to do
        assert after["frame_params"] == after["params"] and not after["pending"]
        # 20 presses, far fewer updates: stale values were dropped
        updates = after["n_updates"] - before["n_updates"]
        assert 1 <= updates < PRESSES, updates
        assert after["n_requests"] - before["n_requests"] >= updates
        assert nb.error_outputs() == []
    finally:
        page.close()
