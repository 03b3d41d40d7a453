"""Precision and recall of the follow-up engine's facts on the labelled messages.

    .venv/bin/python tests/eval/evaluate.py [--errors SPLIT] [--throughput]

Labels per message: promise-me, promise-them, question, event, none (no promise, question or
event). A label is predicted when analyze_message returns at least one fact of that kind (and
whose, for promises). Also printed, not gated: whether the stated due date / event date and the
event subtype agree where both sides have the label.

Exit status 1 if any label on the full set misses precision >= 0.9 or recall >= 0.85.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from companion.services.followup import analyze_message  # noqa: E402

MESSAGES = Path(__file__).with_name("messages.jsonl")
LABELS = ("promise-me", "promise-them", "question", "event", "none")
PRECISION_TARGET = 0.9
RECALL_TARGET = 0.85


def load(path: Path = MESSAGES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class Prediction:
    labels: set[str]
    dates: dict[str, set[str | None]]   # label → dues (promises) or event dates
    event_labels: set[str]


def predict(row: dict) -> Prediction:
    facts = analyze_message(row["text"], row["direction"], row["sent_at"], row.get("lang"))
    labels, dates, event_labels = set(), {}, set()
    for fact in facts:
        if fact.kind == "promise":
            label, when = f"promise-{fact.whose}", fact.due
        elif fact.kind == "question":
            label, when = "question", fact.due
        elif fact.kind == "event":
            label, when = "event", fact.event_date
            event_labels.add(fact.label)
        else:
            continue
        labels.add(label)
        dates.setdefault(label, set()).add(when)
    return Prediction(labels or {"none"}, dates, event_labels)


@dataclass
class Score:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    date_ok: int = 0
    date_total: int = 0
    subtype_ok: int = 0
    subtype_total: int = 0
    messages: int = 0

    def precision(self, label: str) -> float:
        predicted = self.tp[label] + self.fp[label]
        return self.tp[label] / predicted if predicted else 1.0

    def recall(self, label: str) -> float:
        gold = self.tp[label] + self.fn[label]
        return self.tp[label] / gold if gold else 1.0

    def misses(self) -> list[str]:
        return [label for label in LABELS if self.precision(label) < PRECISION_TARGET
                or self.recall(label) < RECALL_TARGET]


def score(rows: list[dict], show_errors: bool = False) -> Score:
    result = Score()
    for row in rows:
        result.messages += 1
        gold = set(row["labels"])
        pred = predict(row)
        for label in LABELS:
            if label in gold and label in pred.labels:
                result.tp[label] += 1
            elif label in pred.labels:
                result.fp[label] += 1
            elif label in gold:
                result.fn[label] += 1
        wrong = []
        for label in gold & pred.labels - {"none", "question"}:
            expected = (row["event"] or {}).get("date") if label == "event" else \
                row["due"].get(label)
            result.date_total += 1
            if expected in pred.dates.get(label, set()):
                result.date_ok += 1
            else:
                wrong.append(f"{label} date {sorted(map(str, pred.dates.get(label, [])))} "
                             f"!= {expected}")
        if "event" in gold & pred.labels:
            result.subtype_total += 1
            if row["event"]["label"] in pred.event_labels:
                result.subtype_ok += 1
            else:
                wrong.append(f"event label {sorted(pred.event_labels)} != {row['event']['label']}")
        if show_errors and (gold != pred.labels or wrong):
            print(f"{row['id']} {row['direction']:3} gold={sorted(gold)} "
                  f"pred={sorted(pred.labels)} {'; '.join(wrong)}\n    {row['text']!r}")
    return result


def report(name: str, result: Score) -> list[str]:
    lines = [f"{name}: {result.messages} messages",
             f"  {'label':13} {'gold':>5} {'pred':>5} {'precision':>9} {'recall':>7}"]
    for label in LABELS:
        gold = result.tp[label] + result.fn[label]
        pred = result.tp[label] + result.fp[label]
        flag = "" if label not in result.misses() else "  <- below target"
        lines.append(f"  {label:13} {gold:5d} {pred:5d} {result.precision(label):9.3f} "
                     f"{result.recall(label):7.3f}{flag}")
    if result.date_total:
        lines.append(f"  due/event dates agree: {result.date_ok}/{result.date_total} "
                     f"({result.date_ok / result.date_total:.3f})")
    if result.subtype_total:
        lines.append(f"  event subtypes agree:  {result.subtype_ok}/{result.subtype_total} "
                     f"({result.subtype_ok / result.subtype_total:.3f})")
    return lines


def throughput(rows: list[dict], rounds: int = 5) -> float:
    predict(rows[0])   # load the dictionary first: that is start-up, not throughput
    started = time.perf_counter()
    for _ in range(rounds):
        for row in rows:
            analyze_message(row["text"], row["direction"], row["sent_at"])
    return rounds * len(rows) / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", choices=("train", "test", "blind", "blind2", "blind3", "all"),
                        help="print the messages a split gets wrong")
    parser.add_argument("--throughput", action="store_true",
                        help="also time analyze_message over the whole set")
    args = parser.parse_args(argv)
    rows = load()
    splits = {"train": [r for r in rows if r["split"] == "train"],
              "test (held out)": [r for r in rows if r["split"] == "test"],
              "blind (written after the rules)": [r for r in rows if r["split"] == "blind"],
              "blind2 (written after the rules were frozen; never tuned on)":
                  [r for r in rows if r["split"] == "blind2"],
              "blind3 (written by another author who never saw the rules)":
                  [r for r in rows if r["split"] == "blind3"],
              "all": rows}
    results = {}
    for name, subset in splits.items():
        show = args.errors is not None and name.startswith(args.errors)
        results[name] = score(subset, show_errors=show)
        print("\n".join(report(name, results[name])))
    languages = Counter(r["lang"] for r in rows)
    print(f"languages: {dict(languages)}")
    if args.throughput:
        print(f"throughput: {throughput(rows):.0f} messages/s")
    misses = results["all"].misses()
    if misses:
        print(f"BELOW TARGET on the full set: {', '.join(misses)}")
        return 1
    print(f"All labels meet precision >= {PRECISION_TARGET} and recall >= {RECALL_TARGET} "
          "on the full set.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
