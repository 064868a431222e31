"""The kit's controls: ipywidgets with one layout (wide, labelled, updating while dragged).

Every explorer's sliders, dropdowns and checkboxes come from here, so they look and behave
alike: :func:`slider`, :func:`int_slider`, :func:`log_slider` (exponents of a base),
:func:`grid_slider` (steps exactly through a precomputed grid), :func:`dropdown`,
:func:`checkbox`.
"""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["slider", "int_slider", "log_slider", "grid_slider", "dropdown", "checkbox",
           "SLIDER_LAYOUT", "SLIDER_STYLE"]

#: Width of every control (the description column plus the slider).
SLIDER_LAYOUT = {"width": "420px"}
#: Width of the description column.
SLIDER_STYLE = {"description_width": "150px"}


def slider(description: str, value: float, min: float, max: float, step: float,
           *, readout_format: str = ".2f") -> widgets.FloatSlider:
    """A float slider with the kit's layout (wide, labelled, updates while dragging)."""
    return widgets.FloatSlider(
        value=value, min=min, max=max, step=step, description=description,
        readout_format=readout_format, continuous_update=True,
        layout=SLIDER_LAYOUT, style=SLIDER_STYLE,
    )


def int_slider(description: str, value: int, min: int, max: int, step: int = 1) -> widgets.IntSlider:
    """An integer slider with the kit's layout."""
    return widgets.IntSlider(
        value=value, min=min, max=max, step=step, description=description,
        continuous_update=True, layout=SLIDER_LAYOUT, style=SLIDER_STYLE,
    )


def log_slider(description: str, value: float, min: float, max: float, step: float = 0.05,
               *, base: float = 10.0, readout_format: str = ".3g") -> widgets.FloatLogSlider:
    """A logarithmic slider; ``min``, ``max`` and ``step`` are exponents of ``base``."""
    return widgets.FloatLogSlider(
        value=value, min=min, max=max, step=step, base=base, description=description,
        readout_format=readout_format, continuous_update=True,
        layout=SLIDER_LAYOUT, style=SLIDER_STYLE,
    )


def dropdown(description: str, options, value=None) -> widgets.Dropdown:
    """A dropdown selector; ``options`` is a list of values or of ``(label, value)`` pairs."""
    dd = widgets.Dropdown(options=options, description=description,
                          layout=SLIDER_LAYOUT, style=SLIDER_STYLE)
    if value is not None:
        dd.value = value
    return dd


def checkbox(description: str, value: bool = False) -> widgets.Checkbox:
    """A checkbox (boolean control)."""
    return widgets.Checkbox(value=value, description=description, indent=False)


def grid_slider(description: str, grid, value, *, fmt: str = "{:g}") -> widgets.SelectionSlider:
    """A slider that steps exactly through ``grid`` (every key press selects the next
    precomputed point), labelled with ``fmt``, in the kit's slider layout."""
    options = [(fmt.format(v), v) for v in grid]
    if value not in [v for _, v in options]:
        raise ValueError(f"value must be one of the grid's points; got {value!r}")
    return widgets.SelectionSlider(options=options, value=value, description=description,
                                   continuous_update=True, layout=dict(SLIDER_LAYOUT),
                                   style=dict(SLIDER_STYLE))
