# The course's commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# What to install: requirements.txt (compatible ranges, for readers) or requirements.lock (exact
# pins, what CI installs: `make install REQUIREMENTS=requirements.lock`). Left empty, a new venv
# gets requirements.txt and an existing one keeps what it was installed from (tools/venv.sh).
REQUIREMENTS ?=
JOBS ?= 2
ONLY ?=
# The book always shows full-mode numbers, whatever the calling shell exported.
BOOK_ENV := env -u CNNRNN_FAST CNNRNN_VERBOSE=2
TEST_ENV := CNNRNN_FAST=1 CNNRNN_OFFLINE=1 CNNRNN_VERBOSE=2

.PHONY: help install mathjax book test test-site handouts test-latest test-oldest lab bench lock clean distclean

help:
	@echo "make install    create or repair .venv and install (REQUIREMENTS=requirements.lock for CI's pins)"
	@echo "make book       execute every notebook (full mode) and build the HTML book in _build/html"
	@echo "make test       unit tests, every notebook in fast mode (nbval), the book build with -W and its pages in Chromium"
	@echo "make test-site  the browser tests against the executed book in _build/html (after make book)"
	@echo "make handouts   student notebooks (no solutions) and instructor notebooks into _build/handouts"
	@echo "make test-latest  the tests with the newest releases requirements.txt allows (separate venv .latest-venv)"
	@echo "make test-oldest  the tests with the lowest releases requirements.txt allows (separate venv .oldest-venv)"
	@echo "make lab        JupyterLab on the notebooks"
	@echo "make bench      full-mode benchmarks into _build/bench.json (one row: make bench ONLY=name)"
	@echo "make lock       refresh requirements.lock from requirements.txt"
	@echo "make clean      remove _build;  make distclean: also .venv and caches"

install:
	@bash tools/venv.sh "$(PYTHON)" "$(VENV)" $(REQUIREMENTS)

# MathJax 3 from the npm registry into _vendor/ (checksum-checked; nothing happens when present):
# the site serves it itself, no CDN (see tools/mathjax.py).
mathjax:
	@$(PYTHON) -m tools.mathjax

book: install mathjax
	$(PY) -m tools.book_cache --build _build --venv $(VENV)
	$(BOOK_ENV) $(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

test: install mathjax
	$(TEST_ENV) $(PY) -m pytest -n $(JOBS) --dist loadscope --durations=0 tests notebooks

# The browser tests (tests/test_site.py) against the executed book that `make book` left.
test-site: install mathjax
	@test -f _build/html/index.html || { echo "no _build/html: run make book first" >&2; exit 1; }
	CNNRNN_SITE=$(CURDIR)/_build/html $(TEST_ENV) $(PY) -m pytest tests/test_site.py

# Student notebooks (solutions removed) and instructor notebooks, from notebooks/ (tools/handouts.py).
handouts: install
	$(PY) -m tools.handouts --out _build/handouts

# The newest releases that requirements.txt allows, in a separate venv, then the tests: catches an
# upstream change before readers hit it. The venv is made fresh each time.
LATEST_VENV ?= .latest-venv
test-latest: mathjax
	rm -rf $(LATEST_VENV)
	$(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_VENV)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -r requirements.txt
	$(LATEST_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	mkdir -p _build && $(LATEST_VENV)/bin/pip freeze --exclude-editable > _build/latest-versions.txt
	$(TEST_ENV) $(LATEST_VENV)/bin/python -m pytest -n $(JOBS) --dist loadscope --durations=20 tests notebooks

# The lower bounds of the supported range: the lowest release of each package requirements.txt
# names (tools/lowest_requirements.py), their dependencies as pip resolves them.
OLDEST_VENV ?= .oldest-venv
test-oldest: mathjax
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	mkdir -p _build && $(PYTHON) -m tools.lowest_requirements > _build/lowest-requirements.txt
	$(OLDEST_VENV)/bin/python -m pip install --quiet -r _build/lowest-requirements.txt
	$(OLDEST_VENV)/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(OLDEST_VENV)/bin/pip freeze --exclude-editable > _build/oldest-versions.txt
	$(TEST_ENV) $(OLDEST_VENV)/bin/python -m pytest -n $(JOBS) --dist loadscope --durations=20 tests notebooks

lab: install
	$(VENV)/bin/jupyter lab notebooks

bench: install
	env -u CNNRNN_FAST $(PY) -m benchmarks $(if $(ONLY),--only $(ONLY))

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -r requirements.txt
	{ echo "# Exact pins for CI, made by 'make lock' with $$(.lock-venv/bin/python --version) on $$(uname -m)."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf _build

distclean: clean
	rm -rf $(VENV) .lock-venv .latest-venv .oldest-venv _vendor .pytest_cache *.egg-info .ipynb_checkpoints notebooks/.ipynb_checkpoints
	find . -name __pycache__ -type d -not -path "./.git/*" -prune -exec rm -rf {} +
