"""The course site in headless Chromium, served from 127.0.0.1 (issue 13 §2 and §4).

Every page loads with no failed request and no request outside the local server; every
explorer's static image is present, decoded and non-blank; every equation is rendered MathML
with a size on screen; every internal link answers (and its fragment exists). One slide deck is
stepped through from the first slide to the last.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "notebooks"))
import build_site  # noqa: E402  (notebooks/build_site.py)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    summary = build_site.build(out, repo="example-org/divergence-lab")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/", summary
    finally:
        server.shutdown()
        server.server_close()


class _Watch:
    """Requests a page makes: anything not from the local server, anything that failed."""

    def __init__(self, page, base: str):
        self.base, self.outside, self.failed = base, [], []
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))

    def _request(self, request):
        url = request.url
        if not (url.startswith(self.base) or url.startswith(("data:", "about:", "blob:"))):
            self.outside.append(url)


_IMAGE_CHECK = """img => {
    if (!img.complete || img.naturalWidth === 0) return {ok: false, why: 'not decoded'};
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d'); g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let dark = 0, n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) if (d[i] + d[i+1] + d[i+2] < 384) dark++;
    const box = img.getBoundingClientRect();
    return {ok: dark / n > 0.002 && box.width > 100 && box.height > 50, dark: dark / n,
            w: box.width, h: box.height, alt: img.alt};
}"""

_MATH_CHECK = """() => Array.from(document.querySelectorAll('math')).map(m => {
    const b = m.getBoundingClientRect();
    return {w: b.width, h: b.height, err: m.querySelector('merror') !== null,
            tex: m.getAttribute('alttext')};
})"""

_LINKS = """() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"""


def test_every_page_loads_offline_with_figures_equations_and_links(served_site, chrome):
    base, summary = served_site
    page = chrome.new_page(viewport={"width": 1280, "height": 900})
    watch = _Watch(page, base)
    checked_links: dict[str, bool] = {}
    try:
        for name, info in summary.items():
            page.goto(base + name, wait_until="load")
            page.wait_for_load_state("networkidle")
            images = page.locator("img.kit-explorer")
            assert images.count() == info["explorers"], name
            for i in range(images.count()):
                images.nth(i).scroll_into_view_if_needed()
                result = images.nth(i).evaluate(_IMAGE_CHECK)
                assert result["ok"], f"{name}: explorer image {i}: {result}"
                assert result["alt"].startswith("Explorer figure")
            maths = page.evaluate(_MATH_CHECK)
            assert len(maths) == info["equations"], name
            bad = [m for m in maths if m["err"] or m["w"] <= 0 or m["h"] <= 0]
            assert bad == [], f"{name}: equations not rendered: {bad[:3]}"
            # No TeX left unrendered in the narrative.
            text = page.evaluate("() => Array.from(document.querySelectorAll('.jp-RenderedMarkdown'))"
                                 ".map(e => e.innerText).join(' ')")
            assert "$$" not in text and "\\frac" not in text and "\\mathrm" not in text, name
            for href in page.evaluate(_LINKS):
                url = urljoin(page.url, href)
                if not url.startswith(base):
                    assert url.startswith("https://mybinder.org/v2/gh/example-org/divergence-lab/HEAD?"), url
                    continue  # the launch-live link is followed by readers, not by the test
                target, fragment = urldefrag(url)
                key = url
                if key not in checked_links:
                    response = page.request.get(target)
                    ok = response.ok
                    if ok and fragment:
                        ok = f'id="{fragment}"' in response.text()
                    checked_links[key] = ok
                assert checked_links[key], f"{name}: broken internal link {href}"
        assert watch.outside == [], watch.outside
        assert watch.failed == [], watch.failed
    finally:
        page.close()


def test_a_deck_steps_from_first_to_last_slide(served_site, chrome):
    base, summary = served_site
    deck = "slides/" + next(n for n in summary if n != "index.html").replace(".html", ".slides.html")
    page = chrome.new_page(viewport={"width": 1280, "height": 800})
    watch = _Watch(page, base)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base + deck, wait_until="load")
        page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=30_000)
        total = page.evaluate("() => Reveal.getTotalSlides()")
        assert total >= 3
        seen = set()
        for _ in range(500):
            state = page.evaluate("""() => { const i = Reveal.getIndices();
                const s = Reveal.getCurrentSlide();
                return {h: i.h, v: i.v, last: Reveal.isLastSlide(),
                        text: s.innerText.length, visible: s.getBoundingClientRect().height > 0}; }""")
            assert state["visible"] and state["text"] > 0, state
            seen.add((state["h"], state["v"]))
            if state["last"]:
                break
            page.keyboard.press("Space")  # next slide, vertical slides included
            moved = (f"() => {{ const i = Reveal.getIndices(); return i.h !== {state['h']} "
                     f"|| i.v !== {state['v']} || Reveal.isLastSlide(); }}")
            page.wait_for_function(moved)
        assert len(seen) == total, f"visited {len(seen)} of {total} slides"
        assert watch.outside == [] and watch.failed == [], (watch.outside, watch.failed)
        assert errors == []
    finally:
        page.close()
