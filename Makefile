# Simkerma: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run in parallel, one process per core.
PYTEST_WORKERS ?= auto

.PHONY: install run dev test lint typecheck messages worker clean bench bench-workbook bench-reports

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

messages: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

# Links in e-mails and calendar events point at the address served, unless set.
SIMKERMA_BASE_URL ?= http://$(HOST):$(PORT)
export SIMKERMA_BASE_URL
# The served host is allowed, beside the local names.
ALLOWED_HOSTS ?= $(HOST),127.0.0.1,localhost
export ALLOWED_HOSTS

# The demo as it is deployed: DEBUG off, gunicorn, static files by whitenoise,
# and the worker (receipts, reminders, clean-up) beside the web server.
run: install messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --if-empty
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "Simkerma is at http://$(HOST):$(PORT)/  (demo logins above; password demo-kerjasama-2025)"
	@echo ""
	DEBUG=0 $(BIN)/python scripts/serve.py \
		-- $(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
		-- $(BIN)/python manage.py simkerma_worker --loop

# For developers: DEBUG on, runserver reloading on changes, and the worker beside it.
dev: install messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo --if-empty
	DEBUG=1 $(BIN)/python scripts/serve.py \
		-- $(BIN)/python manage.py runserver $(HOST):$(PORT) \
		-- $(BIN)/python manage.py simkerma_worker --loop

# The worker alone, for a deployment that runs the web server elsewhere.
worker: install messages
	$(BIN)/python manage.py simkerma_worker --loop

test: install messages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS)

# ruff, then the layer order (pyproject.toml [tool.importlinter], docs/architecture.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

# Every benchmark, on SQLite and (when it answers) PostgreSQL, then docs/performance.md written from
# the figures (bench/run.py): seeded data at two scales, every main page, API list and the KPIs,
# a Locust load run, the workbook import and export, the LKPS export. About an hour the first
# time; the seeded databases are kept under var/bench/ and reused. BENCH_ARGS e.g. "--steps pages,docs".
BENCH_VENV := var/bench-venv
$(BENCH_VENV)/.installed: bench/requirements.txt
	test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements.txt
	touch $@

bench: install messages $(BENCH_VENV)/.installed
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# The workbook import and export benchmark: 10,000 rows (3 runs) and 600,000 activities (1 run)
# on SQLite, or on PostgreSQL with DATABASE_URL; BENCH_ARGS e.g. "--sizes 10k --write-docs".
bench-workbook: install
	$(BIN)/python bench/bench_workbook.py $(BENCH_ARGS)

# The LKPS export benchmark: the IAPS 4.0 XLSX for one prodi and one jurusan over 600,000
# activities (the database built once under var/bench/ and reused), median of five runs, on SQLite
# or on PostgreSQL with DATABASE_URL; BENCH_ARGS e.g. "--write-docs" or "--rebuild".
bench-reports: install
	$(BIN)/python bench/bench_reports.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .import_linter_cache
