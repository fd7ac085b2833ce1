"""The book builds with zero warnings (-W -n). Notebooks are not executed here: nbval runs them
(tests in notebooks/), and `make book` builds the executed book."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def unexecuted_config(tmp_path_factory) -> Path:
    """The book's configuration with execution off. Glued numbers only exist once the notebooks
    have run, so here (and only here) a glue reference without its value is not a warning;
    `make book` builds the executed book with -W, where a missing glue key fails the build."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["execute"]["execute_notebooks"] == "cache", "execute mode changed; update this test"
    config["execute"]["execute_notebooks"] = "off"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["suppress_warnings"] = [*sphinx_config.get("suppress_warnings", []),
                                          "mystnb.glue_ref", "mystnb.glue"]
    path = tmp_path_factory.mktemp("config") / "_config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path


def test_book_builds_without_warnings(unexecuted_config, tmp_path):
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    command = [str(jupyter_book if jupyter_book.exists() else shutil.which("jupyter-book")),
               "build", str(ROOT), "-W", "-n", "--keep-going", "--config", str(unexecuted_config),
               "--path-output", str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-6000:]
    assert "build succeeded" in log, log[-3000:]
    assert "WARNING:" not in result.stdout, [l for l in log.splitlines() if "WARNING" in l]
    html = tmp_path / "_build" / "html"
    assert (html / "book" / "intro.html").is_file()
