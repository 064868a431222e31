"""Numbers quoted in notebook prose are recomputed with kitlib (registries in tests/claims/)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from claims import markdown_text, problems, quoted_numbers, registries, rounds_to  # noqa: E402

REGISTRIES = registries()


def test_every_notebook_has_a_registry():
    have = {r.notebook.name for r in REGISTRIES}
    notebooks = {p.name for p in (Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert notebooks <= have, f"notebooks without a claims registry: {sorted(notebooks - have)}"


@pytest.mark.parametrize("reg", REGISTRIES, ids=lambda r: r.name)
def test_prose_numbers_match_kitlib(reg):
    assert problems(reg) == []


@pytest.mark.parametrize("reg", REGISTRIES, ids=lambda r: r.name)
def test_an_edited_number_is_caught(reg):
    """Change the last digit of each quoted number in the prose: the check must fail every time."""
    texts = markdown_text(reg.notebook)
    for token in reg.quoted:
        bumped = token[:-1] + str((int(token[-1]) + 1) % 10) if token[-1].isdigit() else None
        if bumped is None:
            continue
        edited = [t.replace(token, bumped) for t in texts]
        assert problems(reg, edited), f"{reg.name}: editing {token} -> {bumped} went unnoticed"


def test_extraction_and_rounding_rules():
    assert quoted_numbers(["n = 20 000 points, d* = 2.41 and k3, H2, $\\tfrac12$, 1e-3"]) == [
        "20000", "2.41", "1e-3"]
    assert rounds_to(2.4087, "2.41") and not rounds_to(2.416, "2.41")
    assert rounds_to(0.0012, "1.2e-3") and not rounds_to(0.0013, "1.2e-3")
    assert rounds_to(196, "196") and not rounds_to(197.0, "196")
