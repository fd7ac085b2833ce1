"""Run a notebook with several seeds and report how much chosen numbers move between them.

An assert that compares two trained models must hold with a margin larger than the
seed-to-seed spread. This runs ``NOTEBOOK`` once per seed (``CNNRNN_SEED``, in the mode given),
evaluates the Python expressions given after the last cell, and prints, for each, every seed's
value with the mean, the spread (max - min) and the standard deviation, as JSON and as a table.

    python -m tools.seed_spread notebooks/06_mnist_cnn.ipynb --seeds 0 1 2 --mode fast \\
        --expr 'ex_results["with BN"] - ex_results["without BN"]'

Cells that fail (an assert that does not hold for this seed) are reported and the run goes on,
so the values of the later cells are still measured.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from pathlib import Path


def run_once(notebook: Path, seed: int, fast: bool, expressions: list[str], timeout: int) -> dict:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    probe = ("import json as _json\n_values = {}\nfor _expr in %r:\n"
             "    try:\n        _values[_expr] = float(eval(_expr))\n"
             "    except Exception as _error:\n        _values[_expr] = repr(_error)\n"
             "print('SEED_SPREAD ' + _json.dumps(_values))\n") % (expressions,)
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    env_before = dict(os.environ)
    os.environ.update(CNNRNN_SEED=str(seed), CNNRNN_FAST="1" if fast else "0", CNNRNN_VERBOSE="0",
                      CNNRNN_OFFLINE="1")
    try:
        NotebookClient(nb, timeout=timeout, allow_errors=True,
                       resources={"metadata": {"path": str(notebook.parent)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    failures = [output.get("evalue", "")[:200] for cell in nb.cells
                for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    text = "".join(output.get("text", "") for output in nb.cells[-1].get("outputs", []))
    line = next((l for l in text.splitlines() if l.startswith("SEED_SPREAD ")), None)
    values = json.loads(line[len("SEED_SPREAD "):]) if line else {}
    return {"seed": seed, "values": values, "failures": failures}


def summarize(runs: list[dict], expressions: list[str]) -> dict:
    """Per expression: the values by seed, mean, spread (max - min) and standard deviation."""
    summary = {}
    for expr in expressions:
        values = [run["values"].get(expr) for run in runs]
        numbers = [v for v in values if isinstance(v, float)]
        summary[expr] = {
            "by_seed": dict(zip((run["seed"] for run in runs), values)),
            "mean": statistics.fmean(numbers) if numbers else None,
            "spread": max(numbers) - min(numbers) if numbers else None,
            "stdev": statistics.stdev(numbers) if len(numbers) > 1 else None,
        }
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--mode", choices=["fast", "full"], default="fast")
    parser.add_argument("--expr", action="append", required=True, help="a Python expression")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    runs = [run_once(args.notebook.resolve(), seed, args.mode == "fast", args.expr, args.timeout)
            for seed in args.seeds]
    result = {"notebook": str(args.notebook), "mode": args.mode, "runs": runs,
              "summary": summarize(runs, args.expr)}
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    for run in runs:
        if run["failures"]:
            print(f"seed {run['seed']}: failing cells: {run['failures']}")
    for expr, row in result["summary"].items():
        print(f"{expr}\n  by seed {row['by_seed']}\n  mean {row['mean']}, spread {row['spread']}, "
              f"stdev {row['stdev']}")


if __name__ == "__main__":
    main()
