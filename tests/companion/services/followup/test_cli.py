"""goen analyze: the parser piece companion/cli.py wires in, and the command as a real
subprocess (through a two-line stand-in for companion/cli.py's wiring)."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys

from companion.services.followup.cli import add_analyze_command
from tests.helpers import ROOT


def parse(argv):
    parser = argparse.ArgumentParser(prog="goen")
    add_analyze_command(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_prints_the_facts_as_json(capsys):
    args = parse(["analyze", "資料は明日お送りします。", "--direction", "out",
                  "--sent-at", "2026-11-30T23:30:00+09:00"])
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(f["kind"], f["whose"], f["due"]) for f in out["facts"]] == [
        ("promise", "me", "2026-12-01")]


def test_reads_stdin_with_a_dash(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Are you free next week?\n"))
    args = parse(["analyze", "-", "--direction", "in", "--sent-at", "2026-11-18T09:00:00Z"])
    assert args.func(args) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    assert [(f["kind"], f["whose"]) for f in facts] == [("question", "them")]


def test_a_bad_sent_at_is_an_error_on_stderr(capsys):
    args = parse(["analyze", "hi", "--direction", "in", "--sent-at", "2026-11-18T09:00:00"])
    assert args.func(args) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "UTC offset" in captured.err


def test_as_a_real_process():
    wiring = ("import argparse, sys\n"
              "from companion.services.followup.cli import add_analyze_command\n"
              "p = argparse.ArgumentParser(prog='goen')\n"
              "add_analyze_command(p.add_subparsers(dest='command', required=True))\n"
              "a = p.parse_args(sys.argv[1:]); sys.exit(a.func(a))\n")
    result = subprocess.run(
        [sys.executable, "-c", wiring, "analyze", "Let's get coffee next month.",
         "--direction", "in", "--sent-at", "2026-12-05T09:00:00Z"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    [fact] = json.loads(result.stdout)["facts"]
    assert (fact["kind"], fact["label"], fact["whose"], fact["due"]) == (
        "promise", "proposal", "them", "2027-01-31")
