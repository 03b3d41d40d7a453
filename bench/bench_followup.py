#!/usr/bin/env python3
"""Suggestions for the whole network, cold, and one contact's facts and suggestions after a new
capture (issue 6; DESIGN.md "Performance targets").

    .venv/bin/python bench/bench_followup.py [--limit 20] [--updates 60] [--contacts 10000 ...]

1. The synthetic network with the opt-in follow-up texts and facts (bench/gen_network.py
   ``--followup --facts``: every message read by the facts store, statuses settled, tiers
   proposed) is generated, or reused from bench/out/net-…-f1-a1/.
2. Cold: a fresh Python process opens the database (a new connection, no cache of Goen's) and
   computes today's list (``suggestions_for_today``, ``--limit`` drafts), timed from opening
   the database to having the list. The operating system's file cache is whatever the machine
   has (not dropped). Then the same list again in the same process (warm), and the list with no
   limit (every person's strongest suggestion drafted).
3. After one new capture: in a process that has computed today's list once (as a running
   companion has), for ``--updates`` contacts (the busiest ten and random others), two new
   messages are written as a capture writes them, the facts store updates that contact
   (``updates.after_interactions``: facts, statuses, last two-way exchange, tier), and the
   contact's suggestions are computed (``suggestions_for_contact``: the strongest ten, with
   drafts), then the popup's one (``next_followup``: the strongest, drafted). Each update runs
   in a transaction that is rolled back, so the network stays as generated.

Results go to stdout and bench/out/results-followup.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, ROOT, fmt, machine, save_result, stats_ms  # noqa: E402
import gen_network  # noqa: E402

TODAY = date(2026, 11, 26)          # the generated network's last day
TARGET_COLD_S = 2.0
TARGET_UPDATE_MS = 50.0

_COLD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from datetime import date
from companion.db import Database
from companion.services.followup import suggest
import companion.services.followup.morph as morph
morph.tokens("準備")                      # the tagger is built once per process, not per list
t0 = time.perf_counter()
db = Database({path!r})
found = suggest.suggestions_for_today(db, date.fromisoformat({today!r}), {limit})
cold = time.perf_counter() - t0
t0 = time.perf_counter()
suggest.suggestions_for_today(db, date.fromisoformat({today!r}), {limit})
warm = time.perf_counter() - t0
print(json.dumps({{"cold_s": cold, "warm_s": warm, "found": len(found),
                  "drafted": sum(1 for s in found if s.drafts),
                  "reasons": [s.reason for s in found]}}))
"""


def cold_run(db_path: Path, limit: int) -> dict:
    code = _COLD.format(root=str(ROOT), path=str(db_path), today=TODAY.isoformat(), limit=limit)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=600, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def update_run(db_path: Path, contacts: list[int], rng: random.Random) -> dict:
    """One simulated capture per contact: new messages, the store's update, the suggestions."""
    from companion.db import Database, utc_now
    from companion.services.followup import relationship, suggest, updates

    relationship.clock = lambda: datetime(2026, 11, 26, 12, tzinfo=timezone.utc)
    db = Database(db_path)
    texts = {"ja": ["先日はありがとうございました。資料を明日までにお送りします。", "来週の金曜にお茶でもいかがですか？"],
             "en": ["Thanks for today! I'll send you the pricing sheet by Friday.",
                    "Could we meet next Tuesday to go over the rollout?"]}
    store_ns, suggest_ns, total_ns, found = [], [], [], []
    first_ns, popup_ns = [], []   # the popup's next follow-up (limit 1), after the same update
    # a running companion has computed today's list before: its introductions index is built
    suggest.suggestions_for_today(db, TODAY, 20)
    conn = db.connect()
    for contact_id in contacts:
        name = conn.execute("SELECT display_name FROM contacts WHERE id = ?",
                            (contact_id,)).fetchone()[0]
        lang = "ja" if any("\u3040" <= c <= "\u9fff" for c in name) else "en"
        conn.execute("BEGIN IMMEDIATE")
        try:
            t0 = time.perf_counter_ns()
            ids = []
            for k, (direction, text) in enumerate(zip(("in", "out"), texts[lang])):
                cur = conn.execute(
                    "INSERT INTO interactions (contact_id, platform, kind, direction,"
                    " occurred_at, text, thread_key, external_id, created_at)"
                    " VALUES (?, 'linkedin', 'message', ?, ?, ?, 'bench', ?, ?)",
                    (contact_id, direction, f"2026-11-26T0{3 + k}:00:00.000Z", text,
                     f"bench:{contact_id}:{k}:{rng.random()}", utc_now()))
                ids.append(cur.lastrowid)
            updates.after_interactions(conn, ids)
            t1 = time.perf_counter_ns()
            listed = suggest.suggestions_for_contact(db, contact_id, TODAY)
            t2 = time.perf_counter_ns()
            suggest.next_followup(db, contact_id, TODAY)
            t3 = time.perf_counter_ns()
        finally:
            conn.execute("ROLLBACK")
        store_ns.append(t1 - t0)
        suggest_ns.append(t2 - t1)
        total_ns.append(t2 - t0)
        first_ns.append(t3 - t2)
        popup_ns.append(t1 - t0 + t3 - t2)
        found.append(len(listed))
    db.close()
    return {"store": stats_ms(store_ns), "suggestions": stats_ms(suggest_ns),
            "total": stats_ms(total_ns), "next_followup": stats_ms(first_ns),
            "store_and_next_followup": stats_ms(popup_ns),
            "suggestions_per_contact": Counter(found)}


def pick_contacts(db_path: Path, n: int, rng: random.Random) -> list[int]:
    import sqlite3
    conn = sqlite3.connect(str(db_path))
    busiest = [r[0] for r in conn.execute(
        "SELECT contact_id FROM interactions GROUP BY contact_id ORDER BY COUNT(*) DESC"
        " LIMIT 10")]
    others = [r[0] for r in conn.execute("SELECT id FROM contacts ORDER BY id")]
    conn.close()
    rest = [c for c in rng.sample(others, min(len(others), n)) if c not in busiest]
    return busiest + rest[:max(0, n - len(busiest))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=20, help="today's list length")
    parser.add_argument("--updates", type=int, default=60, help="contacts updated one by one")
    for name, default in gen_network.DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    args = parser.parse_args(argv)
    params = {name: getattr(args, name) for name in gen_network.DEFAULTS}
    data_dir = gen_network.ensure_network(OUT, followup=True, facts=True, **params)
    db_path = data_dir / "goen.sqlite3"
    info = json.loads((data_dir / gen_network.MANIFEST).read_text())
    rng = random.Random(11)

    cold = cold_run(db_path, args.limit)
    longest = cold_run(db_path, 200)          # the API's largest limit
    everyone = cold_run(db_path, 1_000_000)
    update = update_run(db_path, pick_contacts(db_path, args.updates, rng), rng)
    result = {
        "machine": machine(), "network": info["counts"], "today": TODAY.isoformat(),
        "cold_list": cold, "cold_list_200": {k: v for k, v in longest.items()
                                             if k != "reasons"},
        "cold_everyone": {k: v for k, v in everyone.items()
                                             if k != "reasons"},
        "everyone_reasons": Counter(everyone["reasons"]),
        "update_after_capture": update,
        "targets": {"cold_s": TARGET_COLD_S, "update_ms": TARGET_UPDATE_MS},
    }
    path = save_result("followup", result)

    counts = info["counts"]
    print(f"network: {counts['contacts']:,} contacts, {counts['interactions']:,} interactions,"
          f" {counts.get('facts', 0):,} facts ({data_dir.name})")
    print(f"today's list, limit {args.limit}: cold {cold['cold_s']:.3f} s "
          f"(target < {TARGET_COLD_S} s), warm {cold['warm_s']:.3f} s; "
          f"{cold['found']} suggestions, {cold['drafted']} with drafts")
    print(f"today's list, limit 200: cold {longest['cold_s']:.3f} s, warm "
          f"{longest['warm_s']:.3f} s; {longest['drafted']} with drafts")
    print(f"every person's strongest suggestion, drafted: cold {everyone['cold_s']:.3f} s, "
          f"warm {everyone['warm_s']:.3f} s; {everyone['found']} suggestions, "
          f"{everyone['drafted']} with drafts")
    print(f"  by reason: {dict(result['everyone_reasons'])}")
    print(f"after one new capture ({update['total']['n']} contacts, the ten busiest among "
          "them):")
    print(f"  facts store update   {fmt(update['store'])}")
    print(f"  contact suggestions  {fmt(update['suggestions'])}")
    print(f"  both                 {fmt(update['total'])}  (target < {TARGET_UPDATE_MS} ms)")
    print(f"  the popup's next follow-up (limit 1)  {fmt(update['next_followup'])}")
    print(f"  store update + next follow-up         {fmt(update['store_and_next_followup'])}")
    print(f"results: {path}")
    ok = cold["cold_s"] < TARGET_COLD_S and update["total"]["p95"] < TARGET_UPDATE_MS
    print("targets met" if ok else "TARGETS MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
