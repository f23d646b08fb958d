# defcomm: `make run` (set up, then materialize everything from seeds/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# pyproject's optional extras to install: `make test EXTRAS=dev,model` adds the statistical spaCy model (CI does)
EXTRAS ?= dev
STAMP  := $(VENV)/.installed-$(EXTRAS)
SOURCE ?= seeds
DB     ?= data/defcomm.duckdb
# Dagster keeps run history here (a temp folder that `dagster dev` deletes otherwise); dagster.yaml sets the duckdb pool.
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home

.PHONY: install run test dev dev-check bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/defcomm run --source $(SOURCE) --db $(DB)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

dev: $(STAMP)
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) DEFCOMM_SOURCE_DIR=$(SOURCE) DEFCOMM_DB_PATH=$(DB) \
		$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: $(STAMP)
	$(BIN)/python bench/run_benchmark.py --n 2000

clean:
	rm -rf data/ .pytest_cache .hypothesis test-artifacts
