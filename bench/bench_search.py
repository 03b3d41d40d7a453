#!/usr/bin/env python3
"""Contact search and listing (companion/services/search.py) at the size DESIGN.md names.

    .venv/bin/python bench/bench_search.py [--reps 60] [--fill-reps 3] [--plain] [--contacts …]

1. The synthetic network (bench/gen_network.py, with follow-up texts and facts like
   bench_lookup.py; ``--plain`` for the one without) is generated or reused; a reused network
   gets the latest migrations (gen_network._bring_up_to_date), which fills its search index.
2. Its goen.sqlite3 is copied (SQLite's backup API) into a temporary folder: everything below
   writes only to that copy, never to the cached network.
3. Migration 0010's time to fill the index: in the copy, 0010's objects are dropped and its
   record removed, then ``Database.migrate()`` applies it again, ``--fill-reps`` times.
4. The generated network has no tags or notes: the copy gets some (a few tags on most people,
   notes on a third of them, in Japanese and English), written with plain SQL so that the
   triggers index them; the time per note and per tag link is the triggers' cost to a writer.
   The fill is then timed once more, with notes and tags.
5. ``search_contacts`` in-process, ``--reps`` times per case: first pages of typical queries
   (two-character kanji, one kanji, three and more characters, readings in hiragana and
   katakana, half-width katakana, two Latin letters, two words, a note word, the tag, tier,
   site and not-contacted-since filters, each sort) and deep pages (the page after 5,000 rows
   in each sort, reached by walking the cursors once beforehand). Also the API's answer for
   a page (summaries added, ``search.api_answer``).

Results go to stdout and bench/out/results-search.json.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, fmt, machine, save_result, stats_ms  # noqa: E402
import gen_network  # noqa: E402

from companion.db import Database, utc_now  # noqa: E402
from companion.services import search  # noqa: E402
from companion.services.search import ContactQuery, search_contacts  # noqa: E402

MIGRATION_VERSION = 10
TAGS = ["PyCon JP", "勉強会", "交流会", "取引先", "採用", "大学の同期", "前職", "Rust", "投資家",
        "メンター", "Kyoto", "デザイナー", "登壇者", "顧客", "OSS", "読書会", "友人", "紹介済み",
        "Tokyo Meetup", "スタートアップ"]
NOTE_PARTS = [
    "展示会でお会いした。", "来月のカンファレンスで再会の予定。", "採用の相談を受けた。",
    "Rustの勉強会で登壇されていた。", "京都出身、週末は登山。", "お子さんが小学校に入学。",
    "Met at the Tokyo meetup; interested in data pipelines.", "Asked about our hiring plans.",
    "Introduced by a former colleague.", "ご紹介いただいた件、資料を送る。", "転職を検討中とのこと。",
    "Loves trail running and coffee.", "新規事業の立ち上げを担当。", "Speaks at PyCon every year.",
]


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a live WAL database, opened read-only on the source."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def undo_migration(db: Database) -> None:
    """Remove what migration 0010 made (in the copy only), so that migrate() applies it again."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view', 'index',"
            " 'table') AND (name LIKE 'contacts_search%' OR name IN ('contacts_fts',"
            " 'contacts_recent', 'contacts_added', 'contacts_by_tier'))"
            " ORDER BY type = 'table'").fetchall()
        for kind, name in rows:
            if kind == "table" and name.startswith("contacts_fts_"):
                continue            # the FTS5 table's own shadow tables go with it
            conn.execute(f"DROP {kind.upper()} IF EXISTS {name}")
        conn.execute("DELETE FROM schema_migrations WHERE version = ?", (MIGRATION_VERSION,))


def time_fill(db: Database) -> float:
    undo_migration(db)
    t0 = time.perf_counter()
    applied = db.migrate()
    elapsed = time.perf_counter() - t0
    assert applied == [MIGRATION_VERSION], applied
    return elapsed


def add_tags_and_notes(db: Database, rng: random.Random) -> dict:
    """Tags on most people and notes on a third, one statement at a time (as the API writes
    them), timing each statement with its triggers."""
    ids = [r[0] for r in db.query_all("SELECT id FROM contacts ORDER BY id")]
    with db.transaction() as conn:
        conn.executemany("INSERT INTO tags (name) VALUES (?) ON CONFLICT DO NOTHING",
                         [(t,) for t in TAGS])
    tag_ids = [r[0] for r in db.query_all("SELECT id FROM tags ORDER BY id")]
    tag_ns, note_ns = [], []
    now = utc_now()
    for start in range(0, len(ids), 500):
        with db.transaction() as conn:
            for cid in ids[start:start + 500]:
                for tag_id in rng.sample(tag_ids, rng.choice((0, 1, 1, 2, 3))):
                    t0 = time.perf_counter_ns()
                    conn.execute("INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)",
                                 (cid, tag_id))
                    tag_ns.append(time.perf_counter_ns() - t0)
                if rng.random() < 1 / 3:
                    for _ in range(rng.randint(1, 3)):
                        body = "".join(rng.sample(NOTE_PARTS, rng.randint(2, 5)))
                        t0 = time.perf_counter_ns()
                        conn.execute("INSERT INTO notes (contact_id, body, created_at,"
                                     " updated_at) VALUES (?, ?, ?, ?)", (cid, body, now, now))
                        note_ns.append(time.perf_counter_ns() - t0)
    return {"tag_link": stats_ms(tag_ns), "note_insert": stats_ms(note_ns)}


def common_family_name(db: Database) -> tuple[str, str]:
    """The most common two-character kanji family name and its reading (from the network)."""
    rows = db.query_all(
        "SELECT substr(display_name, 1, 2) AS f, substr(reading, 1, instr(reading, ' ') - 1)"
        " AS r, COUNT(*) AS n FROM contacts WHERE reading IS NOT NULL AND"
        " instr(display_name, ' ') = 3 GROUP BY f ORDER BY n DESC LIMIT 1")
    return (rows[0]["f"], rows[0]["r"]) if rows else ("山田", "やまだ")


def katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def half_width(text: str) -> str:
    """The reading in half-width katakana, as old systems export it (ダ → ﾀﾞ)."""
    table = dict(zip("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨ"
                     "ラリルレロワンャュョッー", "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖ"
                     "ﾗﾘﾙﾚﾛﾜﾝｬｭｮｯｰ"))
    marks = {"\u3099": "ﾞ", "\u309a": "ﾟ"}
    out = []
    for c in katakana(text):
        base, *mark = unicodedata.normalize("NFD", c)
        out.append(table.get(base, base) + "".join(marks.get(m, m) for m in mark))
    return "".join(out)


def cases(db: Database) -> dict[str, ContactQuery]:
    family, reading = common_family_name(db)
    org_word = "デザイン"
    return {
        "list, name": ContactQuery(),
        "list, recent": ContactQuery(sort="recent"),
        "list, added": ContactQuery(sort="added"),
        "list, tier": ContactQuery(sort="tier"),
        f"2-char kanji ({family})": ContactQuery(q=family),
        f"1 kanji ({family[0]})": ContactQuery(q=family[0]),
        f"3+ chars ({org_word})": ContactQuery(q=org_word),
        "3+ chars (Systems)": ContactQuery(q="Systems"),
        f"reading hiragana ({reading})": ContactQuery(q=reading),
        f"reading katakana ({katakana(reading)})": ContactQuery(q=katakana(reading)),
        f"half-width ({half_width(reading)})": ContactQuery(q=half_width(reading)),
        "2 Latin letters (sa)": ContactQuery(q="sa"),
        f"two words ({family} {org_word})": ContactQuery(q=f"{family} {org_word}"),
        "note word (登山)": ContactQuery(q="登山"),
        "tag filter (勉強会)": ContactQuery(tag="勉強会"),
        "tag + recent": ContactQuery(tag="勉強会", sort="recent"),
        "tier dormant": ContactQuery(tier="dormant"),
        "site github + not since": ContactQuery(site="github",
                                                not_contacted_since=date(2026, 6, 1)),
        f"q + tier + sort added ({family})": ContactQuery(q=family, tier="active",
                                                          sort="added"),
    }


def cursor_after(db: Database, query: ContactQuery, rows: int) -> str | None:
    """The cursor of the page that starts after ``rows`` rows (walked once, 200 at a time)."""
    cursor, seen = None, 0
    while seen < rows:
        step = min(search.MAX_PAGE, rows - seen)
        page = search_contacts(db, ContactQuery(**{**query.__dict__, "cursor": cursor,
                                                   "limit": step}))
        seen += len(page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    return cursor


def run_case(db: Database, query: ContactQuery, reps: int) -> tuple[dict, int, int]:
    samples = []
    page = None
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        page = search_contacts(db, query)
        samples.append(time.perf_counter_ns() - t0)
    return stats_ms(samples), page.total, len(page.rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="contact search at 10,000 contacts")
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--fill-reps", type=int, default=3)
    parser.add_argument("--deep", type=int, default=5000, help="rows before the deep page")
    parser.add_argument("--plain", action="store_true")
    for name, default in gen_network.DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)
    args = parser.parse_args(argv)
    params = {name: getattr(args, name) for name in gen_network.DEFAULTS}
    extra = {} if args.plain else {"followup": True, "facts": True}
    data_dir = gen_network.ensure_network(OUT, **params, **extra)
    result: dict = {"machine": machine(), "network": str(data_dir.name), "reps": args.reps}

    with tempfile.TemporaryDirectory(prefix="goen-bench-search-") as tmp:
        copy = Path(tmp) / "goen.sqlite3"
        t0 = time.perf_counter()
        copy_database(data_dir / "goen.sqlite3", copy)
        print(f"copied {data_dir.name}/goen.sqlite3 in {time.perf_counter() - t0:.1f} s")
        db = Database(copy)
        try:
            counts = {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
                      for t in ("contacts", "identities", "notes", "contact_tags")}
            fills = [time_fill(db) for _ in range(args.fill_reps)]
            print(f"migration 0010 fill, network as generated {counts}: "
                  + ", ".join(f"{s:.2f} s" for s in fills))
            writes = add_tags_and_notes(db, random.Random(11))
            counts_after = {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
                            for t in ("contacts", "identities", "notes", "contact_tags")}
            print(f"writes with the triggers: tag link {fmt(writes['tag_link'])}")
            print(f"                          note      {fmt(writes['note_insert'])}")
            fill_with_notes = time_fill(db)
            print(f"migration 0010 fill with notes and tags {counts_after}: "
                  f"{fill_with_notes:.2f} s")
            result.update(counts=counts, fill_s=fills, writes=writes,
                          counts_with_notes=counts_after, fill_with_notes_s=fill_with_notes,
                          index_chars=db.query_one(
                              "SELECT SUM(length(doc)) FROM contacts_fts")[0])

            timings = {}
            print(f"\nsearch_contacts, first page of 50, {args.reps} reps each:")
            for label, query in cases(db).items():
                search_contacts(db, query)                        # warm the page cache
                stats, total, shown = run_case(db, query, args.reps)
                timings[label] = {**stats, "total": total, "rows": shown}
                print(f"  {label:38s} total {total:6d}  {fmt(stats)}")
            print(f"\ndeep pages (the page after {args.deep} rows):")
            for label, query in (("name", ContactQuery()), ("recent", ContactQuery(sort="recent")),
                                 ("added", ContactQuery(sort="added")),
                                 ("tier", ContactQuery(sort="tier")),
                                 ("2 Latin letters (sa), page 11",
                                  ContactQuery(q="sa"))):
                deep = 500 if "sa" in label else args.deep
                cursor = cursor_after(db, query, deep)
                deep_query = ContactQuery(**{**query.__dict__, "cursor": cursor})
                stats, total, shown = run_case(db, deep_query, args.reps)
                timings[f"deep: {label}"] = {**stats, "total": total, "rows": shown}
                print(f"  {label:38s} total {total:6d}  {fmt(stats)}")
            api = []
            for _ in range(args.reps):
                t0 = time.perf_counter_ns()
                search.api_answer(db, search_contacts(db, ContactQuery()))
                api.append(time.perf_counter_ns() - t0)
            timings["API answer (summaries), list"] = stats_ms(api)
            print(f"\n  {'API answer (summaries added), list':38s} {'':12s}  "
                  f"{fmt(stats_ms(api))}")
            result["timings"] = timings
        finally:
            db.close()
    path = save_result("search", result)
    print(f"\nwritten {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
