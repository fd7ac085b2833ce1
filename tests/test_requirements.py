"""CI installs requirements.lock: every package a reader installs must be pinned there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def requirement_names(text: str) -> list[str]:
    names = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.append(normalize(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line).group(0)))
    return names


def test_every_requirement_is_pinned_in_the_lock():
    wanted = requirement_names((ROOT / "requirements.txt").read_text())
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"requirements.lock: {line!r} is not pinned with =="
            pins[normalize(name)] = version.strip()
    assert wanted, "requirements.txt names no package"
    missing = [name for name in wanted if name not in pins]
    assert not missing, f"requirements.txt names {missing}, which requirements.lock does not pin"


def test_the_package_dependencies_are_requirements_too():
    pyproject = (ROOT / "pyproject.toml").read_text()
    block = re.search(r"^dependencies\s*=\s*\[(.*?)\]", pyproject, re.M | re.S).group(1)
    dependencies = [normalize(re.match(r"[A-Za-z0-9._-]+", d).group(0))
                    for d in re.findall(r'"([^"]+)"', block)]
    assert set(dependencies) <= set(requirement_names((ROOT / "requirements.txt").read_text()))


def test_supported_python_is_stated_once_and_agrees():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11"' in pyproject
    assert "3.11 or newer" in (ROOT / "README.md").read_text()
    assert "Python 3.11" in (ROOT / "requirements.lock").read_text().splitlines()[0]
