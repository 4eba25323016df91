# Fupin: `make demo` installs, migrates, loads the demo and serves; `make test` runs lint (ruff,
# the import layering of pyproject's [tool.importlinter]) and the suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
PYTEST_ARGS ?=
# Two workers (the machines have two cores): a module's functions, or a class, go to one worker,
# so a module-scoped fixture (the demo province) is built once (see conftest.py). loadgroup
# would be finer, but pytest-xdist 3.8 does not group under pytest 9 (it sets a removed
# attribute), so its marks would be ignored.
TEST_WORKERS ?= 2
XDIST := -n $(TEST_WORKERS) --dist loadscope
export FUPIN_FAST_HASHER ?=

.PHONY: fonts install demo serve test lint test-db test-browser test-postgres browser-deps vendor messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Fupin needs Python 3.11 or newer")'
	@$(PY) -m venv $(VENV) 2>/dev/null || { \
	  echo "python3 -m venv is missing; installing Debian's python3-venv"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && $(PY) -m venv $(VENV); }
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	@$(MAKE) --no-print-directory fonts
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

# Chinese glyphs for PDF notices (and screenshots): Debian's fonts-noto-cjk.
fonts:
	@fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
	  echo "installing Debian's fonts-noto-cjk (Chinese glyphs for PDF notices)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk fontconfig; }

demo: install
	$(BIN)/fupin demo $(DEMO_ARGS)

# gunicorn with the background worker supervised (docs/operations.md); e.g. SERVE_ARGS="--bind 0.0.0.0:8000"
serve: install
	$(BIN)/fupin serve $(SERVE_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0

test: lint
	FUPIN_FAST_HASHER=1 FUPIN_DATABASE_URL= $(BIN)/pytest -m "not browser" -q $(XDIST) $(PYTEST_ARGS)

# The same suite on PostgreSQL (FUPIN_DATABASE_URL must point at a server; .ci/run sets it);
# pytest-django gives each worker its own test database (test_<name>_gw0, _gw1).
test-db: install
	FUPIN_FAST_HASHER=1 $(BIN)/pytest -m "not browser" -q $(XDIST) $(PYTEST_ARGS)

browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; }

test-browser: install browser-deps
	FUPIN_FAST_HASHER=1 FUPIN_TEST_SQLITE_FILE=var/test-browser.sqlite3 $(BIN)/pytest -m browser -q $(PYTEST_ARGS)

# Refresh Tabler, HTMX and ECharts under fupin/web/static/vendor/ from the npm registry.
vendor:
	bash scripts/vendor.sh

# Extract and compile translations (needs GNU gettext); compiled .mo files are committed.
messages: install
	cd fupin && ../$(BIN)/django-admin makemessages -l zh_Hans -l en --no-obsolete -i "static/*"
	cd fupin && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var
