#!/usr/bin/env python3
"""Resident memory of the companion at the size DESIGN.md names (target: under 200 MB).

    .venv/bin/python bench/bench_memory.py [--capture-pages 20] [--requests 3000]

The full-size network (bench/gen_network.py, reused from bench/out/) is copied to a scratch
folder, so that the captures below do not change the cached one. The real server is started on
the copy and its VmRSS (now) and VmHWM (peak) are read from /proc/<pid>/status:

1. after start-up (migrations checked, nothing queried yet);
2. after the lookup workload of bench_lookup.py (3,000 lookups + 3,000 status);
3. after walking the whole contact list (GET /api/v1/contacts?limit=200 page by page) and
   500 contact details; then after the network graph (the web view's network page) and 20
   warm paths;
4. after N fresh 1 MB profile captures (bench/linkedin_page.py) through POST /api/v1/captures;
5. after a LinkedIn export (bench_import.py's: 30,000 connections, then N messages) dropped into
   the watched inbox and imported (``--import-messages 0`` leaves it out). A large export is
   imported by a worker process (services/imports/worker.py): this is the companion's share.

After the server stops, ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` gives the same peak as the
kernel accounted it. Results go to stdout and bench/out/results-memory.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (OUT, Client, fmt, machine, proc_status, save_result, start_server,  # noqa
                     stats_ms, stop_server)
import bench_capture  # noqa: E402
import bench_import  # noqa: E402
import bench_lookup  # noqa: E402
import gen_network  # noqa: E402

TARGET_MB = 200.0


def import_through_inbox(data_dir: Path, scratch: Path, messages: int) -> float:
    """bench_import.py's LinkedIn export, its connections then its messages, each moved into
    the running companion's inbox and waited for until it is filed (processed/ or failed/)."""
    staging = scratch / "export"
    staging.mkdir()
    folders = bench_import.write_files(staging, 30_000, messages)
    inbox = data_dir / "inbox"
    t0 = time.perf_counter()
    for folder in folders:
        target = inbox / folder.name
        folder.rename(target)
        deadline = time.monotonic() + 600
        while target.exists():
            if time.monotonic() > deadline:
                raise RuntimeError(f"the inbox did not take {folder.name} within 10 minutes")
            time.sleep(0.5)
        failed = list((inbox / "failed").glob("*")) if (inbox / "failed").exists() else []
        if failed:
            raise RuntimeError(f"the inbox could not import {folder.name}: {failed}")
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="companion resident memory at full size")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--capture-pages", type=int, default=20,
                        help="1 MB profile captures posted in phase 4")
    parser.add_argument("--plain", action="store_true",
                        help="the network without follow-up texts and facts")
    parser.add_argument("--new-day", action="store_true",
                        help="forget the kept next follow-ups and job runs first, as on the "
                             "first start of a day: the server then drafts everyone ahead")
    parser.add_argument("--import-messages", type=int, default=200_000,
                        help="messages in the LinkedIn export dropped into the inbox in phase "
                             "5 (0: no phase 5)")
    bench_lookup.add_network_args(parser)
    args = parser.parse_args(argv)
    t_start = time.perf_counter()

    # with follow-up facts (the default): the companion then holds what issue 6 needs (the
    # offer index, stock sentences, sent messages) and computes today's list
    extra = {} if args.plain else {"followup": True, "facts": True}
    source = gen_network.ensure_network(OUT, **bench_lookup.network_params(args), **extra)
    truth = bench_lookup.load_truth(source)
    scratch = OUT / "memory-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    data_dir = scratch / "data"
    data_dir.mkdir(parents=True, mode=0o700)
    t0 = time.perf_counter()
    for name in ("goen.sqlite3", "goen.sqlite3-wal"):
        if (source / name).exists():
            shutil.copy2(source / name, data_dir / name)
    copy_s = time.perf_counter() - t0
    if args.new_day:
        with sqlite3.connect(data_dir / "goen.sqlite3") as conn:
            conn.execute("DELETE FROM next_followups")
            conn.execute("DELETE FROM job_runs")

    rng = random.Random(11)
    work = bench_lookup.workload(rng, truth, args.requests)
    phases: dict[str, dict] = {}
    server = start_server(data_dir, timeout=60)
    pid = server.process.pid
    client = Client(server)
    try:
        time.sleep(0.5)
        phases["1 after start"] = proc_status(pid)
        bench_lookup.wait_until_warm(server)
        phases["1b warm (daily jobs, caches)"] = proc_status(pid)
        status, today, _ = client.get_json("/api/v1/suggestions?limit=20")
        if status != 200:
            raise RuntimeError(f"today's list answered {status}: {today}")
        phases["1c after today's list"] = proc_status(pid)
        passed = bench_lookup.run_lookups(client, work)
        if passed["errors"]:
            raise RuntimeError(f"wrong lookup answers: {passed['errors'][:3]}")
        phases["2 after lookups"] = proc_status(pid)
        cursor, pages, seen, page_ns = None, 0, 0, []
        while True:
            path = "/api/v1/contacts?limit=200" + (f"&cursor={cursor}" if cursor else "")
            status, page, elapsed = client.get_json(path)
            page_ns.append(elapsed)
            if status != 200:
                raise RuntimeError(f"contacts page answered {status}: {page}")
            pages += 1
            seen += len(page["contacts"])
            cursor = page["next_cursor"]
            if not cursor:
                break
        for cid in rng.sample(range(1, args.contacts + 1), min(500, args.contacts)):
            status, _, _ = client.request("GET", f"/api/v1/contacts/{cid}")
            if status != 200:
                raise RuntimeError(f"contact {cid} answered {status}")
        phases["3 after contact list + details"] = proc_status(pid)
        # the web view's network page: the whole graph (built in a worker process at this
        # size), then "how can I reach…?" for 20 people
        status, _, _ = client.request("GET", "/api/v1/network")
        if status != 200:
            raise RuntimeError(f"the network answered {status}")
        for cid in rng.sample(range(1, args.contacts + 1), 20):
            status, _, _ = client.request("GET", f"/api/v1/network/paths?to={cid}&k=3")
            if status != 200:
                raise RuntimeError(f"warm paths to {cid} answered {status}")
        phases["3b after the network graph + 20 warm paths"] = proc_status(pid)
        status, _, _ = client.request("GET", "/api/v1/contacts?q=%E5%B1%B1%E7%94%B0&limit=50")
        if status != 200:
            raise RuntimeError(f"a contact search answered {status}")
        for n in range(args.capture_pages):
            page = bench_capture.profile_page(marker=f"memory {n}")
            body = bench_capture.body_for(page, n)
            status, data, _ = client.request("POST", "/api/v1/captures", body)
            if status not in (200, 201):
                raise RuntimeError(f"capture answered {status}: {data[:200]!r}")
        phases[f"4 after {args.capture_pages} x 1 MB captures"] = proc_status(pid)
        if args.import_messages:
            seconds = import_through_inbox(data_dir, scratch, args.import_messages)
            phases[f"5 after importing 30,000 connections + {args.import_messages:,} messages"
                   f" from the inbox ({seconds:.0f} s)"] = proc_status(pid)
    finally:
        client.close()
        stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)
    ru_maxrss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    peak = max(p["VmHWM"] for p in phases.values())
    peak_anon = max(p.get("RssAnon", 0) for p in phases.values())
    result = {"date": time.strftime("%Y-%m-%d"), "machine": machine(), "new_day": args.new_day,
              "network": json.loads((source / gen_network.MANIFEST).read_text())["counts"],
              "phases_mb": phases, "contacts_listed": seen, "contact_pages": pages,
              "contact_page_200_ms": stats_ms(page_ns),
              "peak_vmhwm_mb": peak, "peak_rss_anon_mb": peak_anon,
              "ru_maxrss_children_mb": ru_maxrss_mb,
              "target_mb": TARGET_MB, "copy_s": copy_s,
              "elapsed_s": time.perf_counter() - t_start}
    path = save_result("memory-new-day" if args.new_day else "memory", result)
    for name, p in phases.items():
        print(f"{name:36s} VmRSS {p['VmRSS']:6.1f} MB   VmHWM {p['VmHWM']:6.1f} MB   "
              f"anon {p.get('RssAnon', 0):6.1f} MB   file {p.get('RssFile', 0):6.1f} MB")
    print(f"listed {seen:,} contacts in {pages} pages of 200: {fmt(result['contact_page_200_ms'])}")
    print(f"peak (VmHWM) {peak:.1f} MB; ru_maxrss of the stopped server {ru_maxrss_mb:.1f} MB; "
          f"target < {TARGET_MB:.0f} MB: {'MET' if peak < TARGET_MB else 'MISSED'}")
    print(f"largest anonymous (the process's own, RssAnon) {peak_anon:.1f} MB: "
          f"{'under' if peak_anon < TARGET_MB else 'over'} {TARGET_MB:.0f} MB")
    print(f"results in {path}; bench took {result['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
