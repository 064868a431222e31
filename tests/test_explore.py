"""The Explorer machinery: updates in place, errors land in the message area, inline fallback."""

import threading

import ipywidgets as W
import numpy as np
import pytest

from kitlib.controls import checkbox, dropdown, int_slider, log_slider, slider
from kitlib.explore import Explorer
from kitlib.figures import drawn_arrays, drawn_texts, figure_pixels, new_figure, non_finite_drawn


def _line_explorer(fail_above=None):
    fig, ax = new_figure()
    (line,) = ax.plot([], [])
    text = ax.text(0.5, 0.5, "")
    calls = {"compute": 0, "draw": 0}

    def compute(p):
        calls["compute"] += 1
        if fail_above is not None and p["k"] > fail_above:
            raise ValueError(f"k must be <= {fail_above}; got {p['k']}")
        x = np.linspace(0.0, 1.0, 11)
        return x, p["k"] * x**2 + (1.0 if p["shift"] else 0.0), p["label"]

    def draw(data):
        calls["draw"] += 1
        x, y, label = data
        line.set_data(x, y)
        text.set_text(label)
        ax.set_ylim(-1, 5)

    controls = {"k": slider("k", 1.0, 0.0, 2.0, 0.1),
                "shift": checkbox("shift"),
                "label": dropdown("label", ["a", "b"], "a")}
    ex = Explorer(controls, compute, draw, fig=fig, title="test", note="look")
    return ex, line, text, calls


def test_built_once_and_drawn_on_construction():
    ex, line, text, calls = _line_explorer()
    # one update; the frame renderer runs the draw callback once more on the same data to
    # learn which artists it changes (kitlib.blit.FrameRenderer.prime)
    assert calls == {"compute": 1, "draw": 2}
    assert line.get_ydata()[-1] == pytest.approx(1.0)
    assert ex.last_error is None
    assert ex.last_update_seconds >= 0.0


def test_set_updates_existing_artists_once():
    ex, line, text, calls = _line_explorer()
    axes_before = list(ex.fig.axes)
    lines_before = list(ex.fig.axes[0].lines)
    ex.set(k=2.0, shift=True, label="b")
    assert calls["compute"] == 2  # one update for three controls
    assert line.get_ydata()[-1] == pytest.approx(3.0)
    assert text.get_text() == "b"
    assert ex.fig.axes == axes_before and list(ex.fig.axes[0].lines) == lines_before
    assert ex.params == {"k": 2.0, "shift": True, "label": "b"}


def test_widget_change_triggers_update():
    ex, line, _, calls = _line_explorer()
    ex.controls["k"].value = 0.5
    assert calls["compute"] == 2
    assert line.get_ydata()[-1] == pytest.approx(0.5)


def test_set_changes_pixels():
    ex, *_ = _line_explorer()
    before = figure_pixels(ex.fig)
    ex.set(k=2.0)
    assert not np.array_equal(before, figure_pixels(ex.fig))


def test_exception_goes_to_message_and_explorer_recovers():
    ex, line, _, _ = _line_explorer(fail_above=1.5)
    ex.set(k=1.8)
    assert ex.last_error == "ValueError: k must be <= 1.5; got 1.8"
    assert "k must be &lt;= 1.5" in ex.message.value
    assert line.get_ydata()[-1] == pytest.approx(1.0)  # previous picture kept
    ex.set(k=0.5)
    assert ex.last_error is None and ex.message.value == ""
    assert line.get_ydata()[-1] == pytest.approx(0.5)


def test_exception_from_widget_callback_does_not_propagate():
    ex, *_ = _line_explorer(fail_above=1.5)
    ex.controls["k"].value = 2.0  # would raise inside an ipywidgets observer
    assert ex.last_error.startswith("ValueError")


def test_reset_restores_defaults():
    ex, line, _, _ = _line_explorer()
    ex.set(k=2.0, label="b")
    ex.reset()
    assert ex.params == {"k": 1.0, "shift": False, "label": "a"}
    assert line.get_ydata()[-1] == pytest.approx(1.0)
    ex.set(k=0.3)
    ex.reset_button.click()
    assert ex.params["k"] == 1.0


@pytest.mark.parametrize("bad, match", [
    ({"nope": 1}, "unknown control 'nope'"),
    ({"k": 3.0}, r"must lie in \[0, 2\]"),
    ({"k": float("nan")}, "finite number"),
    ({"label": "c"}, "must be one of"),
    ({"shift": "yes"}, "True or False"),
])
def test_set_rejects_bad_values_instead_of_clipping(bad, match):
    ex, *_ = _line_explorer()
    with pytest.raises(ValueError, match=match):
        ex.set(**bad)
    assert ex.params["k"] == 1.0


def test_log_slider_range_is_checked_in_value_space():
    fig, ax = new_figure()
    ex = Explorer({"h": log_slider("h", 1.0, -1, 1)}, lambda p: p["h"], lambda d: None, fig=fig)
    ex.set(h=10.0)
    with pytest.raises(ValueError, match="must lie in"):
        ex.set(h=20.0)


def test_empty_controls_rejected():
    fig, _ = new_figure()
    with pytest.raises(ValueError, match="controls"):
        Explorer({}, lambda p: None, lambda d: None, fig=fig)


def test_inline_fallback_uses_output_widget():
    ex, *_ = _line_explorer()
    # Agg canvas is not a widget: the figure is rendered into an Output widget.
    assert isinstance(ex._output, W.Output)
    assert ex._output in ex.widget.children
    assert ex.controls["k"] in ex.widget.children[1].children[0].children


def _ipympl_figure():
    import matplotlib.pyplot as plt
    from ipympl.backend_nbagg import _Backend_ipympl

    with plt.ioff():
        fig = plt.figure()
        _Backend_ipympl.new_figure_manager_given_figure(9001, fig)  # canvas + manager
    return fig


def test_ipympl_canvas_is_embedded_and_frames_are_pushed(monkeypatch):
    fig = _ipympl_figure()
    ax = fig.add_subplot()
    ax.set_ylim(0, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    sent, idle = [], []
    monkeypatch.setattr(fig.canvas, "send_binary", lambda data: sent.append(data))
    monkeypatch.setattr(fig.canvas, "draw_idle", lambda *a, **k: idle.append(1))
    ex = Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"],
                  lambda k: line.set_ydata([0, k]), fig=fig)
    assert ex._output is None
    assert fig.canvas in ex.widget.children
    ex.set(k=0.5)
    assert sent == []  # no browser has connected yet: nothing is pushed
    fig.canvas._handle_message(fig.canvas, {"type": "initialized"}, [])
    n0 = len(sent)
    ex.set(k=2.0)
    ex.set(k=1.5)
    assert line.get_ydata()[1] == 1.5
    # Each update sends its frame straight away (a PNG), without a draw-request round trip.
    assert len(sent) == n0 + 2 and all(d[:4] == b"\x89PNG" for d in sent)
    assert idle == []
    assert ex._frames.blits >= 1
    # Pushed frames are whole images (a dropped "diff" frame would leave stale pixels).
    assert fig.canvas._current_image_mode == "full"


def test_drawn_arrays_and_texts_see_nan():
    fig, ax = new_figure()
    ax.plot([0, 1], [0, np.nan])
    ax.text(0, 0, "KL = nan")
    assert any(not np.isfinite(a).all() for a in drawn_arrays(fig))
    assert any("nan" in t for t in drawn_texts(fig))


def _clean_figure():
    from matplotlib.collections import LineCollection

    fig, ax = new_figure()
    bars = ax.bar([0, 1], [1.0, 2.0])
    (line,) = ax.plot([0, 1], [0, 1])
    ax.fill_between([0, 1], [0, 0], [1, 2])
    segs = LineCollection([[(0, 0), (1, 1)]])
    ax.add_collection(segs)
    im = ax.imshow(np.ones((2, 2)), extent=(0, 1, 0, 1))
    label = ax.text(0.5, 0.5, "KL = 0.25 (information, ∞ allowed as a symbol)")
    return fig, ax, bars, line, segs, im, label


def test_non_finite_drawn_is_empty_for_a_clean_figure():
    fig, *_ = _clean_figure()
    assert non_finite_drawn(fig) == []


@pytest.mark.parametrize("spoil, where", [
    (lambda f: f[2][1].set_height(np.nan), "Rectangle"),  # a bar whose height is NaN
    (lambda f: f[2][0].set_x(np.inf), "Rectangle"),
    (lambda f: f[4].set_segments([[(0, 0), (1, np.nan)]]), "LineCollection"),
    # set_extent refuses NaN itself, but an extent stored without it is drawn as is
    (lambda f: setattr(f[5], "_extent", (0, np.nan, 0, 1)), "image extent"),
    (lambda f: f[6].set_text("gain = nan%"), "text"),
    (lambda f: f[6].set_text("KL=inf"), "text"),
    (lambda f: f[6].set_text("(-inf, 1)"), "text"),
    (lambda f: f[6].set_position((np.nan, 0.5)), "position"),
    (lambda f: f[1].axes.fill_between([0, 1], [0, 0], [1, 2]).set_verts([[(0, 0), (np.nan, 1)]]),
     "FillBetweenPolyCollection"),
])
def test_non_finite_drawn_sees_every_kind_of_artist(spoil, where):
    """Bars, segments, fills, images, text values and text anchors: all checked (issue 17)."""
    parts = _clean_figure()
    spoil(parts)
    bad = non_finite_drawn(parts[0])
    assert bad and any(where in b for b in bad), bad


def test_layout_is_solved_once_then_frozen():
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    ex, *_ = _line_explorer()
    assert isinstance(ex.fig.get_layout_engine(), PlaceHolderLayoutEngine)
    pos = ex.fig.axes[0].get_position().bounds
    ex.set(k=2.0)
    assert ex.fig.axes[0].get_position().bounds == pos


def test_deferred_build_runs_no_update_until_set():
    with Explorer.deferred():
        ex, line, _, calls = _line_explorer()
    assert calls["compute"] == 0 and ex.n_updates == 0
    ex.set(k=0.5)
    assert calls["compute"] == 1 and line.get_ydata()[-1] == pytest.approx(0.5)


def _int_explorer():
    fig, _ = new_figure()
    seen = []
    controls = {"n": int_slider("n", 3, 1, 10), "k": slider("k", 1.0, 0.0, 2.0, 0.1),
                "h": log_slider("h", 1.0, -1, 1), "mode": dropdown("mode", [1, 2], 1)}
    return Explorer(controls, lambda p: seen.append(dict(p)), lambda d: None, fig=fig), seen


@pytest.mark.parametrize("bad", [{"k": True}, {"k": False}, {"h": True}, {"n": True},
                                 {"n": np.True_}, {"mode": True}])
def test_set_refuses_booleans_on_numeric_controls(bad):
    """True used to be taken as 1.0 on every numeric slider (issue 17)."""
    ex, seen = _int_explorer()
    before = ex.params
    with pytest.raises(ValueError, match=f"control '{next(iter(bad))}'"):
        ex.set(**bad)
    assert ex.params == before and len(seen) == 1


@pytest.mark.parametrize("value", [2.7, 2.5, np.float64(3.2)])
def test_set_refuses_fractions_on_integer_sliders(value):
    """2.7 used to be truncated to 2 (issue 17)."""
    ex, _ = _int_explorer()
    with pytest.raises(ValueError, match="control 'n' takes an integer"):
        ex.set(n=value)
    assert ex.params["n"] == 3


def test_set_accepts_integral_floats_on_integer_sliders():
    ex, seen = _int_explorer()
    ex.set(n=4.0, k=1)  # an int on a float slider is a number, not a boolean
    assert ex.params["n"] == 4 and isinstance(ex.params["n"], int)
    assert seen[-1]["n"] == 4 and ex.params["k"] == 1.0


# -- coalesced updates: the latest value wins (issue 16) ----------------------------------------
@pytest.fixture
def coalescing(monkeypatch):
    """Explorer.coalesce switched on (it is off by default, see its comment)."""
    monkeypatch.setattr(Explorer, "coalesce", True)


def _run_in_own_loop(make_coroutine):
    """``asyncio.run(make_coroutine())`` in a thread of its own, as a kernel's subshell runs
    widget messages on its own loop. (The browser tests' Playwright keeps an event loop running
    in the main thread for the whole session, where ``asyncio.run`` would refuse to start.)"""
    import asyncio

    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def _from_browser(widget, value):
    """Apply ``value`` as a front end's message does (ipywidgets' set_state; a dropdown
    syncs the option's index)."""
    if isinstance(widget, W.Dropdown):
        labels = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        widget.set_state({"index": labels.index(value)})
    else:
        widget.set_state({"value": value})


def test_browser_changes_in_a_running_loop_coalesce_into_one_update_with_the_last_values(coalescing):
    import asyncio

    ex, line, text, calls = _line_explorer()
    values = [round(0.1 * k, 1) for k in range(1, 21) if k != 10]  # 1.0 is the current value

    async def drag():
        for v in values:  # 20 messages queued while nothing else runs
            _from_browser(ex.controls["k"], v)
        _from_browser(ex.controls["label"], "b")
        assert calls["compute"] == 1 and ex.pending  # nothing computed yet, one update scheduled
        while ex.pending:
            await asyncio.sleep(0.001)

    _run_in_own_loop(drag)
    assert calls["compute"] == 2  # construction + one update for 21 changes
    assert ex.n_requests == len(values) + 1 and ex.n_updates == 2
    assert ex.params["k"] == 2.0 and ex.frame_params == {"k": 2.0, "shift": False, "label": "b"}
    assert line.get_ydata()[-1] == pytest.approx(2.0) and text.get_text() == "b"
    assert ex.stage_log[-1]["requests"] == len(values) + 1 and ex.stage_log[-1]["params"]["k"] == 2.0


class _FakeLoop:
    """Just enough of an event loop: call_later records, run() fires what is due in order."""

    def __init__(self):
        self.calls = []

    class Handle:
        def __init__(self, callback, args):
            self.callback, self.args, self.done = callback, args, False

        def cancel(self):
            self.done = True

        def _run(self):
            if not self.done:
                self.done = True
                self.callback(*self.args)

    def call_later(self, delay, callback, *args):
        handle = self.Handle(callback, args)
        self.calls.append(handle)
        return handle

    def run(self):
        while self.calls:
            self.calls.pop(0)._run()


def test_queued_changes_are_computed_once_with_a_fake_loop(coalescing, monkeypatch):
    import kitlib.explore as explore

    ex, line, _, calls = _line_explorer()
    loop = _FakeLoop()
    monkeypatch.setattr(explore, "_running_loop", lambda: loop)
    monkeypatch.setattr(explore, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(explore, "DRAG_SETTLE_SECONDS", 0.0)
    for v in (0.5, 0.7, 1.3):
        _from_browser(ex.controls["k"], v)
    _from_browser(ex.controls["shift"], True)
    assert len(loop.calls) == 1 and calls["compute"] == 1
    loop.run()
    assert calls["compute"] == 2 and ex.n_updates == 2 and ex.n_requests == 4
    assert line.get_ydata()[-1] == pytest.approx(2.3)  # 1.3 * 1 + 1 (shift)
    assert ex.frame_params == {"k": 1.3, "shift": True, "label": "a"}


def test_changes_still_arriving_postpone_the_update(coalescing, monkeypatch):
    """The update waits while changes keep coming (the queued ones are applied first)."""
    import kitlib.explore as explore

    ex, line, _, calls = _line_explorer()
    loop = _FakeLoop()
    monkeypatch.setattr(explore, "_running_loop", lambda: loop)
    _from_browser(ex.controls["k"], 0.5)  # arrived just now: not settled yet
    first = loop.calls.pop(0)
    first._run()
    assert calls["compute"] == 1 and ex.pending  # rescheduled, not computed
    _from_browser(ex.controls["k"], 0.9)
    monkeypatch.setattr(explore, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(explore, "DRAG_SETTLE_SECONDS", 0.0)
    loop.run()
    assert calls["compute"] == 2 and ex.frame_params["k"] == 0.9


def test_code_changes_stay_synchronous_inside_a_running_loop(coalescing):
    import asyncio

    ex, line, _, calls = _line_explorer()

    async def cell():
        ex.controls["k"].value = 0.5  # a notebook cell assigning a value: updated at once
        assert calls["compute"] == 2 and not ex.pending
        ex.set(k=0.25)
        assert calls["compute"] == 3

    _run_in_own_loop(cell)
    assert line.get_ydata()[-1] == pytest.approx(0.25) and ex.n_updates == 3


def test_an_explicit_update_serves_a_waiting_one(coalescing, monkeypatch):
    import kitlib.explore as explore

    ex, line, _, calls = _line_explorer()
    loop = _FakeLoop()
    monkeypatch.setattr(explore, "_running_loop", lambda: loop)
    _from_browser(ex.controls["k"], 0.5)
    ex.update()
    assert not ex.pending and calls["compute"] == 2
    loop.run()  # the cancelled flush does nothing
    assert calls["compute"] == 2 and line.get_ydata()[-1] == pytest.approx(0.5)


def test_a_deferred_update_that_fails_shows_one_line(coalescing, monkeypatch):
    import kitlib.explore as explore

    ex, line, _, _ = _line_explorer(fail_above=1.5)
    loop = _FakeLoop()
    monkeypatch.setattr(explore, "_running_loop", lambda: loop)
    monkeypatch.setattr(explore, "SETTLE_SECONDS", 0.0)
    monkeypatch.setattr(explore, "DRAG_SETTLE_SECONDS", 0.0)
    _from_browser(ex.controls["k"], 1.8)
    loop.run()  # no exception escapes into the event loop
    assert ex.last_error == "ValueError: k must be <= 1.5; got 1.8"
    assert "Traceback" not in ex.message.value and "&#9888;" in ex.message.value
    assert ex.frame_params["k"] == 1.0  # the frame on screen is still the last good one


# -- stage log -----------------------------------------------------------------------------------
def test_stage_log_records_every_update_stage_by_stage():
    ex, *_ = _line_explorer()
    ex.set(k=0.5)
    entry = ex.stage_log[-1]
    for key in ("compute_ms", "draw_ms", "render_ms", "encode_ms", "send_ms", "total_ms"):
        assert entry[key] >= 0.0, key
    assert entry["t_request"] <= entry["t_start"] <= entry["t_sent"]
    assert entry["params"]["k"] == 0.5 and entry["bytes"] == 0  # Agg: nothing sent
    assert len(ex.stage_log) == ex.n_updates == 2


# -- text mirror of the readouts -----------------------------------------------------------------
def _readout_explorer():
    fig, (ax1, ax2) = new_figure(1, 2)
    kw = {"transform": ax1.transAxes}
    # ax2's readout is created first but drawn after ax1's (same zorder, later axes)
    second = ax2.text(0.1, 0.9, "", gid="readout", transform=ax2.transAxes)
    first = ax1.text(0.1, 0.9, "", **kw)
    first.set_gid("readout-main")
    ax1.text(0.5, 0.5, "not a readout", **kw)
    hidden = ax1.text(0.2, 0.2, "hidden", gid="readout", **kw)
    hidden.set_visible(False)

    def draw(k):
        first.set_text(f"KL = {k:.2f} <nats>")
        second.set_text("" if k > 1.5 else f"k & co = {k:.1f}")

    ex = Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"], draw, fig=fig)
    return ex


def test_readouts_are_mirrored_as_escaped_preformatted_text_in_drawing_order():
    ex = _readout_explorer()
    view = ex._output if ex._output is not None else ex.fig.canvas
    assert ex.widget.children[-2:] == (view, ex.readout)  # right under the figure
    assert ex.readout.value == ('<pre aria-live="polite">KL = 1.00 &lt;nats&gt;\n'
                                "k &amp; co = 1.0</pre>")
    assert ex.readout.layout.display is None  # shown
    ex.set(k=1.8)  # the second readout is empty now
    assert ex.readout.value == '<pre aria-live="polite">KL = 1.80 &lt;nats&gt;</pre>'


def test_readout_widget_is_only_written_when_the_text_changes():
    ex = _readout_explorer()
    writes = []
    ex.readout.observe(lambda c: writes.append(c["new"]), names="value")
    ex.update()
    ex.update()
    assert writes == []
    ex.set(k=0.5)
    assert len(writes) == 1


def test_readout_mirror_is_empty_and_hidden_without_readouts():
    ex, *_ = _line_explorer()
    assert ex.readout.value == "" and ex.readout.layout.display == "none"


# -- first touch after display (issue 16) --------------------------------------------------------
def test_first_touch_of_each_control_after_display_blits():
    """Displaying an explorer (static PNG included) leaves its frame renderer ready: the first
    move of every control is drawn over the cached background, not by a full render."""
    from kitlib.views import EXPLORERS
    from views_sweep import step_walk

    ex = EXPLORERS["start.gaussian_kl"]()
    ex._repr_mimebundle_()
    frames = ex._frames
    full = frames.full_renders
    for name, widget in ex.controls.items():
        limits = [(ax.get_xlim(), ax.get_ylim()) for ax in ex.fig.axes]
        ex.set(**{name: step_walk(widget, widget.value, 1)[0]})
        assert [(ax.get_xlim(), ax.get_ylim()) for ax in ex.fig.axes] == limits, name
        assert frames.full_renders == full, f"the first move of {name} rendered everything again"
    assert frames.blits == len(ex.controls)


def test_prime_learns_texts_set_to_the_string_they_already_hold():
    fig, ax = new_figure()
    (line,) = ax.plot([0, 1], [0, 1])
    label = ax.text(0.5, 0.5, "")
    fixed = ax.text(0.1, 0.1, "fixed")

    def draw(k):
        line.set_ydata([0, k])
        label.set_text("always the same")

    ex = Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"], draw, fig=fig)
    assert ex._frames.dynamic == {line, label}
    assert fixed.get_text() == "fixed" and label.get_text() == "always the same"
    full = ex._frames.full_renders
    ex.set(k=0.5)
    assert ex._frames.full_renders == full


def test_live_explorers_lists_the_explorers_built():
    from kitlib.explore import live_explorers

    ex, *_ = _line_explorer()
    assert live_explorers()[-1] is ex


def test_an_update_from_another_thread_cancels_the_waiting_one(coalescing):
    """A cell (main thread) updating while a widget's update waits on a subshell's loop."""
    import asyncio
    import threading

    ex, line, _, calls = _line_explorer()

    async def widget_thread():
        _from_browser(ex.controls["k"], 0.5)
        assert ex.pending
        cell = threading.Thread(target=ex.update)
        cell.start()
        cell.join()
        assert not ex.pending
        await asyncio.sleep(0.05)  # the cancelled update must not run

    _run_in_own_loop(widget_thread)
    assert calls["compute"] == 2 and line.get_ydata()[-1] == pytest.approx(0.5)


def test_front_end_draw_requests_go_through_the_frame_renderer(monkeypatch):
    """ipympl's own draw request (when the browser connects) sends a frame and leaves the
    background the next slider move blits onto (no second full render)."""
    import io

    from PIL import Image

    fig = _ipympl_figure()
    ax = fig.add_subplot()
    ax.set_ylim(0, 2)
    (line,) = ax.plot([0, 1], [0, 1])
    sent = []
    monkeypatch.setattr(fig.canvas, "send_binary", lambda data: sent.append(data))
    ex = Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"],
                  lambda k: line.set_ydata([0, k]), fig=fig)
    ex._repr_mimebundle_()
    canvas = fig.canvas
    canvas._handle_message(canvas, {"type": "initialized"}, [])
    full = ex._frames.full_renders
    canvas._handle_message(canvas, {"type": "draw"}, [])
    assert len(sent) == 1 and ex._frames.full_renders == full
    frame = np.asarray(Image.open(io.BytesIO(sent[0])).convert("RGBA"))
    assert np.array_equal(frame, np.asarray(canvas.buffer_rgba()))  # the whole picture
    ex.set(k=0.5)
    assert len(sent) == 2 and ex._frames.full_renders == full
    assert ex.stage_log[-1]["bytes"] == len(sent[1]) > 0


def test_a_drag_waits_longer_for_the_browsers_next_value(coalescing, monkeypatch):
    """Changes in quick succession (a drag) wait DRAG_SETTLE_SECONDS, a lone press SETTLE_SECONDS."""
    import kitlib.explore as explore

    ex, *_ = _line_explorer()
    delays = []

    class Loop(_FakeLoop):
        def call_later(self, delay, callback, *args):
            delays.append(delay)
            return super().call_later(delay, callback, *args)

    loop = Loop()
    monkeypatch.setattr(explore, "_running_loop", lambda: loop)
    _from_browser(ex.controls["k"], 0.5)  # a lone press
    assert delays == [explore.SETTLE_SECONDS]
    _from_browser(ex.controls["k"], 0.6)  # right after: a drag
    monkeypatch.setattr(explore, "DRAG_SETTLE_SECONDS", 0.0)
    loop.run()
    assert ex._dragging and ex.frame_params["k"] == 0.6


def test_by_default_browser_changes_update_inside_the_message_handler():
    import asyncio

    ex, line, _, calls = _line_explorer()
    assert Explorer.coalesce is False

    async def drag():
        _from_browser(ex.controls["k"], 0.5)
        assert calls["compute"] == 2 and not ex.pending

    _run_in_own_loop(drag)
    assert line.get_ydata()[-1] == pytest.approx(0.5)


# -- no garbage-collector pauses inside slider updates (issue 16) --------------------------------
class _Node:
    """A reference cycle: only the cyclic garbage collector can free it."""

    def __init__(self):
        self.me = self


def _tracked(obj) -> bool:
    """True when ``obj`` is in one of the collector's generations (frozen objects are not)."""
    import gc

    return any(o is obj for o in gc.get_objects())


@pytest.fixture
def unfrozen(monkeypatch):
    import gc

    import kitlib.explore as explore

    gc.unfreeze()
    monkeypatch.setattr(explore, "_FROZEN_AFTER_FULL", 0)
    yield explore
    gc.unfreeze()


def test_freeze_heap_frees_cycles_and_freezes_the_survivors(unfrozen):
    import gc
    import weakref

    garbage, kept = _Node(), _Node()
    dead = weakref.ref(garbage)
    del garbage
    assert dead() is not None and _tracked(kept)  # a cycle outlives its last name
    info = unfrozen.freeze_heap()
    assert info["full"] and info["collected"] >= 1
    assert dead() is None  # collected before the freeze, not frozen with the rest
    assert not _tracked(kept) and info["frozen"] == gc.get_freeze_count() > 0
    # The next call only scans what was made since: a new cycle is freed, the frozen stay.
    newer = weakref.ref(_Node())
    info = unfrozen.freeze_heap()
    assert not info["full"] and newer() is None and not _tracked(kept)


def test_freeze_heap_lets_go_of_frozen_garbage_once_the_frozen_set_has_grown(unfrozen, monkeypatch):
    import weakref

    old = _Node()
    unfrozen.freeze_heap()  # full: `old` is frozen
    gone = weakref.ref(old)
    del old  # frozen garbage: an incremental pass keeps it
    unfrozen.freeze_heap()
    assert gone() is not None
    monkeypatch.setattr(unfrozen, "FULL_COLLECTION_GROWTH", 0.5)  # as if it had grown enough
    assert unfrozen.freeze_heap()["full"]
    assert gone() is None


def test_only_explorers_in_a_live_front_end_freeze_the_heap(monkeypatch):
    import kitlib.explore as explore

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def build(fig):
        (line,) = fig.add_subplot().plot([0, 1], [0, 1])
        return Explorer({"k": slider("k", 1.0, 0.0, 2.0, 0.1)}, lambda p: p["k"],
                        lambda k: line.set_ydata([0, k]), fig=fig)

    def agg_figure():
        fig = Figure()
        FigureCanvasAgg(fig)
        return fig

    calls = []
    monkeypatch.setattr(explore, "freeze_heap", lambda: calls.append(1))
    monkeypatch.setattr(explore, "_in_ipython", lambda: False)
    build(_ipympl_figure())  # a script or a test: no kernel
    monkeypatch.setattr(explore, "_in_ipython", lambda: True)
    assert build(agg_figure())._output is not None  # an inline front end: PNGs in an Output
    assert calls == []
    assert build(_ipympl_figure())._output is None  # a live canvas in a kernel
    assert calls == [1]
