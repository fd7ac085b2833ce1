"""The benchmark runner with fake benchmarks: selection, failures, the results file, metadata, K."""

import io
import json
import os
import platform
import re
import subprocess
from datetime import datetime
from importlib import metadata

import pytest

from benchmarks import __main__ as cli
from benchmarks import runner as bench

K = bench.K_ROW


def _row(value, seconds, **extra):
    return {"metric": "test_accuracy", "value": value, "seconds": seconds, **extra}


def _context(run_id):
    return {"mode": "full", "device": "test CPU (1 cores)", "run_id": run_id}


PAIR = bench.Benchmark(("ours", K), lambda: {
    "ours": _row(0.995, 30.0, baseline=K), K: _row(0.992, 180.0)})
OTHER = bench.Benchmark(("other",), lambda: {"other": _row(0.5, 90.0)})


def _boom():
    raise RuntimeError("boom in the benchmark")


BOOM = bench.Benchmark(("boom",), _boom)


def test_select_by_any_row_name_adds_the_k_baseline_first():
    assert bench.select([OTHER, PAIR], None) == [PAIR, OTHER]  # K is measured first
    assert bench.select([OTHER, PAIR], "ours") == [PAIR]  # runs the pair together
    assert bench.select([OTHER, PAIR], "other") == [PAIR, OTHER]  # every new row gets its K
    assert bench.select([OTHER, PAIR], "other", baseline=False) == [OTHER]
    with pytest.raises(ValueError, match="unknown benchmark"):
        bench.select([PAIR, OTHER], "other,nope")


def test_cli_only_adds_the_baseline_unless_no_baseline(monkeypatch, tmp_path):
    monkeypatch.delenv("CNNRNN_FAST", raising=False)
    monkeypatch.setattr(cli, "discover", lambda: [OTHER, PAIR])
    monkeypatch.setattr("cnnrnn.setup", lambda **kwargs: None)
    ran = []
    monkeypatch.setattr(bench, "run",
                        lambda chosen, out: ran.append(chosen) or bench.Outcome({}, "r"))
    cli.main(["--only", "other", "--out", str(tmp_path / "b.json")])
    cli.main(["--only", "other", "--no-baseline", "--out", str(tmp_path / "b.json")])
    assert ran == [[PAIR, OTHER], [OTHER]]


def test_help_documents_the_baseline_rule(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "--no-baseline" in text and K in text and "same run" in text


def test_bad_only_name_is_a_usage_error(monkeypatch, capsys):
    monkeypatch.delenv("CNNRNN_FAST", raising=False)
    monkeypatch.setattr(cli, "discover", lambda: [PAIR, OTHER])
    monkeypatch.setattr(bench, "run", lambda *a, **k: pytest.fail("ran despite a bad --only"))
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--only", "nope"])
    assert exit_info.value.code == 2
    assert "unknown benchmark row(s) ['nope']" in capsys.readouterr().err


def test_run_merges_rows_into_the_json(tmp_path):
    out = tmp_path / "bench.json"
    out.write_text(json.dumps({"untouched": _row(0.1, 2.0)}))
    outcome = bench.run(bench.select([PAIR, OTHER], "ours"), out, context=_context("r1"))
    stored = json.loads(out.read_text())
    assert stored == outcome.results and outcome.ok
    assert stored["untouched"] == _row(0.1, 2.0)  # not selected: kept as it was
    assert stored["ours"]["value"] == 0.995 and sorted(outcome.new) == sorted(["ours", K])


def test_a_failing_benchmark_is_reported_and_the_others_still_run(tmp_path):
    out = tmp_path / "bench.json"
    old = _row(0.7, 5.0, run_id="old")
    out.write_text(json.dumps({"boom": old}))
    log = io.StringIO()
    outcome = bench.run([BOOM, OTHER], out, context=_context("r1"), log=log)
    assert not outcome.ok and list(outcome.failed) == ["boom"]
    failure = outcome.failed["boom"]
    assert "Traceback" in failure and "boom in the benchmark" in failure
    assert "boom in the benchmark" in log.getvalue()
    stored = json.loads(out.read_text())
    assert stored["boom"] == old  # older row kept, not marked as this run's
    assert stored["other"]["run_id"] == "r1" and outcome.new == ["other"]


def test_cli_exits_non_zero_after_running_the_rest(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("CNNRNN_FAST", raising=False)
    monkeypatch.setattr(cli, "discover", lambda: [BOOM, OTHER])
    monkeypatch.setattr("cnnrnn.setup", lambda **kwargs: None)
    out = tmp_path / "bench.json"
    assert cli.main(["--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "boom in the benchmark" in captured.err and "FAILED: benchmark boom" in captured.err
    assert "other" in captured.out and list(json.loads(out.read_text())) == ["other"]


def test_bad_rows_fail_their_benchmark_and_are_not_written(tmp_path):
    out = tmp_path / "b.json"
    broken = bench.Benchmark(("x",), lambda: {"x": {"metric": "m", "value": 1}})
    liar = bench.Benchmark(("y",), lambda: {"z": _row(1, 1)})
    unserialisable = bench.Benchmark(("u",), lambda: {"u": _row(1, 1, model=object())})
    outcome = bench.run([broken, liar, unserialisable], out, context=_context("r1"),
                        log=io.StringIO())
    assert "lacks ['seconds']" in outcome.failed["x"]
    assert "declared rows" in outcome.failed["y"]
    assert "not JSON serializable" in outcome.failed["u"]
    assert not out.exists() and outcome.new == []


@pytest.mark.parametrize("content, problem", [
    ("{not json", "is not readable JSON"),
    ("[1, 2]", "not an object of row objects"),
    ('{"a": 1}', "not an object of row objects"),
])
def test_a_corrupt_results_file_stops_the_run_before_training(tmp_path, content, problem):
    out = tmp_path / "bench.json"
    out.write_text(content)
    with pytest.raises(bench.ResultsFileError) as error:
        bench.run([bench.Benchmark(("x",), lambda: pytest.fail("trained"))], out,
                  context=_context("r1"))
    message = str(error.value)
    assert str(out) in message and problem in message and "Delete it or move it away" in message
    assert out.read_text() == content


def test_cli_reports_a_corrupt_file_without_a_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("CNNRNN_FAST", raising=False)
    monkeypatch.setattr(cli, "discover", lambda: [OTHER])
    monkeypatch.setattr("cnnrnn.setup", lambda **kwargs: None)
    out = tmp_path / "bench.json"
    out.write_text("garbage")
    assert cli.main(["--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"error: {out} is not readable JSON" in err and "Traceback" not in err
    assert out.read_text() == "garbage"


def test_save_replaces_the_file_atomically(tmp_path, monkeypatch):
    out = tmp_path / "bench.json"
    out.write_text('{"old": {}}')
    real_replace, replaced = os.replace, []

    def crash(source, target):
        replaced.append((source, target))
        raise OSError("crash before the rename")

    monkeypatch.setattr(bench.os, "replace", crash)
    with pytest.raises(OSError, match="crash before"):
        bench.save({"new": _row(1, 1)}, out)
    assert out.read_text() == '{"old": {}}'  # the old file is intact
    assert list(tmp_path.iterdir()) == [out]  # and no temporary file is left behind
    source, target = map(str, replaced[0])
    assert target == str(out) and os.path.dirname(source) == str(tmp_path) and source != target

    monkeypatch.setattr(bench.os, "replace", real_replace)
    bench.save({"new": _row(1, 1)}, out)
    assert json.loads(out.read_text()) == {"new": _row(1, 1)}
    assert list(tmp_path.iterdir()) == [out]


def test_rows_carry_how_they_were_measured(tmp_path):
    before = datetime.now().astimezone().replace(microsecond=0)
    outcome = bench.run([PAIR, OTHER], tmp_path / "b.json")  # the real measurement context
    rows = outcome.results
    assert {rows[name]["run_id"] for name in rows} == {outcome.run_id}
    for row in rows.values():
        assert row["mode"] == "full"
        assert row["tensorflow"] == metadata.version("tensorflow")
        assert row["keras"] == metadata.version("keras")
        assert row["python"] == platform.python_version()
        assert re.fullmatch(r"[0-9a-f]{4,}(-dirty)?", row["commit"])
        assert row["device"].startswith("GPU") or row["device"] == bench.cpu_name()
        assert datetime.fromisoformat(row["measured_at"]) >= before
    again = bench.run([OTHER], tmp_path / "b.json")
    assert again.run_id != outcome.run_id


def test_cpu_name_reads_the_model_name():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        pytest.skip("no model name in /proc/cpuinfo")
    assert bench.cpu_name() == f"{model} ({os.cpu_count()} cores)"


def test_git_commit_marks_changes_to_tracked_files(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "ROOT", tmp_path)
    assert bench.git_commit() == "unknown"  # not a repository
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "tracked").write_text("1")
    subprocess.run([*git, "add", "tracked"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "c"], cwd=tmp_path, check=True)
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tmp_path, check=True,
                          capture_output=True, text=True).stdout.strip()
    (tmp_path / "untracked").write_text("x")
    assert bench.git_commit() == head  # untracked files do not count
    (tmp_path / "tracked").write_text("2")
    assert bench.git_commit() == head + "-dirty"


def test_k_ratios_use_only_a_baseline_from_the_same_run(tmp_path):
    out = tmp_path / "bench.json"
    first = bench.run([OTHER, PAIR], out, context=_context("r1"))  # K arrives after "other"
    assert first.results["other"]["seconds_in_K"] == 0.5  # 90 s / 180 s
    assert first.results["ours"]["seconds_in_K"] == pytest.approx(30 / 180, abs=1e-4)
    second = bench.run([OTHER], out, context=_context("r2"))  # --no-baseline: K is from r1
    assert "seconds_in_K" not in second.results["other"]
    cells = {line.split()[0]: line for line in bench.format_table(second.results).splitlines()}
    assert "1.00 K" in cells[K] and "0.17 K" in cells["ours"]
    assert re.search(r"\s90\.0\s+-\s", cells["other"])  # other run than K: no ratio


def test_table_shows_the_baseline_and_time_ratio():
    table = bench.format_table({"ours": _row(0.995, 30.0, baseline="base"),
                                "base": _row(0.992, 180.0)})
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["benchmark", "metric"]
    ours = next(line for line in lines if line.startswith("ours"))
    assert "0.9950" in ours and "base: 0.9920, 6.0x less time" in ours


def test_table_shows_the_spread_of_a_mean_over_seeds():
    row = {**_row(0.9955, 40.0), "value_min": 0.9949, "value_max": 0.9961}
    line = next(line for line in bench.format_table({"ours": row}).splitlines()
                if line.startswith("ours"))
    assert "0.9955 (0.9949-0.9961)" in line
