"""Helpers the benches share: paths, percentiles, the live server, a keep-alive client."""

from __future__ import annotations

import http.client
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.helpers import LiveServer, start_server, stop_server  # noqa: E402,F401


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def stats_ms(samples_ns: list[int]) -> dict:
    values = sorted(v / 1e6 for v in samples_ns)
    return {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99), "max": values[-1] if values else float("nan"),
            "mean": sum(values) / len(values) if values else float("nan")}


def fmt(stats: dict) -> str:
    return (f"n={stats['n']:5d}  p50 {stats['p50']:7.3f}  p95 {stats['p95']:7.3f}  "
            f"p99 {stats['p99']:7.3f}  max {stats['max']:7.3f}  mean {stats['mean']:7.3f} ms")


def machine() -> dict:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "sqlite": __import__("sqlite3").sqlite_version,
            # other work on this 2-core machine skews the numbers: look at this first
            "loadavg_1_5_15": [round(x, 2) for x in os.getloadavg()]}


def proc_status(pid: int) -> dict:
    """VmRSS and VmHWM (peak resident) of a process, in MB, from /proc/<pid>/status, and VmRSS
    split into anonymous memory (RssAnon: the process's own) and file-backed pages (RssFile:
    mapped files, such as the 250 MB UniDic dictionary MeCab maps, which the kernel can drop
    and share)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) / 1024  # kB -> MB
    return out


class Client:
    """One keep-alive HTTP/1.1 connection to the companion, as the extension's service worker
    would hold: right Host, bearer token."""

    def __init__(self, server: LiveServer):
        self.port = server.port
        self.headers = {"Host": f"127.0.0.1:{server.port}",
                        "Authorization": f"Bearer {server.token}",
                        "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, bytes, int]:
        """(status, body, elapsed ns): the whole round trip, response body read."""
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = content_type or "application/json"
            headers["Content-Length"] = str(len(body))
        t0 = time.perf_counter_ns()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter_ns() - t0
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return response.status, data, elapsed

    def get_json(self, path: str) -> tuple[int, dict, int]:
        status, data, elapsed = self.request("GET", path)
        return status, json.loads(data), elapsed

    def close(self) -> None:
        self.conn.close()


def save_result(name: str, result: dict) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"results-{name}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    return path
