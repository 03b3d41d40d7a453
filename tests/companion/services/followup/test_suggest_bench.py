"""bench/bench_followup.py still runs (on a tiny network): a bench that rots silently measures
nothing. Only the exit code and the report are checked here, never timings."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import ROOT


def test_the_followup_bench_runs_on_a_tiny_network():
    result = subprocess.run(
        [sys.executable, "bench/bench_followup.py", "--updates", "5", "--contacts", "40",
         "--identities-per-contact", "2", "--interactions", "2000", "--captures", "40",
         "--seed", "7"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    for line in ("today's list, limit 20: cold", "after one new capture", "facts store update",
                 "contact suggestions"):
        assert line in result.stdout, result.stdout
