"""Numbers in the prose of notebooks/02_kde_in_high_dimension.ipynb."""

import math

from kitlib import kde

NOTEBOOK = "02_kde_in_high_dimension.ipynb"

QUOTED = {
    "0.230": lambda: math.log(1e5) / 50,          # α of d = 50, n = 10⁵
    "1.0457": lambda: kde.thresholds(0.2).h_G,   # asymptotic h_G(0.2)
    "12": lambda: math.exp(0.05 * 50),           # n at α = 0.05, d = 50 (also a journal volume)
}

SETTINGS = {
    "00": "notebook number",
    "02": "notebook number",
    "20000": "sample size n of the experiments (20 000)",
    "50": "dimension d of the experiments",
    "400": "number of test points",
    "600": "number of Monte Carlo data sets (|x|² = d)",
    "300": "number of Monte Carlo data sets for the KL (x ~ ρ)",
    "90": "mass fraction of the 'points carrying 90 %' summary",
    "0.2": "α of the worked row (and slider default)",
    "0.05": "smallest α of the phase diagram",
    "0.3": "bandwidth the student is asked to look at",
    "0.8": "bandwidth of an experiment / slider value",
    "1.2": "bandwidth range the student is asked to look at (heavy-tailed)",
    "1.5": "bandwidth range the student is asked to look at (heavy-tailed)",
    "2.5": "bandwidth the student is asked to look at (CLT)",
    "1.3": "bandwidth of exercise 2",
    "20": "smallest d of the phase diagram's d selector / 'd ≤ 20' caveat",
    "1000": "d selector value of the phase diagram",
    "45": "estimated time in minutes (lower end)",
    "60": "estimated time in minutes (upper end)",
    "2408.05807": "arXiv identifier of Biroli & Mézard",
    "2024": "publication year (Biroli & Mézard)",
    "1981": "publication year (Derrida)",
    "24": "journal volume (Phys. Rev. B 24)",
    "2005": "publication year (Ben Arous, Bogachev, Molchanov)",
    "132": "journal volume (Probab. Theory Relat. Fields 132)",
    "2002": "publication year (Bovier, Kurkova, Löwe)",
    "30": "journal volume (Ann. Probab. 30)",
    "1997": "publication year (Pitman & Yor)",
    "25": "journal volume (Ann. Probab. 25)",
    "1980": "publication year (Lugannani & Rice)",
    "1987": "publication year (Daniels)",
    "55": "journal volume (Int. Stat. Rev. 55)",
}
