"""Quoted numbers in notebook prose, and how to recompute them.

Every number written in a markdown cell of a notebook is a claim a student will trust. Each
notebook has a registry module here (``nb00.py`` … ``nb05.py``) with

* ``NOTEBOOK``: the file name under ``notebooks/``;
* ``QUOTED``: ``{token: recompute}``, the number exactly as written in the prose (e.g. ``"2.41"``)
  and a zero-argument function that recomputes it with kitlib. The written token must be the
  recomputed value rounded to the digits shown;
* ``SETTINGS``: ``{token: reason}``, numbers that are inputs rather than results (a sample size, a
  slider's default, a section number, a year, an arXiv id), each with a short reason.

``tests/test_claims.py`` extracts every number from the markdown cells and fails when one is in
neither table, when a recomputed value does not round to its token, or when a table lists a
token the notebook no longer contains. Integers from 0 to 10 are exempt (exponents, small counts,
indices in formulas); so are digits glued to letters (``k3``, ``H2``, ``\\tfrac12``).
"""

from __future__ import annotations

import importlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"

# Thousands written with a (thin / narrow no-break) space: "20 000" is one number.
_THOUSANDS = re.compile(r"(?<=\d)[ \u2009\u202f\u00a0](?=\d{3}(?!\d))")
_NUMBER = re.compile(r"(?<![\w.^])(\d+(?:\.\d+)?(?:[eE][-+\u2212]?\d+)?)(?![\w])")
_SMALL_INTEGERS = {str(i) for i in range(11)}


def markdown_text(nb_path: Path) -> list[str]:
    """The source of every markdown cell of a notebook, in order."""
    nb = json.loads(Path(nb_path).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def quoted_numbers(texts: list[str]) -> list[str]:
    """Every number token of the texts (thousands joined), small integers left out."""
    out = []
    for text in texts:
        text = _THOUSANDS.sub("", text)
        for token in _NUMBER.findall(text):
            if token not in _SMALL_INTEGERS:
                out.append(token)
    return out


def rounds_to(value: float, token: str) -> bool:
    """True when ``value`` shown with the digits of ``token`` reads ``token``."""
    token = token.replace("\u2212", "-")
    written = float(token)
    value = float(value)
    if not math.isfinite(value):
        return False
    if "e" in token.lower():
        mantissa, exponent = token.lower().split("e")
        decimals = len(mantissa.split(".")[1]) if "." in mantissa else 0
        half_ulp = 0.5 * 10.0 ** (int(exponent) - decimals)
    else:
        decimals = len(token.split(".")[1]) if "." in token else 0
        half_ulp = 0.5 * 10.0 ** (-decimals)
    return abs(abs(value) - abs(written)) <= half_ulp * (1 + 1e-9)


@dataclass
class Registry:
    name: str
    notebook: Path
    quoted: dict
    settings: dict


def registries() -> list[Registry]:
    """Every ``nbXX`` registry module in this folder."""
    out = []
    for path in sorted(Path(__file__).parent.glob("nb[0-9][0-9].py")):
        mod = importlib.import_module(f"claims.{path.stem}")
        out.append(Registry(path.stem, NOTEBOOKS / mod.NOTEBOOK, dict(mod.QUOTED), dict(mod.SETTINGS)))
    return out


def problems(reg: Registry, texts: list[str] | None = None) -> list[str]:
    """Everything wrong between a notebook's prose and its registry (empty list: all good)."""
    texts = markdown_text(reg.notebook) if texts is None else texts
    tokens = quoted_numbers(texts)
    found = set(tokens)
    out = []
    for token in sorted(found):
        if token not in reg.quoted and token not in reg.settings:
            out.append(f"{reg.notebook.name}: {token!r} is in the prose but in neither QUOTED nor SETTINGS")
    for token in sorted(set(reg.quoted) | set(reg.settings)):
        if token not in found:
            out.append(f"{reg.notebook.name}: registry lists {token!r}, which the prose no longer has")
    for token, recompute in reg.quoted.items():
        value = recompute()
        if not rounds_to(value, token):
            out.append(f"{reg.notebook.name}: prose says {token}, kitlib gives {value!r}")
    return out
