"""Giving memory back to the OS after large batches (Linux; elsewhere these do nothing).

The companion runs for days next to a browser, so what a batch (today's list, drafting everyone
ahead, a large capture) leaves behind matters more than how fast it is freed. Two leftovers are
returned here, measured in bench/bench_memory.py:

- pages of read-only file mappings (MeCab's dictionary, morph.py), with
  ``madvise(MADV_DONTNEED)``: for a shared read-only file mapping this only unmaps the pages,
  which stay in the OS file cache and are mapped again on the next read
  (https://man7.org/linux/man-pages/man2/madvise.2.html);
- free memory at the top and inside glibc's heaps, with ``malloc_trim(0)``, which Python's own
  allocator never asks for (https://man7.org/linux/man-pages/man3/malloc_trim.3.html).

And one setting for the server's threads: glibc gives each thread that allocates its own heap
("arena", up to eight per core), and what a thread freed stays in its arena. Each waitress
thread parsing 1 MB captures kept ~12 MB that way (bench/bench_memory.py: 205 MB after twenty
captures, 180 MB with two arenas). ``limit_arenas`` sets M_ARENA_MAX before the threads start
(https://man7.org/linux/man-pages/man3/mallopt.3.html).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import mmap
import os
import sys

log = logging.getLogger(__name__)

_LIBC = None
_LOADED = False


def _libc():
    global _LIBC, _LOADED
    if not _LOADED:
        _LOADED = True
        if sys.platform.startswith("linux"):
            try:
                _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
                _LIBC.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
                _LIBC.madvise.restype = ctypes.c_int
            except (OSError, AttributeError):
                _LIBC = None
    return _LIBC


def file_mappings(folder: str, maps_path: str = "/proc/self/maps") -> list[tuple[int, int]]:
    """(address, length) of each read-only mapping of a file inside ``folder``."""
    if _libc() is None:
        return []
    prefix = os.path.join(os.path.realpath(folder), "")
    found = []
    try:
        with open(maps_path, encoding="utf-8", errors="replace") as maps:
            for line in maps:
                parts = line.split(maxsplit=5)
                if len(parts) < 6 or "w" in parts[1]:
                    continue    # anonymous, or writable: never drop those
                if os.path.realpath(parts[5].strip()).startswith(prefix):
                    start, end = (int(x, 16) for x in parts[0].split("-"))
                    found.append((start, end - start))
    except OSError:
        return []
    return found


def release_mappings(mappings: list[tuple[int, int]]) -> None:
    libc = _libc()
    if libc is None:
        return
    for address, length in mappings:
        if libc.madvise(address, length, mmap.MADV_DONTNEED) != 0:
            log.debug("madvise failed: errno %d", ctypes.get_errno())


M_ARENA_MAX = -8     # glibc's malloc.h


def limit_arenas(count: int = 2) -> bool:
    """At most ``count`` malloc arenas for the whole process (glibc only); whether it was set."""
    libc = _libc()
    mallopt = getattr(libc, "mallopt", None) if libc is not None else None
    return bool(mallopt is not None and mallopt(M_ARENA_MAX, count) == 1)


def trim_heap() -> None:
    """Return glibc's free heap memory to the OS (glibc only)."""
    libc = _libc()
    trim = getattr(libc, "malloc_trim", None) if libc is not None else None
    if trim is not None:
        trim(0)
