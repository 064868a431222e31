"""Slide metadata and lecture decks (notebooks/slides.py; issue 13 §4)."""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
sys.path.insert(0, str(ROOT / "notebooks"))
import slides  # noqa: E402  (notebooks/slides.py)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_carry_the_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    stale = slides.missing(nb)
    assert stale == [], (f"{path.name}: cells {stale} lack the slide metadata; "
                         "run python notebooks/slides.py --apply")


def _toy():
    md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [md("# Title\n\nhook"), code("%matplotlib widget\nimport numpy as np"),
                md("## The idea\n\ntext"), md("more text"), md("### A detail"),
                code("ex = explorer()\nex", outputs=[nbformat.v4.new_output(
                    "display_data", data={"image/png": "iVBOR", "text/plain": "<Explorer>",
                                          "application/vnd.jupyter.widget-view+json": {"model_id": "1"}})]),
                md("**Exercise 1.** Compute it."), code("answer = ..."),
                code("checks.check_number(1, 1)", metadata={"tags": ["solution"]})]
    return nb


def test_slide_types_follow_the_structure():
    nb = _toy()
    assert slides.slide_metadata(nb) == ["slide", "skip", "slide", "-", "subslide", "-",
                                         "slide", "-", "skip"]


def test_apply_is_idempotent():
    nb = _toy()
    assert slides.apply(nb) is True
    assert slides.missing(nb) == []
    assert slides.apply(nb) is False


def test_a_deck_is_built_offline(tmp_path):
    src = tmp_path / "00_toy.ipynb"
    nbformat.write(_toy(), src)
    decks = slides.build(tmp_path / "slides", notebooks=[src])
    page = decks[src].read_text()
    assert (tmp_path / "slides" / "reveal" / "dist" / "reveal.js").exists()
    # Nothing from outside: every script and stylesheet is local.
    refs = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert refs and all(not re.match(r"^(https?:)?//", r) for r in refs), refs
    assert "reveal/dist/reveal.js" in refs
    assert page.count("<section") >= 3
    # The explorer shows as its image, without its code; the solution cell is not in the deck.
    assert 'src="data:image/png;base64,iVBOR"' in page
    assert "explorer()" not in page and "check_number" not in page
