"""What a notebook shows its reader beyond plots: the source of a helper, and numbers for the book.

- :func:`show_source` displays the code of a course helper, so readers see what they call.
- :func:`glue` hands a measured number to the book (MyST-NB's ``glue``), so that prose quotes
  the run instead of a typed-in value.
"""

from __future__ import annotations

import inspect
from typing import Any


def show_source(obj) -> None:
    """Display the source of a function or class defined in :mod:`cnnrnn`, syntax-highlighted.

    Outside IPython it prints the plain text.
    """
    code = inspect.getsource(obj)
    try:
        from IPython.display import Markdown, display
    except ImportError:
        print(code)
        return
    display(Markdown(f"```python\n{code}```"))


def glue(name: str, value: Any, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the book's ``{glue:text}`` references.

    With MyST-NB installed (the book build, a clone) this is ``myst_nb.glue``. A notebook that runs
    alone (Colab) usually lacks MyST-NB: the number is then simply not stored, which costs nothing,
    because the notebook prints every number it glues. ``display`` is False by default: prose
    quotes the number, the cell's own printout shows it. NumPy scalars are stored as plain
    Python numbers: MyST-NB would otherwise store their repr (``np.float64(0.98)``), which a
    ``{glue:text}`key:.2f``` format cannot read.
    """
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    try:
        from myst_nb import glue as myst_glue
    except ModuleNotFoundError:
        return  # returns nothing, so a cell that ends with glue(...) echoes nothing either
    myst_glue(name, value, display=display)
