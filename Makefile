# Two commands do all the set-up on a fresh machine:
#   make dashboard   -> creates .venv, installs, starts the classroom dashboard
#   make test        -> creates .venv, installs, runs the fast test suite
# `make test-all` also runs the slow browser, cluster and many-seed tests (what CI runs).

PYTHON := $(shell bash scripts/find-python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: dashboard test test-all install browser bench clean

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "no Python >= 3.12 found"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[all,test]"
	touch $(STAMP)

install: $(STAMP)

dashboard: $(STAMP)
	$(BIN)/soviet-cohesion dashboard --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

test-all: $(STAMP)
	$(BIN)/python -m pytest -q -m ""

bench: $(STAMP)
	$(BIN)/soviet-cohesion bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist
