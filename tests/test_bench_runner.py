import json

import pytest

from benchmarks import runner as bench


def _row(value, seconds, **extra):
    return {"metric": "test_accuracy", "value": value, "seconds": seconds, "mode": "full", **extra}


OURS = bench.Benchmark(("ours", "baseline"), lambda: {
    "ours": _row(0.995, 30.0, baseline="baseline"), "baseline": _row(0.992, 180.0)})
OTHER = bench.Benchmark(("other",), lambda: {"other": _row(0.5, 1.0)})


def test_select_by_any_row_name():
    assert bench.select([OURS, OTHER], None) == [OURS, OTHER]
    assert bench.select([OURS, OTHER], "baseline") == [OURS]  # runs the pair together
    with pytest.raises(ValueError, match="unknown benchmark"):
        bench.select([OURS, OTHER], "nope")


def test_run_merges_rows_into_the_json(tmp_path):
    out = tmp_path / "bench.json"
    out.write_text(json.dumps({"other": _row(0.1, 2.0)}))
    results = bench.run([OURS, OTHER], out, only="ours")
    stored = json.loads(out.read_text())
    assert stored == results
    assert stored["other"]["value"] == 0.1  # untouched: not selected
    assert stored["ours"]["value"] == 0.995 and "measured_at" in stored["ours"]


def test_rows_must_be_complete_and_as_declared(tmp_path):
    broken = bench.Benchmark(("x",), lambda: {"x": {"metric": "m", "value": 1}})
    with pytest.raises(ValueError, match="lacks"):
        bench.run([broken], tmp_path / "b.json")
    liar = bench.Benchmark(("x",), lambda: {"y": _row(1, 1)})
    with pytest.raises(ValueError, match="declared rows"):
        bench.run([liar], tmp_path / "b.json")


def test_table_shows_the_baseline_and_time_ratio():
    table = bench.format_table({"ours": _row(0.995, 30.0, baseline="baseline"),
                                "baseline": _row(0.992, 180.0)})
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["benchmark", "metric"]
    ours = next(line for line in lines if line.startswith("ours"))
    assert "0.9950" in ours and "baseline: 0.9920, 6.0x less time" in ours
