"""Numbers in the prose of notebooks/01_mode_seeking_vs_mass_covering.ipynb."""

from kitlib import fitting as ft

NOTEBOOK = "01_mode_seeking_vs_mass_covering.ipynb"

QUOTED = {
    "2.41": lambda: ft.one_mode_appears("reverse_kl"),
    "2.80": lambda: ft.switch_separation("reverse_kl"),
    "1.4608": lambda: ft.switch_separation("reverse_kl", fixed_std=1.0, tol=1e-5),
}

SETTINGS = {
    "01": "notebook number",
    "04": "notebook number",
    "16": "number of classes of the distillation teacher",
    "45": "estimated time in minutes (lower end)",
    "60": "estimated time in minutes (upper end)",
    "0.4": "upper end of the α range the root-find exercise is checked on",
    "0.5": "lower end of the bisection bracket suggested in exercise 3",
    "10.1": "section number of Bishop's book",
    "2005": "publication year (Minka)",
    "2006": "publication year (Bishop)",
    "2016": "publication year (f-GAN)",
    "2019": "publication year (Feydy et al.)",
}
