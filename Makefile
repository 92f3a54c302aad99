# Two commands do all the set-up on a fresh machine (Python >= 3.11 required):
#   make demo   builds .venv, then runs `aicost demo` (no keys, no Slack)
#   make test   builds .venv, then runs the test suite
#   make bench  prints the forecast back-test figures, per shape against the targets
#   make bench-scale  measures sync, status, breakeven and digest on a 1,022,000-row organisation
#                     with every other source configured too (each on its loopback stand-in)
#   make bench-serve  ack and answer latency of `aicost serve` under signed load, and during a re-sync
#   make mutate  mutation testing of the money-critical modules; per-module scores and survivors
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Test processes (pytest-xdist). Four on two cores: most tests wait on child processes and
# loopback servers rather than compute, so four keep both cores busy (measured: 14 min -> 4.6).
TEST_WORKERS ?= 4

.PHONY: demo test lint bench bench-scale bench-serve mutate clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/aicost demo

test: $(BIN)/.installed
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

lint: $(BIN)/.installed
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/lint-imports

bench: $(BIN)/.installed
	$(BIN)/python bench/forecast_backtest.py
	$(BIN)/python bench/forecast_shapes.py
	$(BIN)/python bench/breakeven_sensitivity.py

bench-scale: $(BIN)/.installed
	$(BIN)/python bench/sync_scale.py --postgres --runs 200

bench-serve: $(BIN)/.installed
	$(BIN)/python bench/serve_load.py --postgres --during-sync 1022000

mutate: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet 'mutmut==3.8.1'
	rm -rf mutants
	AICOST_TEST_DATABASES=sqlite $(BIN)/mutmut run > mutants.log 2>&1 || (tail -n 30 mutants.log; false)
	$(BIN)/python tools/mutation_scores.py

clean:
	rm -rf $(VENV) aicost-demo.db* mutants mutants.log
