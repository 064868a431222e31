"""The static course site (``make site``, notebooks/build_site.py; issue 13 §2), checked as files.

The browser test (tests/browser/test_site.py) loads the same build in Chromium.
"""

import json
import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "notebooks"))
import build_site  # noqa: E402  (notebooks/build_site.py)

REPO = "example-org/divergence-lab"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    summary = build_site.build(out, repo=REPO)
    return out, summary


def explorer_outputs(path: Path) -> int:
    nb = json.loads(path.read_text())
    return sum(1 for c in nb["cells"] for o in c.get("outputs", [])
               if {"image/png", build_site.WIDGET} <= set(o.get("data", {})))


def links_with_rel(page: str, rel: str) -> list[str]:
    tags = re.findall(r"<a\s[^>]*>", page)
    return [re.search(r'href="([^"]*)"', t).group(1) for t in tags if f'rel="{rel}"' in t]


def local_refs(page: str) -> list[str]:
    return re.findall(r'<(?:script|link|img|a)\s[^>]*?(?:src|href)="([^"]*)"', page)


@pytest.mark.slow
def test_every_notebook_has_a_page_and_a_deck(site):
    out, summary = site
    for path in NOTEBOOKS:
        assert (out / f"{path.stem}.html").exists()
        assert (out / "slides" / f"{path.stem}.slides.html").exists()
        assert summary[f"{path.stem}.html"]["explorers"] == explorer_outputs(path)
    assert (out / "index.html").exists() and (out / "assets" / "kit.css").exists()


@pytest.mark.slow
def test_nothing_is_fetched_from_outside(site):
    out, _ = site
    for page in out.rglob("*.html"):
        text = page.read_text()
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\s[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), f"{page.name}: {tag[:120]}"
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//", text), page.name
    for sheet in out.rglob("*.css"):
        urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text())
        assert [u for u in urls if re.match(r"^(https?:)?//", u)] == [], sheet.name


@pytest.mark.slow
def test_equations_are_mathml_and_counted(site):
    out, summary = site
    for name, info in summary.items():
        text = (out / name).read_text()
        assert "KITMATH" not in text
        assert text.count("<math ") == info["equations"]
        assert "<merror" not in text


@pytest.mark.slow
def test_internal_links_resolve(site):
    out, _ = site
    for page in out.rglob("*.html"):
        text = page.read_text()
        assert "data-kit-unresolved" not in text, page.name
        for ref in local_refs(text):
            url = urlparse(ref)
            if url.scheme or ref.startswith("//"):
                continue
            target = page if not url.path else (page.parent / unquote(url.path)).resolve()
            assert target.exists(), f"{page.name}: {ref}"
            if url.fragment and target.suffix == ".html":
                assert f'id="{url.fragment}"' in target.read_text(), f"{page.name}: {ref}"


@pytest.mark.slow
def test_navigation_and_launch_links(site):
    out, _ = site
    pages = [f"{p.stem}.html" for p in NOTEBOOKS]
    for i, name in enumerate(pages):
        text = (out / name).read_text()
        assert 'href="index.html"' in text
        if i > 0:
            assert set(links_with_rel(text, "prev")) == {pages[i - 1]}
        if i + 1 < len(pages):
            assert set(links_with_rel(text, "next")) == {pages[i + 1]}
        live = build_site.binder_url(REPO, NOTEBOOKS[i].name)
        assert f'href="{live}"' in text.replace("&amp;", "&")
        assert live == (f"https://mybinder.org/v2/gh/{REPO}/HEAD?labpath=notebooks%2F{NOTEBOOKS[i].name}")


@pytest.mark.slow
def test_index_has_the_map_and_the_notation(site):
    out, _ = site
    text = (out / "index.html").read_text()
    for path in NOTEBOOKS:
        assert f'href="{path.stem}.html"' in text
    assert '<table class="kit-table">' in text  # README's notebook table
    notation = build_site.notation_markdown(nbformat.read(NOTEBOOKS[0], as_version=4))
    if notation is None:
        assert "kit-placeholder" in text and "Notation" in text
    else:
        assert text.count('<table class="kit-table">') >= 2


def test_notation_is_read_from_its_section():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Start"),
                nbformat.v4.new_markdown_cell("## Notation used in the kit\n\n| symbol | meaning |\n"
                                              "|---|---|\n| $p$ | target |\n\n## Next\n\nmore")]
    assert build_site.notation_markdown(nb) == "| symbol | meaning |\n|---|---|\n| $p$ | target |"
    nb.cells.pop()
    assert build_site.notation_markdown(nb) is None


def test_math_is_converted_and_code_left_alone():
    html, n = build_site.markdown_html(
        "Inline $a_i^2$ and `$HOME` and a price \\$5.\n\n$$\\frac{p}{q}$$", "test")
    assert n == 2 and html.count("<math ") == 2 and 'display="block"' in html
    assert "<code>$HOME</code>" in html
    assert 'alttext="a_i^2"' in html


def test_an_equation_that_cannot_be_converted_stops_the_build():
    with pytest.raises(build_site.SiteError, match="notebook.ipynb"):
        build_site.markdown_html("$\\frac{1}{$", "notebook.ipynb")


@pytest.mark.parametrize("bad", ["", "owner", "a/b/c", "own er/repo", "https://github.com/a/b"])
def test_binder_repo_is_validated(bad):
    with pytest.raises(ValueError, match="OWNER/REPO"):
        build_site.binder_url(bad, "00_start_here.ipynb")
