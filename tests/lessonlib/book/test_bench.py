"""Smoke test of `python -m lessonlib.book.bench optim` on tiny sizes (no timing assertions)."""

import platform
import re
import subprocess
import sys

import pytest

from lessonlib.book import bench

TIMED_ROW = re.compile(r"^\| (\w+) \| .* \| ([\d.]+) \|$", flags=re.MULTILINE)  # ends in the ratio
# in-process runs pass --malloc-defaults, to leave this test process's malloc as it is
TINY = "optim --numel 600 --tensors 2 --repeats 2 --warmup 1 --memory-side 8 --malloc-defaults".split()


def test_optim_prints_a_row_per_optimizer_and_the_memory_table(capsys):
    assert bench.main(TINY) == 0
    out = capsys.readouterr().out
    assert "2 float32 tensors of 15x20 (600 parameters)" in out
    rows = TIMED_ROW.findall(out)
    assert [name for name, _ in rows] == list(bench.OPTIONS)
    assert all(float(ratio) > 0 for _, ratio in rows)
    assert "| SGD | lr=0.001, momentum=0.9 |" in out
    assert re.search(r"^\| RMSprop \| .* \| n/a \| [\d.]+ \|$", out, flags=re.MULTILINE)  # torch has no fused RMSprop
    # for an 8x8 matrix: Adafactor keeps 8 + 8 floats and a step, Adam 2 x 64 floats and a step
    assert "| Adafactor | 68 |" in out
    assert "| Adam | 516 |" in out


def test_optim_can_time_a_chosen_few(capsys):
    assert bench.main([*TINY, "Adam"]) == 0
    assert [name for name, _ in TIMED_ROW.findall(capsys.readouterr().out)] == ["Adam"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--tensors", "0"], "Invalid tensors: 0 (must be at least 1)"),
        (["--repeats", "0"], "Invalid repeats: 0 (must be at least 1)"),
        (["Adamax"], "Invalid optimizer: 'Adamax' (choose from " + ", ".join(bench.OPTIONS) + ")"),
    ],
)
def test_optim_rejects_bad_arguments(argv, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        bench.main([*TINY, *argv])


def test_runs_as_a_module_and_keeps_freed_memory_under_glibc():
    argv = [a for a in TINY if a != "--malloc-defaults"]
    done = subprocess.run(
        [sys.executable, "-m", "lessonlib.book.bench", *argv, "SGD"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    expected = "freed memory kept" if platform.libc_ver()[0] == "glibc" else "system defaults"
    assert expected in done.stdout
    assert [name for name, _ in TIMED_ROW.findall(done.stdout)] == ["SGD"]


def test_best_time_is_the_minimum_and_returns_the_result(monkeypatch):
    clock = iter([0.0, 3.0, 10.0, 11.5, 20.0, 22.0])  # three runs of 3, 1.5 and 2 seconds
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(clock))
    calls = []
    seconds, result = bench.best_time(lambda: calls.append(1) or len(calls), repeats=3)
    assert seconds == 1.5 and result == 3 and len(calls) == 3


@pytest.mark.parametrize("repeats", [0, -1, 2.0, True])
def test_best_time_bad_repeats(repeats):
    with pytest.raises(ValueError, match=rf"Invalid repeats: {repeats!r} \(expected an int >= 1\)"):
        bench.best_time(lambda: None, repeats=repeats)
