# Ordino: `make run` serves the demo, `make test` runs the whole suite. See README.md.
SHELL := /bin/bash
export PATH := $(HOME)/.local/bin:$(PATH)
UV ?= uv
ORDINO := $(UV) run --frozen ordino
export ORDINO_DATA_DIR ?= $(CURDIR)/data

.PHONY: bootstrap run demo test test-fast lint format bench clean

bootstrap:
	@bash scripts/bootstrap.sh

run: bootstrap
	@$(ORDINO) migrate
	@$(ORDINO) demo
	@$(ORDINO) serve

test: bootstrap
	$(UV) run --frozen pytest -q

test-fast: bootstrap
	$(UV) run --frozen pytest -q -m "not slow and not browser"

lint: bootstrap
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy .

format:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

bench: bootstrap
	$(UV) run --frozen python -m bench

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
