#!/usr/bin/env python3
"""Popup lookup by URL through the real HTTP server, at the size DESIGN.md names.

    .venv/bin/python bench/bench_lookup.py [--requests 3000] [--contacts 10000 ...]

1. The synthetic network (bench/gen_network.py) is generated, or reused when one with the same
   parameters is already under bench/out/ (bench/out/net-…/, git-ignored).
2. The real companion (`python -m companion serve`, GOEN_PORT=0) is started on that data folder
   with tests.helpers.start_server.
3. Over one keep-alive http.client connection (bearer token, Host 127.0.0.1:<port>):
   ``GET /api/v1/lookup?url=<variant>`` for a random known identity URL in a form a browser
   shows (www./m./jp. hosts, twitter.com for x.com, upper case, trailing slash, tracking
   parameters, sub-pages, @user@instance) or an unknown URL (about 15 %), interleaved with the
   baseline ``GET /api/v1/status`` (no database work but the schema version). Every lookup answer
   is checked: known ones must be known with the generator's contact id, unknown ones unknown.
4. A second pass looks up only the 20 contacts with the most interactions (the tail case of the
   "last interaction" query), and an in-process pass times the pieces of ``contacts.lookup``.

Results go to stdout and bench/out/results-lookup.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (OUT, Client, fmt, machine, proc_status, save_result, start_server,  # noqa
                     stats_ms, stop_server)
import gen_network  # noqa: E402

TARGET_P99_MS = 10.0


# -- URLs -------------------------------------------------------------------------------------

def load_truth(data_dir: Path) -> list[tuple[int, str, str]]:
    rows = []
    with open(data_dir / gen_network.TRUTH, encoding="utf-8") as f:
        next(f)
        for line in f:
            cid, platform, url, _lang = line.rstrip("\n").split("\t")
            rows.append((int(cid), platform, url))
    return rows


def variant(rng: random.Random, platform: str, url: str) -> str:
    """The URL as a browser tab, a share link or a pasted address may show it."""
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if platform == "linkedin":
        slug = path.split("/", 1)[1]
        return rng.choice([
            f"https://www.linkedin.com/in/{slug}/",
            f"https://jp.linkedin.com/in/{slug}?trk=public_profile_browsemap",
            f"http://linkedin.com/in/{slug.upper()}/?utm_source=share&utm_medium=member_ios",
            f"https://www.linkedin.com/in/{slug}/details/experience/",
            f"https://www.linkedin.com/in/{slug}?originalSubdomain=jp#about",
            f"https://m.linkedin.com/in/{slug}",
        ])
    if platform == "x":
        h = path
        return rng.choice([
            f"https://twitter.com/{h}", f"https://x.com/{h.upper()}/",
            f"https://mobile.twitter.com/{h}?s=20&t=AbCdEfGhIj",
            f"https://x.com/{h}/status/1790000000000000000", f"https://www.x.com/{h}?lang=ja",
        ])
    if platform == "github":
        return rng.choice([
            f"https://github.com/{path.upper()}", f"https://www.github.com/{path}/",
            f"https://github.com/sponsors/{path}", f"http://github.com/{path}?tab=repositories",
        ])
    if platform == "mastodon":
        inst, user = parts.netloc, path[1:]
        return rng.choice([
            f"https://{inst}/@{user}/", f"@{user}@{inst}",
            f"https://mastodon.social/@{user}@{inst}",
            f"https://{inst}/@{user}?utm_source=mastodon",
        ])
    if platform == "bluesky":
        h = path.split("/", 1)[1]
        return rng.choice([f"https://bsky.app/profile/{h}/",
                           f"https://bsky.app/profile/{h.upper()}",
                           f"https://bsky.app/profile/{h}/post/3kxyzabc2d"])
    if platform == "wantedly":
        u = path.split("/", 1)[1]
        return rng.choice([f"https://wantedly.com/id/{u}/",
                           f"https://www.wantedly.com/id/{u}?utm_source=share",
                           f"https://www.wantedly.com/id/{u}/post_articles/123456"])
    if platform == "eight":
        return rng.choice([f"https://8card.net/{path}/", f"https://www.8card.net/{path}?ref=share"])
    host = parts.netloc
    rest = "/" + path if path else "/"
    return rng.choice([f"https://www.{host}{rest}", f"http://{host}{rest.rstrip('/')}",
                       f"https://{host}{rest}?utm_source=twitter&utm_medium=social#top",
                       f"https://{host.upper()}{rest}"])


def unknown_url(rng: random.Random) -> str:
    r = rng.getrandbits(40)
    return rng.choice([
        f"https://www.linkedin.com/in/nobody-{r:010x}/", f"https://x.com/nobody{r % 10**7}",
        f"https://github.com/nobody-{r:x}", f"https://news.example.org/articles/{r}?ref=home",
        f"https://bsky.app/profile/nobody{r}.bsky.social", f"https://mastodon.social/@nobody{r}",
        f"https://8card.net/p/x{r}", f"https://www.wantedly.com/id/nobody_{r}",
    ])


def workload(rng: random.Random, truth: list[tuple[int, str, str]], n: int,
             unknown_share: float = 0.15) -> list[tuple[str, int | None]]:
    """(url, expected contact id or None) pairs."""
    out = []
    for _ in range(n):
        if rng.random() < unknown_share:
            out.append((unknown_url(rng), None))
        else:
            cid, platform, url = rng.choice(truth)
            out.append((variant(rng, platform, url), cid))
    return out


def lookup_path(url: str) -> str:
    return "/api/v1/lookup?url=" + quote(url, safe="")


def check(url: str, expected: int | None, status: int, answer: dict) -> str | None:
    if status != 200:
        return f"{url}: HTTP {status} {answer}"
    if expected is None:
        if answer.get("known"):
            return f"{url}: expected unknown, got contact {answer['contact']['id']}"
    elif not answer.get("known") or answer["contact"]["id"] != expected:
        got = answer["contact"]["id"] if answer.get("known") else "unknown"
        return f"{url}: expected contact {expected}, got {got}"
    return None


# -- the HTTP passes --------------------------------------------------------------------------

def run_lookups(client: Client, work: list[tuple[str, int | None]], with_status: bool = True
                ) -> dict:
    """Each lookup followed by a status request (the baseline, same connection, same
    moment). Returns the samples and the wrong answers."""
    known_ns, unknown_ns, status_ns, errors = [], [], [], []
    for url, expected in work:
        status, data, elapsed = client.request("GET", lookup_path(url))
        problem = check(url, expected, status, json.loads(data))
        if problem:
            errors.append(problem)
        (unknown_ns if expected is None else known_ns).append(elapsed)
        if with_status:
            st, _, elapsed = client.request("GET", "/api/v1/status")
            if st != 200:
                errors.append(f"status: HTTP {st}")
            status_ns.append(elapsed)
    return {"known": known_ns, "unknown": unknown_ns, "status": status_ns, "errors": errors}


def heaviest(db_path: Path, truth: list[tuple[int, str, str]], k: int = 20
             ) -> list[tuple[int, str, str]]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT contact_id, COUNT(*) FROM interactions GROUP BY contact_id"
                            " ORDER BY 2 DESC LIMIT ?", (k,)).fetchall()
    finally:
        conn.close()
    top = {cid for cid, _ in rows}
    return [t for t in truth if t[0] in top]


# -- in process: where a lookup's time goes ---------------------------------------------------

def in_process(db_path: Path, work: list[tuple[str, int | None]]) -> dict:
    from companion.db import Database
    from companion.model import to_dict
    from companion.services import contacts
    from companion.services.followup import suggest
    from companion.urls import canonical_profile_url

    db = Database(db_path)
    parts: dict[str, list[int]] = {k: [] for k in (
        "canonical_profile_url", "identity_query", "get_summary", "summary.contact_row",
        "summary.identities", "summary.last_interaction", "summary.note_count", "summary.tags",
        "next_followup", "to_dict+json", "lookup_total")}
    pc = time.perf_counter_ns
    try:
        for url, _ in work[:50]:  # warm the caches
            contacts.lookup(db, url, with_followup=True)
        for url, _ in work:
            t0 = pc()
            result = contacts.lookup(db, url, with_followup=True)
            t1 = pc()
            json.dumps(to_dict(result), ensure_ascii=False)
            t2 = pc()
            parts["lookup_total"].append(t1 - t0)
            parts["to_dict+json"].append(t2 - t1)
            t0 = pc()
            canonical = canonical_profile_url(url)
            t1 = pc()
            row = db.query_one("SELECT contact_id FROM identities WHERE platform = ? AND url = ?",
                               (canonical.platform, canonical.url))
            t2 = pc()
            parts["canonical_profile_url"].append(t1 - t0)
            parts["identity_query"].append(t2 - t1)
            if row is None:
                continue
            cid = row[0]
            t0 = pc()
            suggest.next_followup(db, cid)
            parts["next_followup"].append(pc() - t0)
            t0 = pc()
            contacts.get_summary(db, cid)
            parts["get_summary"].append(pc() - t0)
            # the queries of contacts._summary_fields, one by one (same SQL)
            for name, sql in (
                ("summary.contact_row", "SELECT * FROM contacts WHERE id = ?"),
                ("summary.identities", "SELECT platform, url, handle FROM identities"
                 " WHERE contact_id = ? ORDER BY id"),
                ("summary.last_interaction", "SELECT occurred_at, platform, direction, kind, text"
                 " FROM interactions WHERE contact_id = ? ORDER BY occurred_at DESC, id DESC"
                 " LIMIT 1"),
                ("summary.note_count", "SELECT COUNT(*) FROM notes WHERE contact_id = ?"),
                ("summary.tags", "SELECT t.name FROM contact_tags ct JOIN tags t"
                 " ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE"),
            ):
                t0 = pc()
                db.query_all(sql, (cid,))
                parts[name].append(pc() - t0)
    finally:
        db.close()
    return {k: stats_ms(v) for k, v in parts.items() if v}


def wait_until_warm(server, timeout: float = 180.0) -> float:
    """Seconds until the companion says it is warm (GET /api/v1/status: today's daily jobs ran
    and the caches a lookup uses are built, companion/jobs.py): the bench measures lookups,
    not lookups racing the tier refresh and the cache builds."""
    import http.client
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.request("GET", "/api/v1/status",
                         headers={"Authorization": f"Bearer {server.token}"})
            if json.loads(conn.getresponse().read()).get("warm"):
                return time.perf_counter() - t0
        finally:
            conn.close()
        time.sleep(0.1)
    raise RuntimeError("the companion did not get warm")


# -- main -------------------------------------------------------------------------------------

def add_network_args(parser: argparse.ArgumentParser) -> None:
    for name, default in gen_network.DEFAULTS.items():
        parser.add_argument("--" + name.replace("_", "-"), type=int, default=default)


def network_params(args: argparse.Namespace) -> dict:
    return {name: getattr(args, name) for name in gen_network.DEFAULTS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="lookup latency through the real server")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--heavy-requests", type=int, default=500)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--plain", action="store_true",
                        help="the network without follow-up texts and facts (lookups then "
                             "carry a next follow-up with nothing to draft from)")
    add_network_args(parser)
    args = parser.parse_args(argv)
    t_start = time.perf_counter()

    # the summary carries the next follow-up: measured where people have facts to draft from
    extra = {} if args.plain else {"followup": True, "facts": True}
    data_dir = gen_network.ensure_network(OUT, **network_params(args), **extra)
    truth = load_truth(data_dir)
    rng = random.Random(7)
    warm = workload(rng, truth, args.warmup)
    work = workload(rng, truth, args.requests)
    heavy_truth = heaviest(data_dir / "goen.sqlite3", truth)
    heavy = [(variant(rng, p, u), c) for c, p, u in
             (rng.choice(heavy_truth) for _ in range(args.heavy_requests))]

    t0 = time.perf_counter()
    server = start_server(data_dir, timeout=60)
    startup_s = time.perf_counter() - t0
    daily_s = wait_until_warm(server)
    client = Client(server)
    try:
        st, first, first_ns = client.request("GET", lookup_path(work[0][0]))
        run_lookups(client, warm)
        main_pass = run_lookups(client, work)
        heavy_pass = run_lookups(client, heavy, with_status=False)
        rss = proc_status(server.process.pid)
    finally:
        client.close()
        stop_server(server)
    breakdown = in_process(data_dir / "goen.sqlite3", work)

    lookups = stats_ms(main_pass["known"] + main_pass["unknown"])
    status = stats_ms(main_pass["status"])
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": machine(),
        "network": json.loads((data_dir / gen_network.MANIFEST).read_text()),
        "server_startup_s": startup_s,
        "daily_jobs_s": daily_s,
        "first_lookup_ms": first_ns / 1e6,
        "lookup": lookups,
        "lookup_known": stats_ms(main_pass["known"]),
        "lookup_unknown": stats_ms(main_pass["unknown"]),
        "lookup_heaviest20": stats_ms(heavy_pass["known"]),
        "status": status,
        "ratio_p50": lookups["p50"] / status["p50"],
        "ratio_p99": lookups["p99"] / status["p99"],
        "errors": main_pass["errors"] + heavy_pass["errors"],
        "server_rss_mb": rss,
        "in_process": breakdown,
        "target_p99_ms": TARGET_P99_MS,
        "elapsed_s": time.perf_counter() - t_start,
    }
    path = save_result("lookup", result)

    print(f"server started in {startup_s:.2f} s; warm (daily jobs, caches) {daily_s:.1f} s later; "
          f"first lookup {first_ns / 1e6:.1f} ms")
    print(f"lookup (all)      {fmt(lookups)}")
    print(f"lookup (known)    {fmt(result['lookup_known'])}")
    print(f"lookup (unknown)  {fmt(result['lookup_unknown'])}")
    print(f"lookup (heaviest) {fmt(result['lookup_heaviest20'])}")
    print(f"status baseline   {fmt(status)}")
    print(f"lookup / status: p50 {result['ratio_p50']:.2f}x, p99 {result['ratio_p99']:.2f}x")
    print("in process (contacts.lookup pieces):")
    for name, s in breakdown.items():
        print(f"  {name:26s} p50 {s['p50']:.3f}  p99 {s['p99']:.3f} ms")
    print(f"server resident: {rss}")
    verdict = "MET" if lookups["p99"] < TARGET_P99_MS else "MISSED"
    print(f"target p99 < {TARGET_P99_MS} ms: {verdict} (p99 {lookups['p99']:.2f} ms)")
    if result["errors"]:
        print(f"{len(result['errors'])} WRONG ANSWERS, first ones:")
        for e in result["errors"][:10]:
            print("  " + e)
    print(f"results in {path}; bench took {result['elapsed_s']:.0f} s")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
