"""Giving pages of read-only file mappings back to the OS (companion/memory.py)."""

from __future__ import annotations

import mmap
import sys

import pytest

from companion import memory
from companion.services.followup import morph

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="madvise and /proc/self/maps are Linux's")


def _rss_file_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("RssFile:"):
                return int(line.split()[1])
    raise AssertionError("no RssFile line")


@linux_only
def test_released_pages_leave_the_resident_set_and_read_back_the_same(tmp_path):
    folder = tmp_path / "dic"
    folder.mkdir()
    path = folder / "big.bin"
    size = 16 * 1024 * 1024
    path.write_bytes(bytes(range(256)) * (size // 256))
    (tmp_path / "other.bin").write_bytes(b"x" * mmap.PAGESIZE)
    with open(path, "rb") as f, open(tmp_path / "other.bin", "rb") as g:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        other = mmap.mmap(g.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            checksum = sum(mapped[i] for i in range(0, size, mmap.PAGESIZE))  # touch every page
            found = memory.file_mappings(str(folder))
            assert len(found) == 1 and found[0][1] == size   # only the file inside the folder
            before = _rss_file_kb()
            memory.release_mappings(found)
            after = _rss_file_kb()
            assert before - after >= 12 * 1024, (before, after)
            assert sum(mapped[i] for i in range(0, size, mmap.PAGESIZE)) == checksum
            assert other[0:1] == b"x"
        finally:
            mapped.close()
            other.close()


def test_nothing_found_in_a_folder_nothing_maps(tmp_path):
    assert memory.file_mappings(str(tmp_path)) == []
    memory.release_mappings([])      # nothing to do, no error
    memory.trim_heap()


@linux_only
def test_the_tagger_reads_the_same_after_its_dictionary_pages_are_released():
    text = "来月の勉強会で登壇します。資料はあとで送ります。"
    before = morph.tokens(text)
    morph.release_pages()
    assert morph._dictionary_maps, "the dictionary's mappings were not found"
    assert morph.tokens(text) == before


@linux_only
def test_the_tagger_releases_its_pages_every_so_many_sentences(monkeypatch):
    released = []
    monkeypatch.setattr(memory, "release_mappings", lambda maps: released.append(len(maps)))
    clock = [1000.0]
    monkeypatch.setattr(morph.time, "monotonic", lambda: clock[0])
    morph.release_pages()
    morph._recent_tokens.cache_clear()    # every sentence below is tagged (none kept yet)
    released.clear()
    for n in range(morph.RELEASE_EVERY * 2 + 1):
        morph.tokens(f"文{n}")
    assert released == []                 # not within a second of the last release
    clock[0] += morph.RELEASE_SECONDS
    morph.tokens("文")                    # a second on, with 33 waiting: released now
    assert len(released) == 1 and all(released)
    clock[0] += morph.RELEASE_SECONDS
    for n in range(morph.RELEASE_EVERY - 1):
        morph.tokens(f"別の文{n}")
    assert len(released) == 1             # not before RELEASE_EVERY sentences
    morph.tokens("最後の文")
    assert len(released) == 2
    morph.tokens("最後の文")               # kept: not tagged again, nothing to release
    assert len(released) == 2


@linux_only
def test_inside_a_batch_the_pages_go_every_so_many_sentences_without_waiting(monkeypatch):
    released = []
    monkeypatch.setattr(memory, "release_mappings", lambda maps: released.append(len(maps)))
    monkeypatch.setattr(morph.time, "monotonic", lambda: 5000.0)     # time stands still
    morph.release_pages()
    morph._recent_tokens.cache_clear()
    released.clear()
    with morph.eager_release():
        for n in range(morph.RELEASE_EVERY * 2):
            morph.tokens(f"文{n}")
    assert len(released) == 2
    for n in range(morph.RELEASE_EVERY * 2):
        morph.tokens(f"外の文{n}")
    assert len(released) == 2             # outside it, not within the second
