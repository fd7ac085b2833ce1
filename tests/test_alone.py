"""A notebook opened alone, as on Colab: no clone, the helpers installed from a wheel, the data
downloaded from the release (served here on 127.0.0.1) and verified.

Colab has the heavy dependencies preinstalled; the fresh virtual environment gets them from this
repository's venv through a ``.pth`` file, and gets ``cnnrnn`` only from the wheel built here, so a
file missing from the wheel (the package's copy of SHA256SUMS, say) or a loader that still needs
the repository makes this test fail. Nothing is installed from the network.
"""

import http.server
import os
import shutil
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import pytest

from cnnrnn import data

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "02_convolution.ipynb"  # the fastest notebook in fast mode; it loads mnist.npz


def run(*command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


@pytest.fixture
def release_server():
    """The repository's data/ served on 127.0.0.1, as the release would serve it; logs GETs."""
    requested = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(ROOT / "data"), **kwargs)

        def do_GET(self):
            requested.append(self.path.lstrip("/"))
            super().do_GET()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", requested
    httpd.shutdown()


@pytest.fixture
def colab_like_venv(tmp_path):
    """A fresh venv with cnnrnn installed from a wheel and the course's dependencies visible."""
    assert ROOT not in tmp_path.parents  # nothing here may find the repository
    # Build from a copy of what the wheel is made of: setuptools writes build/ and *.egg-info
    # next to the sources, which must not appear in the working tree.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "cnnrnn", source / "cnnrnn",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ["pyproject.toml", "README.md"]:
        shutil.copy(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "-w", str(wheels), str(source))
    (wheel,) = wheels.glob("cnnrnn-*.whl")
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", str(venv))
    python = venv / "bin" / "python"
    # Install before the .pth exists: the repository venv's editable cnnrnn stays out of pip's view.
    run(str(python), "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", str(wheel))
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    new_site = Path(run(str(python), "-c", purelib).stdout.strip())
    # A plain path line: appended after the venv's own site-packages, and the repository venv's
    # own .pth files (its editable install of cnnrnn) are not processed.
    (new_site / "course_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python, new_site


def test_notebook_runs_alone_from_a_wheel_with_downloaded_data(tmp_path, colab_like_venv,
                                                               release_server):
    python, new_site = colab_like_venv
    url, requested = release_server
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / NOTEBOOK).write_bytes((ROOT / "notebooks" / NOTEBOOK).read_bytes())
    cache = tmp_path / "cache"
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CNNRNN_") and key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.update(CNNRNN_FAST="1", CNNRNN_OFFLINE="1", CNNRNN_VERBOSE="2", CNNRNN_DATA_URL=url,
               CNNRNN_CACHE=str(cache))
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"  # a proxy must not see loopback

    probe = "import cnnrnn.data as d; print(d.__file__); print(d.find_data_dir())"
    where = run(str(python), "-c", probe, cwd=alone, env=env).stdout.split("\n")
    assert Path(where[0]).is_relative_to(new_site), where  # the wheel, not the repository
    assert where[1] == "None", where  # no data/ folder found: the notebook must download

    result = subprocess.run(
        [str(python), "-m", "pytest", "-q", "--nbval-lax", "--nbval-current-env",
         "--nbval-cell-timeout=120", "-p", "no:cacheprovider", NOTEBOOK],
        cwd=alone, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]

    assert requested == ["mnist.npz"]  # fetched from the "release", once
    assert sorted(p.name for p in cache.iterdir()) == ["mnist.npz"]  # no temporary left behind
    assert data.sha256_of(cache / "mnist.npz") == data.REGISTRY["mnist.npz"]


def test_autocorrect_command_works_from_the_wheel(tmp_path, colab_like_venv):
    # The shipped model is package data: the tool must work right after install, away from
    # the repository.
    python, new_site = colab_like_venv
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CNNRNN_") and key not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    done = subprocess.run([str(python), "-m", "cnnrnn.autocorrect", "networc"], cwd=elsewhere,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "network\n"
    model = run(str(python), "-c", "import cnnrnn.autocorrect.model as m; print(m.SHIPPED_MODEL)",
                cwd=elsewhere, env=env).stdout.strip()
    assert Path(model).is_relative_to(new_site), model
