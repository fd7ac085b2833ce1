"""The one place that names the course repository and the release the notebooks install.

Everything that points at the repository derives from these two names: the notebooks' install line
(:func:`install_spec`), the data downloads (:data:`DATA_URL`), and the repository URL in
``_config.yml``. ``tests/test_release.py`` checks that those copies agree with this file;
``python -m cnnrnn.release v0.3.0`` moves all of them to a new tag at once (see CONTRIBUTING.md).
"""

from __future__ import annotations

REPOSITORY = "https://github.com/cnn-vs-rnn/cnn-vs-rnn"
#: The release (git tag) that notebooks opened alone install and download their data from.
RELEASE_TAG = "v0.8.0"
#: Where a notebook opened alone downloads the data files (the ``data/`` folder of the release).
DATA_URL = REPOSITORY.replace("https://github.com/", "https://raw.githubusercontent.com/") + \
    f"/{RELEASE_TAG}/data/"


def install_spec(tag: str = RELEASE_TAG) -> str:
    """The pip requirement a notebook alone installs: the helpers of release ``tag``."""
    return f"cnnrnn @ git+{REPOSITORY}@{tag}"


def _set_tag(new_tag: str) -> list[str]:
    """Rewrite this file and every notebook's install line to ``new_tag``; return what changed."""
    import json
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    changed = []
    for notebook in sorted((root / "notebooks").glob("*.ipynb")):
        text = notebook.read_text()
        new = text.replace(install_spec(), install_spec(new_tag))
        if new != text:
            json.loads(new)  # still a valid notebook
            notebook.write_text(new)
            changed.append(str(notebook.relative_to(root)))
    this = Path(__file__)
    source = this.read_text()
    this.write_text(re.sub(r'^RELEASE_TAG = ".*"$', f'RELEASE_TAG = "{new_tag}"', source,
                           count=1, flags=re.M))
    changed.append(str(this.relative_to(root)))
    return changed


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2 or not sys.argv[1].startswith("v"):
        sys.exit("usage: python -m cnnrnn.release vX.Y.Z   (moves the notebooks to that tag)")
    print("\n".join(_set_tag(sys.argv[1])))
