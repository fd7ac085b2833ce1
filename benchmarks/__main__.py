"""python -m benchmarks [--only NAME[,NAME]] [--no-baseline] [--out PATH]

Run the full-mode benchmarks, merge their rows into _build/bench.json (rows not run are kept) and
print every row, with its seconds also in K: the training time of the keras.io convnet
(row mnist_cnn_kerasio_baseline) measured in the same run, the course's unit of machine speed.
Because a row only gets a K from its own run, --only also runs the benchmark that writes
mnist_cnn_kerasio_baseline unless --no-baseline is given. A failing benchmark is reported with its
traceback and the others still run; the exit status is then 1. A bad --only name is a usage
error (exit 2); an unreadable results file stops the run before anything is trained (exit 1).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks import runner as bench
from cnnrnn.runtime import is_fast


def discover() -> list[bench.Benchmark]:
    """The ``BENCHMARKS`` of every module in this package except the runner itself."""
    found = []
    for module in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module.name.startswith("_") and module.name != "runner":
            found += importlib.import_module(f"benchmarks.{module.name}").BENCHMARKS
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.partition("\n\n")[2],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="NAME[,NAME]",
                        help="run only the benchmarks writing these rows (plus the K baseline)")
    parser.add_argument("--no-baseline", action="store_true",
                        help=f"with --only: do not add the benchmark writing {bench.K_ROW}; "
                             "the new rows then show '-' in K unless they include it")
    parser.add_argument("--out", type=Path, metavar="PATH", default=Path("_build/bench.json"),
                        help="results file (default: %(default)s)")
    args = parser.parse_args(argv)
    if is_fast():
        parser.error("benchmarks run in full mode: unset CNNRNN_FAST")
    try:
        chosen = bench.select(discover(), args.only, baseline=not args.no_baseline)
    except ValueError as error:
        parser.error(str(error))
    import cnnrnn

    cnnrnn.setup(seed=0)
    try:
        outcome = bench.run(chosen, args.out)
    except bench.ResultsFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(bench.format_table(outcome.results))
    print(f"\nrun {outcome.run_id} wrote {len(outcome.new)} row(s) to {args.out}")
    for label in outcome.failed:
        print(f"FAILED: benchmark {label} (traceback above); its rows were not written",
              file=sys.stderr)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
