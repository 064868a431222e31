"""The kit's look: a colour-blind-safe palette, projector-sized fonts, and figure export.

Nothing here changes matplotlib's global settings at import time; :func:`context` applies the
kit's settings inside a ``with`` block (``kitlib.figures.new_figure`` uses it).

The palette is Okabe & Ito's eight colours ("Color Universal Design", 2008), which stay
distinguishable under the common forms of colour-vision deficiency. Roles are fixed across the
kit so that a student learns them once: the target p is always black, the model q blue, forward
KL orange, reverse KL vermilion.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import matplotlib as mpl

__all__ = ["OKABE_ITO", "COLORS", "ERROR_COLOR", "FONT_SIZES", "rc_params", "context", "save_figure"]

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermilion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Colours by role. Divergence names map to the colour used for them in every notebook.
COLORS = {
    "target": OKABE_ITO["black"],
    "model": OKABE_ITO["blue"],
    "forward_kl": OKABE_ITO["orange"],
    "reverse_kl": OKABE_ITO["vermilion"],
    "alpha": OKABE_ITO["reddish_purple"],
    "js": OKABE_ITO["bluish_green"],
    "hellinger": OKABE_ITO["sky_blue"],
    "tv": "#7F7F7F",
    "chi2": OKABE_ITO["yellow"],
    "cauchy_schwarz": "#8C564B",
    "w2": OKABE_ITO["blue"],
    "sinkhorn": OKABE_ITO["sky_blue"],
    "theory": OKABE_ITO["black"],
    "highlight": OKABE_ITO["vermilion"],
}

ERROR_COLOR = "#B00020"

#: Font sizes (points) chosen to be legible from the back of a lecture hall at 100 % zoom.
FONT_SIZES = {"base": 12, "title": 13, "label": 12, "tick": 11, "legend": 10}


def rc_params() -> dict:
    """The matplotlib rc settings of the kit (a plain dict; nothing is applied)."""
    return {
        "font.size": FONT_SIZES["base"],
        "axes.titlesize": FONT_SIZES["title"],
        "axes.labelsize": FONT_SIZES["label"],
        "xtick.labelsize": FONT_SIZES["tick"],
        "ytick.labelsize": FONT_SIZES["tick"],
        "legend.fontsize": FONT_SIZES["legend"],
        "legend.frameon": False,
        "lines.linewidth": 2.0,
        "axes.prop_cycle": mpl.cycler(color=[OKABE_ITO[k] for k in
                                             ("blue", "orange", "bluish_green", "vermilion",
                                              "reddish_purple", "sky_blue", "yellow", "black")]),
        # A fixed title position: automatic placement measures every tick label on each draw,
        # which costs about 10 ms per axes on a slider tick.
        "axes.titley": 1.0,
        "axes.titlepad": 6.0,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "figure.dpi": 100,
        "savefig.dpi": 200,
        "savefig.bbox": "tight",
    }


@contextlib.contextmanager
def context():
    """Apply the kit's rc settings inside a ``with`` block only."""
    with mpl.rc_context(rc_params()):
        yield


_FORMATS = {".png", ".svg", ".pdf"}


def save_figure(fig, path, *, dpi: int = 200, transparent: bool = False) -> Path:
    """Export ``fig`` for slides; the format follows the suffix (.png, .svg or .pdf).

    Parent folders are created. Returns the written path.
    """
    path = Path(path)
    if path.suffix.lower() not in _FORMATS:
        raise ValueError(f"path must end in one of {sorted(_FORMATS)}; got {str(path)!r}")
    if dpi <= 0:
        raise ValueError(f"dpi must be > 0; got {dpi!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    with context():
        fig.savefig(path, dpi=dpi, transparent=transparent, bbox_inches="tight")
    return path
