"""Numbers in the prose of notebook 05 (RL with verifiable rewards).

The notebook's results (pass@k, entropies, crossover, steps to p ≥ 0.5, matched pass@256, the
entropy-fix table) are all printed by code cells and checked by nbval; the prose quotes only inputs.
Its qualitative claims are asserted in tests/test_claims_nb05.py.
"""

NOTEBOOK = "05_rlvr_entropy_and_support.ipynb"

QUOTED = {}

SETTINGS = {
    "0.2": "worked example: π = [0.5, 0.2, 0.3] (the brief's worked number 2)",
    "0.3": "worked example: π = [0.5, 0.2, 0.3]",
    "0.5": "worked example π, and the threshold p ≥ 0.5 of the T3 race (the brief's)",
    "0.37": "exercise 1's β (kitlib.checks.nb05.EX1_BETA)",
    "01": "notebook number (prerequisite)",
    "04": "notebook number (prerequisite)",
    "05": "this notebook's number (title)",
    "200": "T2 has 200 prompts; the training runs have 200 steps",
    "256": "the k of pass@256 (the brief's frontier)",
    "75": "estimated time, minutes (lower end)",
    "90": "estimated time, minutes (upper end)",
    "0.905": "a top-p setting of the entropy-fix explorer (the brief's: the mask that holds)",
    "0.95": "a top-p setting of the entropy-fix explorer (the brief's: the mask that floods)",
    "997": "the entropy-explosion toy's number of junk answers (the brief's, SIREN's setting)",
}
