# The two commands a newcomer needs: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Every dependency pinned with its hashes, resolved from pyproject.toml by `make lock` (uv).
LOCK := requirements/runtime.txt
TEST_LOCK := requirements/test.txt
# uv, pinned, in its own venv: it never enters the project's.
UV_VERSION := 0.13.9
LOCK_TOOL := $(VENV)/lock-tool
# One target for CI and the developers: Python 3.11 on x86_64 Linux (glibc 2.28 or newer).
UV_COMPILE = $(LOCK_TOOL)/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28
# npm test tools (axe-core, vnu-jar) for tests/browser; scripts off: vnu-jar's would fetch a JDK.
NODE_STAMP := node_modules/.installed

.PHONY: serve build check test lint fuzz clean lock lock-upgrade

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the locked files (any other hash is refused), then sitegen itself without dependencies.
$(STAMP): $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The test lock holds the runtime pins unchanged, so it also satisfies $(STAMP).
$(TEST_STAMP): $(TEST_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(TEST_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(STAMP)

$(LOCK_TOOL)/bin/uv:
	$(PYTHON) -m venv $(LOCK_TOOL)
	$(LOCK_TOOL)/bin/pip install --quiet uv==$(UV_VERSION)

# After editing the dependencies in pyproject.toml: re-resolve, keeping every pin that still fits.
# The test lock is constrained by the runtime lock, so the tests run the versions that ship.
lock: $(LOCK_TOOL)/bin/uv
	$(UV_COMPILE) $(UPGRADE) -o $(LOCK)
	$(UV_COMPILE) $(UPGRADE) --extra test -c $(LOCK) -o $(TEST_LOCK)

# Every dependency to the newest version pyproject.toml allows.
lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

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
	$(BIN)/lint-imports

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
