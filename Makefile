# Divergence Lab — the two README commands (`make lab`, `make test`) and helpers.
# Every target sets up .venv first; the set-up runs again only when requirements.txt or
# pyproject.toml change (a second `make test` installs nothing).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
VPY    := $(VENV)/bin/python
PIP    := $(VPY) -m pip
TORCH  := torch==2.13.0
STAMP  := $(VENV)/.kitlib-installed
NB     ?= notebooks/00_start_here.ipynb
PYTEST_ARGS ?=
# The repository that the site's and slides' "launch live" links open on mybinder.org.
BINDER_REPO ?= OWNER/REPO

.PHONY: lab test notebooks tables bench app site slides editions setup clean help

help:
	@echo "make lab        set up .venv if needed and open JupyterLab on the start-here notebook"
	@echo "make test       set up .venv if needed and run the whole suite (unit, property, views, nbval, browser)"
	@echo "make notebooks  re-execute every notebook in place from a clean kernel"
	@echo "make tables     recompute the explorers' shipped tables (kitlib/tables/data) after a numerics change"
	@echo "make bench      run the benchmarks in benchmarks/"
	@echo "make app NB=notebooks/01_mode_seeking_vs_mass_covering.ipynb   serve one notebook as a Voila app (code hidden)"
	@echo "make site       build the static course site into site/ (BINDER_REPO=owner/repo for the launch links)"
	@echo "make slides     build the lecture decks into site/slides/"
	@echo "make editions   build editions/student/ (no answers) and editions/instructor/ (answers + teaching notes)"

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q $(TORCH)
	$(PIP) install --disable-pip-version-check -q -r requirements.txt
	$(PIP) install --disable-pip-version-check -q --no-deps -e .
	@touch $@

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(NB)

test: $(STAMP)
	$(VPY) -m pytest --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval_sanitize.cfg $(PYTEST_ARGS)

app: $(STAMP)
	$(VENV)/bin/voila --no-browser --Voila.ip=127.0.0.1 $(NB)

notebooks: $(STAMP)
	$(VPY) notebooks/execute.py

site: $(STAMP)
	BINDER_REPO=$(BINDER_REPO) $(VPY) notebooks/build_site.py --out site

slides: $(STAMP)
	$(VPY) notebooks/slides.py --out site/slides

editions: $(STAMP)
	$(VPY) notebooks/editions.py --out editions

tables: $(STAMP)
	$(VPY) -m kitlib.tables

bench: $(STAMP)
	$(PIP) install --disable-pip-version-check -q -r benchmarks/requirements.txt
	$(VPY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis benchmarks/results
