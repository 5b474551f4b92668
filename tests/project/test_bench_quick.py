"""`make bench` keeps its promise: each benchmark declares its targets, bench.run prints them in one
table and its exit status is 1 when a figure misses its target (or a benchmark fails), 0 when all
are met. A fake benchmark stands in for the real ones (a real run takes minutes)."""

import re
import types

import pytest

from bench import common, run


def fake(ratio, *, fails=False):
    """A benchmark whose one figure is `ratio`, held to ≥ 0.9; `fails`: it raises instead."""

    def measure(*, quick=False):
        if fails:
            raise RuntimeError("gunicorn did not start")
        return {"ratio": ratio, "quick": quick}

    return types.SimpleNamespace(
        measure=measure,
        report=lambda result: f"fake: {result['ratio']}",
        targets=lambda result: [common.Target("fake × floor", result["ratio"], ">=", 0.9)],
    )


def rows(out):
    """The targets table's rows, cell by cell."""
    table = out.split("\nTargets\n", 1)[1].split("\n\n", 1)[0]
    return [re.split(r"\s{2,}", line.strip()) for line in table.splitlines()[2:]]


@pytest.fixture
def bench(monkeypatch, tmp_path):
    monkeypatch.setattr(common, "RESULTS", tmp_path)  # not bench/results/latest.json
    benchmarks = {}
    monkeypatch.setattr(run, "BENCHMARKS", benchmarks)
    monkeypatch.setattr(run, "NAMES", {"first": "first", "second": "second", "figures": "figures"})
    return benchmarks


def test_the_exit_status_is_0_when_every_target_is_met(bench, capsys):
    bench.update(first=fake(1.25), second=fake(0.9))
    assert run.main(["--quick", "--only", "first,second"]) == 0
    out = capsys.readouterr().out
    assert rows(out) == [["first", "fake × floor", "≥ 0.9", "1.25", "pass"], ["second", "fake × floor", "≥ 0.9", "0.9", "pass"]]
    assert "no targets missed" in out


def test_the_exit_status_is_1_when_a_figure_misses_its_target(bench, capsys):
    bench.update(first=fake(1.25), second=fake(0.85))
    assert run.main(["--quick", "--only", "first,second"]) == 1
    out = capsys.readouterr().out
    assert rows(out) == [["first", "fake × floor", "≥ 0.9", "1.25", "pass"], ["second", "fake × floor", "≥ 0.9", "0.85", "FAIL"]]
    assert "1 target missed" in out


def test_a_benchmark_that_fails_to_run_misses_and_the_others_still_run(bench, capsys):
    bench.update(first=fake(0.5, fails=True), second=fake(1.0))
    assert run.main(["--only", "first,second"]) == 1
    out = capsys.readouterr().out
    assert "ran (RuntimeError)" in out and "fake: 1.0" in out


def test_a_benchmark_without_targets_is_shown_and_passes(bench, capsys):
    bench["figures"] = types.SimpleNamespace(measure=lambda quick: {}, report=lambda result: "figures only")
    assert run.main(["--only", "figures"]) == 0
    assert "(no target: figures only, or skipped)" in capsys.readouterr().out


@pytest.mark.parametrize(
    "measured, op, bound, met",
    [(1.5, "<=", 1.5, True), (1.51, "<=", 1.5, False), (1.5, "<", 1.5, False), (10, ">=", 10, True), (None, ">=", 0.8, False)],
)
def test_a_target_is_met_on_its_bound_and_missed_past_it(measured, op, bound, met):
    assert common.Target("figure", measured, op, bound).met is met
