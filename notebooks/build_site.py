"""Build the static course site into ``site/`` (``make site``).

One page per notebook (narrative, code, stored outputs, each explorer as its static image), an
index with the map of the kit (README's notebook table) and the notation table (from the
markdown cell of notebook 00 under a heading containing "Notation"), previous/next navigation,
a "launch live" Binder link per page, and the lecture slides (``notebooks/slides.py``) in
``site/slides/``.

Builder: nbconvert's HTML exporter with the kit's template (``notebooks/site_templates/``).
It is already in the environment (no new dependency), works offline, and renders exactly what
the executed notebooks store, so a page shows what nbval checked. Nothing is fetched when the
site is built or viewed: the template drops require.js, MathJax, mermaid and the widget
manager, and every equation is converted at build time to MathML (``latex2mathml``, pure
Python), which browsers render natively. An equation latex2mathml cannot convert stops the
build with the notebook and the TeX named.

Usage: ``python notebooks/build_site.py [--out site] [--binder-repo OWNER/REPO] [--no-slides]``.
The Binder repository defaults to ``$BINDER_REPO`` (the Makefile passes its ``BINDER_REPO``).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters import markdown2html
from nbconvert.preprocessors import Preprocessor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = HERE / "site_templates"
ASSETS = HERE / "site_assets"
WIDGET = "application/vnd.jupyter.widget-view+json"
DEFAULT_BINDER_REPO = "OWNER/REPO"


class SiteError(RuntimeError):
    """The site cannot be built as promised (an equation that does not convert, ...)."""


def binder_url(repo: str, notebook: str) -> str:
    """README's Binder pattern: ``https://mybinder.org/v2/gh/OWNER/REPO/HEAD?labpath=notebooks%2FNAME``."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
        raise ValueError(f"binder repo must look like OWNER/REPO; got {repo!r}")
    return f"https://mybinder.org/v2/gh/{repo}/HEAD?labpath={quote('notebooks/' + notebook, safe='')}"


# -- equations: TeX -> MathML at build time --------------------------------------------------------
_CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)
_MATH = re.compile(r"\$\$(?P<d1>.+?)\$\$|\\\[(?P<d2>.+?)\\\]|\\\((?P<i2>.+?)\\\)"
                   r"|(?<![\\$])\$(?!\$)(?P<i1>[^$]+?)(?<![\\$])\$", re.S)
_TOKEN = "KITMATH{}X"
_TOKEN_RE = re.compile(r"KITMATH(\d+)X")


def tokenise_math(text: str, store: list) -> str:
    """Replace every equation of a markdown text by a token (kept clear of markdown's syntax)
    and append ``(tex, display)`` to ``store``. Code spans and fences are left alone."""
    def math(match):
        tex = match.group("d1") or match.group("d2") or match.group("i1") or match.group("i2")
        store.append((tex.strip(), match.group("d1") is not None or match.group("d2") is not None))
        return _TOKEN.format(len(store) - 1)

    parts = _CODE.split(text)
    return "".join(p if i % 2 else _MATH.sub(math, p) for i, p in enumerate(parts))


def mathml(tex: str, display: bool) -> str:
    """One equation as MathML (with the TeX as its ``alttext``)."""
    from latex2mathml.converter import convert

    out = convert(tex, display="block" if display else "inline")
    if "<merror" in out:
        raise ValueError("latex2mathml produced an error element")
    return out.replace("<math ", f'<math alttext="{html.escape(tex, quote=True)}" ', 1)


def render_math(page: str, store: list, where: str) -> str:
    def one(match):
        tex, display = store[int(match.group(1))]
        try:
            return mathml(tex, display)
        except Exception as exc:  # noqa: BLE001 - any converter failure stops the build
            raise SiteError(f"{where}: cannot convert the equation {tex!r} to MathML ({exc})") from exc
    return _TOKEN_RE.sub(one, page)


def markdown_html(text: str, where: str) -> tuple[str, int]:
    """Markdown with equations to HTML; returns the HTML and the number of equations."""
    store: list = []
    out = render_math(markdown2html(tokenise_math(text, store)), store, where)
    return out, len(store)


# -- pages ----------------------------------------------------------------------------------------
class SitePreprocessor(Preprocessor):
    """Prepare a notebook for the site: equations to tokens, explorers to their static image
    only, outputs of dead widgets (progress bars, widgets without an image) dropped."""

    def preprocess(self, nb, resources):
        store = resources["kit"]["math"]
        nb.metadata.pop("widgets", None)
        explorers = 0
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = tokenise_math(cell.source, store)
            elif cell.cell_type == "code":
                kept = []
                for output in cell.get("outputs", []):
                    data = output.get("data", {})
                    if WIDGET in data:
                        if "image/png" not in data:
                            continue
                        data.pop(WIDGET)
                        explorers += 1
                    kept.append(output)
                cell.outputs = kept
        resources["kit"]["explorers"] = explorers
        resources["kit"]["equations"] = len(store)
        return nb, resources


def lab_static() -> Path:
    """nbconvert's lab template stylesheets (installed with nbconvert)."""
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("nbconvert", "templates"):
        static = Path(base) / "lab" / "static"
        if (static / "index.css").exists():
            return static
    raise SiteError("nbconvert's lab template (lab/static/index.css) is not installed")


def notebook_title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+)$", cell.source, re.M)
            if m:
                return re.sub(r"[*_`$\\]", "", m.group(1)).strip()
    return fallback


def page_name(notebook: Path) -> str:
    return notebook.stem + ".html"


def _rewrite_links(page: str, pages: dict) -> str:
    """Links to a notebook of the kit point at its page; other relative links to files that
    are not on the site become plain text (the site has no dead internal link)."""
    def link(match):
        href = match.group(2)
        if re.match(r"^(#|[a-z][a-z0-9+.-]*:)", href) or href.startswith("//"):
            return match.group(0)
        path, _, frag = href.partition("#")
        name = Path(path).name
        if name.endswith(".ipynb") and Path(name).stem + ".html" in pages.values():
            return f'{match.group(1)}{Path(name).stem}.html{"#" + frag if frag else ""}"'
        if path in pages.values() or path.startswith(("assets/", "slides/", "index.html")):
            return match.group(0)
        return f'{match.group(1)}#" data-kit-unresolved="{html.escape(href)}"'
    return re.sub(r'(<a\s[^>]*?href=")([^"]*)"', link, page)


def build_page(path: Path, *, prev, next_, repo: str, slides: str | None, pages: dict) -> tuple[str, dict]:
    nb = nbformat.read(path, as_version=4)
    kit = {"root": "", "prev": prev, "next": next_, "slides": slides, "math": [],
           "binder_url": binder_url(repo, path.name)}
    exporter = HTMLExporter(template_name="kit_page", extra_template_basedirs=[str(TEMPLATES)])
    exporter.register_preprocessor(SitePreprocessor(), enabled=True)
    body, resources = exporter.from_notebook_node(
        nb, resources={"kit": kit, "metadata": {"name": notebook_title(nb, path.stem)}})
    store = resources["kit"]["math"]  # the exporter works on a copy of the resources
    body = render_math(body, store, path.name)
    body = _rewrite_links(body, pages)
    return body, {"explorers": resources["kit"]["explorers"], "equations": len(store)}


# -- index ----------------------------------------------------------------------------------------
def readme_table(readme: str) -> str | None:
    """The markdown table under README's "## The notebooks" heading."""
    m = re.search(r"^## The notebooks\s*\n(.*?)(?=^## |\Z)", readme, re.M | re.S)
    if not m:
        return None
    lines = [ln for ln in m.group(1).splitlines() if ln.startswith("|")]
    return "\n".join(lines) if lines else None


def notation_markdown(nb) -> str | None:
    """Notebook 00's notation section: the markdown from the heading containing "Notation"
    to the next heading of the same or a higher level (or the end of that cell)."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        m = re.search(r"^(#+)\s+[^\n]*Notation[^\n]*$", cell.source, re.M | re.I)
        if m:
            rest = cell.source[m.end():]
            stop = re.search(rf"^#{{1,{len(m.group(1))}}}\s", rest, re.M)
            return (rest[:stop.start()] if stop else rest).strip()
    return None


def build_index(notebooks: list[Path], pages: dict, repo: str, slides: dict) -> tuple[str, int]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = re.search(r"^# [^\n]*\n+(.*?)\n\s*\n", readme, re.S)
    intro_html, n_eq = markdown_html(intro.group(1) if intro else "", "README.md")
    table = readme_table(readme)
    if table:
        for path in notebooks:
            table = table.replace(f"`{path.name}`", f"[`{path.name}`]({pages[path]})")
        map_html, n = markdown_html(table, "README.md (notebook table)")
        n_eq += n
    else:
        map_html = '<p class="kit-placeholder">README.md has no notebook table.</p>'
    start = next((p for p in notebooks if p.name.startswith("00_")), None)
    notation = notation_markdown(nbformat.read(start, as_version=4)) if start else None
    if notation:
        notation_html, n = markdown_html(notation, f"{start.name} (notation)")
        n_eq += n
    else:
        notation_html = ('<p class="kit-placeholder">The notation table will appear here: it is '
                         'read from the markdown cell of <code>00_start_here.ipynb</code> under a '
                         'heading containing "Notation", which that notebook does not have yet.</p>')
    items = "\n".join(
        f'<li><a href="{pages[p]}">{html.escape(title)}</a>'
        + (f' &middot; <a href="{slides[p]}">slides</a>' if p in slides else "") + "</li>"
        for p, title in ((p, notebook_title(nbformat.read(p, as_version=4), p.stem)) for p in notebooks))
    live = binder_url(repo, start.name if start else notebooks[0].name)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Divergence Lab</title>
<link rel="stylesheet" href="assets/kit.css">
</head>
<body class="kit-index" data-equations="{n_eq}">
<nav class="kit-nav kit-nav-top" aria-label="Course navigation">
  <a class="kit-home" href="index.html">Divergence Lab</a>
  {f'<a class="kit-next" rel="next" href="{pages[notebooks[0]]}">Start &rarr;</a>' if notebooks else ''}
  <a class="kit-live" href="{live}">Launch live (Binder)</a>
</nav>
<main>
<h1>Divergence Lab</h1>
{intro_html}
<p>Each page below is an executed notebook: read it here, with every explorer shown as a
static image at its default values, or launch it live to move the sliders.</p>
<h2 id="notebooks">The notebooks</h2>
<ol class="kit-toc">
{items}
</ol>
<h2 id="map">Map of the kit</h2>
<div class="kit-table">{map_html.replace('<table>', '<table class="kit-table">')}</div>
<h2 id="notation">Notation</h2>
<div class="kit-notation">{notation_html.replace('<table>', '<table class="kit-table">')}</div>
</main>
</body>
</html>
"""
    return _rewrite_links(page, {p: v for p, v in pages.items()}), n_eq


# -- the build ------------------------------------------------------------------------------------
def build(out: Path, *, repo: str = DEFAULT_BINDER_REPO, with_slides: bool = True,
          notebooks: list[Path] | None = None) -> dict:
    """Write the site into ``out``; return a summary ``{page: {"explorers": n, "equations": m}}``."""
    notebooks = notebooks or sorted(HERE.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise SiteError(f"no notebooks NN_*.ipynb in {HERE}")
    binder_url(repo, notebooks[0].name)  # validates repo before anything is written
    if out.exists():
        shutil.rmtree(out)
    (out / "assets").mkdir(parents=True)
    shutil.copy(ASSETS / "kit.css", out / "assets" / "kit.css")
    for name in ("index.css", "theme-light.css"):
        shutil.copy(lab_static() / name, out / "assets" / f"lab-{name}")
    slides: dict = {}
    if with_slides:
        import slides as slide_builder  # notebooks/slides.py

        for path, deck in slide_builder.build(out / "slides", notebooks=notebooks).items():
            slides[path] = "slides/" + deck.name
    pages = {p: page_name(p) for p in notebooks}
    summary = {}
    for i, path in enumerate(notebooks):
        nav = [None if j < 0 or j >= len(notebooks) else
               {"href": pages[notebooks[j]],
                "title": notebook_title(nbformat.read(notebooks[j], as_version=4), notebooks[j].stem)}
               for j in (i - 1, i + 1)]
        body, info = build_page(path, prev=nav[0], next_=nav[1], repo=repo,
                                slides=slides.get(path), pages=pages)
        (out / pages[path]).write_text(body, encoding="utf-8")
        summary[pages[path]] = info
    index, n_eq = build_index(notebooks, pages, repo, slides)
    (out / "index.html").write_text(index, encoding="utf-8")
    summary["index.html"] = {"explorers": 0, "equations": n_eq}
    return summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--binder-repo", default=os.environ.get("BINDER_REPO") or DEFAULT_BINDER_REPO)
    parser.add_argument("--no-slides", action="store_true")
    args = parser.parse_args(argv)
    try:
        summary = build(args.out, repo=args.binder_repo, with_slides=not args.no_slides)
    except (SiteError, ValueError) as exc:
        print(f"site: FAILED: {exc}", file=sys.stderr)
        return 1
    for page, info in summary.items():
        print(f"  {page}: {info['explorers']} explorer image(s), {info['equations']} equation(s)")
    if args.binder_repo == DEFAULT_BINDER_REPO:
        print("  note: Binder links use the placeholder OWNER/REPO; set BINDER_REPO=owner/repo")
    print(f"site written to {args.out}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
