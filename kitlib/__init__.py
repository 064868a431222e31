"""Divergence Lab's thin library.

Numerics (no plotting, no widgets): ``kitlib.divergences``, ``kitlib.fitting`` and the other
topic modules. Views (ipywidgets + matplotlib): ``kitlib.views``, built on ``kitlib.explore``.
``kitlib.style`` holds the palette and figure export, ``kitlib.checks`` the exercise feedback.
"""

__version__ = "0.1.0"
