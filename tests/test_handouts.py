"""`make handouts`: student notebooks without the solutions and instructor notebooks with them,
made from the notebooks themselves (tools/handouts.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import handouts

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
#: The student notebook run for real here (fast mode): one with code in its solutions and no timing
#: assertions (02, the quickest, asserts a timing fit that a loaded machine can break).
RUN = "01_activations.ipynb"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    counts = handouts.make_handouts(out, NOTEBOOKS)
    return out, counts


def test_every_notebook_has_solutions_to_remove(made):
    _, counts = made
    assert set(counts) == {path.name for path in NOTEBOOKS}
    assert all(count >= 1 for count in counts.values()), counts


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_version_is_the_notebook_without_its_solutions(made, path):
    out, counts = made
    original = json.loads(path.read_text())["cells"]
    student = nbformat.read(out / "student" / path.name, as_version=4)
    nbformat.validate(student)
    blocks = handouts.solution_blocks(original)
    in_solution = {i for first, last, _ in blocks for i in range(first, last + 1)}
    solution_code = {handouts.source(original[i]).strip() for i in in_solution
                     if original[i]["cell_type"] == "code"}
    kept = [handouts.source(c) for i, c in enumerate(original) if i not in in_solution]
    texts = [handouts.source(c) for c in student.cells]
    # no solution marker and no line of solution code is left
    assert not any("{solution-start}" in t or "{solution-end}" in t for t in texts)
    assert not any(t.strip() in solution_code for t in texts if t.strip())
    # every other cell is there, unchanged and in order; one empty answer cell per solution
    assert [t for t in texts if t in kept] == kept
    answers = [t for t in texts if t.startswith("# Your answer to ")]
    assert len(answers) == counts[path.name] == len(blocks)
    assert len({c.id for c in student.cells}) == len(student.cells), "cell ids must stay unique"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_version_keeps_every_cell(made, path):
    out, _ = made
    original = [handouts.source(c) for c in json.loads(path.read_text())["cells"]]
    instructor = nbformat.read(out / "instructor" / path.name, as_version=4)
    nbformat.validate(instructor)
    assert [handouts.source(c) for c in instructor.cells if handouts.source(c) in original] == original


def test_unpaired_markers_are_a_clear_error():
    def md(text):
        return {"cell_type": "markdown", "source": text, "metadata": {}}

    with pytest.raises(ValueError, match="has no solution-end"):
        handouts.solution_blocks([md("```{solution-start} a\n```"), md("text")])
    with pytest.raises(ValueError, match="without a solution-start"):
        handouts.solution_blocks([md("```{solution-end}\n```")])
    with pytest.raises(ValueError, match="starts inside"):
        handouts.solution_blocks([md("```{solution-start} a\n```"), md("```{solution-start} b\n```")])
    assert handouts.solution_blocks([md("```{solution-start} a\n:class: dropdown\n```\nx\n```{solution-end}\n```")]) \
        == [(0, 0, "a")]


def test_a_student_notebook_runs(made, tmp_path):
    """The student version of one notebook runs from top to bottom in fast mode: the lab works
    without the solutions (the exercises' answer cells are empty)."""
    out, _ = made
    notebook = tmp_path / RUN
    notebook.write_bytes((out / "student" / RUN).read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         "--nbval-lax", "--nbval-current-env", "--rootdir", str(tmp_path), str(notebook)],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
        env={**os.environ, "CNNRNN_FAST": "1", "CNNRNN_OFFLINE": "1", "CNNRNN_VERBOSE": "2"})
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert " passed" in result.stdout
