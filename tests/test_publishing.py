"""The publishing set-up that cannot run here is at least consistent: GitHub Actions workflows call
only the Makefile (or .ci/run), Binder installs the exact pins and the helpers, no hub is preset."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


def run_steps(path: Path) -> list[str]:
    return [line.split("run:", 1)[1].strip() for line in path.read_text().splitlines()
            if line.strip().startswith("- run:")]


def test_ci_workflow_runs_the_ci_script_on_push_and_pull_request():
    text = (WORKFLOWS / "ci.yml").read_text()
    assert "push:" in text and "pull_request:" in text
    assert run_steps(WORKFLOWS / "ci.yml") == ["bash .ci/run"]


def test_publish_workflow_builds_cold_benches_and_deploys():
    text = (WORKFLOWS / "publish.yml").read_text()
    assert "schedule:" in text and 'tags: ["v*"]' in text
    steps = run_steps(WORKFLOWS / "publish.yml")
    assert steps == ["make install REQUIREMENTS=requirements.lock", "make clean book", "make bench"]
    assert "_build/bench.json" in text and "deploy-pages" in text and "path: _build/html" in text


def test_binder_installs_the_lock_and_the_helpers():
    assert "-r ../requirements.lock" in (ROOT / "binder" / "requirements.txt").read_text()
    assert "python-3.11" in (ROOT / "binder" / "runtime.txt").read_text()
    post_build = ROOT / "binder" / "postBuild"
    assert "pip install" in post_build.read_text() and post_build.stat().st_mode & 0o111


def test_no_jupyterhub_is_preset_and_the_readme_says_how_to_set_one():
    config = (ROOT / "_config.yml").read_text()
    assert re.search(r'^\s+jupyterhub_url:\s*""\s*$', config, re.M)
    assert "jupyterhub_url" in (ROOT / "README.md").read_text()


def test_ci_script_installs_the_lock_then_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    assert "make install REQUIREMENTS=requirements.lock" in script
    assert "make test" in (ROOT / "README.md").read_text() and "\nmake test" in script
