"""One MeCab tagger shared by every thread: sentences read at the same time from many threads
come out exactly as read one by one (a tagger keeps one lattice; morph.py holds a lock)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from companion.services.followup import morph

SENTENCES = ["資料は明日までにお送りします。", "来月、大阪で登壇することになりました。",
             "機械学習とクラフトビールが好きです。", "確認して折り返しご連絡いたします。"] * 25


def test_threads_share_one_tagger_without_mixing_sentences():
    alone = [morph.tokens(s) for s in SENTENCES]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(morph.tokens, SENTENCES))
    assert together == alone
    assert [t.surface for t in alone[0]][:3] == ["資料", "は", "明日"]
    assert morph._TAGGER is not None
