"""The set-up cell that opens every notebook is boilerplate for a reader of the book: it is
collapsed there (a hide-input tag, so the book shows a "show code" toggle and its output) and kept
in the notebook."""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_setup_cell_is_collapsed_in_the_book(path):
    cells = json.loads(path.read_text())["cells"]
    setup = next(cell for cell in cells if cell["cell_type"] == "code")
    text = "".join(setup["source"])
    assert text.startswith("# Set-up"), f"{path.name}: the first code cell is not the set-up cell"
    assert "hide-input" in setup.get("metadata", {}).get("tags", []), (
        f"{path.name}: tag the set-up cell 'hide-input' (metadata.tags)")
