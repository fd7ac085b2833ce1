"""The benchmark modules are found, their row names are unique, and `make bench` refuses fast mode."""

import subprocess
import sys
from pathlib import Path

from benchmarks.__main__ import discover

ROOT = Path(__file__).resolve().parent.parent


def test_every_benchmark_module_is_found_with_unique_rows():
    rows = [row for bench in discover() for row in bench.rows]
    assert rows, "no benchmarks found"
    assert len(rows) == len(set(rows)), f"duplicate row names: {rows}"


def test_bench_refuses_fast_mode():
    result = subprocess.run([sys.executable, "-m", "benchmarks"], cwd=ROOT, capture_output=True,
                            text=True, env={"CNNRNN_FAST": "1", "PATH": ""}, timeout=120)
    assert result.returncode != 0 and "full mode" in result.stderr
