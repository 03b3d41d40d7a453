"""Fixtures for tests that make the host start a real companion: find those processes by the
temporary data folder they serve, and make sure none outlives its test."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest


def companion_pids(data_dir: Path) -> list[int]:
    """Live `companion serve` processes of this user whose GOEN_DATA_DIR is data_dir (Linux:
    read from /proc, since the host starts them detached and never says their pid)."""
    wanted = f"GOEN_DATA_DIR={data_dir}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone, or not ours
            continue
        if b"companion" in cmdline and b"serve" in cmdline and wanted in environ \
                and state != "Z":
            pids.append(int(entry.name))
    return pids


def _alive(pid: int) -> bool:
    # A detached companion's parent is init (or a subreaper), which reaps it; until then it is
    # a zombie, which counts as ended.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_companions(data_dir: Path, timeout: float = 15.0) -> list[int]:
    """SIGTERM each companion serving data_dir and wait for it to end (SIGKILL after
    timeout); the pids that were running."""
    pids = companion_pids(data_dir)
    for pid in pids:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    return pids


@pytest.fixture
def reap_companions():
    """Register data folders; every companion serving one is stopped after the test."""
    folders: list[Path] = []
    yield folders.append
    for folder in folders:
        stop_companions(folder)
        assert companion_pids(folder) == []
