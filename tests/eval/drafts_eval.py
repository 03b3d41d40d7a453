"""The follow-up engine's drafts on the generated network (issue 6, "Measured"):

* every draft cites at least one fact about the person it is written to;
* the largest 3-gram Jaccard similarity between drafts for two different people, their names
  masked, is at most 0.3 (character 3-grams for Japanese, word 3-grams for English: the
  template guard's shingles);
* and every draft passes the template guard (generic phrasing, nothing specific, near-duplicate
  of messages already sent to others).

    .venv/bin/python tests/eval/drafts_eval.py [--contacts 300 --interactions 30000
        --captures 500 --seed 1] [--plain] [--data-dir DIR] [--pairs 5]

The network comes from bench/gen_network.py with ``--followup --facts`` (``--plain``: without
the follow-up texts, only the generator's shared template pool), generated under bench/out/
or reused from there, or into ``--data-dir``. Today is the network's last day (2026-11-26).
Drafts are those of today's list with no limit: each person's strongest suggestion.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import gen_network  # noqa: E402

from companion.db import Database  # noqa: E402
from companion.services.followup import guard, guard_shingles, suggest  # noqa: E402
from companion.services.followup.suggest_load import profile  # noqa: E402

TODAY = date(2026, 11, 26)
MAX_JACCARD = 0.3
SMALL = dict(contacts=300, identities_per_contact=3, interactions=30_000, captures=500, seed=1)


@dataclass
class Result:
    suggestions: int = 0
    with_drafts: int = 0
    missing: int = 0
    drafts: int = 0
    citing: int = 0                      # drafts citing a fact about their person
    uncited: list[str] = field(default_factory=list)
    max_jaccard: float = 0.0
    top_pairs: list[tuple[float, str, str]] = field(default_factory=list)
    guard_ok: int = 0
    guard_flags: dict[str, int] = field(default_factory=dict)
    failed: list[tuple[str, list[str]]] = field(default_factory=list)
    by_reason: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, int] = field(default_factory=dict)
    nearest: dict[str, float] = field(default_factory=dict)   # each draft's most similar other
    seconds: dict[str, float] = field(default_factory=dict)

    def misses(self) -> list[str]:
        out = []
        if self.drafts == 0:
            out.append("no drafts at all")
        if self.citing < self.drafts:
            out.append(f"{self.drafts - self.citing} drafts cite no fact about their person")
        if self.max_jaccard > MAX_JACCARD:
            out.append(f"largest Jaccard {self.max_jaccard:.3f} > {MAX_JACCARD}")
        if self.guard_ok < self.drafts:
            out.append(f"{self.drafts - self.guard_ok} drafts fail the template guard")
        return out


def network(data_dir: Path | None, plain: bool, params: dict, log=print) -> Path:
    extra = {"facts": True} if plain else {"followup": True, "facts": True}
    if data_dir is None:
        return gen_network.ensure_network(ROOT / "bench" / "out", log=log, **params, **extra)
    if not (Path(data_dir) / gen_network.MANIFEST).exists():
        gen_network.run(Path(data_dir), {**gen_network.DEFAULTS, **params, **extra}, log=log)
    return Path(data_dir)


def _max_pairs(items: list[tuple[int, frozenset, str]], keep: int,
               nearest: list[float] | None = None) -> list[tuple[float, int, int]]:
    """The ``keep`` most similar pairs of drafts to different people (every pair measured);
    ``nearest`` gets each draft's highest similarity to a draft for someone else."""
    best: list[tuple[float, int, int]] = []
    floor = -1.0
    near = [0.0] * len(items)
    for i in range(len(items)):
        ci, si, _ = items[i]
        for j in range(i + 1, len(items)):
            cj, sj, _ = items[j]
            if ci == cj:
                continue
            inter = len(si & sj)
            if not inter:
                continue
            score = inter / (len(si) + len(sj) - inter)
            if score > near[i]:
                near[i] = score
            if score > near[j]:
                near[j] = score
            if score > floor or len(best) < keep:
                best.append((score, i, j))
                best.sort(reverse=True)
                del best[keep:]
                floor = best[-1][0] if len(best) == keep else -1.0
    if nearest is not None:
        nearest[:] = near
    return best


def evaluate(db: Database, today: date = TODAY, pairs: int = 5) -> Result:
    result = Result()
    t0 = time.perf_counter()
    found = suggest.suggestions_for_today(db, today, 1_000_000)
    result.seconds["suggestions"] = time.perf_counter() - t0
    result.suggestions = len(found)
    fact_owner = {}
    t0 = time.perf_counter()
    items: list[tuple[int, frozenset, str]] = []
    names_of: dict[int, list[str]] = {}
    for s in found:
        result.by_reason[s.reason] = result.by_reason.get(s.reason, 0) + 1
        if not s.drafts:
            result.missing += 1
            continue
        result.with_drafts += 1
        for f in s.facts:
            fact_owner[f.id] = f.contact_id
        for draft in s.drafts:
            result.drafts += 1
            result.by_lang[draft.lang] = result.by_lang.get(draft.lang, 0) + 1
            if any(fact_owner.get(fid) == draft.contact_id for fid in draft.fact_ids):
                result.citing += 1
            else:
                result.uncited.append(f"{s.key} → {draft.contact_id}: {draft.text!r}")
            people = [draft.contact_id] + ([s.other.id, s.contact.id] if s.other else [])
            names = []
            for person in people:
                if person not in names_of:
                    found_profile = profile(db, person)
                    names_of[person] = found_profile.names() if found_profile else []
                names += names_of[person]
            items.append((draft.contact_id, guard_shingles.shingles(draft.text, names),
                          f"{s.key} → {draft.contact_id}: {draft.text!r}"))
            check = guard.check_draft(db, draft.contact_id, draft.text)
            if check.ok:
                result.guard_ok += 1
            else:
                kinds = [f.kind for f in check.flags]
                for kind in kinds:
                    result.guard_flags[kind] = result.guard_flags.get(kind, 0) + 1
                result.failed.append((f"{s.key} → {draft.contact_id}: {draft.text!r}", kinds))
    result.seconds["guard"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    near: list[float] = []
    top = _max_pairs(items, pairs, near)
    result.seconds["jaccard"] = time.perf_counter() - t0
    result.max_jaccard = top[0][0] if top else 0.0
    if near:
        ordered = sorted(near)
        result.nearest = {"median": ordered[len(ordered) // 2],
                          "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
                          "within": sum(v <= MAX_JACCARD for v in near) / len(near)}
    result.top_pairs = [(score, items[i][2], items[j][2]) for score, i, j in top]
    return result


def report(result: Result, label: str) -> list[str]:
    lines = [f"== {label}",
             f"suggestions {result.suggestions} (one per person), with drafts "
             f"{result.with_drafts}, with 'missing' instead {result.missing}",
             f"by reason: {dict(sorted(result.by_reason.items()))}",
             f"drafts {result.drafts} (by language {dict(sorted(result.by_lang.items()))})",
             f"drafts citing a fact about their person: {result.citing}/{result.drafts}",
             f"largest 3-gram Jaccard between drafts to different people (names masked): "
             f"{result.max_jaccard:.3f} (target <= {MAX_JACCARD})",
             ("each draft's most similar draft to someone else: median "
              f"{result.nearest['median']:.3f}, 99th percentile {result.nearest['p99']:.3f}, "
              f"at most {MAX_JACCARD} for {result.nearest['within']:.1%} of drafts")
             if result.nearest else "",
             f"drafts passing the template guard: {result.guard_ok}/{result.drafts}"
             + (f" flags {result.guard_flags}" if result.guard_flags else ""),
             "seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items())]
    for score, a, b in result.top_pairs:
        lines.append(f"  J={score:.3f}\n    {a}\n    {b}")
    for text in result.uncited[:5]:
        lines.append(f"  uncited: {text}")
    for text, kinds in result.failed[:5]:
        lines.append(f"  guard {kinds}: {text}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name, default in SMALL.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default)
    parser.add_argument("--plain", action="store_true",
                        help="the generator's shared template pool only (no follow-up texts)")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--pairs", type=int, default=5, help="most similar pairs to print")
    args = parser.parse_args(argv)
    params = {name: getattr(args, name) for name in SMALL}
    data_dir = network(args.data_dir, args.plain, params)
    db = Database(data_dir / "goen.sqlite3")
    try:
        result = evaluate(db, TODAY, args.pairs)
    finally:
        db.close()
    label = (f"{data_dir.name}: {params['contacts']:,} contacts, "
             f"{params['interactions']:,} interactions"
             + (", generator templates only" if args.plain else ", with follow-up texts"))
    print("\n".join(report(result, label)))
    misses = result.misses()
    for miss in misses:
        print(f"MISSED: {miss}")
    return 1 if misses else 0


if __name__ == "__main__":
    raise SystemExit(main())
