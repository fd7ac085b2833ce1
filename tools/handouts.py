"""Student and instructor notebooks, made from the notebooks in ``notebooks/`` (never kept twice).

Each exercise's solution is marked in the notebooks by sphinx-exercise's gated directives: a
markdown cell that opens with ```` ```{solution-start} label ```` and, in the same or a later
cell, ```` ```{solution-end} ````. Everything from the opening cell to the closing cell is the
solution (its prose, its code and its checks).

- ``instructor/NN_x.ipynb``: the notebook as it is, solutions included, with a first line saying
  so.
- ``student/NN_x.ipynb``: the same notebook with each solution replaced by one empty code cell
  ("# Your answer to <label> here"), and a first line pointing to the book for the solutions.

Outputs are dropped from both (the sources are stored without them anyway).

    python -m tools.handouts [--out _build/handouts] [notebooks ...]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = re.compile(r"```\{solution-start\}\s*(\S+)")
END = "{solution-end}"


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def solution_blocks(cells: list[dict]) -> list[tuple[int, int, str]]:
    """(first cell, last cell, label) of every solution, inclusive; a clear error when the markers
    do not pair up."""
    blocks, opened = [], None
    for index, cell in enumerate(cells):
        text = source(cell) if cell["cell_type"] == "markdown" else ""
        start = START.search(text)
        if start:
            if opened is not None:
                raise ValueError(f"cell {index}: solution {start.group(1)!r} starts inside "
                                 f"solution {opened[1]!r}")
            opened = (index, start.group(1))
        if END in text:
            if opened is None:
                raise ValueError(f"cell {index}: solution-end without a solution-start")
            blocks.append((opened[0], index, opened[1]))
            opened = None
    if opened is not None:
        raise ValueError(f"solution {opened[1]!r} (cell {opened[0]}) has no solution-end")
    return blocks


def _cell_id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:8]


def _markdown(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text}


def _clean(cell: dict) -> dict:
    cell = copy.deepcopy(cell)
    if cell["cell_type"] == "code":
        cell["outputs"], cell["execution_count"] = [], None
    return cell


def student(notebook: dict, name: str) -> dict:
    """The notebook with every solution replaced by an empty answer cell."""
    cells = notebook["cells"]
    blocks = solution_blocks(cells)
    out, skip_to = [], -1
    starts = {first: (last, label) for first, last, label in blocks}
    for index, cell in enumerate(cells):
        if index <= skip_to:
            continue
        if index in starts:
            skip_to, label = starts[index]
            out.append({"cell_type": "code", "execution_count": None, "id": _cell_id(name, label),
                        "metadata": {}, "outputs": [], "source": f"# Your answer to {label} here\n"})
            continue
        out.append(_clean(cell))
    result = {**copy.deepcopy({k: v for k, v in notebook.items() if k != "cells"}), "cells": out}
    note = _markdown("*Student version: the solutions are left out. Work through the exercises in "
                     "the empty cells; the book has the solutions.*", _cell_id(name, "student"))
    result["cells"].insert(1, note)
    return result


def instructor(notebook: dict, name: str) -> dict:
    """The notebook with its solutions, marked as the instructor's copy."""
    solution_blocks(notebook["cells"])  # the same checks on the markers
    result = copy.deepcopy(notebook)
    result["cells"] = [_clean(cell) for cell in result["cells"]]
    note = _markdown("*Instructor version: solutions included. The student version has an empty "
                     "cell in place of each solution.*", _cell_id(name, "instructor"))
    result["cells"].insert(1, note)
    return result


def write(notebook: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


def make_handouts(out: Path, sources: list[Path]) -> dict[str, int]:
    """Write both versions of every source notebook under ``out``; {name: solutions removed}."""
    counts = {}
    for path in sources:
        notebook = json.loads(path.read_text())
        write(student(notebook, path.stem), out / "student" / path.name)
        write(instructor(notebook, path.stem), out / "instructor" / path.name)
        counts[path.name] = len(solution_blocks(notebook["cells"]))
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "handouts")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args(argv)
    sources = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for name, count in make_handouts(args.out, sources).items():
        print(f"{name}: {count} solutions left out of the student version")
    print(f"student and instructor notebooks in {args.out}")


if __name__ == "__main__":
    main()
