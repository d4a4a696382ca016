# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# npm test tools (axe-core, vnu-jar) for tests/browser; scripts off: vnu-jar's would fetch a JDK.
NODE_STAMP := node_modules/.installed

.PHONY: serve build check test lint fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

serve: $(STAMP)
	$(BIN)/sitegen serve

build: $(STAMP)
	$(BIN)/sitegen build

check: $(STAMP)
	$(BIN)/sitegen check

lint: $(TEST_STAMP)
	$(BIN)/ruff check sitegen tests benchmarks
	$(BIN)/ruff format --check sitegen tests benchmarks
	$(BIN)/mypy

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the browser tests will skip (install it: apt-get install npm)"; fi

test: $(TEST_STAMP) $(NODE_STAMP) lint
	$(BIN)/python -m pytest

# The fuzz tests with many more generated cases than `make test` runs (new ones each time).
fuzz: $(TEST_STAMP)
	SITEGEN_FUZZ=long $(BIN)/python -m pytest tests/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf build build.manifest.json .sitegen-cache
