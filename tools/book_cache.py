"""Clear Jupyter Book's execution cache when anything a notebook depends on has changed.

Jupyter Book (jupyter-cache) keys a notebook's stored outputs on its code cells only, and Sphinx
re-reads only the source files that changed, so a change to the ``cnnrnn`` helpers, to the data or
to the installed packages would otherwise publish outputs computed with the old code. ``make book``
runs this first: it hashes those inputs into a stamp and, when the stamp differs, deletes the
execution cache and Sphinx's saved environment (``.doctrees``, ``jupyter_execute``), so every
notebook is read and executed again.

    python -m tools.book_cache [--build _build] [--venv .venv]
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: What the notebooks' outputs depend on besides their own code cells.
INPUT_GLOBS = ("cnnrnn/**/*.py", "cnnrnn/SHA256SUMS", "data/SHA256SUMS", "requirements.txt",
               "requirements.lock", "pyproject.toml")
STAMP_NAME = "cnnrnn-inputs.sha256"


def inputs_digest(root: Path = ROOT, venv_stamp: Path | None = None) -> str:
    """sha256 over the names and contents of every input file (and the venv's install stamp)."""
    digest = hashlib.sha256()
    files = sorted({path for pattern in INPUT_GLOBS for path in root.glob(pattern) if path.is_file()})
    if venv_stamp is not None and venv_stamp.is_file():
        files.append(venv_stamp)
    for path in files:
        digest.update(str(path.relative_to(root) if path.is_relative_to(root) else path).encode())
        digest.update(b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


#: What a build keeps between runs that can hold outputs of an earlier execution.
SAVED_STATE = (".jupyter_cache", ".doctrees", "jupyter_execute")


def refresh(build: Path, digest: str) -> bool:
    """Delete the saved execution state in ``build`` unless the stamp holds ``digest``; True if
    anything was deleted."""
    stamp = build / STAMP_NAME
    if stamp.is_file() and stamp.read_text().strip() == digest:
        return False
    cleared = False
    for name in SAVED_STATE:
        cleared |= (build / name).exists()
        shutil.rmtree(build / name, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest + "\n")
    return cleared


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "_build")
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    args = parser.parse_args(argv)
    if refresh(args.build, inputs_digest(ROOT, args.venv / ".installed")):
        print("cnnrnn/, data/ or the packages changed: cleared the execution cache; "
              "every notebook runs again")


if __name__ == "__main__":
    main()
