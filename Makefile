# One task file for people and CI. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATASET ?= datasets/iran-pakistan-2024

.PHONY: install install-dev demo build validate test lint typecheck pytest bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python  ## the package and its runtime dependencies
	$(BIN)/python -m pip install --quiet -e .

install-dev: $(BIN)/python  ## + test tools and the great-expectations extra
	$(BIN)/python -m pip install --quiet -e '.[dev,gx]'

demo: install  ## build the example dataset, then validate what was built
	$(BIN)/tacitus build $(DATASET)
	$(BIN)/tacitus validate $(DATASET)/build

build: install
	$(BIN)/tacitus build $(DATASET)

validate: install
	$(BIN)/tacitus validate $(DATASET)

lint: install-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: install-dev
	$(BIN)/mypy

pytest: install-dev  ## the test suite, then every docstring example
	$(BIN)/pytest
	$(BIN)/pytest -q -p no:cacheprovider --doctest-modules src/tacitus

test: lint typecheck pytest  ## everything CI runs

bench: install-dev  ## scale benchmarks (not part of the tests)
	$(BIN)/python benchmarks/build.py --articles 10000
	$(BIN)/python benchmarks/validate.py --rows 1000000 --gx-rows 1000000

docs: install  ## regenerate generated files: JSON Schemas and the rule catalogue
	$(BIN)/tacitus schema --out schema
	$(BIN)/python -m tacitus.validators.catalogue > docs/rules.md

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache $(DATASET)/build $(DATASET)/.tacitus-cache
