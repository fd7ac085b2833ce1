"""The benchmark runner behind ``make bench``: run benchmarks, merge rows into a JSON file, print.

A benchmark is a function that returns one or more rows, each a dict with at least ``metric``,
``value`` and ``seconds`` (training or run time); a row may name the ``baseline`` row it is
compared with. Functions that produce rows meant to be compared (ours and a baseline) are one
benchmark, so the comparison always comes from the same run.

Why the runner is built this way:

- Machines differ in speed by 1.5x or more, so time budgets are ratios to the training time of
  the keras.io convnet measured in the same run (row :data:`K_ROW`): the unit **K**. A K from
  another run (another machine, another load) would make the ratio meaningless, so
  :func:`seconds_in_k` only divides by a baseline with the same ``run_id``, and :func:`select`
  adds the benchmark that writes :data:`K_ROW` to every selection unless told not to.
- A full run takes long: one failing benchmark is reported and the others still run
  (:func:`run`), and the results are saved after each benchmark by an atomic replace
  (:func:`save`), so an interrupted run never leaves a half-written file.
- A number without its circumstances cannot be compared later, so every row records how it was
  measured (:func:`measurement_context`).
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import TextIO

REQUIRED_FIELDS = ("metric", "value", "seconds")
#: The row whose ``seconds`` is the course's unit of machine speed, K.
K_ROW = "mnist_cnn_kerasio_baseline"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Benchmark:
    """A function and the names of the rows it writes."""

    rows: tuple[str, ...]
    run: Callable[[], dict[str, dict]]


class ResultsFileError(Exception):
    """The existing results file cannot be read; the message says how to fix it."""


@dataclass
class Outcome:
    """What :func:`run` did: every row now in the file, the rows it wrote, the failures."""

    results: dict[str, dict]
    run_id: str
    new: list[str] = field(default_factory=list)
    #: benchmark (its row names joined by ", ") -> the traceback of its failure
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


def select(benchmarks: Iterable[Benchmark], only: str | None, *,
           baseline: bool = True) -> list[Benchmark]:
    """The benchmarks that write any of the comma-separated row names in ``only`` (all if None).

    With ``baseline`` (the default) the benchmark that writes :data:`K_ROW` is added, so that
    every new row has a K from its own run. It comes first: the unit is measured before the rows
    expressed in it. Raises ValueError for an unknown row name.
    """
    benchmarks = list(benchmarks)
    wanted = {name.strip() for name in (only or "").split(",") if name.strip()}
    known = {row for bench in benchmarks for row in bench.rows}
    unknown = wanted - known
    if unknown:
        raise ValueError(f"unknown benchmark row(s) {sorted(unknown)}; known: {sorted(known)}")
    if baseline and wanted:
        wanted.add(K_ROW)
    chosen = [bench for bench in benchmarks if not wanted or wanted & set(bench.rows)]
    return sorted(chosen, key=lambda bench: K_ROW not in bench.rows)  # stable: K first


def check_rows(bench: Benchmark, rows: Mapping[str, Mapping]) -> None:
    """Raise unless ``rows`` are the declared ones, each with usable required fields, and
    serialisable (so a bad row fails its benchmark instead of the saving of everyone's rows)."""
    json.dumps(rows)
    if set(rows) != set(bench.rows):
        raise ValueError(f"benchmark declared rows {bench.rows} but returned {sorted(rows)}")
    for name, row in rows.items():
        missing = [field for field in REQUIRED_FIELDS if field not in row]
        if missing:
            raise ValueError(f"benchmark row {name!r} lacks {missing}")
        if not all(isinstance(row[key], (int, float)) for key in ("value", "seconds")):
            raise ValueError(f"benchmark row {name!r}: value and seconds must be numbers")


def load(out: Path) -> dict[str, dict]:
    """The rows stored in ``out`` ({} if it does not exist); ResultsFileError if it is corrupt."""
    if not out.exists():
        return {}
    fix = f"Delete it or move it away (e.g. `mv {out} {out}.bad`) and run again."
    try:
        results = json.loads(out.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ResultsFileError(f"{out} is not readable JSON ({error}). {fix}") from None
    if not isinstance(results, dict) or not all(isinstance(r, dict) for r in results.values()):
        raise ResultsFileError(f"{out} is JSON but not an object of row objects "
                               f"(name -> {{field: value}}). {fix}")
    return results


def save(results: Mapping[str, Mapping], out: Path) -> None:
    """Write ``results`` to ``out`` atomically: a temporary file in the same folder, then
    ``os.replace``, so a crash leaves either the old file or the new one, never half of one."""
    out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, sort_keys=True) + "\n"
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                          check=True, timeout=30).stdout.strip()


def git_commit() -> str:
    """The short commit hash, with ``-dirty`` if tracked files changed; "unknown" outside git."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("-dirty" if dirty else "")


def cpu_name() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux) and its core count."""
    name = platform.processor() or platform.machine() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            name = next(line.split(":", 1)[1].strip() for line in cpuinfo
                        if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return f"{name} ({os.cpu_count()} cores)"


def measurement_context() -> dict[str, str]:
    """The fields every row of one run shares: how, where and with what it was measured."""
    from cnnrnn.runtime import describe_devices

    devices = describe_devices()
    return {
        "mode": "full",  # python -m benchmarks refuses CNNRNN_FAST
        "device": devices if devices.startswith("GPU") else cpu_name(),
        "tensorflow": metadata.version("tensorflow"),
        "keras": metadata.version("keras"),
        "python": platform.python_version(),
        "commit": git_commit(),
        "run_id": datetime.now().strftime("%Y%m%dT%H%M%S-") + secrets.token_hex(3),
    }


def fresh_state() -> None:
    """Clear Keras' global state and reset the seeds, so no benchmark inherits another's graph,
    layer-name counters or random stream (a benchmark gives the same numbers alone or in a run)."""
    import keras

    from cnnrnn.runtime import seed_everything

    keras.backend.clear_session()
    seed_everything(0)


def seconds_in_k(results: Mapping[str, Mapping], name: str) -> float | None:
    """Row ``name``'s seconds in units of K, or None without a K row from the same run."""
    row, unit = results[name], results.get(K_ROW)
    if not unit or not unit.get("seconds") or row.get("run_id") != unit.get("run_id"):
        return None
    return row["seconds"] / unit["seconds"]


def run(benchmarks: Iterable[Benchmark], out: Path, *, context: Mapping | None = None,
        log: TextIO | None = None) -> Outcome:
    """Run ``benchmarks`` one by one and merge their rows into ``out`` (other rows are kept).

    The file is read first, so a corrupt one stops the run (ResultsFileError) before anything is
    trained. A benchmark that raises or returns bad rows is recorded in ``Outcome.failed``, its
    traceback printed to ``log`` (stderr), and none of its rows written; the others still run.
    Each row gets ``context`` (default: :func:`measurement_context`), ``measured_at`` and, when
    this run measured K, ``seconds_in_K``.
    """
    log = log or sys.stderr
    results = load(out)
    context = dict(context or measurement_context())
    outcome = Outcome(results, context["run_id"])
    for bench in benchmarks:
        measured_at = datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            fresh_state()
            rows = bench.run()
            check_rows(bench, rows)
        except Exception:
            label = ", ".join(bench.rows)
            outcome.failed[label] = traceback.format_exc()
            print(f"benchmark {label} FAILED:\n{outcome.failed[label]}", file=log, flush=True)
            continue
        for name, row in rows.items():
            results[name] = {**row, **context, "measured_at": measured_at}
            outcome.new.append(name)
        for name in outcome.new:  # K may have arrived only now
            ratio = seconds_in_k(results, name)
            if ratio is not None:
                results[name]["seconds_in_K"] = round(ratio, 4)
        save(results, out)  # after each benchmark: an interrupted run keeps the finished ones
    return outcome


def format_table(results: Mapping[str, Mapping]) -> str:
    """The rows as a fixed-width text table: seconds also in K (same-run K only, else ``-``),
    each row's baseline and time ratio if it names one, and a value's range over seeds
    (``value_min``-``value_max``) when the row is a mean."""
    header = ("benchmark", "metric", "value", "seconds", "in K", "mode", "vs baseline")
    lines = [header]
    for name in sorted(results):
        row = results[name]
        comparison = ""
        baseline = results.get(row.get("baseline", ""))
        if baseline:
            ratio = baseline["seconds"] / row["seconds"] if row["seconds"] else float("inf")
            comparison = (f"{row['baseline']}: {baseline['value']:.4f}, "
                          f"{ratio:.1f}x less time")
        in_k = seconds_in_k(results, name)
        value = f"{row['value']:.4f}"
        if "value_min" in row and "value_max" in row:  # a mean over seeds: show the spread
            value += f" ({row['value_min']:.4f}-{row['value_max']:.4f})"
        lines.append((name, str(row["metric"]), value, f"{row['seconds']:.1f}",
                      "-" if in_k is None else f"{in_k:.2f} K", str(row.get("mode", "?")),
                      comparison))
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip()
            for line in lines]
    text.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(text)
