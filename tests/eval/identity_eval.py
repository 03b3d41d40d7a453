"""Precision and recall of identity-match proposals on the labelled pairs (issue 9).

    .venv/bin/python tests/eval/identity_eval.py [--errors [SPLIT]] [--split dev|test|all]

Each line of identity_pairs.jsonl is two records (``a``, ``b``, as the compare API takes them)
and whether they are one person (``label``: same | different). A pair is *proposed* when
``compare`` answers ``same`` or ``likely``; precision and recall are those of the proposals
against the ``same`` labels, printed overall, per language (en, ja, mixed) and per split.
Thresholds in companion/services/matching/compare.py were chosen on ``dev``; ``test`` is the
held-out half (see tests/eval/README.md for what was seen when), ``blind`` a set written after
the rules were frozen and scored once.

Exit status 1 if the test split misses precision >= 0.95 or recall >= 0.8.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.services.matching.compare import Comparison, Side, compare  # noqa: E402

PAIRS = Path(__file__).with_name("identity_pairs.jsonl")
PRECISION_TARGET = 0.95
RECALL_TARGET = 0.8
SPLITS = ("dev", "test", "blind")
LANGS = ("en", "ja", "mixed")


def load(path: Path = PAIRS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def side(data: dict) -> Side:
    return Side(name=data["name"], reading=data.get("reading"),
                organisation=data.get("organisation"), title=data.get("title"),
                location=data.get("location"), urls=tuple(data.get("urls", ())),
                emails=tuple(data.get("emails", ())), photo=data.get("photo"))


@dataclass
class Scored:
    row: dict
    result: Comparison

    @property
    def proposed(self) -> bool:
        return self.result.verdict in ("same", "likely")

    @property
    def truth(self) -> bool:
        return self.row["label"] == "same"


@dataclass
class Figures:
    pairs: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, label: str) -> str:
        return (f"{label:<14} pairs {self.pairs:4d}  precision {self.precision:.3f}  "
                f"recall {self.recall:.3f}  (tp {self.tp}, fp {self.fp}, fn {self.fn})")


def score(rows: list[dict]) -> list[Scored]:
    return [Scored(r, compare(side(r["a"]), side(r["b"]))) for r in rows]


def figures(scored: list[Scored]) -> Figures:
    return Figures(len(scored), sum(s.proposed and s.truth for s in scored),
                   sum(s.proposed and not s.truth for s in scored),
                   sum(s.truth and not s.proposed for s in scored))


def report(scored: list[Scored], splits: tuple[str, ...]) -> dict[str, Figures]:
    out = {}
    for split in splits:
        part = [s for s in scored if split == "all" or s.row["split"] == split]
        out[split] = figures(part)
        print(out[split].line(f"[{split}]"))
        for lang in LANGS:
            print("  " + figures([s for s in part if s.row["lang"] == lang]).line(lang))
    return out


def errors(scored: list[Scored], split: str) -> None:
    for s in scored:
        if s.proposed == s.truth or (split != "all" and s.row["split"] != split):
            continue
        kind = "false proposal" if s.proposed else "missed"
        reasons = ", ".join(f"{r.code} {r.weight:+.2f}" for r in s.result.reasons)
        print(f"{s.row['id']} {s.row['split']:4} {kind:14} {s.result.verdict:9} "
              f"{s.result.score:.2f}  {s.row['a']['name']} / {s.row['b']['name']}  "
              f"[{s.row['kind']}] {reasons}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", nargs="?", const="all", metavar="SPLIT",
                        help="list the pairs a split (default: all) gets wrong")
    args = parser.parse_args(argv)
    rows = load()
    scored = score(rows)
    print(f"{len(rows)} pairs, {sum(r['label'] == 'same' for r in rows)} labelled same")
    result = report(scored, (*SPLITS, "all"))
    if args.errors:
        errors(scored, args.errors)
    test = result["test"]
    ok = test.precision >= PRECISION_TARGET and test.recall >= RECALL_TARGET
    print(f"test split: target precision >= {PRECISION_TARGET}, recall >= {RECALL_TARGET}: "
          f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
