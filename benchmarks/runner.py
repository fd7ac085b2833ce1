"""The benchmark runner behind ``make bench``: run benchmarks, merge rows into a JSON file, print.

A benchmark is a function that returns one or more rows, each a dict with at least
``metric``, ``value``, ``seconds`` (training or run time) and ``mode``; a row may name the
``baseline`` row it is compared with. Functions that produce rows meant to be compared (ours
and a baseline) are one benchmark, so the comparison always comes from the same run.
"""

from __future__ import annotations

import json
import platform
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

REQUIRED_FIELDS = ("metric", "value", "seconds", "mode")


@dataclass(frozen=True)
class Benchmark:
    """A function and the names of the rows it writes."""

    rows: tuple[str, ...]
    run: Callable[[], dict[str, dict]]


def select(benchmarks: Iterable[Benchmark], only: str | None) -> list[Benchmark]:
    """The benchmarks that write any of the comma-separated row names in ``only`` (all if None)."""
    benchmarks = list(benchmarks)
    if not only:
        return benchmarks
    wanted = {name.strip() for name in only.split(",") if name.strip()}
    known = {row for bench in benchmarks for row in bench.rows}
    unknown = wanted - known
    if unknown:
        raise ValueError(f"unknown benchmark row(s) {sorted(unknown)}; known: {sorted(known)}")
    return [bench for bench in benchmarks if wanted & set(bench.rows)]


def check_row(name: str, row: Mapping) -> None:
    """Raise ValueError unless ``row`` has every required field with a usable value."""
    missing = [field for field in REQUIRED_FIELDS if field not in row]
    if missing:
        raise ValueError(f"benchmark row {name!r} lacks {missing}")
    if not isinstance(row["value"], (int, float)) or not isinstance(row["seconds"], (int, float)):
        raise ValueError(f"benchmark row {name!r}: value and seconds must be numbers")


def run(benchmarks: Iterable[Benchmark], out: Path, only: str | None = None) -> dict[str, dict]:
    """Run the selected benchmarks and merge their rows into ``out`` (other rows are kept)."""
    results = json.loads(out.read_text()) if out.is_file() else {}
    for bench in select(benchmarks, only):
        started = time.time()
        rows = bench.run()
        if set(rows) != set(bench.rows):
            raise ValueError(f"benchmark declared rows {bench.rows} but returned {sorted(rows)}")
        for name, row in rows.items():
            check_row(name, row)
            row.setdefault("machine", f"{platform.machine()}, {platform.node() or 'unknown'}")
            row["measured_at"] = time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(started))
            results[name] = row
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")  # keep finished rows
    return results


def format_table(results: Mapping[str, Mapping]) -> str:
    """The rows as a fixed-width text table, with each row's baseline and time ratio if any."""
    header = ("benchmark", "metric", "value", "seconds", "mode", "vs baseline")
    lines = [header]
    for name in sorted(results):
        row = results[name]
        comparison = ""
        baseline = results.get(row.get("baseline", ""))
        if baseline:
            ratio = baseline["seconds"] / row["seconds"] if row["seconds"] else float("inf")
            comparison = (f"{row['baseline']}: {baseline['value']:.4f}, "
                          f"{ratio:.1f}x less time")
        lines.append((name, str(row["metric"]), f"{row['value']:.4f}", f"{row['seconds']:.1f}",
                      str(row["mode"]), comparison))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
            for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)
