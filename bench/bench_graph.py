#!/usr/bin/env python3
"""The network graph at full size (issue 7): build_graph, graph_json, warm paths, and the
browser's first frame.

    .venv/bin/python bench/bench_graph.py [--paths 200] [--no-browser]

The full-size network with follow-up texts and facts (bench/gen_network.py, the one the other
benches use) is copied with SQLite's backup API into a temporary folder; the copy gets the
latest migrations and its events and links (gen_network.add_network_links, about 50,000 links
in all), so the cached network is never written to. Then, in this process:

1. ``tie_strengths``: one GROUP BY over the million interactions;
2. ``build_graph`` cold (no cache): tie strengths, links, Louvain communities, layout; then
   the communities and the layout alone, on the same links;
3. ``build_graph`` warm (the cached graph, a new stamp check, the dataclasses), unfiltered and
   filtered;
4. ``graph_json`` + ``json.dumps`` as GET /api/v1/network does: time and size (and gzip);
5. ``warm_paths(k=3)`` to ``--paths`` random people: the first call (builds the path graph)
   and then p50 / p99;
6. unless ``--no-browser``: the vendored sigma.js page in headless Chromium (Debian's
   /usr/bin/chromium, software WebGL) loading that JSON: time to the first drawn frame, and a
   filter and a recolouring.

Results go to stdout and bench/out/results-graph.json.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import random
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import OUT, ROOT, machine, percentile, save_result  # noqa: E402
import gen_network  # noqa: E402

from companion.db import Database  # noqa: E402
from companion.services import network  # noqa: E402

TARGETS = {"build_graph + graph_json warm (s)": 0.5, "layout (s)": 2.0,
           "browser first frame (s)": 3.0}


def copy_network(tmp: Path) -> tuple[Path, float]:
    params = {**gen_network.DEFAULTS, "followup": True, "facts": True}
    source = OUT / gen_network.params_key(params)
    if not (source / gen_network.MANIFEST).exists():
        source = gen_network.ensure_network(OUT, followup=True, facts=True)
    t0 = time.perf_counter()
    src = sqlite3.connect(f"file:{source / 'goen.sqlite3'}?mode=ro", uri=True)
    dst = sqlite3.connect(tmp / "goen.sqlite3")
    src.backup(dst)
    dst.close()
    src.close()
    return tmp / "goen.sqlite3", time.perf_counter() - t0


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - t0


def browser_frame(json_bytes: bytes) -> dict:
    """Serve the vendored page and the JSON on a loopback port; time the first frame."""
    from playwright.sync_api import sync_playwright
    static = ROOT / "companion" / "web" / "static"
    with tempfile.TemporaryDirectory(prefix="goen-graph-page-") as folder:
        root = Path(folder)
        (root / "network.json").write_bytes(json_bytes)
        (root / "static").symlink_to(static)
        (root / "index.html").write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>graph</title>"
            "<link rel='icon' href='data:,'><style>#c{width:1200px;height:800px}</style></head>"
            "<body><div id='c'></div>"
            "<script src='/static/vendor/graphology-0.26.0/graphology.umd.min.js'></script>"
            "<script src='/static/vendor/sigma-3.0.3/sigma.min.js'></script>"
            "<script src='/static/graph.js'></script><script src='/page.js'></script>"
            "</body></html>")
        (root / "page.js").write_text(
            "window.t0 = performance.now();"
            "fetch('/network.json', {credentials: 'same-origin'}).then(r => r.json())"
            ".then(data => { window.tFetched = performance.now();"
            " window.handle = GoenGraph.mount(document.getElementById('c'), data, {});"
            " window.tMounted = performance.now();"
            " requestAnimationFrame(() => { window.tDrawn = performance.now(); }); })"
            ".catch(e => { window.err = String(e); });")

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        errors: list[str] = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium",
                    args=["--headless=new", "--no-first-run", "--disable-background-networking",
                          "--disable-component-update", "--enable-unsafe-swiftshader"])
                page = browser.new_page()
                page.on("console", lambda m: errors.append(m.text) if m.type == "error"
                        else None)
                page.on("pageerror", lambda e: errors.append(str(e)))
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/index.html")
                page.wait_for_function("window.tDrawn || window.err", timeout=60_000)
                wall = time.perf_counter() - t0
                inside = page.evaluate("[window.tFetched - window.t0, window.tMounted - window.t0,"
                                       " window.tDrawn - window.t0, window.err || null]")
                # again in the running browser (the first navigation also starts Chromium's
                # renderer and its software GL)
                t0 = time.perf_counter()
                page.reload()
                page.wait_for_function("window.tDrawn || window.err", timeout=60_000)
                again = time.perf_counter() - t0
                inside_again = page.evaluate("window.tDrawn - window.t0")
                t1 = time.perf_counter()
                page.evaluate("handle.setFilter({tiers: ['inner', 'close']})")
                filter_s = time.perf_counter() - t1
                t1 = time.perf_counter()
                page.evaluate("handle.setColourBy('community')")
                colour_s = time.perf_counter() - t1
                canvases = page.evaluate("document.querySelectorAll('#c canvas').length")
                browser.close()
        finally:
            server.shutdown()
    return {"goto_to_first_frame_s": round(wall, 3),
            "reload_to_first_frame_s": round(again, 3),
            "reload_first_frame_ms": round(inside_again, 1),
            "fetch_ms": round(inside[0], 1), "mounted_ms": round(inside[1], 1),
            "first_frame_ms": round(inside[2], 1), "error": inside[3],
            "filter_s": round(filter_s, 3), "recolour_s": round(colour_s, 3),
            "canvases": canvases, "console_errors": errors[:5]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="network graph and warm paths at full size")
    parser.add_argument("--paths", type=int, default=200, help="warm_paths targets")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args(argv)
    result: dict = {"machine": machine()}
    with tempfile.TemporaryDirectory(prefix="goen-bench-graph-") as folder:
        path, copy_s = copy_network(Path(folder))
        db = Database(path)
        _, migrate_s = timed(db.migrate)
        added, links_s = timed(gen_network.add_network_links, db, gen_network.DEFAULTS["seed"])
        counts = {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
                  for t in ("contacts", "interactions", "events", "event_people",
                            "contact_links")}
        result["setup"] = {"copy_s": round(copy_s, 2), "migrate_s": round(migrate_s, 2),
                           "add_network_links_s": round(links_s, 2), "added": added,
                           "counts": counts}
        print(f"copy {copy_s:.1f} s, migrate {migrate_s:.1f} s, events and links "
              f"{links_s:.1f} s; {counts}")

        # 1-2. cold
        ties, ties_s = timed(network.tie_strengths, db)
        network.clear_cache()
        graph, cold_s = timed(network.build_graph, db)
        full = network._full(db)
        # Louvain alone, on the links as the build has them (it runs inside the worker)
        from companion.services.network_build import KINDS as _KINDS, _Link
        links = {}
        for j, (a, b) in enumerate(zip(full.link_a, full.link_b)):
            link = links[(a, b)] = _Link()
            for i, kind in enumerate(_KINDS):
                if full.link_mask[j] >> i & 1:
                    link.add(kind, full.link_w[i][j], None)
        _, communities_s = timed(network._communities, full.ids, full.index, links)
        del links
        _, layout_s = timed(network._layout, full.ids, full.strength, full.community,
                            full.communities)
        kinds: dict[str, int] = {}
        for edge in graph.edges:
            kinds[edge.kind] = kinds.get(edge.kind, 0) + 1
        sizes = sorted((full.community.count(c) for c in range(full.communities)), reverse=True)
        result["cold"] = {"tie_strengths_s": round(ties_s, 3),
                          "build_graph_cold_s": round(cold_s, 3),
                          "louvain_s": round(communities_s, 3), "layout_s": round(layout_s, 3),
                          "nodes": len(graph.nodes), "edges": len(graph.edges),
                          "edges_by_kind": kinds, "communities": full.communities,
                          "largest_communities": sizes[:5],
                          "people_without_links": full.community.count(-1)}
        print(f"tie strengths {ties_s:.2f} s; build_graph cold {cold_s:.2f} s (Louvain "
              f"{communities_s:.2f} s, layout {layout_s:.3f} s); {len(graph.nodes):,} nodes, "
              f"{len(graph.edges):,} edges {kinds}; {full.communities} communities")

        # 3-4. warm, and the JSON
        warm, dumps, sizes_b = [], [], 0
        for _ in range(7):
            g, s = timed(network.build_graph, db)
            warm.append(s)
            t0 = time.perf_counter()
            body = json.dumps(network.graph_json(g), ensure_ascii=False,
                              separators=(",", ":")).encode("utf-8")
            dumps.append(time.perf_counter() - t0)
            sizes_b = len(body)
        warm.sort()
        dumps.sort()
        gz = len(gzip.compress(body, 6))
        filtered = {}
        for name, kwargs in (("tier inner+close", {"tier": ["inner", "close"]}),
                             ("kinds mutual+introduced_by",
                              {"kinds": ["mutual", "introduced_by"]}),
                             ("min_strength 0.3", {"min_strength": 0.3})):
            g, s = timed(network.build_graph, db, **kwargs)
            filtered[name] = {"s": round(s, 3), "nodes": len(g.nodes), "edges": len(g.edges)}
        result["warm"] = {"build_graph_warm_p50_s": round(warm[3], 3),
                          "graph_json_dumps_p50_s": round(dumps[3], 3),
                          "build_graph + graph_json warm (s)": round(warm[3] + dumps[3], 3),
                          "json_bytes": sizes_b, "json_gzip_bytes": gz, "filtered": filtered}
        print(f"build_graph warm p50 {warm[3] * 1000:.0f} ms; graph_json + dumps p50 "
              f"{dumps[3] * 1000:.0f} ms; JSON {sizes_b / 1e6:.2f} MB ({gz / 1e6:.2f} MB gzip)"
              f"; filtered {filtered}")

        # 5. warm paths
        rng = random.Random(5)
        targets = rng.sample(full.ids, min(args.paths, len(full.ids)))
        _, first_s = timed(network.warm_paths, db, targets[0], 3)
        times, found, lengths = [], 0, []
        for target in targets[1:]:
            paths, s = timed(network.warm_paths, db, target, 3)
            times.append(s * 1000)
            found += bool(paths)
            lengths += [len(p.people) for p in paths]
        times.sort()
        result["warm_paths"] = {
            "first_call_s": round(first_s, 3), "n": len(times),
            "p50_ms": round(percentile(times, 50), 1), "p99_ms": round(percentile(times, 99), 1),
            "max_ms": round(times[-1], 1), "targets_with_a_path": found,
            "mean_people_per_path": round(sum(lengths) / max(1, len(lengths)), 2)}
        print(f"warm_paths k=3: first call {first_s:.2f} s, then p50 "
              f"{percentile(times, 50):.0f} ms, p99 {percentile(times, 99):.0f} ms "
              f"({found}/{len(times)} targets reachable)")
        db.close()

        # 6. the browser
        if not args.no_browser:
            try:
                result["browser"] = browser_frame(body)
                b = result["browser"]
                print(f"browser: first frame {b['first_frame_ms']:.0f} ms after navigation "
                      f"(fetch {b['fetch_ms']:.0f} ms, mount {b['mounted_ms']:.0f} ms), "
                      f"goto→frame {b['goto_to_first_frame_s']:.2f} s, reload→frame "
                      f"{b['reload_to_first_frame_s']:.2f} s; filter "
                      f"{b['filter_s']:.2f} s, recolour {b['recolour_s']:.2f} s; "
                      f"errors {b['console_errors']}")
            except Exception as error:   # no chromium here: the rest still stands
                result["browser"] = {"error": repr(error)}
                print(f"browser step skipped: {error!r}")
    result["targets"] = TARGETS
    print(f"results: {save_result('graph', result)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
