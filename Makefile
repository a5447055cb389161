# Newcomer Navigator. `make help` lists the targets.
SHELL := /bin/bash
APP := .venv/app/bin
.DEFAULT_GOAL := help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

setup: ## create both virtualenvs from the lock files (quick when nothing changed)
	@scripts/bootstrap.sh

run: setup ## load the directory, train if needed, start everything, print the web chat URL
	@$(APP)/navigator run

test: setup ## run every test (installs Chromium for the browser test if it can)
	@scripts/system-deps.sh
	@$(APP)/python -m pytest

test-fast: setup ## unit tests only (no model training, no browser)
	@$(APP)/python -m pytest -m "not e2e and not browser"

train: setup ## train the Rasa model if its inputs changed
	@$(APP)/navigator train

eval: setup ## accuracy on the held-out questions (needs `make run` in another shell)
	@$(APP)/navigator eval

eval-report: setup ## held-out, unseen-language and cross-validation tables (starts its own stack)
	@scripts/eval-report.sh

bench: setup ## latency, search speed, training and start-up time, memory
	@$(APP)/python bench/run.py

lint: setup ## ruff and mypy
	@$(APP)/ruff check .
	@$(APP)/ruff format --check .
	@$(APP)/mypy bot actions knowledge channels

clean: ## remove trained models and local data (keeps the virtualenvs)
	rm -rf var

.PHONY: help setup run test test-fast train eval eval-report bench lint clean
