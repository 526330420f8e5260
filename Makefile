# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: run test lint format bench demo clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Build the demo data if there is none, then serve the dashboard on http://localhost:$(PORT)
run: $(STAMP)
	$(BIN)/python -m etl demo --if-absent
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

## Lint, type-check and run the whole suite (browser journeys and fault tests included)
test: $(STAMP) lint
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Run the benchmarks and rewrite docs/benchmarks.md
bench: $(STAMP)
	$(BIN)/python -m bench

demo: $(STAMP)
	$(BIN)/python -m etl demo

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
