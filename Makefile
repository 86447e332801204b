# The two set-up commands of README: `make serve` and `make test`. Both install what they need.
# Every dependency, dev tools included, comes from uv.lock; `make lock` upgrades it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The installer, bootstrapped with the venv's pip; pyproject's dev extra pins the same version.
UV_VERSION := 0.13.8
UV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(BIN)/uv

.PHONY: install lock serve test lint typecheck worker

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/uv --version 2>/dev/null | grep -qF "uv $(UV_VERSION) " \
		|| $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	$(UV) sync --frozen --extra dev --quiet
	touch $(STAMP)

install: $(STAMP)

# Re-resolve every dependency to the newest versions pyproject.toml allows and rewrite uv.lock.
# Commit the lock with the change that needed it; `make test` fails while the two disagree.
lock: install
	$(UV) lock --upgrade

serve: install
	bash scripts/serve.sh

test: install
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

worker: install
	$(BIN)/celery -A claimsite worker --loglevel=info
