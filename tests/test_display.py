"""cnnrnn.display: glue reaches MyST-NB when it is installed and costs nothing when it is not."""

import builtins
import sys
import types

import cnnrnn
from cnnrnn import display


def test_glue_calls_myst_nb(monkeypatch):
    calls = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: calls.append((name, value, display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    assert cnnrnn.glue("conv_accuracy", 0.98) is None  # nothing for a cell to echo
    import numpy as np

    cnnrnn.glue("conv_seconds", np.float64(12.5))
    cnnrnn.glue("conv_params", np.int64(320))
    assert calls == [("conv_accuracy", 0.98, False), ("conv_seconds", 12.5, False),
                     ("conv_params", 320, False)]
    assert type(calls[1][1]) is float and type(calls[2][1]) is int  # not NumPy scalars


def test_glue_without_myst_nb_returns_the_value(monkeypatch):
    real_import = builtins.__import__

    def no_myst(name, *args, **kwargs):
        if name == "myst_nb":
            raise ModuleNotFoundError("No module named 'myst_nb'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "myst_nb", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_myst)
    assert display.glue("x", 3) is None


def test_show_source_prints_outside_ipython(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # as if IPython were missing
    display.show_source(display.glue)
    assert "def glue(name" in capsys.readouterr().out
