"""The benchmarks still run (on a tiny network): a bench that rots silently measures nothing.
Only exit codes and correctness are checked here, never timings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import ROOT

TINY = ["--contacts", "40", "--identities-per-contact", "3", "--interactions", "2000",
        "--captures", "50", "--seed", "7"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_generator_and_lookup_bench_run_and_every_answer_is_right():
    result = run("bench/bench_lookup.py", "--requests", "60", "--heavy-requests", "10",
                 "--warmup", "5", *TINY)
    # bench_lookup checks every answer against the generator's truth file and exits 1 on any
    # wrong one
    assert result.returncode == 0, result.stdout + result.stderr
    assert "target p99" in result.stdout


def test_capture_bench_runs():
    result = run("bench/bench_capture.py", "--reps", "2", "--no-http")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ratio (b)/(a)" in result.stdout


def test_adapter_bench_runs():
    result = run("bench/bench_adapters.py", "--reps", "1", "--size", "50000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "generic" in result.stdout and "worst ratio" in result.stdout


def test_import_bench_runs_and_writes_every_message():
    result = run("bench/bench_import.py", "--connections", "300", "--messages", "3000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(300 created;" in result.stdout
    assert "messages.csv 3,000 rows:" in result.stdout and "(3,000 interactions," in result.stdout
    assert "messages.csv again:" in result.stdout and "(0 added)" in result.stdout
