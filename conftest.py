"""Settings for every test run, `make test` or plain `pytest` alike.

Notebooks (collected by nbval from ``notebooks/``) run in fast mode, offline, with one log line per
epoch. Kernels inherit the environment, so it is set here, before any kernel starts; a value the
caller exported (e.g. ``CNNRNN_FAST=0``) wins.
"""

import os

for name, value in {"CNNRNN_FAST": "1", "CNNRNN_OFFLINE": "1", "CNNRNN_VERBOSE": "2"}.items():
    os.environ.setdefault(name, value)
