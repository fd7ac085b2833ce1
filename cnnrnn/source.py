"""Show the code of a course helper inside a notebook, so readers see what they call."""

from __future__ import annotations

import inspect


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
