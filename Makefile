# Every target is one line; `make help` lists them. The virtualenv is built on first use.
VENV ?= .venv
# highest: the newest versions the ranges in pyproject.toml allow; lowest-direct: the lowest (see test-lowest).
RESOLUTION ?= highest
BIN := $(VENV)/bin
PY := $(BIN)/python
SPEC ?= openapi.yaml
GENERATED_PACKAGE ?= generated/binance_orderlist_api
N ?= 20
export PATH := $(CURDIR)/$(BIN):$(PATH)

.DEFAULT_GOAL := help
.PHONY: help generate check test test-lowest test-pythons soak build publish demo bench

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV) && $(BIN)/pip install --quiet uv==0.13.9 && $(BIN)/uv pip install --quiet --python $(PY) --resolution $(RESOLUTION) -e '.[emulator,aiohttp]' --group dev && touch $@

generate: $(VENV)/.installed ## Regenerate generated/ from openapi.yaml: models, per-operation rules, the client facade (deterministic; refuses what it cannot generate, in one line); write SpotClient's request path from AsyncSpotClient's (scripts/unasync.py)
	$(PY) scripts/generate_operations.py --path $(SPEC) --check && rm -rf $(GENERATED_PACKAGE) && $(BIN)/openapi-python-client generate --path $(SPEC) --config generator-config.yml --custom-template-path templates --meta none --output-path $(GENERATED_PACKAGE) --overwrite && $(PY) scripts/generate_operations.py --path $(SPEC) --output-path $(GENERATED_PACKAGE) && $(PY) scripts/unasync.py

check: $(VENV)/.installed ## Prove generated/ matches the spec and the sync request path its async source, validate the spec, ruff and mypy --strict
	$(PY) scripts/unasync.py --check && $(PY) scripts/check_generated.py && $(BIN)/openapi-spec-validator openapi.yaml && $(BIN)/ruff check . && $(BIN)/ruff format --check . && $(BIN)/mypy generated overrides emulator tests scripts bench

test: $(VENV)/.installed ## Run the whole test suite (newest versions the ranges allow, this machine's Python)
	$(BIN)/pytest

test-lowest: ## Run the whole suite with the lowest versions the ranges allow, in .venv-lowest (uv --resolution lowest-direct)
	$(MAKE) --no-print-directory test VENV=.venv-lowest RESOLUTION=lowest-direct

test-pythons: ## Run the whole suite on Python 3.13 and 3.14 (Debian trixie and testing roots made once into .pythons/; needs root)
	python3 scripts/test_pythons.py

soak: $(VENV)/.installed ## Run the whole suite (make test's: newest versions, this Python) N times in a row (N=20; LOAD=1 keeps every core busy); lists every flake
	$(PY) scripts/soak.py --runs $(N) $(if $(LOAD),--load)

build: $(VENV)/.installed ## Build sdist and wheel into dist/, twine check them, check the wheel's contents
	rm -rf dist && $(PY) -m build --installer uv --outdir dist . && $(BIN)/twine check --strict dist/* && $(PY) scripts/check_wheel.py dist

publish: build ## Upload dist/ to the internal index named by TWINE_REPOSITORY_URL (refuses without it)
	$(PY) scripts/publish.py dist

demo: $(VENV)/.installed ## The main job: start the emulator, cancel an OCO list through the CLI, show the -2011 of a second cancel and a lost answer settled by --confirm
	$(PY) scripts/demo.py

bench: $(VENV)/.installed ## Benchmark against raw httpx, raw aiohttp, http.client and the peer clients, same-run ratios (bench/RESULTS.md)
	$(PY) bench/run.py
