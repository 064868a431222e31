"""Numbers quoted in the prose of notebook 04 (RLHF reward–KL frontiers)."""

NOTEBOOK = "04_rlhf_reward_kl_frontier.ipynb"

QUOTED = {}

SETTINGS = {
    "04": "notebook number in the title",
    "01": "number of a prerequisite notebook",
    "60": "estimated time, lower end (minutes)",
    "75": "estimated time, upper end (minutes)",
    "400": "responses M of Explore 1's categorical LM",
    "64": "responses per prompt in Explore 4 (and k of pass@64)",
    "300": "REINFORCE steps in Explore 5",
    "512": "samples per REINFORCE step in Explore 5",
    "16": "k of pass@16 (from which reverse KL leads at σ = 1)",
    "0.5": "proxy noise level σ = 0.5 of Explore 4's menu",
    "0.3": "matched pass@1 of exercise 1 / q of the memoryless model",
    "0.4": "exploit cost c of exercise 4",
    "1e-10": "relative tolerance of tests/test_rlhf.py::test_korbak_identity",
    "2020": "year of a reference",
    "2022": "year of a reference",
    "2023": "year of a reference",
    "2024": "year of a reference",
    "2025": "year of a reference",
}
