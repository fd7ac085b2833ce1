"""Checks on the notebooks as files (nbval runs them: see `make test`)."""

import json
import re
from pathlib import Path

import pytest

from cnnrnn import release

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_the_table_of_contents(path):
    assert f"notebooks/{path.stem}" in (ROOT / "_toc.yml").read_text()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    dirty = [i for i, cell in enumerate(_cells(path))
             if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_setup_cell_installs_this_release_when_alone(path):
    setup = _source(next(c for c in _cells(path) if c["cell_type"] == "code"))
    assert f'%pip install --quiet "{release.install_spec()}"' in setup, \
        f"{path.name}: the set-up cell must install {release.install_spec()!r} (python -m cnnrnn.release)"
    assert "except ModuleNotFoundError:" in setup and "cnnrnn.setup(" in setup


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_checks_something_and_never_compares_output_text(path):
    code = "\n".join(_source(c) for c in _cells(path) if c["cell_type"] == "code")
    assert re.search(r"^\s*(assert |np\.testing\.assert)", code, re.M), f"{path.name} asserts nothing"
    assert "NBVAL_CHECK_OUTPUT" not in code
    assert "verbose=1" not in code, "use verbose=cfg.verbose for fit and verbose=0 elsewhere"
