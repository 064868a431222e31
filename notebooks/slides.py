"""Lecture decks from the notebooks: slide metadata (``--apply``) and reveal.js decks (``make slides``).

Slide structure, derived from each notebook's content alone (so applying it twice changes
nothing, and a test can check that the committed notebooks carry it):

* the first cell (title, hook, objectives) opens the deck: the **title slide**;
* each markdown cell starting with a ``##`` heading opens a **slide** (one per idea);
* each markdown cell starting with a ``###`` heading opens a **subslide**;
* each exercise prompt (a markdown cell starting with ``**Exercise N`` or a heading containing
  "Exercise") opens a **question slide**;
* code cells that only set the stage (``%matplotlib``, imports with no output) are **skipped**;
* cells tagged ``solution``, ``model-answer`` or ``instructor`` (notebooks/editions.py) are
  **skipped**: a deck is shown to students;
* everything else continues the current slide (``-``): explorers appear as their static image
  (their code is hidden in the deck), printed numbers with the code that printed them.

Usage::

    python notebooks/slides.py --apply          # write the metadata into notebooks/*.ipynb
    python notebooks/slides.py --check          # exit 1 if a notebook lacks it
    python notebooks/slides.py --out site/slides   # build the decks (make slides)

Decks are built with ``jupyter nbconvert``'s slides exporter and the kit's template
(``notebooks/site_templates/kit_slides``); reveal.js is served from ``site/slides/reveal/``,
copied from ``notebooks/site_assets/reveal/`` (vendored reveal.js 5.2.0): nothing is fetched.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TEMPLATES = HERE / "site_templates"
REVEAL = HERE / "site_assets" / "reveal"
WIDGET = "application/vnd.jupyter.widget-view+json"
SKIP_TAGS = frozenset({"solution", "model-answer", "instructor"})
_SETUP = re.compile(r"^\s*(%matplotlib\b.*|(from\s+\S+\s+)?import\s.+|)\s*$")
_EXERCISE = re.compile(r"^\s*(\*\*Exercise\s+\d|#+\s+[^\n]*Exercise)", re.I)


def numbered_notebooks(folder: Path = HERE) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def slide_type(cell, index: int) -> str:
    """The reveal.js slide type of one cell (see the module docstring)."""
    tags = set(cell.get("metadata", {}).get("tags", []))
    if tags & SKIP_TAGS:
        return "skip"
    if index == 0:
        return "slide"
    source = cell.source
    if cell.cell_type == "markdown":
        first = source.lstrip().split("\n", 1)[0]
        if re.match(r"^##\s", first):
            return "slide"
        if re.match(r"^###\s", first):
            return "subslide"
        if _EXERCISE.match(source):
            return "slide"
        return "-"
    if cell.cell_type == "code":
        lines = [ln for ln in source.splitlines() if ln.strip()]
        if lines and all(_SETUP.match(ln) for ln in lines) and not cell.get("outputs"):
            return "skip"
    return "-"


def slide_metadata(nb) -> list[str]:
    return [slide_type(cell, i) for i, cell in enumerate(nb.cells)]


def apply(nb) -> bool:
    """Write the slide types into ``nb`` in place; True if anything changed."""
    changed = False
    for cell, kind in zip(nb.cells, slide_metadata(nb)):
        if cell.metadata.get("slideshow") != {"slide_type": kind}:
            cell.metadata["slideshow"] = {"slide_type": kind}
            changed = True
    return changed


def missing(nb) -> list[int]:
    """Indices of cells whose stored slide metadata differs from what :func:`apply` writes."""
    return [i for i, (cell, kind) in enumerate(zip(nb.cells, slide_metadata(nb)))
            if cell.metadata.get("slideshow") != {"slide_type": kind}]


# -- decks ----------------------------------------------------------------------------------------

def _deck_notebook(nb):
    """The notebook as the deck shows it: slide metadata computed (whether or not it was
    applied), explorers' code hidden."""
    apply(nb)
    for cell in nb.cells:
        if cell.cell_type == "code" and any(
                {"image/png", WIDGET} <= set(o.get("data", {}))
                for o in cell.get("outputs", [])):
            cell.metadata.setdefault("transient", {})["remove_source"] = True
    return nb


def build(out: Path, *, notebooks: list[Path] | None = None) -> dict:
    """Write one deck per notebook into ``out`` (plus ``out/reveal`` and ``out/assets``);
    return ``{notebook: deck path}``."""
    import build_site  # notebooks/build_site.py: equations to MathML, explorer outputs
    from nbconvert import SlidesExporter

    notebooks = notebooks or numbered_notebooks()
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "reveal", ignore_errors=True)
    shutil.copytree(REVEAL, out / "reveal", ignore=shutil.ignore_patterns("README.md"))
    (out / "assets").mkdir(exist_ok=True)
    shutil.copy(build_site.ASSETS / "kit.css", out / "assets" / "kit.css")
    decks = {}
    for path in notebooks:
        nb = _deck_notebook(nbformat.read(path, as_version=4))
        exporter = SlidesExporter(template_name="kit_slides",
                                  extra_template_basedirs=[str(TEMPLATES)])
        exporter.reveal_url_prefix = "reveal"
        exporter.reveal_theme = "white"
        exporter.reveal_scroll = True
        exporter.exclude_input_prompt = True
        exporter.exclude_output_prompt = True
        exporter.register_preprocessor(build_site.SitePreprocessor(), enabled=True)
        kit = {"root": "", "math": []}
        body, resources = exporter.from_notebook_node(
            nb, resources={"kit": kit, "metadata": {"name": build_site.notebook_title(nb, path.stem)}})
        body = build_site.render_math(body, resources["kit"]["math"], f"{path.name} (slides)")
        deck = out / f"{path.stem}.slides.html"
        deck.write_text(body, encoding="utf-8")
        decks[path] = deck
    return decks


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--apply", action="store_true", help="write slide metadata into the notebooks")
    group.add_argument("--check", action="store_true", help="fail if a notebook lacks the metadata")
    parser.add_argument("--out", type=Path, default=ROOT / "site" / "slides")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    notebooks = [p.resolve() for p in args.notebooks] or numbered_notebooks()
    if args.apply or args.check:
        stale = []
        for path in notebooks:
            nb = nbformat.read(path, as_version=4)
            if args.apply:
                if apply(nb):
                    nbformat.write(nb, path)
                    print(f"  slide metadata written: {path.name}")
            elif missing(nb):
                stale.append(path.name)
        if stale:
            print(f"slide metadata missing or stale in: {', '.join(stale)} "
                  "(run python notebooks/slides.py --apply)", file=sys.stderr)
            return 1
        return 0
    for path, deck in build(args.out, notebooks=notebooks).items():
        print(f"  {deck}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
