"""Precision and recall of ledger entries read from notes (services/followup/ledger_notes.py).

    .venv/bin/python tests/eval/ledger_eval.py [--split design|blind] [--errors]

Each note in ledger_notes.jsonl lists the entries it states, as {flow, kind}. Per note, the
predicted (flow, kind) pairs are matched to the expected ones as multisets: a right flow with the
wrong kind is both a false positive and a false negative. Figures per flow (given, received),
per language and overall.

Exit status 1 if overall precision < 0.9 or recall < 0.85.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.services.followup.ledger_notes import read_note  # noqa: E402

NOTES = Path(__file__).with_name("ledger_notes.jsonl")
FLOWS = ("given", "received")
KINDS = ("help", "introduction", "information", "other")
SPLITS = ("design", "blind")
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.85


def load(path: Path = NOTES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def predict(row: dict) -> Counter:
    return Counter((e.flow, e.kind) for e in read_note(row["text"]))


def expected(row: dict) -> Counter:
    return Counter((e["flow"], e["kind"]) for e in row["entries"])


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Result:
    by: dict[str, Counts] = field(default_factory=dict)    # "all", "given", "ja", "ja/given" …
    errors: list[tuple[dict, Counter, Counter]] = field(default_factory=list)

    def counts(self, key: str) -> Counts:
        return self.by.setdefault(key, Counts())


def score(rows: list[dict]) -> Result:
    result = Result()
    for row in rows:
        want, got = expected(row), predict(row)
        hit = want & got
        for (flow, _kind), n in (got - hit).items():
            for key in ("all", flow, row["lang"], f"{row['lang']}/{flow}"):
                result.counts(key).fp += n
        for (flow, _kind), n in (want - hit).items():
            for key in ("all", flow, row["lang"], f"{row['lang']}/{flow}"):
                result.counts(key).fn += n
        for (flow, _kind), n in hit.items():
            for key in ("all", flow, row["lang"], f"{row['lang']}/{flow}"):
                result.counts(key).tp += n
        if want != got:
            result.errors.append((row, want, got))
    return result


def report(result: Result, rows: list[dict]) -> list[str]:
    langs = Counter(r["lang"] for r in rows)
    empty = sum(1 for r in rows if not r["entries"])
    lines = [f"{len(rows)} notes ({langs['ja']} ja, {langs['en']} en; {empty} with no entry), "
             f"{sum(len(r['entries']) for r in rows)} expected entries",
             f"{'':14} {'P':>6} {'R':>6}   tp  fp  fn"]
    keys = ["given", "received", "ja/given", "ja/received", "en/given", "en/received",
            "ja", "en", "all"]
    for key in keys:
        c = result.counts(key)
        lines.append(f"{key:14} {c.precision:6.3f} {c.recall:6.3f}  {c.tp:3} {c.fp:3} {c.fn:3}")
    return lines


def _pairs(counter: Counter) -> str:
    return ", ".join(f"{flow}/{kind}" + (f" x{n}" if n > 1 else "")
                     for (flow, kind), n in sorted(counter.items())) or "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=SPLITS, help="only this split (default: all)")
    parser.add_argument("--errors", action="store_true", help="print the notes read wrongly")
    args = parser.parse_args(argv)
    rows = [r for r in load() if args.split in (None, r["split"])]
    result = score(rows)
    print("\n".join(report(result, rows)))
    if args.errors:
        for row, want, got in result.errors:
            print(f"{row['id']}: expected {_pairs(want)}; got {_pairs(got)}\n    {row['text']}")
    overall = result.counts("all")
    return 0 if (overall.precision >= PRECISION_TARGET
                 and overall.recall >= RECALL_TARGET) else 1


if __name__ == "__main__":
    sys.exit(main())
