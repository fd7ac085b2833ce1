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

.PHONY: help install book test lab bench lock clean distclean

help:
	@echo "make install    create or repair .venv and install (REQUIREMENTS=requirements.lock for CI's pins)"
	@echo "make book       execute every notebook (full mode) and build the HTML book in _build/html"
	@echo "make test       unit tests, every notebook in fast mode (nbval), the book build with -W"
	@echo "make lab        JupyterLab on the notebooks"
	@echo "make bench      full-mode benchmarks into _build/bench.json (one row: make bench ONLY=name)"
	@echo "make lock       refresh requirements.lock from requirements.txt"
	@echo "make clean      remove _build;  make distclean: also .venv and caches"

install:
	@bash tools/venv.sh "$(PYTHON)" "$(VENV)" $(REQUIREMENTS)

book: install
	$(PY) -m tools.book_cache --build _build --venv $(VENV)
	$(BOOK_ENV) $(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

test: install
	$(TEST_ENV) $(PY) -m pytest -n $(JOBS) --dist loadscope --durations=0 tests notebooks

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
	rm -rf $(VENV) .lock-venv .pytest_cache *.egg-info .ipynb_checkpoints notebooks/.ipynb_checkpoints
	find . -name __pycache__ -type d -not -path "./.git/*" -prune -exec rm -rf {} +
