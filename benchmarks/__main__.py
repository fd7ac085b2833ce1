"""``python -m benchmarks [--only NAME[,NAME]]``: run benchmarks, update _build/bench.json, print."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from pathlib import Path

import benchmarks
from benchmarks import runner as bench


def discover() -> list[bench.Benchmark]:
    found = []
    for module in sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name):
        if not module.name.startswith("_") and module.name != "runner":
            found += importlib.import_module(f"benchmarks.{module.name}").BENCHMARKS
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="comma-separated row names (runs the benchmarks writing them)")
    parser.add_argument("--out", type=Path, default=Path("_build/bench.json"))
    args = parser.parse_args(argv)
    if os.environ.get("CNNRNN_FAST"):
        parser.error("benchmarks run in full mode: unset CNNRNN_FAST")
    import cnnrnn

    cnnrnn.setup(seed=0)
    try:
        results = bench.run(discover(), args.out, args.only)
    except ValueError as error:
        parser.error(str(error))
    print(bench.format_table(results))
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
