#!/usr/bin/env python3
"""Time until each page of the web view is usable in headless Chromium (issue 7; DESIGN.md:
under 1 s at 10,000 contacts, and the network of 10,000 people and ~50,000 links interactive
under 3 s).

    .venv/bin/python bench/bench_web.py [--runs 5]

The full-size network (bench/gen_network.py, with follow-up facts, events and links; reused
from bench/out/) is copied to a scratch folder and served by the real companion. Debian's
Chromium (Playwright, headless; every host name but loopback unresolvable) opens the web view
through a real launch link, then each page in turn, ``--runs`` times:

* Today, Contacts, a person (the busiest contact, and a random one), Settings: from
  ``page.goto`` until the page's own content is visible (a selector per page below);
* Contacts search: typing a reading until the list shows the match (the live search);
* Network: from ``page.goto`` until the graph has drawn (``data-ready`` set by network.js
  after sigma's first render, then one animation frame; the canvas is then checked not to be
  blank, untimed);
* the path finder: asking for a path until the paths are shown.

Console errors are counted on every page (a page with one fails the bench). Results go to
stdout and bench/out/results-web.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, Client, machine, save_result, start_server, stop_server  # noqa: E402
import bench_lookup  # noqa: E402
import gen_network  # noqa: E402

from tests.extension.browser import chromium_path  # noqa: E402
from tests.web.test_lists_browser import distinct_pixels  # noqa: E402

TARGET_PAGE_S = 1.0
TARGET_GRAPH_S = 3.0

# what "usable" means on each page: its own content is visible
READY = {
    "today": '[data-testid="today-suggestions"]',
    "contacts": '[data-testid="contact-row"]',
    "person (busiest)": "h1",
    "person (random)": "h1",
    "settings": "form",
}

# the page's script sets data-ready once sigma has drawn the graph; one animation frame more
# and it is on screen
_GRAPH_DRAWN = """() => new Promise(done => {
  const ready = () => document.querySelector('[data-testid="network-graph"]')
    ?.dataset.ready === 'true';
  const check = () => ready() ? requestAnimationFrame(() => done(true)) : setTimeout(check, 20);
  check();
})"""


def pick_people(db_path: Path, rng: random.Random) -> tuple[int, int, str]:
    """The busiest contact, a random one, and a reading to search for."""
    conn = sqlite3.connect(str(db_path))
    busiest = conn.execute("SELECT contact_id FROM interactions GROUP BY contact_id"
                           " ORDER BY COUNT(*) DESC LIMIT 1").fetchone()[0]
    count = conn.execute("SELECT MAX(id) FROM contacts").fetchone()[0]
    other = rng.randint(1, count)
    reading = conn.execute("SELECT reading FROM contacts WHERE reading IS NOT NULL"
                           " AND length(reading) >= 4 ORDER BY id LIMIT 1 OFFSET ?",
                           (rng.randint(0, 500),)).fetchone()
    conn.close()
    return busiest, other, (reading[0] if reading else "")


def timed(context, url: str, ready: str, errors: list) -> float:
    """Seconds from opening ``url`` in a new tab until ``ready`` is visible. A new tab each
    time: leaving the network page costs the browser a second or more of tearing down its
    WebGL scene without a GPU, which is not the next page's time."""
    page = context.new_page()
    watch(page, errors)
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(ready, state="visible", timeout=60_000)
        return time.perf_counter() - t0
    finally:
        page.close()


def watch(page, errors: list) -> None:
    page.on("console", lambda m: errors.append(f"{page.url}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    bench_lookup.add_network_args(parser)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    source = gen_network.ensure_network(OUT, **bench_lookup.network_params(args),
                                        followup=True, facts=True)
    scratch = OUT / "web-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    data_dir = scratch / "data"
    data_dir.mkdir(parents=True, mode=0o700)
    for name in ("goen.sqlite3", "goen.sqlite3-wal"):
        if (source / name).exists():
            shutil.copy2(source / name, data_dir / name)
    rng = random.Random(5)
    busiest, other, reading = pick_people(data_dir / "goen.sqlite3", rng)
    times: dict[str, list[float]] = {}
    errors: list[str] = []
    server = start_server(data_dir, timeout=60)
    try:
        bench_lookup.wait_until_warm(server)
        client = Client(server)
        base = f"http://127.0.0.1:{server.port}"
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=chromium_path(),
                # WebGL without a GPU: SwiftShader (tests/web/conftest.py says why)
                args=["--headless=new", "--enable-unsafe-swiftshader", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update",
                      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            watch(page, errors)
            status, body, _ = client.request("POST", "/api/v1/launch", b"{}")
            page.goto(json.loads(body)["url"])          # the session cookie
            pages = {"today": "/", "contacts": "/contacts",
                     "person (busiest)": f"/contacts/{busiest}",
                     "person (random)": f"/contacts/{other}", "settings": "/settings"}
            for _ in range(args.runs):
                for name, path in pages.items():
                    times.setdefault(name, []).append(timed(context, base + path,
                                                            READY[name], errors))
                if reading:
                    page.goto(base + "/contacts")
                    page.wait_for_selector(READY["contacts"])
                    t0 = time.perf_counter()
                    page.fill('[data-testid="contact-q"]', reading)
                    page.wait_for_function(
                        "(r) => { const rows = document.querySelectorAll("
                        "'[data-testid=\"contact-row\"] .reading');"
                        " return rows.length > 0 && Array.from(rows).every("
                        "e => e.textContent.includes(r)); }", arg=reading, timeout=60_000)
                    times.setdefault("contacts search (live)", []).append(
                        time.perf_counter() - t0)
                t0 = time.perf_counter()
                page.goto(base + "/network", wait_until="commit")
                page.wait_for_function(_GRAPH_DRAWN, timeout=120_000)
                times.setdefault("network (graph drawn)", []).append(time.perf_counter() - t0)
                # not timed: the canvas really shows something (a blank one has a few colours)
                drawn = distinct_pixels(page.locator("#graph").screenshot())
                if drawn <= 30:
                    errors.append(f"the network canvas looks blank ({drawn} colours)")
                t0 = time.perf_counter()
                target = page.evaluate(
                    "() => fetch('/web/contacts.json?limit=1&sort=recent').then(r => r.json())"
                    ".then(a => a.rows[0].display_name)")
                page.fill('[data-testid="reach-input"]', target)
                page.click('[data-testid="reach-go"]')
                page.wait_for_function(
                    "() => document.querySelector('[data-testid=\"reach-paths\"]').children"
                    ".length > 0 || document.querySelector('[data-testid=\"reach-status\"]')"
                    ".textContent.length > 0", timeout=60_000)
                times.setdefault("path finder", []).append(time.perf_counter() - t0)
            browser.close()
        client.close()
    finally:
        stop_server(server)
        shutil.rmtree(scratch, ignore_errors=True)

    result = {"date": time.strftime("%Y-%m-%d"), "machine": machine(),
              "network": json.loads((source / gen_network.MANIFEST).read_text())["counts"],
              "runs": args.runs, "console_errors": errors[:20],
              "seconds": {name: {"p50": sorted(v)[len(v) // 2], "max": max(v), "all": v}
                          for name, v in times.items()}}
    path = save_result("web", result)
    missed = bool(errors)
    for name, s in result["seconds"].items():
        target = TARGET_GRAPH_S if name.startswith("network") else TARGET_PAGE_S
        ok = s["max"] < target if name in READY or name.startswith("network") else True
        missed |= not ok
        print(f"{name:26s} p50 {s['p50']:6.3f} s   max {s['max']:6.3f} s"
              + (f"   target < {target:.0f} s: {'met' if ok else 'MISSED'}"
                 if name in READY or name.startswith("network") else ""))
    print(f"console errors: {len(errors)}" + (f" (first: {errors[0]})" if errors else ""))
    print(f"results in {path}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
