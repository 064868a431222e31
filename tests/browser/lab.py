"""Drive JupyterLab in headless Chromium: start a server on a copy of the notebooks, open a
notebook, run all cells, read errors, find the explorers' canvases and move their sliders.

Used by the browser tests (and reusable by browser benchmarks). Waits on the kernel's status
and the cells' prompts, never on fixed sleeps.
"""

from __future__ import annotations

import base64
import io
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _served_copy(workdir: Path) -> tuple[Path, dict]:
    """A copy of notebooks/ in ``workdir`` (autosave must not touch the repository's notebooks)
    and an environment with private Jupyter folders, leaving the backend to the notebooks."""
    served = workdir / "notebooks"
    shutil.copytree(ROOT / "notebooks", served, ignore=shutil.ignore_patterns("*.py", ".ipynb_checkpoints"))
    for path in served.glob("*.ipynb"):
        _clear_outputs(path)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(workdir / "config"),
               JUPYTER_RUNTIME_DIR=str(workdir / "runtime"), JUPYTERLAB_WORKSPACES_DIR=str(workdir / "ws"))
    env.pop("MPLBACKEND", None)  # the notebooks choose their backend (%matplotlib widget)
    return served, env


def _clear_outputs(path: Path) -> None:
    """Strip stored outputs, execution counts and widget state from a served notebook: its
    prompts then read "[ ]" until this session runs the cells, so "every cell has a number"
    means "ran now", and no output refers to widgets of a kernel that no longer exists."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


@contextmanager
def _server(cmd: list[str], env: dict, cwd: Path, log_path: Path, ready_url: str, timeout: float):
    """Run a server process until ``ready_url`` answers 200; stop it on exit."""
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[2]} exited early:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(ready_url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{cmd[2]} did not answer on {ready_url}")
            time.sleep(0.25)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def lab_server(workdir: Path, *, timeout: float = 90.0):
    """Start JupyterLab on 127.0.0.1 with a token, serving a copy of notebooks/ in ``workdir``.

    Yields ``(base_url, token, served_dir)``; the server is stopped afterwards.
    """
    served, env = _served_copy(workdir)
    token = secrets.token_hex(16)
    port = free_port()
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={served}", "--LabApp.expose_app_in_browser=True",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--ServerApp.port_retries=0"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI machines run as root
    base = f"http://127.0.0.1:{port}"
    with _server(cmd, env, served, workdir / "lab.log", f"{base}/api/status?token={token}", timeout):
        yield base, token, served


@contextmanager
def voila_server(workdir: Path, notebook: str, *, timeout: float = 90.0):
    """Serve one notebook (from a copy of notebooks/) as a Voilà app on 127.0.0.1.

    Yields the app's URL; the server is stopped afterwards. Same command as ``make app``.
    """
    served, env = _served_copy(workdir)
    port = free_port()
    cmd = [sys.executable, "-m", "voila", "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
           str(served / notebook)]
    url = f"http://127.0.0.1:{port}/"
    with _server(cmd, env, served, workdir / "voila.log", url, timeout):
        yield url


@contextmanager
def browser():
    """A headless Debian Chromium driven by Python playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


class NotebookPage:
    """One notebook open in JupyterLab."""

    def __init__(self, page, base: str, token: str, name: str):
        self.page = page
        self.name = name
        page.set_default_timeout(60_000)
        page.goto(f"{base}/lab/tree/{name}?token={token}&reset")
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
        self.wait_kernel_idle(timeout=120)

    # -- kernel and cells --------------------------------------------------------------------
    def kernel_status(self) -> str:
        return self.page.evaluate("""() => {
            const app = window.jupyterapp;
            const w = app && app.shell.currentWidget;
            const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
            return k ? k.status : 'none';
        }""")

    def wait_kernel_idle(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while self.kernel_status() != "idle":
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: kernel not idle after {timeout} s "
                                   f"(status {self.kernel_status()!r})")
            self.page.wait_for_timeout(200)

    def prompts(self) -> list[str]:
        return self.page.eval_on_selector_all(
            ".jp-Notebook .jp-CodeCell .jp-InputArea-prompt", "els => els.map(e => e.textContent.trim())")

    def code_cell_states(self) -> list[tuple]:
        """(execution count, execution state) of every code cell, read from the notebook model
        (not the DOM, which need not hold cells outside the viewport)."""
        return [tuple(x) for x in self.page.evaluate("""() => {
            const w = window.jupyterapp.shell.currentWidget;
            const cells = w && w.content && w.content.model ? w.content.model.cells : null;
            const out = [];
            if (!cells) return out;
            for (let i = 0; i < cells.length; i++) {
                const c = cells.get(i);
                if (c.type === 'code') out.push([c.executionCount, c.executionState || 'idle']);
            }
            return out;
        }""")]

    def _all_executed(self) -> bool:
        states = self.code_cell_states()
        return bool(states) and all(n is not None and st != "running" for n, st in states)

    def _any_running(self) -> bool:
        return any(st == "running" for _, st in self.code_cell_states())

    def run_all(self, timeout: float = 300) -> None:
        """Run all cells and wait until every code cell has an execution count and the kernel
        is idle. If Run All is lost (a known race right after the kernel starts), retry once
        with restart-and-run-all."""
        for command in ("notebook:run-all-cells", "notebook:restart-run-all"):
            self.page.evaluate(f"window.jupyterapp.commands.execute('{command}')")
            if command == "notebook:restart-run-all":
                dialog = self.page.locator(".jp-Dialog .jp-mod-accept")
                try:
                    dialog.click(timeout=5_000)
                except Exception:
                    pass
                # Until the restarted kernel takes the first cell, the prompts still show the
                # lost run's numbers: wait for the new run to start before judging it.
                start = time.monotonic()
                while self._all_executed() and time.monotonic() - start < 60:
                    self.page.wait_for_timeout(200)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                self.page.wait_for_timeout(300)
                if self._all_executed() and self.kernel_status() == "idle":
                    self.page.wait_for_timeout(300)
                    if self._all_executed() and self.kernel_status() == "idle":
                        return
                if not self._any_running() and self.kernel_status() == "idle" \
                        and time.monotonic() > deadline - timeout + 20:
                    print(f"{self.name}: Run All was lost (states {self.code_cell_states()}); "
                          "restarting the kernel and running all", file=sys.stderr)
                    break  # nothing running and not everything ran: the run was lost
        raise TimeoutError(f"{self.name}: cells did not all execute; prompts {self.prompts()}")

    def error_outputs(self) -> list[str]:
        """Texts of error outputs (tracebacks) and of explorer warning messages."""
        return self.page.evaluate("""() => {
            const out = [];
            document.querySelectorAll('.jp-OutputArea-output').forEach(el => {
              const t = el.innerText || '';
              const mime = el.getAttribute('data-mime-type') || '';
              if (mime.includes('stderr') && /Traceback|\\w+Error\\b/.test(t)) out.push(t.slice(0, 500));
              if (el.querySelector('.jp-RenderedText[data-mime-type="application/vnd.jupyter.error"]')) out.push(t.slice(0, 500));
            });
            document.querySelectorAll('.widget-html-content').forEach(el => {
              if ((el.innerText || '').includes('\\u26a0')) out.push(el.innerText.slice(0, 300));
            });
            return out;
        }""")

    # -- explorers ---------------------------------------------------------------------------
    def explorers(self):
        """Every rendered explorer (the Explorer's VBox carries the ``kit-explorer`` class)."""
        return self.page.locator(".kit-explorer")

    def explorer_count(self) -> int:
        return self.explorers().count()

    def wait_explorers(self, expected: int, timeout: float = 60.0) -> int:
        """Wait until ``expected`` explorers have rendered (widgets render after the kernel
        goes idle); return how many there are when they have, or at the timeout."""
        deadline = time.monotonic() + timeout
        while self.explorer_count() < expected and time.monotonic() < deadline:
            self.page.wait_for_timeout(200)
        return self.explorer_count()

    def canvas_sizes(self) -> list[list[int]]:
        """Pixel size of every explorer's canvas (0 x 0 until its front end has connected)."""
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.kit-explorer'))
            .map(e => { const c = e.querySelector('.jupyter-matplotlib-figure canvas');
                        return c ? [c.width, c.height] : [0, 0]; })""")

    def wait_canvases(self, timeout: float = 60.0) -> list[list[int]]:
        """Wait until every explorer's canvas has a size (its first frame arrived)."""
        deadline = time.monotonic() + timeout
        while True:
            sizes = self.canvas_sizes()
            if sizes and all(w > 0 and h > 0 for w, h in sizes) or time.monotonic() > deadline:
                return sizes
            self.page.wait_for_timeout(200)

    def sliders_of(self, explorer_index: int):
        """Slider handles of one explorer."""
        return self.explorers().nth(explorer_index).locator(".widget-slider .noUi-handle")

    def canvas_pixels(self, explorer_index: int) -> np.ndarray:
        import matplotlib.image as mpimg

        canvas = self.explorers().nth(explorer_index).locator(".jupyter-matplotlib-figure canvas").first
        canvas.scroll_into_view_if_needed()
        # The whole canvas as the page holds it: a screenshot would show only the part inside
        # the notebook panel, and a wide figure's right-hand panel can lie outside it.
        url = canvas.evaluate("c => c.toDataURL('image/png')")
        png = base64.b64decode(url.split(",", 1)[1])
        return mpimg.imread(io.BytesIO(png), format="png")

    def press_slider_key(self, explorer_index: int, slider_index: int, key: str = "ArrowRight"):
        handle = self.sliders_of(explorer_index).nth(slider_index)
        handle.scroll_into_view_if_needed()
        handle.focus()
        self.page.keyboard.press(key)

    def wait_pixels_change(self, explorer_index: int, before: np.ndarray, timeout: float = 10.0):
        """Poll the canvas until its pixels differ from ``before``; return (pixels, seconds)."""
        t0 = time.monotonic()
        while True:
            now = self.canvas_pixels(explorer_index)
            if now.shape != before.shape or not np.array_equal(now, before):
                return now, time.monotonic() - t0
            if time.monotonic() - t0 > timeout:
                return None, time.monotonic() - t0
            self.page.wait_for_timeout(20)

    # -- kernel-side state and timed interactions (latency benchmark, tests/browser/test_latency) --
    def kernel_eval(self, code: str, timeout_ms: float = 60_000) -> str:
        """Run ``code`` in the notebook's kernel (not in a cell: the notebook is unchanged) and
        return what it printed; an exception comes back as ``"ERROR name: value"``."""
        return self.page.evaluate("""([code, timeout]) => new Promise((resolve, reject) => {
            const w = window.jupyterapp.shell.currentWidget;
            const kernel = w.sessionContext.session.kernel;
            const future = kernel.requestExecute({code, silent: false, store_history: false});
            let out = '';
            future.onIOPub = msg => {
                const t = msg.header.msg_type;
                if (t === 'stream') out += msg.content.text;
                if (t === 'error') out += 'ERROR ' + msg.content.ename + ': ' + msg.content.evalue;
            };
            const timer = setTimeout(() => resolve(out + 'ERROR timeout'), timeout);
            future.done.then(() => { clearTimeout(timer); resolve(out); },
                             e => { clearTimeout(timer); resolve(out + 'ERROR ' + e); });
        })""", [code, timeout_ms])

    def kernel_json(self, expression: str):
        """The value of a Python expression in the kernel, passed through JSON."""
        import json

        marker = "@@kitlib-json@@"
        out = self.kernel_eval(f"import json as _j\nprint({marker!r} + _j.dumps({expression}, default=repr))")
        lines = [ln for ln in out.splitlines() if ln.startswith(marker)]
        if "ERROR" in out or not lines:
            raise RuntimeError(f"{self.name}: kernel gave no JSON for {expression[:80]!r}: {out[-800:]!r}")
        return json.loads(lines[-1][len(marker):])

    # The pixel signature is read when something was drawn into the canvas since the last
    # animation frame (ipympl draws each frame with drawImage; a hook on the 2-D context says
    # so), and at least every 250 ms whatever happened: reading a whole canvas back on every
    # animation frame took about a tenth of the page's time during a drag (a JS CPU profile),
    # time the page then did not spend on the frames being measured. A change is still
    # timed at the first animation frame after it, as before.
    _SIGNATURE_JS = """
        const ctx = canvas.getContext('2d');
        const sig = () => {
            const d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let h = 0;
            for (let k = 0; k < d.length; k += 61) h = (h * 31 + d[k]) | 0;
            return h + ':' + canvas.width + 'x' + canvas.height;
        };
        const wall = t => performance.timeOrigin + t;
        const proto = CanvasRenderingContext2D.prototype;
        if (!proto.__kitDrawHook) {
            for (const name of ['drawImage', 'putImageData', 'clearRect', 'fillRect']) {
                const original = proto[name];
                proto[name] = function () {
                    const out = original.apply(this, arguments);
                    this.canvas.__kitDrawn = true;
                    return out;
                };
            }
            proto.__kitDrawHook = true;
        }
        let lastRead = -1e9;
        const readIfDrawn = now => {  // the signature, or null when nothing was drawn
            if (!canvas.__kitDrawn && now - lastRead < 250) return null;
            canvas.__kitDrawn = false;
            lastRead = now;
            return sig();
        };"""

    def _canvas_and_handle(self, explorer_index: int, slider_index: int):
        handle = self.sliders_of(explorer_index).nth(slider_index)
        handle.scroll_into_view_if_needed()
        canvas = self.explorers().nth(explorer_index).locator(".jupyter-matplotlib-figure canvas").first
        return canvas.element_handle(), handle.element_handle()

    def timed_press(self, explorer_index: int, slider_index: int, key: str = "ArrowRight",
                    timeout_ms: float = 5000.0) -> dict:
        """One key press, timed inside the page: ``ms`` from the key event to the canvas pixels
        changing (None if they did not change in time), and the wall-clock times (Unix seconds,
        comparable with the kernel's ``time.time()``) of the key and of the change."""
        canvas, handle = self._canvas_and_handle(explorer_index, slider_index)
        return self.page.evaluate("""([canvas, handle, key, timeout]) => new Promise(resolve => {
            """ + self._SIGNATURE_JS + """
            const before = sig();
            handle.focus();
            const t0 = performance.now();
            handle.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true}));
            const poll = () => {
                const now = performance.now();
                const s = readIfDrawn(now);
                if (s !== null && s !== before)
                    return resolve({ms: now - t0, key_wall: wall(t0) / 1e3, pixels_wall: wall(now) / 1e3});
                if (now - t0 > timeout) return resolve({ms: null, key_wall: wall(t0) / 1e3, pixels_wall: null});
                requestAnimationFrame(poll);
            };
            requestAnimationFrame(poll);
        })""", [canvas, handle, key, timeout_ms])

    def timed_drag(self, explorer_index: int, slider_index: int, key: str = "ArrowRight",
                   presses: int = 20, gap_ms: float = 30.0, quiet_ms: float = 1000.0,
                   timeout_ms: float = 15000.0) -> dict:
        """``presses`` key events ``gap_ms`` apart on one slider handle (a key held down), then
        watch the canvas until it has not changed for ``quiet_ms``. Returns the page times
        (ms after the first key) of every key (``keys_ms``), of the last one (``last_key_ms``)
        and of every canvas change (``changes_ms``), and ``origin_wall`` (the first key, Unix
        seconds)."""
        canvas, handle = self._canvas_and_handle(explorer_index, slider_index)
        return self.page.evaluate("""([canvas, handle, key, n, gap, quiet, timeout]) => new Promise(resolve => {
            """ + self._SIGNATURE_JS + """
            let last = sig();
            const changes = [];
            let sent = 0, lastKey = null;
            const keys = [];
            handle.focus();
            const t0 = performance.now();
            const press = () => {
                handle.dispatchEvent(new KeyboardEvent('keydown', {key, code: key, bubbles: true}));
                sent += 1;
                lastKey = performance.now() - t0;
                keys.push(lastKey);
                if (sent < n) setTimeout(press, gap);
            };
            press();
            const poll = () => {
                const now = performance.now() - t0;
                const s = readIfDrawn(now + t0);
                if (s !== null && s !== last) { last = s; changes.push(now); }
                const latest = Math.max(lastKey, changes.length ? changes[changes.length - 1] : 0);
                if ((sent === n && now - latest > quiet) || now > timeout)
                    return resolve({last_key_ms: lastKey, keys_ms: keys, changes_ms: changes, presses: sent,
                                    origin_wall: wall(t0) / 1e3});
                requestAnimationFrame(poll);
            };
            requestAnimationFrame(poll);
        })""", [canvas, handle, key, presses, gap_ms, quiet_ms, timeout_ms])

    def slider_readout(self, explorer_index: int, slider_index: int) -> str:
        """The text of a slider's readout (its value as the front end shows it)."""
        return self.explorers().nth(explorer_index).locator(".widget-slider").nth(
            slider_index).locator(".widget-readout").first.inner_text()


#: Kernel-side expression for :meth:`NotebookPage.kernel_json`: every live explorer's title,
#: counters, the params of its last frame, and its slider controls (in widget order). Older
#: kitlib versions (no ``live_explorers``, no coalescing) are read too, for before/after runs.
_LIVE = ("(lambda ke: ke.live_explorers() if hasattr(ke, 'live_explorers') else sorted("
         "(o for o in __import__('gc').get_objects() if isinstance(o, ke.Explorer)), "
         "key=lambda e: getattr(e.fig, 'number', 0)))(__import__('kitlib.explore', fromlist=['x']))")
EXPLORER_STATE = """[{
    'title': __import__('re').sub('<[^>]+>', '', getattr(e.widget.children[0], 'value', '')),
    'n_updates': e.n_updates, 'n_requests': getattr(e, 'n_requests', None),
    'pending': getattr(e, 'pending', False),
    'frame_params': getattr(e, 'frame_params', e.params), 'params': e.params,
    'full_renders': e._frames.full_renders if e._frames is not None else None,
    'sliders': [[k, w.value, w.min, w.max, w.step, type(w).__name__] for k, w in e.controls.items()
                if type(w).__name__ in ('FloatSlider', 'IntSlider', 'FloatLogSlider')],
} for e in LIVE]""".replace("LIVE", _LIVE)
#: Every live explorer's stage log (without the params), same order as EXPLORER_STATE.
STAGE_LOG = """[[{k: v for k, v in s.items() if k != 'params'} for s in getattr(e, 'stage_log', [])]
               for e in LIVE]""".replace("LIVE", _LIVE)
