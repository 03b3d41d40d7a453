"""Reading facts in worker processes (reader_pool.py) gives what reading here gives."""

from __future__ import annotations

import os
from dataclasses import asdict

from companion.services.followup import reader_pool, status
from companion.services.followup.reader_pool import ReaderPool, read_serially

ITEMS = [
    ("I'll send you the slides by Friday.", "out", "2026-11-02T09:00:00.000Z", None),
    ("来週資料をお送りします。", "in", "2026-11-03T01:00:00.000Z", None),
    ("Are you coming to the conference on March 3?", "in", "2026-11-04T10:00:00.000Z", None),
    ("Thanks!", "both", "2026-11-05T10:00:00.000Z", None),
    ("明日までにご連絡します。", "out", "2026-11-05T10:00:00.000Z", "2026-11-05T19:00:00+09:00"),
    ("I sent you the slides yesterday.", "out", "2026-11-06T10:00:00.000Z", None),
]


def plain(results):
    return [[asdict(f) for f in facts] for facts in results]


def test_workers_read_the_same_facts_ahead_and_on_demand(monkeypatch):
    monkeypatch.setattr(reader_pool, "MIN_PARALLEL", 1)
    monkeypatch.setattr(reader_pool, "CHUNK", 2)
    expected = plain(read_serially(ITEMS))
    assert any(expected)   # the items do hold facts
    with ReaderPool(workers=2) as reader:
        reader.prefetch(ITEMS[:3])
        assert len(reader._ahead) == 3 and reader._pool is not None
        # asked for all (three read ahead, two not, one twice): same order, same facts
        got = reader([*ITEMS, ITEMS[0]])
        assert plain(got) == expected + [expected[0]]
        assert reader._ahead == {}        # what was read ahead is handed over once
        # the workers yield the CPU to the importing process, which writes everything
        if hasattr(os, "nice"):   # POSIX
            assert reader._pool.submit(os.nice, 0).result() == \
                min(os.nice(0) + reader_pool.READER_NICENESS, 19)   # 19: the lowest priority
        # and whether each message reports something done, for the status refresh after it
        assert status._KNOWN_REPORTS[ITEMS[0][0]] is False
        assert status._KNOWN_REPORTS[ITEMS[5][0]] is True
    assert reader._pool is None
    status._KNOWN_REPORTS.clear()


def test_remembered_report_answers_are_the_ones_read_here():
    from companion.services.followup.status import reports_something_done
    texts = ["I sent you the slides yesterday.", "資料をお送りしました。", "Thanks!"]
    assert [reports_something_done(t) for t in texts] == [True, True, False]


def test_small_batches_and_one_cpu_stay_in_this_process():
    with ReaderPool(workers=1) as reader:
        reader.prefetch(ITEMS)
        assert plain(reader(ITEMS)) == plain(read_serially(ITEMS))
        assert reader._pool is None
    with ReaderPool(workers=2) as reader:
        assert plain(reader(ITEMS)) == plain(read_serially(ITEMS))   # below MIN_PARALLEL
        assert reader._pool is None
