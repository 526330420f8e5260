# Two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: run test lint format bench demo clean chromium

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## Image export and the browser tests need Chromium: Debian's package, installed here when we may
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium (image export and browser tests need it)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium), then run make again." >&2; \
	    exit 1; \
	  fi; }

## Build the demo data if there is none, then serve the dashboard on http://localhost:$(PORT)
run: $(STAMP) chromium
	$(BIN)/python -m etl demo --if-absent
	$(BIN)/python -m streamlit run dashboard/server.py --server.port $(PORT)

## Lint, type-check and run the whole suite (browser journeys and fault tests included)
test: $(STAMP) chromium lint
	$(BIN)/python -m pytest -n auto --dist loadscope --no-loadscope-reorder --durations=25

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
