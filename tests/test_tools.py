"""The developer tools behind the Makefile: the book's cache stamp and the venv decisions."""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from tools import book_cache

ROOT = Path(__file__).resolve().parent.parent


def fake_repo(tmp_path):
    (tmp_path / "cnnrnn").mkdir()
    (tmp_path / "cnnrnn" / "helpers.py").write_text("x = 1\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "SHA256SUMS").write_text("abc  file\n")
    (tmp_path / "requirements.lock").write_text("keras==3.15.1\n")
    return tmp_path


def test_digest_changes_with_helpers_data_and_lock(tmp_path):
    repo = fake_repo(tmp_path)
    first = book_cache.inputs_digest(repo)
    assert book_cache.inputs_digest(repo) == first  # stable while nothing changes
    seen = {first}
    for path, text in [("cnnrnn/helpers.py", "x = 2\n"), ("data/SHA256SUMS", "abd  file\n"),
                       ("requirements.lock", "keras==3.15.2\n")]:
        (repo / path).write_text(text)
        digest = book_cache.inputs_digest(repo)
        assert digest not in seen, path
        seen.add(digest)


def test_refresh_clears_saved_outputs_only_when_inputs_change(tmp_path):
    build = tmp_path / "_build"
    saved = [build / name for name in (".jupyter_cache", ".doctrees", "jupyter_execute")]

    def fill():
        for folder in saved:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "outputs").write_text("old")

    fill()
    assert book_cache.refresh(build, "d1") is True  # no stamp yet
    assert not any(folder.exists() for folder in saved)
    fill()
    assert book_cache.refresh(build, "d1") is False
    assert all((folder / "outputs").exists() for folder in saved)
    assert book_cache.refresh(build, "d2") is True
    assert not any(folder.exists() for folder in saved)


def run_venv_script(*args):
    result = subprocess.run(["bash", str(ROOT / "tools" / "venv.sh"), *map(str, args)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout.strip(), result.stderr


def test_venv_script_refuses_an_old_or_missing_python(tmp_path):
    fake = tmp_path / "python3.9"
    fake.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.18' && exit 0\nexit 1\n")
    fake.chmod(0o755)
    code, _, err = run_venv_script(fake, tmp_path / "venv", "--dry-run")
    assert code == 1 and "Python 3.9.18" in err and "3.11 or newer" in err
    code, _, err = run_venv_script(tmp_path / "nothing", tmp_path / "venv", "--dry-run")
    assert code == 1 and "not found" in err


def test_venv_script_decisions(tmp_path):
    venv = tmp_path / "venv"
    assert run_venv_script(sys.executable, venv, "--dry-run")[1] == "create"
    (venv / "bin").mkdir(parents=True)
    os.symlink(tmp_path / "gone" / "python3", venv / "bin" / "python")  # dangling interpreter
    assert run_venv_script(sys.executable, venv, "--dry-run")[1].startswith("recreate")
    (venv / "bin" / "python").unlink()
    os.symlink(sys.executable, venv / "bin" / "python")
    assert run_venv_script(sys.executable, venv, "--dry-run")[1] == "install requirements.txt"
    # after a lock install, `make test` (no REQUIREMENTS) keeps the lock and installs nothing
    content = (ROOT / "requirements.lock").read_bytes() + (ROOT / "pyproject.toml").read_bytes()
    (venv / ".installed").write_text(f"requirements.lock {hashlib.sha256(content).hexdigest()}\n")
    assert run_venv_script(sys.executable, venv, "--dry-run")[1] == "ok"
    assert run_venv_script(sys.executable, venv, "requirements.lock", "--dry-run")[1] == "ok"
    assert run_venv_script(sys.executable, venv, "requirements.txt", "--dry-run")[1] == \
        "install requirements.txt"


def make_dry_run(target, **env):
    result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_book_runs_full_mode_and_refreshes_the_cache_stamp_first():
    lines = make_dry_run("book", CNNRNN_FAST="1").splitlines()
    build = next(i for i, line in enumerate(lines) if "jupyter-book build" in line)
    assert lines[build].startswith("env -u CNNRNN_FAST "), lines[build]
    stamp = next(i for i, line in enumerate(lines) if "tools.book_cache" in line)
    assert stamp < build


def test_make_test_runs_tests_and_notebooks_in_fast_offline_mode():
    command = next(line for line in make_dry_run("test").splitlines() if "pytest" in line)
    assert "CNNRNN_FAST=1" in command and "CNNRNN_OFFLINE=1" in command
    assert command.rstrip().endswith("tests notebooks")
