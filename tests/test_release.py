"""The repository and the release tag are written once, in cnnrnn/release.py; the copies agree."""

import re
from pathlib import Path

from cnnrnn import release

ROOT = Path(__file__).resolve().parent.parent


def test_config_names_the_same_repository():
    config = (ROOT / "_config.yml").read_text()
    url = re.search(r"^repository:\s*\n\s+url:\s*(\S+)", config, re.M).group(1)
    assert url == release.REPOSITORY


def test_install_line_and_data_url_point_at_the_release_tag_not_main():
    assert release.RELEASE_TAG.startswith("v")
    assert release.install_spec().endswith(f"@{release.RELEASE_TAG}")
    assert f"/{release.RELEASE_TAG}/data/" in release.DATA_URL
    assert "/main/" not in release.DATA_URL


def test_set_tag_moves_every_copy(tmp_path, monkeypatch):
    import shutil

    (tmp_path / "cnnrnn").mkdir()
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "cnnrnn" / "release.py", tmp_path / "cnnrnn" / "release.py")
    shutil.copy(ROOT / "notebooks" / "01_activations.ipynb", tmp_path / "notebooks")
    monkeypatch.setattr(release, "__file__", str(tmp_path / "cnnrnn" / "release.py"))
    changed = release._set_tag("v9.9.9")
    assert changed == ["notebooks/01_activations.ipynb", "cnnrnn/release.py"]
    assert release.install_spec("v9.9.9") in (tmp_path / "notebooks" / "01_activations.ipynb").read_text()
    assert 'RELEASE_TAG = "v9.9.9"' in (tmp_path / "cnnrnn" / "release.py").read_text()
