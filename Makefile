# make test | make report | make check | make lab | make dashboard | make bench
# The first run creates .venv and installs exoreview with its test tools.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8866

.PHONY: test check report lab dashboard bench validate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# fast feedback (under a minute): lint, format, types, the unit tests without notebooks, browser or fuzzing
check: $(STAMP)
	$(BIN)/ruff check exoreview tests benchmarks jupyter_config
	$(BIN)/ruff format --check exoreview tests benchmarks jupyter_config
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -m "not notebook and not browser and not slow" -n 2 -p no:cacheprovider

# the whole suite (CI runs it): the check first, then every test, notebooks one at a time
test: check
	$(BIN)/python -m pytest -q

report: $(STAMP)
	$(BIN)/exoreview report --out reports/

validate: $(STAMP)
	$(BIN)/exoreview validate

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

# jupyter_config/voila.py installs the nbclient #312 polling fix into Voila's executor
dashboard: $(STAMP)
	JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter_config $(BIN)/voila notebooks/01_review_dashboard.ipynb \
		--no-browser --port=$(PORT) --Voila.ip=127.0.0.1 --VoilaExecutor.timeout=120 --strip_sources=True

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf reports exports .pytest_cache
