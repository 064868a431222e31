"""Explorers are driven from two threads at once in JupyterLab: ipykernel 7 runs widget
callbacks in a kernel *subshell* thread while cells run in the main thread, and matplotlib is not
thread-safe (its mathtext parser and rc settings are shared). kitlib serialises all figure work
with one lock; this test drives explorers from several threads and expects no failed update and
frames identical to a full render."""

import threading

import numpy as np

from kitlib.controls import slider
from kitlib.explore import Explorer
from kitlib.figures import new_figure
from views_sweep import assert_frame_is_full_render


def _math_explorer(seed):
    fig, (ax, ax2) = new_figure(1, 2)
    x = np.linspace(0.0, 1.0, 200)
    (line,) = ax.plot(x, x, label=r"$\hat h_G(\ln n/d)$ estimate")
    ax.plot(x, 1 - x, label=r"asymptotic $h_G(\ln n/d)$")
    ax.legend(loc="upper right")
    ax.set_ylim(-3, 3)
    readout = ax2.text(0.1, 0.5, "", transform=ax2.transAxes)

    def compute(p):
        return np.sin(2 * np.pi * p["k"] * x + seed), p["k"]

    def draw(d):
        y, k = d
        line.set_ydata(y)
        ax2.set_title(rf"$\alpha = {k:.2f}$, $\sqrt{{k}} = {np.sqrt(k):.3f}$")
        readout.set_text(rf"$\kappa_d = {k ** 2:.3f}$")

    return Explorer({"k": slider("k", 1.0, 0.1, 3.0, 0.01)}, compute, draw, fig=fig)


def test_explorers_driven_from_several_threads_stay_correct():
    explorers = [_math_explorer(s) for s in range(3)]
    errors = []

    def drive(ex, offset):
        try:
            for i in range(40):
                ex.set(k=round(0.1 + ((i * 7 + offset) % 290) / 100, 2))
                if ex.last_error:
                    errors.append(ex.last_error)
            for ax in ex.fig.axes:  # new limits force full renders too
                ax.set_xlim(0, 1.0 + 0.01 * offset)
            ex.update()
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            errors.append(repr(exc))

    def build_more():
        try:
            for s in range(4):
                _math_explorer(10 + s)  # figure creation under rc settings, first render
        except Exception as exc:  # noqa: BLE001
            errors.append(repr(exc))

    threads = [threading.Thread(target=drive, args=(ex, i)) for i, ex in enumerate(explorers)]
    threads.append(threading.Thread(target=build_more))
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for i, ex in enumerate(explorers):
        assert_frame_is_full_render(ex.fig, f"explorer {i} after threaded updates")
