# factcheck — `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Installed from the locks only (hash-checked; `make lock` rewrites them from requirements*.txt).
# A stamp named after the locks' checksum: editing either lock re-installs.
STAMP := $(VENV)/.installed-dev-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
PROD_STAMP := $(VENV)/.installed-prod-$(shell cksum < requirements.lock | cut -d' ' -f1)
# An explicitly exported DJANGO_SECRET_KEY wins; otherwise a random one kept in var/.
KEY := DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}"
MANAGE := $(KEY) $(BIN)/python manage.py
ARGS ?=

.PHONY: setup run test test-fast test-unit test-pg serve-prod bench loadtest eval clean

# make setup: development (runtime + tests + tools); make setup-prod: the runtime lock alone.
# No system package is required. Optional: Tesseract reads scanned PDFs on intake
# (apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus tesseract-ocr-ara tesseract-ocr-fra;
# docs/intake.md); without it, OCR tests are skipped and such PDFs are refused by name.
setup: $(STAMP) var/secret_key
setup-prod: $(PROD_STAMP) var/secret_key

$(STAMP): requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit("factcheck needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	rm -f $(VENV)/.installed-* && touch $@ $(PROD_STAMP)

$(PROD_STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit("factcheck needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-prod-* && touch $@

# After editing a pin in requirements.txt or requirements-dev.txt: both locks again, every
# file's hash from PyPI, for Python 3.11 and newer on any platform. The dev lock is
# constrained by the runtime one, so both install the same runtime versions.
UV_COMPILE := $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes
lock: setup
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) requirements-dev.txt -c requirements.lock -o requirements-dev.lock

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	@chmod 600 $@

run: setup
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput
	DJANGO_DEBUG=1 $(MANAGE) setup_demo
	# The outbox worker (emails, webhooks) and the tasks worker (intake: reading, OCR) beside the
	# server; both stop with it.
	DJANGO_DEBUG=1 $(MANAGE) run_worker & worker=$$!; \
	DJANGO_DEBUG=1 $(MANAGE) db_worker & tasks=$$!; trap "kill $$worker $$tasks" EXIT INT TERM; \
	DJANGO_DEBUG=1 $(MANAGE) runserver 127.0.0.1:8000

# make test: the whole suite on JOBS pytest-xdist workers (JOBS=0: one process, e.g. for pdb).
# make test-fast: the edit-test loop, without the browser, the `slow` tests (servers, subprocesses)
# and the whole-site `sweep`s (XSS, fuzz, the permission matrix's full table).
# make test-unit: tests/unit alone (no database, no server, no subprocess), in one process: seconds.
# All three take ARGS, e.g. make test-fast ARGS="tests/integration/test_search.py -k facets".
JOBS ?= 2
PYTEST := $(KEY) $(BIN)/python -m pytest -n $(JOBS) --dist loadscope

# Lint and typecheck first: seconds (mypy: ~6 s cold, ~1 s cached), and a style slip or a
# type error fails here rather than in review.
test: setup lint typecheck
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(PYTEST) $(ARGS)

test-fast: setup lint typecheck
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(PYTEST) -m "not browser and not slow and not sweep" $(ARGS)

test-unit: setup lint
	$(KEY) $(BIN)/python -m pytest tests/unit $(ARGS)

# The whole suite on PostgreSQL, on a throwaway server started for the run (tools/pgtemp.py).
test-pg: setup
	@dir=$$(mktemp -d /tmp/factcheck-pg.XXXXXX) && url=$$($(PYTHON) -m tools.pgtemp start $$dir) || exit 1; \
	DATABASE_URL=$$url FACTCHECK_TEST_POSTGRES_URL=$$url $(MAKE) --no-print-directory test ARGS="$(ARGS)"; status=$$?; \
	$(PYTHON) -m tools.pgtemp stop $$dir; rm -rf $$dir; exit $$status

# Production: gunicorn with gunicorn.conf.py on 127.0.0.1:8000 behind your TLS proxy (README, "Production").
serve-prod: setup-prod
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) check --deploy
	$(KEY) $(BIN)/gunicorn -c gunicorn.conf.py

# The benchmark (README, "Performance"): make bench [DB=postgres] [CLAIMS=100000] [BENCH_ARGS="--seconds 2"]
DB ?= sqlite
CLAIMS ?= 100000
BENCH_ARGS ?=
bench: setup
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/python -m tools.bench --db $(DB) --claims $(CLAIMS) $(BENCH_ARGS)

# Load and fault test (README, "Security and reliability"): make loadtest [DB=postgres] [LOAD_ARGS="--requests 5000"]
LOAD_ARGS ?=
loadtest: setup
	$(MANAGE) collectstatic --noinput --verbosity 0
	@if [ "$(DB)" = postgres ]; then \
	  dir=$$(mktemp -d /tmp/factcheck-pg.XXXXXX) && url=$$($(PYTHON) -m tools.pgtemp start $$dir) || exit 1; \
	  DATABASE_URL=$$url $(KEY) $(BIN)/python -m tools.loadtest $(LOAD_ARGS); status=$$?; \
	  $(PYTHON) -m tools.pgtemp stop $$dir; rm -rf $$dir; exit $$status; \
	else $(KEY) $(BIN)/python -m tools.loadtest $(LOAD_ARGS); fi

# The evidence finder's recall on tests/evidence_eval/ (README, "Search and evidence"): make eval [ARGS=--misses];
# then "what this document speaks to", leaving one seed source out at a time, in a scratch database (docs/search.md).
eval: setup
	$(MANAGE) migrate --noinput --verbosity 0
	$(KEY) $(BIN)/python -m tools.eval_evidence $(ARGS)
	$(KEY) $(BIN)/python -m tools.eval_intake
	$(KEY) $(BIN)/python -m tools.eval_multilingual

# Lint (ruff check) and formatting (ruff format --check), as configured in pyproject.toml;
# both run, and either failing fails the target.
.PHONY: setup-prod lock lint format typecheck
lint: setup
	@status=0; \
	echo "$(BIN)/ruff check ."; $(BIN)/ruff check . || status=1; \
	echo "$(BIN)/ruff format --check ."; $(BIN)/ruff format --check . || status=1; \
	exit $$status

# Rewrites files in place: run it when nobody else is editing the tree.
format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# mypy with django-stubs on models/ and services/ ([tool.mypy] in pyproject.toml); the
# django-stubs plugin imports the settings, hence the key.
typecheck: setup
	$(KEY) $(BIN)/mypy

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache
