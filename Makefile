# The course's commands. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# What to install: requirements.txt (compatible ranges, for readers) or requirements.lock
# (exact pins, what CI installs: `make install REQUIREMENTS=requirements.lock`).
REQUIREMENTS ?= requirements.txt
STAMP := $(VENV)/.installed-$(notdir $(REQUIREMENTS))
JOBS ?= 2
ONLY ?=
BOOK_ENV := CNNRNN_VERBOSE=2
TEST_ENV := CNNRNN_FAST=1 CNNRNN_OFFLINE=1 CNNRNN_VERBOSE=2

.PHONY: help install book test lab bench lock clean

help:
	@echo "make book   execute every notebook (full mode) and build the HTML book in _build/html"
	@echo "make test   unit tests, every notebook in fast mode (nbval), the book build with -W"
	@echo "make lab    JupyterLab on the notebooks"
	@echo "make bench  full-mode benchmarks into _build/bench.json (one row: make bench ONLY=name)"
	@echo "make lock   refresh requirements.lock from requirements.txt"

install: $(STAMP)

$(STAMP): $(REQUIREMENTS) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r $(REQUIREMENTS)
	$(PY) -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

book: $(STAMP)
	$(BOOK_ENV) $(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "Open $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(TEST_ENV) $(PY) -m pytest -n $(JOBS) --dist loadscope --nbval-lax --nbval-current-env \
		--durations=0 tests notebooks

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

bench: $(STAMP)
	$(PY) -m benchmarks $(if $(ONLY),--only $(ONLY))

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -r requirements.txt
	{ echo "# Exact pins for CI, made by 'make lock' with $$(.lock-venv/bin/python --version) on $$(uname -m)."; \
	  .lock-venv/bin/pip freeze --exclude-editable; } > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf _build
