"""Helpers shared by the topic views: grid lookup, readout boxes, grid sliders, progress.

Each exists once here so the views agree on what they mean:

* :func:`nearest_index` / :func:`nearest_log_index` — which precomputed grid point a control
  value selects (nearest on a linear or on a log scale; the name says which);
* :func:`readout_box` — the monospace text box a view fills with numbers. Its text carries the
  gid ``"readout"``, which :class:`kitlib.explore.Explorer` mirrors as plain text under the
  figure (screen readers, copy and paste);
* :func:`grid_slider` — a slider that steps exactly through a precomputed grid (from
  :mod:`kitlib.controls`, re-exported for the views);
* :func:`progress` — the progress bar of a table build (see :mod:`kitlib.tables`).
"""

from __future__ import annotations

import math

import numpy as np

from kitlib.controls import grid_slider
from kitlib.tables import progress

__all__ = ["nearest_index", "nearest_log_index", "readout_box", "grid_slider", "progress",
           "READOUT_BOX", "READOUT_TEXT", "READOUT_GID"]

#: The gid that marks a Text artist as a readout (mirrored as text by the Explorer).
READOUT_GID = "readout"
#: Box and text style of the readouts (one style for the whole kit).
READOUT_BOX = {"fc": "white", "ec": "0.7", "alpha": 0.9}
READOUT_TEXT = {"family": "monospace", "fontsize": 9.0, "va": "top"}


def nearest_index(grid, value: float) -> int:
    """Index of the grid point nearest to ``value`` (absolute difference, linear scale)."""
    return int(np.argmin(np.abs(np.asarray(grid, dtype=float) - float(value))))


def nearest_log_index(grid, value: float) -> int:
    """Index of the grid point nearest to ``value`` on a log scale (grid and value > 0)."""
    value = float(value)
    if not value > 0:
        raise ValueError(f"value must be > 0 for a log-scale grid lookup; got {value!r}")
    return int(np.argmin(np.abs(np.log(np.asarray(grid, dtype=float)) - math.log(value))))


def readout_box(ax, x: float, y: float, text: str = "", *, boxed: bool = True, **kwargs):
    """A readout text at axes coordinates (x, y) in the kit's style, marked as a readout.

    ``kwargs`` override the style (e.g. ``ha="right"``, ``va="bottom"``, ``fontsize=8``).
    ``boxed=False`` leaves out the white box (a readout drawn where no curve passes).
    """
    style = {**READOUT_TEXT, **kwargs}
    if boxed:
        style.setdefault("bbox", READOUT_BOX)
    artist = ax.text(x, y, text, transform=ax.transAxes, **style)
    artist.set_gid(READOUT_GID)
    return artist
