#!/usr/bin/env python3
"""Identity proposals over the whole network from the database (issue 9: under 5 s at 10,000).

    .venv/bin/python bench/bench_proposals.py [--contacts 10000] [--reps 3] [--duplicates 20]

``services/matching/proposals.refresh_proposals`` on a copy of the cached bench network
(bench/out/net-c<N>-…/goen.sqlite3; the cache is never opened, only copied; the copy is
migrated to the current schema, then deleted at the end):

1. ``--duplicates`` people are written in twice first, as an import would leave them: half share
   an e-mail address with their first record (certain: merged by the refresh, each merge moving
   that person's messages, captures and facts of a network with a million interactions), half
   have the same name and organisation (likely: proposed). The generator makes everyone once,
   so without these the run would merge nothing.
2. Timed: the first refresh (reading every contact, names keyed, blocking, compare, the merges,
   another pass on the merged network, proposals written), then ``--reps`` refreshes with
   nothing new (the daily job's usual case), each with the name caches cleared so every name is
   read again as in a fresh process. The tagger's load (once a process) is timed apart.

Results go to stdout and bench/out/results-proposals.json.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, machine, save_result  # noqa: E402
from bench_matching import clear_caches  # noqa: E402

from companion.db import Database, utc_now  # noqa: E402
from companion.services.details import Detail, add_details  # noqa: E402
from companion.services.matching import names  # noqa: E402
from companion.services.matching.proposals import refresh_proposals  # noqa: E402


def find_network(contacts: int) -> Path:
    found = sorted(OUT.glob(f"net-c{contacts}-*/goen.sqlite3"))
    if not found:
        sys.exit(f"no bench network of {contacts} contacts in {OUT}: run bench/gen_network.py"
                 f" (or another bench that makes it) first")
    return found[0]


def copy_network(source: Path) -> Path:
    copy = OUT / f"proposals-copy-{source.parent.name}.sqlite3"
    for suffix in ("", "-wal"):   # a WAL not yet checkpointed holds committed rows too
        if Path(str(source) + suffix).exists():
            shutil.copyfile(str(source) + suffix, str(copy) + suffix)
    return copy


def add_duplicates(db: Database, count: int, seed: int = 9) -> tuple[int, int]:
    """``count`` people written in twice: (certain, likely) pairs made."""
    rng = random.Random(seed)
    people = db.query_all("SELECT id, display_name, reading, organisation FROM contacts"
                          " WHERE organisation IS NOT NULL ORDER BY id")
    chosen = rng.sample(people, min(count, len(people)))
    certain = likely = 0
    now = utc_now()
    with db.transaction() as conn:
        for n, row in enumerate(chosen):
            cur = conn.execute(
                "INSERT INTO contacts (display_name, reading, organisation, sort_key, tier,"
                " tier_source, created_at, updated_at) VALUES (?, ?, ?, ?, 'wide', 'proposed',"
                " ?, ?)", (row["display_name"], row["reading"], row["organisation"],
                           row["display_name"].casefold(), now, now))
            twin = cur.lastrowid
            if n % 2 == 0:
                email = f"person{row['id']}@bench-dupes.example"
                for cid in (row["id"], twin):
                    add_details(conn, cid, [Detail("email", email)], "bench", now)
                certain += 1
            else:
                likely += 1
    return certain, likely


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duplicates", type=int, default=20)
    args = parser.parse_args(argv)
    source = find_network(args.contacts)
    t = time.perf_counter()
    copy = copy_network(source)
    copied_s = time.perf_counter() - t
    db = Database(copy)
    try:
        t = time.perf_counter()
        applied = db.migrate()
        migrate_s = time.perf_counter() - t
        certain, likely = add_duplicates(db, args.duplicates)
        contacts = db.query_one("SELECT COUNT(*) FROM contacts")[0]
        print(f"{contacts:,} contacts in a copy of {source} (copied in {copied_s:.1f} s,"
              f" migrations {applied} in {migrate_s:.1f} s); {certain} people written twice"
              f" with one e-mail address, {likely} with one name and organisation")
        t = time.perf_counter()
        names.kanji_words("山田太郎")      # the tagger: loaded once a process
        tagger_s = time.perf_counter() - t
        print(f"tagger load {tagger_s:.2f} s")
        runs = []
        for n in range(1 + max(1, args.reps)):
            clear_caches()
            t = time.perf_counter()
            summary = refresh_proposals(db)
            wall = time.perf_counter() - t
            run = {"kind": "first (merges)" if n == 0 else "nothing new", "seconds": wall,
                   **{k: v for k, v in vars(summary).items() if k != "seconds"}}
            runs.append(run)
            print(f"run {n + 1} ({run['kind']}): {wall:.2f} s  |  auto-merged"
                  f" {summary.auto_merged}, proposed {summary.proposed}, kept open"
                  f" {summary.kept_open}, removed {summary.removed}, merge failures"
                  f" {summary.merge_failures}")
        steady = min(r["seconds"] for r in runs[1:])
        print(f"first refresh {runs[0]['seconds']:.2f} s with {runs[0]['auto_merged']} merges;"
              f" refresh with nothing new: best {steady:.2f} s (target < 5 s at 10,000)")
        save_result("proposals", {"contacts": contacts, "source": str(source),
                                  "duplicates": {"certain": certain, "likely": likely},
                                  "migrate_s": migrate_s, "tagger_load_s": tagger_s,
                                  "runs": runs, "machine": machine()})
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
