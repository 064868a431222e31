"""End-to-end slider latency in a real browser, as a student meets it, with a per-stage breakdown.

JupyterLab in headless Chromium (the machinery of tests/browser/lab.py) opens each notebook with
a fresh kernel and runs all cells (``run_all_s``: Run All until every cell ran and the kernel is
idle). Then, timed inside the page from the key event to the explorer's own canvas pixels
changing (a pixel signature checked on every animation frame):

* **first touch** — the first press of every slider after Run All, with no warm-up;
* **warm** — ``--presses`` more presses of every slider (alternating ArrowLeft/ArrowRight),
  each after the previous frame arrived and a short pause: p50 and p95;
* **drag** — ``--drag-presses`` key repeats ``--gap`` ms apart on each explorer's first slider
  (a key held down): the time from the last key event to the final value's frame on screen
  (from the last key that still moved the slider, if it reached the end of its range),
  and how many updates the kernel computed for it (``Explorer.n_updates``; the latest value
  wins, so far fewer than the presses). The kernel is asked afterwards whether the frame on
  screen is of the slider's final value. The CPU time the hypervisor stole meanwhile
  (``/proc/stat``) is recorded with each drag, and the slowest drags are listed with it;
* **breakdown** — for every timed press, the kernel's own record of the update it caused
  (``Explorer.stage_log``): key -> kernel (browser, widget message, server), kernel wait
  (coalescing), compute, draw, render (Agg), encode (PNG), send, bytes per frame, and
  sent -> pixels (server, browser decode and draw). Kernel and page share the machine's clock
  (``time.time()`` against ``performance.timeOrigin + performance.now()``).

Goal (issue 16, quiet 2-core machine): warm p95 <= 200 ms, first touch p95 <= 300 ms, drag
final frame <= 250 ms after the last key with far fewer updates than presses; under one busy
core (``--load 1``) warm p95 <= 300 ms.

Writes ``benchmarks/results/browser_latency[<suffix>].json`` and ``.md``
(suffix ``--tag``; ``_load1`` is added under load).

Usage: ``python benchmarks/browser_latency.py [--presses 4] [--load 1] [--tag x] [NOTEBOOK ...]``
(notebook names or prefixes such as ``00`` ``01``; all topic notebooks by default).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.browser.lab import EXPLORER_STATE, STAGE_LOG, NotebookPage, browser, lab_server  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
GOALS = {"warm_p95": 200.0, "first_p95": 300.0, "drag": 250.0, "warm_p95_load": 300.0}


def _pct(values, q):
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.percentile(vals, q)) if vals else float("nan")


def _room(slider) -> tuple[float, float]:
    """Steps the slider can still move (right, left) from its value."""
    _, value, lo, hi, step, kind = slider
    if kind == "FloatLogSlider":
        value = math.log10(value)  # kit log sliders use base 10 (explore.log_slider)
    return (hi - value) / step, (value - lo) / step


def _steal_ms() -> float | None:
    """CPU time the hypervisor gave to other guests ("steal", summed over this machine's CPUs)
    since boot, in ms; None where /proc/stat does not say. On a virtual machine a drag that
    coincides with steal is slowed by the host, not by the kit."""
    try:
        with open("/proc/stat") as f:
            fields = f.readline().split()
        return 1e3 * int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _map_explorers(nb, state) -> list[int]:
    """Kernel explorer index of every explorer on the page (matched by title, in order)."""
    titles = []
    for i in range(nb.explorer_count()):
        bold = nb.explorers().nth(i).locator(".widget-html-content b")
        titles.append(bold.first.inner_text() if bold.count() else "")
    used, out = set(), []
    for i, title in enumerate(titles):
        k = next((k for k, e in enumerate(state) if k not in used and e["title"].strip() == title.strip()),
                 None)
        if k is None:  # fall back on order
            k = next(k for k in range(len(state)) if k not in used)
        used.add(k)
        out.append(k)
    return out


def _wait_settled(nb, k, timeout=15.0):
    """Kernel state of explorer ``k`` once no update is pending and its frame is of its
    current values (or at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        state = nb.kernel_json(EXPLORER_STATE)[k]
        if (not state["pending"] and state["frame_params"] == state["params"]) or time.monotonic() > deadline:
            return state
        nb.page.wait_for_timeout(100)


def _match(press, log, slack=0.005):
    """The stage-log entry of the update a timed press caused: the first whose first
    request arrived after the key (``slack`` s of clock rounding allowed)."""
    later = [s for s in log if s["t_request"] >= press["key_wall"] - slack]
    return min(later, key=lambda s: s["t_request"]) if later else None


def measure_notebook(chrome, base, token, name, args):
    page = chrome.new_page(viewport={"width": 1400, "height": 1000}, device_scale_factor=args.dpr)
    page.set_default_timeout(60_000)
    presses, drags = [], []
    try:
        nb = NotebookPage(page, base, token, name)
        t0 = time.monotonic()
        nb.run_all(timeout=600)
        run_all_s = time.monotonic() - t0
        sizes = nb.wait_canvases()
        if not all(w > 0 for w, _ in sizes):
            raise RuntimeError(f"{name}: explorer canvases never drew: {sizes}")
        dpr = page.evaluate("window.devicePixelRatio")
        if args.sync or args.coalesce:  # A/B of the two update modes (Explorer.coalesce)
            nb.kernel_eval(f"import kitlib.explore as _ke\n_ke.Explorer.coalesce = {bool(args.coalesce)}")
        page.evaluate(FRAME_ARRIVALS_JS)
        if args.kernel_setup:  # an A/B experiment: code run in the kernel after Run All
            out = nb.kernel_eval(args.kernel_setup)
            if "ERROR" in out:
                raise RuntimeError(f"{name}: --kernel-setup failed: {out}")
        state = nb.kernel_json(EXPLORER_STATE)
        kmap = _map_explorers(nb, state)
        n_explorers = nb.explorer_count()
        print(f"{name}: Run All {run_all_s:.1f} s, {n_explorers} explorers, canvases {sizes}, "
              f"devicePixelRatio {dpr}", flush=True)
        sliders = {i: state[kmap[i]]["sliders"] for i in range(n_explorers)}
        first_key = {}

        def press(i, j, kind, key):
            r = nb.timed_press(i, j, key)
            r.update(notebook=name, explorer=i, kernel_explorer=kmap[i], slider=j, kind=kind,
                     control=sliders[i][j][0] if j < len(sliders[i]) else None)
            presses.append(r)
            page.wait_for_timeout(args.pause)
            return r

        # 1. first touch of every slider, no warm-up
        for i in range(n_explorers):
            for j in range(nb.sliders_of(i).count()):
                right, left = _room(sliders[i][j]) if j < len(sliders[i]) else (1, 0)
                first_key[i, j] = "ArrowRight" if right >= 1 else "ArrowLeft"
                press(i, j, "first", first_key[i, j])
        # 2. warm presses, alternating back and forth
        for i in range(n_explorers):
            for j in range(nb.sliders_of(i).count()):
                back = "ArrowLeft" if first_key[i, j] == "ArrowRight" else "ArrowRight"
                for k in range(args.presses):
                    press(i, j, "warm", back if k % 2 == 0 else first_key[i, j])
        # 3. drags on each explorer's first slider (every slider with --drag-all)
        for i in range(n_explorers if args.drag_presses else 0):
            k = kmap[i]
            for j in range(len(sliders[i]) if args.drag_all else min(1, len(sliders[i]))):
                right, left = _room(nb.kernel_json(EXPLORER_STATE)[k]["sliders"][j])
                key = "ArrowRight" if right >= args.drag_presses or right >= left else "ArrowLeft"
                before = _wait_settled(nb, k)
                steal0 = _steal_ms()
                r = nb.timed_drag(i, j, key, presses=args.drag_presses, gap_ms=args.gap)
                steal1 = _steal_ms()
                after = _wait_settled(nb, k)
                # A slider with less room than the drag stops at its end: time the final frame
                # from the last key that still moved it.
                room = right if key == "ArrowRight" else left
                moved = max(1, min(args.drag_presses, int(room + 1e-9)))
                t_key = r["keys_ms"][moved - 1]
                after_changes = [c for c in r["changes_ms"] if c > t_key]
                control = sliders[i][j][0]
                drag = {"notebook": name, "explorer": i, "kernel_explorer": k, "slider": j,
                        "control": control, "key": key, "presses": r["presses"],
                        "final_frame_ms": (after_changes[-1] - t_key) if after_changes else None,
                        "effective_presses": moved,
                        "frames_seen": len(r["changes_ms"]),
                        "updates": after["n_updates"] - before["n_updates"],
                        "requests": (after["n_requests"] - before["n_requests"])
                        if after["n_requests"] is not None else None,
                        "final_is_last_value": after["frame_params"] == after["params"]
                        and not after["pending"],
                        "value": after["params"][control], "readout": nb.slider_readout(i, j),
                        "steal_ms": None if steal0 is None or steal1 is None else steal1 - steal0}
                drag["_window"] = (r["origin_wall"], r["origin_wall"] + (r["changes_ms"][-1] if r["changes_ms"] else r["last_key_ms"]) / 1e3 + 0.5)
                drag["_last_key_wall"] = r["origin_wall"] + t_key / 1e3
                drag["_changes_wall"] = [r["origin_wall"] + c / 1e3 for c in r["changes_ms"]]
                drags.append(drag)
                print(f"   drag explorer {i} {control}: final frame "
                      f"{drag['final_frame_ms'] if drag['final_frame_ms'] is None else round(drag['final_frame_ms'])} ms"
                      f" after the last key; {drag['updates']} updates for {drag['presses']} presses "
                      f"({drag['requests']} value messages); final frame of the last value: "
                      f"{drag['final_is_last_value']}", flush=True)
        logs = nb.kernel_json(STAGE_LOG)
        arrivals = sorted(t for t, _size in page.evaluate("window.__kitFrameArrivals || []"))
    finally:
        page.close()
    for d in drags:  # the kernel's updates during the drag, times relative to the last key (ms)
        lo, hi = d.pop("_window")
        t_key = d.pop("_last_key_wall")
        d["pixel_changes_ms"] = [round(1e3 * (t - t_key)) for t in d.pop("_changes_wall")]
        d["timeline_ms"] = [{"request": round(1e3 * (s["t_request"] - t_key)),
                             "start": round(1e3 * (s["t_start"] - t_key)),
                             "sent": round(1e3 * (s["t_sent"] - t_key)), "requests": s["requests"],
                             "compute": round(s["compute_ms"], 1), "render": round(s["render_ms"], 1),
                             "encode": round(s["encode_ms"], 1), "full": s["full"]}
                            for s in logs[d["kernel_explorer"]] if lo - 0.01 <= s["t_request"] <= hi]
        print(f"   drag timeline (ms from the last key): updates {d['timeline_ms']}; "
              f"pixel changes {d['pixel_changes_ms']}", flush=True)
    for p in presses:
        s = _match(p, logs[p["kernel_explorer"]]) if p["ms"] is not None else None
        if s is not None:
            p.update(key_to_kernel_ms=1e3 * (s["t_request"] - p["key_wall"]),
                     kernel_wait_ms=1e3 * (s["t_start"] - s["t_request"]),
                     compute_ms=s["compute_ms"], draw_ms=s["draw_ms"], render_ms=s["render_ms"],
                     encode_ms=s["encode_ms"], send_ms=s["send_ms"], bytes=s["bytes"],
                     full_render=s["full"],
                     sent_to_pixels_ms=1e3 * (p["pixels_wall"] - s["t_sent"]))
            # The frame reaching ipympl's code in the page (its PNG made into a blob URL):
            # splits sent -> pixels into delivery (server, websocket, widget manager) and
            # the page's own work (ipympl's handler, PNG decode, canvas draw).
            arrived = next((t for t in arrivals if s["t_sent"] - 0.005 <= t <= p["pixels_wall"]), None)
            if arrived is not None:
                p.update(sent_to_page_ms=1e3 * (arrived - s["t_sent"]),
                         page_to_pixels_ms=1e3 * (p["pixels_wall"] - arrived))
    return {"notebook": name, "run_all_s": run_all_s, "device_pixel_ratio": dpr,
            "canvas_sizes": sizes, "presses": presses, "drags": drags}


STAGES = ["key_to_kernel_ms", "kernel_wait_ms", "compute_ms", "draw_ms", "render_ms", "encode_ms",
          "send_ms", "sent_to_pixels_ms", "sent_to_page_ms", "page_to_pixels_ms"]

#: Records when each frame reaches ipympl's code in the page: its binary-message handler makes
#: the PNG into a blob URL (``URL.createObjectURL``) before the image decodes and is drawn.
FRAME_ARRIVALS_JS = """() => {
    if (window.__kitFrameArrivals) return;
    window.__kitFrameArrivals = [];
    const original = URL.createObjectURL;
    URL.createObjectURL = function (obj) {
        if (obj instanceof Blob && obj.type === 'image/png')
            window.__kitFrameArrivals.push([(performance.timeOrigin + performance.now()) / 1e3, obj.size]);
        return original.apply(this, arguments);
    };
}"""


def summarise(rows: list[dict]) -> dict:
    """p50/p95 of first touch and warm presses, drag results and stage medians."""
    first = [p["ms"] for p in rows if p["kind"] == "first"]
    warm = [p["ms"] for p in rows if p["kind"] == "warm"]
    timed = [p for p in rows if "compute_ms" in p]
    out = {"first_n": len(first), "first_p50": _pct(first, 50), "first_p95": _pct(first, 95),
           "first_max": _pct(first, 100), "first_missed": sum(v is None for v in first),
           "warm_n": len(warm), "warm_p50": _pct(warm, 50), "warm_p95": _pct(warm, 95),
           "warm_missed": sum(v is None for v in warm),
           "first_full_renders": sum(bool(p.get("full_render")) for p in timed if p["kind"] == "first")
           if timed else None,
           "kb_per_frame": _pct([p["bytes"] / 1024 for p in timed if p["bytes"]], 50)}
    for stage in STAGES:
        out[stage] = _pct([p[stage] for p in timed if stage in p], 50)
    return out


def _fmt(v, nd=0):
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{nd}f}"


def markdown(results: list[dict], args, load: int) -> str:
    lines = [f"# Browser latency (JupyterLab + headless Chromium), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
             "",
             f"Machine: {os.cpu_count()} cores, load average at the end {os.getloadavg()[0]:.2f}; "
             f"extra busy-loop processes: {load}. Warm presses per slider: {args.presses}; drags: "
             f"{args.drag_presses} key repeats {args.gap:.0f} ms apart. Times in ms, key event to "
             "canvas pixels changed, measured inside the page. Goal (issue 16): warm p95 <= "
             f"{GOALS['warm_p95']:.0f} ({GOALS['warm_p95_load']:.0f} under one busy core), first touch "
             f"p95 <= {GOALS['first_p95']:.0f}, drag final frame <= {GOALS['drag']:.0f}.",
             "",
             "| notebook | explorer | sliders | first p50 | first max | warm p50 | warm p95 | drag final frame | "
             "drag updates / presses | compute | draw | render | encode | KiB/frame | key→kernel | sent→pixels |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for res in results:
        by_explorer = {}
        for p in res["presses"]:
            by_explorer.setdefault(p["explorer"], []).append(p)
        for i, rows in sorted(by_explorer.items()):
            s = summarise(rows)
            dr = [d for d in res["drags"] if d["explorer"] == i]
            drag_ms = _fmt(max((d["final_frame_ms"] or float("nan")) for d in dr)) if dr else "–"
            drag_n = ", ".join(f"{d['updates']} / {d['presses']}" + ("" if d["final_is_last_value"] else " (stale!)")
                               for d in dr) or "–"
            lines.append(
                f"| {res['notebook'][:2]} | {i} | {len({p['slider'] for p in rows})} | {_fmt(s['first_p50'])} | "
                f"{_fmt(s['first_max'])} | {_fmt(s['warm_p50'])} | {_fmt(s['warm_p95'])} | {drag_ms} | {drag_n} | "
                f"{_fmt(s['compute_ms'], 1)} | {_fmt(s['draw_ms'], 1)} | {_fmt(s['render_ms'], 1)} | "
                f"{_fmt(s['encode_ms'], 1)} | {_fmt(s['kb_per_frame'])} | {_fmt(s['key_to_kernel_ms'])} | "
                f"{_fmt(s['sent_to_pixels_ms'])} |")
    all_rows = [p for r in results for p in r["presses"]]
    s = summarise(all_rows)
    drags = [d for r in results for d in r["drags"]]
    lines += ["", "**All notebooks:** "
              f"first touch p50 {_fmt(s['first_p50'])}, p95 {_fmt(s['first_p95'])} ({s['first_n']} sliders, "
              f"{_fmt(s['first_full_renders'])} first touches needed a full render); warm p50 {_fmt(s['warm_p50'])}, "
              f"p95 {_fmt(s['warm_p95'])} ({s['warm_n']} presses); "
              + (f"drag final frame p50 {_fmt(_pct([d['final_frame_ms'] for d in drags], 50))}, max "
                 f"{_fmt(_pct([d['final_frame_ms'] for d in drags], 100))} ms after the last key, "
                 f"{sum(d['updates'] for d in drags)} updates for {sum(d['presses'] for d in drags)} presses, "
                 f"final frame of the last value in {sum(d['final_is_last_value'] for d in drags)}/{len(drags)} drags; "
                 if drags else "")
              + "stage medians: " + ", ".join(f"{k[:-3]} {_fmt(s[k], 1)}" for k in STAGES)
              + f", {_fmt(s['kb_per_frame'])} KiB/frame.",
              "", "Slowest drags (final frame ms after the last key; CPU time stolen by the hypervisor "
              "from the first key until the canvas had been still for a second, summed over the CPUs): "
              + ("; ".join(f"{d['notebook'][:2]} explorer {d['explorer']} {d['control']} "
                           f"{_fmt(d['final_frame_ms'])} (steal {_fmt(d.get('steal_ms'))} ms)"
                           for d in sorted((d for d in drags if d["final_frame_ms"] is not None),
                                           key=lambda d: -d["final_frame_ms"])[:4]) or "–") + ".",
              "", "Run All (s): " + ", ".join(f"{r['notebook'][:2]} {r['run_all_s']:.1f}" for r in results)
              + "; device pixel ratio " + ", ".join(sorted({str(r['device_pixel_ratio']) for r in results})) + "."]
    return "\n".join(lines) + "\n"


def _busy_loops(n: int) -> list:
    return [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--presses", type=int, default=4, help="warm presses per slider")
    ap.add_argument("--drag-presses", type=int, default=20, help="key repeats per drag (0: no drags)")
    ap.add_argument("--gap", type=float, default=30.0, help="ms between the key repeats of a drag")
    ap.add_argument("--drag-all", action="store_true", help="drag every slider, not only the first")
    ap.add_argument("--pause", type=float, default=100.0, help="ms between timed presses")
    ap.add_argument("--load", type=int, default=0, help="busy-loop processes run meanwhile")
    ap.add_argument("--tag", default="", help="suffix of the result files")
    ap.add_argument("--sync", action="store_true",
                    help="update inside the widget message handler (Explorer.coalesce = False, the default)")
    ap.add_argument("--coalesce", action="store_true",
                    help="defer and merge front-end changes in the kernel (Explorer.coalesce = True)")
    ap.add_argument("--dpr", type=float, default=1.0,
                    help="device pixel ratio of the page (2: a HiDPI screen; ipympl then renders "
                         "the figures at twice the dpi)")
    ap.add_argument("--kernel-setup", default="",
                    help="Python code run in each notebook's kernel after Run All (A/B experiments)")
    ap.add_argument("notebooks", nargs="*", help="notebook names or prefixes (00, 01, ...)")
    args = ap.parse_args(argv)
    available = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    names = [n for n in available if not args.notebooks or any(n.startswith(a) for a in args.notebooks)]
    if not names:
        raise SystemExit(f"no notebook matches {args.notebooks}; available: {available}")
    load = _busy_loops(args.load)
    results = []
    try:
        with tempfile.TemporaryDirectory() as tmp, lab_server(Path(tmp)) as (base, token, _), browser() as chrome:
            for name in names:
                results.append(measure_notebook(chrome, base, token, name, args))
                s = summarise(results[-1]["presses"])
                print(f"   first p50 {_fmt(s['first_p50'])} p95 {_fmt(s['first_p95'])}; warm p50 "
                      f"{_fmt(s['warm_p50'])} p95 {_fmt(s['warm_p95'])}", flush=True)
    finally:
        for proc in load:
            proc.kill()
            proc.wait()
    RESULTS.mkdir(exist_ok=True)
    stem = "browser_latency" + (f"_{args.tag}" if args.tag else "") + (f"_load{args.load}" if args.load else "")
    summary = summarise([p for r in results for p in r["presses"]])
    (RESULTS / f"{stem}.json").write_text(json.dumps(
        {"load": args.load, "args": vars(args), "summary": summary, "goals": GOALS,
         "notebooks": results}, indent=1, default=float))
    text = markdown(results, args, args.load)
    (RESULTS / f"{stem}.md").write_text(text)
    print("\n" + text)
    return results


if __name__ == "__main__":
    main()
