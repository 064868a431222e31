"""Numbers in the prose of notebooks/00_start_here.ipynb (see tests/claims/__init__.py)."""

NOTEBOOK = "00_start_here.ipynb"

# No result is quoted in 00's prose: the numbers it discusses are printed by code cells.
QUOTED: dict = {}

SETTINGS = {
    "00": "notebook number in the notation table",
    "01": "notebook number (map and notation table)",
    "02": "notebook number (map and notation table)",
    "03": "notebook number (map and notation table)",
    "04": "notebook number (map and notation table)",
    "05": "notebook number in the notation table",
    "15": "estimated time in minutes",
    "0.3": "slider value the student is asked to set (model width s)",
    "0.0": "argument of ex.set in an instruction (model_mean=0.0)",
    "1.0": "argument of ex.set in an instruction (target_sd=1.0)",
    "2.0": "argument of ex.set in an instruction (model_sd=2.0)",
    "10.1": "section number of Bishop's book",
    "1951": "publication year (Kullback & Leibler)",
    "2005": "publication year (Minka)",
    "2006": "publication year (Bishop)",
    "2008": "publication year (Okabe & Ito)",
}
