# Two commands do all the set-up on a fresh machine:
#   make dashboard   -> creates .venv, installs, starts the classroom dashboard
#   make test        -> creates .venv, installs, runs the fast test suite
# `make test-all` also runs the slow browser, cluster and many-seed tests (what CI runs, with
# `make lint docs notebooks check-wheel`; all of it from a clean clone: `.ci/run`).

PYTHON := $(shell bash scripts/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8765
PIP := $(BIN)/python -m pip install --progress-bar on -c constraints.txt

.PHONY: dashboard test test-all install bench docs docs-serve lint notebooks generated check-generated \
        check-wheel figures sensitivity clean

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found (see the message above)"; exit 1; }
	@echo "== $(VENV): a virtual environment with $(PYTHON)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar on --upgrade pip
	@echo "== installing soviet-cohesion with its dashboard, sweep and test dependencies"
	@echo "   (a few minutes the first time; pip names each package as it goes)"
	$(PIP) -e ".[all,test]"
	touch $(STAMP)
	@echo "== installed: $(BIN)/soviet-cohesion"

install: $(STAMP)

dashboard: $(STAMP)
	$(BIN)/soviet-cohesion dashboard --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ""

bench: $(STAMP)
	$(BIN)/soviet-cohesion bench

# the figures made from full sweeps of shipped specs (docs/img/sweep_phase_diagram.png and .svg)
figures: $(STAMP)
	$(BIN)/python -m soviet_cohesion.sweep.publish

# docs/sensitivity.md: Sobol indices of the 27 behavioural parameters (30,720 runs, about 6 minutes)
sensitivity: $(STAMP)
	$(BIN)/python scripts/sensitivity_report.py

# the documentation site (user guide and API reference) in site/; a warning fails the build
$(VENV)/.installed-docs: $(STAMP)
	$(PIP) -e ".[docs]"
	touch $@

docs: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site
	@echo "== open site/index.html"

docs-serve: $(VENV)/.installed-docs
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# ruff over src/, dashboard/ and scripts/, mypy over src/ and dashboard/ (configured in pyproject.toml)
$(VENV)/.installed-lint: $(STAMP)
	$(PIP) -e ".[lint]"
	touch $@

lint: $(VENV)/.installed-lint
	$(BIN)/ruff check src dashboard scripts
	$(BIN)/mypy

# run every notebook in examples/ from top to bottom (a failing cell fails)
notebooks: $(STAMP)
	$(BIN)/python scripts/run_notebooks.py examples/*.ipynb

# the generated parts of the documents: parameter and scenario tables (fast)
generated: $(STAMP)
	$(BIN)/python scripts/update_generated_docs.py

check-generated: $(STAMP)
	$(BIN)/python scripts/update_generated_docs.py --check

# the wheel installed into a fresh virtual environment, used from outside the repository
check-wheel: $(STAMP)
	bash .ci/check-wheel $(PYTHON)

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache .mypy_cache build dist site
