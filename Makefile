# Two commands: `make run` starts the demo academy, `make test` runs every test.
PYTHON_BIN ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The address links, e-mails and QR codes name under `make run`: HOST, or this machine's LAN address when
# serving on every interface (HOST=0.0.0.0). Pages served from a request use the request's own address.
PUBLIC_HOST ?= $(if $(filter 0.0.0.0,$(HOST)),$(or $(shell hostname -I 2>/dev/null | cut -d' ' -f1),127.0.0.1),$(HOST))

.PHONY: run test test-services test-browser-deps lint check bench clean-venv messages

$(VENV)/bin/python:
	$(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin
	@echo "Serving http://$(PUBLIC_HOST):$(PORT)/  (admin: http://$(PUBLIC_HOST):$(PORT)/admin/, API docs: http://$(PUBLIC_HOST):$(PORT)/api/docs/)"
	WAGTAILADMIN_BASE_URL="$${WAGTAILADMIN_BASE_URL:-http://$(PUBLIC_HOST):$(PORT)}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost,testserver,$(PUBLIC_HOST)}" \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Two processes (pytest-xdist) halve the run on CI's two cores; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: $(VENV)/.installed-dev
	$(PY) -m pytest -n $(TEST_WORKERS)

# What the browser tests (tests/e2e) need: Debian's Chromium (never a Playwright browser download; installing
# it needs root, as in CI) and axe-core from package-lock.json. Without them `make test` skips those tests.
test-browser-deps:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	test -f node_modules/axe-core/axe.min.js -a -f node_modules/jsonld/package.json || npm ci --no-audit --no-fund

# The same suite against PostgreSQL and Redis, with a real Celery worker (used by .ci/run). The browser
# journeys already ran in `make test`; they check pages, not the database, so they are not run twice.
test-services: $(VENV)/.installed-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-redis://127.0.0.1:6379/0} \
	CACHE_URL=$${CACHE_URL:-rediscache://127.0.0.1:6379/1} \
	ACADEMY_REQUIRE_SERVICES=1 $(PY) -m pytest -m "not browser"

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .

check: $(VENV)/.installed-dev
	DJANGO_SETTINGS_MODULE=academy.settings.dev $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=academy.settings.production \
	DJANGO_SECRET_KEY=ci-dummy-secret-key-0123456789abcdefghijklmnopqrstuvwxyz \
	DJANGO_ALLOWED_HOSTS=academy.example.org DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/0 EMAIL_URL=smtp://localhost:25 \
	WAGTAILADMIN_BASE_URL=https://academy.example.org ACADEMY_SIGNING_KEY=ci-dummy-signing-key \
	$(PY) manage.py check --deploy --fail-level WARNING

bench: $(VENV)/.installed-dev
	$(PY) -m bench

messages: $(VENV)/.installed-dev
	$(PY) manage.py makemessages -l ky -l ru --no-obsolete \
	  --ignore=.venv --ignore=staticfiles --ignore=node_modules --ignore=.bench --ignore=tests --ignore=bench --ignore=test-artifacts
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

clean-venv:
	rm -rf $(VENV)
