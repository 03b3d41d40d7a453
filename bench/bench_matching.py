#!/usr/bin/env python3
"""Identity-match proposals for the whole network (issue 9: under 5 s at 10,000 contacts).

    .venv/bin/python bench/bench_matching.py [--contacts 10000] [--reps 3] [--db PATH]

1. The records: every contact of the bench network (bench/gen_network.py's, reused from
   bench/out/net-c10000-…) as a ``Side``: display name, reading, organisation, title,
   location, avatar, its identities' canonical URLs and its e-mail addresses
   (``contact_details``, when the database has that table). The network's database is never
   opened in place: it is copied to bench/out/ first, read, and the copy deleted; the records
   are then kept in bench/out/matching-records-c<N>.json for the next run. When no network of
   that size exists, a smaller one is generated (``--contacts``) and the output says so.
2. Timed, in this fresh process: loading the tagger (MeCab + UniDic, once a process), then
   ``prepare`` of every record (name keys: readings, romaji), ``candidate_pairs`` (blocking)
   and ``compare`` of every candidate pair, i.e. ``blocking.propose`` from raw records. The
   name caches are cleared before each repetition, so every repetition reads every name again.

The generator makes every person once, so every proposal here is a namesake: the count says how
many pairs a user with this network would be asked about (same name + same organisation).
Results go to stdout and bench/out/results-matching.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, machine, save_result  # noqa: E402

from companion.services.matching import compare as compare_module  # noqa: E402
from companion.services.matching import names  # noqa: E402
from companion.services.matching.blocking import BlockingStats, candidate_pairs  # noqa: E402
from companion.services.matching.compare import Side, compare, prepare  # noqa: E402


def _find_network(contacts: int) -> Path | None:
    found = sorted(OUT.glob(f"net-c{contacts}-*/goen.sqlite3"))
    return found[0] if found else None


def read_records(db_path: Path) -> list[Side]:
    """Every contact as a Side, read from a copy of the database (never the original)."""
    copy = OUT / f"matching-copy-{db_path.parent.name}.sqlite3"
    shutil.copyfile(db_path, copy)
    for suffix in ("-wal",):   # a WAL not yet checkpointed holds committed rows too
        if Path(str(db_path) + suffix).exists():
            shutil.copyfile(str(db_path) + suffix, str(copy) + suffix)
    try:
        conn = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        urls: dict[int, list[str]] = {}
        for cid, url in conn.execute("SELECT contact_id, url FROM identities"):
            urls.setdefault(cid, []).append(url)
        emails: dict[int, list[str]] = {}
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "contact_details" in tables:
            for cid, value in conn.execute(
                    "SELECT contact_id, value FROM contact_details WHERE kind = 'email'"):
                emails.setdefault(cid, []).append(value)
        records = [
            Side(name=name, reading=reading, organisation=org, title=title, location=location,
                 urls=tuple(urls.get(cid, ())), emails=tuple(emails.get(cid, ())),
                 photo=avatar)
            for cid, name, reading, org, title, location, avatar in conn.execute(
                "SELECT id, display_name, reading, organisation, title, location, avatar_url"
                " FROM contacts ORDER BY id")]
        conn.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(str(copy) + suffix).unlink(missing_ok=True)
    return records


def load_records(contacts: int, db: Path | None) -> tuple[list[Side], str]:
    cache = OUT / f"matching-records-c{contacts}.json"
    source = db or _find_network(contacts)
    if db is None and source is None:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import gen_network
        small = min(contacts, 2000)
        print(f"no bench network of {contacts} contacts in {OUT}; generating {small} contacts")
        data_dir = gen_network.ensure_network(OUT, contacts=small,
                                              interactions=small * 10, captures=small)
        source, contacts = data_dir / "goen.sqlite3", small
        cache = OUT / f"matching-records-c{contacts}.json"
    stamp = f"{source}:{source.stat().st_size}:{source.stat().st_mtime_ns}"
    if cache.exists():
        saved = json.loads(cache.read_text())
        if saved.get("source") == stamp:
            return [Side(**{**r, "urls": tuple(r["urls"]), "emails": tuple(r["emails"])})
                    for r in saved["records"]], str(source)
    records = read_records(source)
    cache.write_text(json.dumps({"source": stamp, "records": [r.__dict__ for r in records]},
                                ensure_ascii=False))
    return records, str(source)


def clear_caches() -> None:
    for fn in (names.name_key, names.kanji_words, names.fold_romaji,
               compare_module.location_tokens, compare_module._organisation_romaji):
        fn.cache_clear()


def run_once(records: list[Side]) -> dict:
    clear_caches()
    t0 = time.perf_counter()
    prepared = [prepare(r) for r in records]
    names.release_tagger_pages()
    t1 = time.perf_counter()
    stats = BlockingStats()
    pairs = list(candidate_pairs(prepared, stats))
    t2 = time.perf_counter()
    verdicts: Counter = Counter()
    for i, j in pairs:
        verdicts[compare(prepared[i], prepared[j]).verdict] += 1
    t3 = time.perf_counter()
    return {"prepare_s": t1 - t0, "blocking_s": t2 - t1, "compare_s": t3 - t2,
            "total_s": t3 - t0, "pairs_compared": len(pairs),
            "proposals": verdicts["same"] + verdicts["likely"],
            "same": verdicts["same"], "likely": verdicts["likely"],
            "blocks": stats.blocks, "capped_blocks": len(stats.capped),
            "largest_capped": max((n for _, n in stats.capped), default=0)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--db", type=Path, help="a goen.sqlite3 to read (copied first)")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    records, source = load_records(args.contacts, args.db)
    print(f"{len(records):,} records from {source}")
    t = time.perf_counter()
    names.kanji_words("山田太郎")      # the tagger: loaded once a process
    tagger_s = time.perf_counter() - t
    print(f"tagger load {tagger_s:.2f} s")
    runs = [run_once(records) for _ in range(max(1, args.reps))]
    for n, r in enumerate(runs, 1):
        print(f"run {n}: prepare {r['prepare_s']:.2f} s  blocking {r['blocking_s']:.2f} s  "
              f"compare {r['compare_s']:.2f} s  total {r['total_s']:.2f} s  |  "
              f"pairs compared {r['pairs_compared']:,}  proposals {r['proposals']:,} "
              f"(same {r['same']}, likely {r['likely']})  blocks {r['blocks']:,}  "
              f"capped {r['capped_blocks']} (largest {r['largest_capped']})")
    best = min(runs, key=lambda r: r["total_s"])
    print(f"best total {best['total_s']:.2f} s for {len(records):,} records "
          f"(target < 5 s at 10,000); first run incl. tagger load "
          f"{runs[0]['total_s'] + tagger_s:.2f} s")
    save_result("matching", {"records": len(records), "source": source, "tagger_load_s": tagger_s,
                             "runs": runs, "machine": machine()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
