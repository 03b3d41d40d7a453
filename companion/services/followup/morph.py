"""Japanese morphology: fugashi (MeCab) with the UniDic-lite dictionary, tokens with offsets.

One tagger for the process, used by one thread at a time: a MeCab tagger keeps one lattice,
so two threads at once would mix their sentences, and each tagger maps the 250 MB dictionary
again (a tagger per thread showed as 80 MB more resident memory per waitress thread,
bench/bench_memory.py). A sentence takes a fraction of a millisecond, so the lock is short.

MeCab reads the dictionary through a read-only shared mapping, and every page a lattice touches
stays in the process's resident set: one short sentence maps ~13 MB of it (the connection
matrix is read all over), a few hundred sentences 55 MB, a day's drafting 100 MB, counted in the
companion's resident memory although it is only a copy of a file the OS already caches. So
every ``RELEASE_EVERY`` sentences (at most once a second), and after each large batch
(``release_pages``), the mapping's pages are given back with ``madvise(MADV_DONTNEED)``: the next sentence maps what it needs again
from the OS cache (~0.7 ms once, measured), and the process keeps only what it is using.
https://man7.org/linux/man-pages/man2/madvise.2.html
"""

from __future__ import annotations

import functools

import contextlib
import threading
import time
from dataclasses import dataclass

from companion import memory

_LOCK = threading.Lock()
_TAGGER = None
# A release every RELEASE_EVERY sentences, but at most one a RELEASE_SECONDS: mapping the pages
# again costs ~4 ms, which a capture or a popup lookup should not pay each time, while a long
# batch (today's list) still gives them back as it goes.
TOKENS_KEPT = 64        # sentences whose tokens are kept (see _recent_tokens)
RELEASE_EVERY = 16
RELEASE_SECONDS = 1.0
_eager = 0                  # batches running that want every release (``eager_release``)
_released_at = 0.0
_since_release = 0
_dictionary_maps: list[tuple[int, int]] = []   # (address, length) of the mapped dictionary


@dataclass(frozen=True)
class Token:
    surface: str
    start: int          # offsets into the text given to tokens()
    end: int
    pos1: str           # 名詞, 動詞, 助動詞, 助詞, 接頭辞, 補助記号, …
    pos2: str           # 普通名詞, 固有名詞, 数詞, 終助詞, 接続助詞, 一般, 非自立可能, …
    pos3: str           # サ変可能, 副詞可能, 助数詞可能, 人名, 地名, …
    cform: str          # 終止形-一般, 連用形-一般, 意志推量形, 未然形-一般, …
    lemma: str          # dictionary form in the dictionary's kanji (為る, 置く)
    base: str           # dictionary form as written (する, おく)


def _tagger():
    """The process's tagger; call with ``_LOCK`` held."""
    global _TAGGER
    if _TAGGER is None:
        import fugashi   # imported on first use: the CLI and the API start faster without it

        _TAGGER = fugashi.Tagger()
        _dictionary_maps[:] = memory.file_mappings(_dictionary_dir())
    return _TAGGER


def _dictionary_dir() -> str:
    import unidic_lite   # the dictionary fugashi's Tagger() loads by default

    return unidic_lite.DICDIR


@contextlib.contextmanager
def eager_release():
    """Within a batch whose peak memory matters (today's list of the whole network), release
    every RELEASE_EVERY sentences without waiting a second (197 MB → 187 MB peak at 10,000
    contacts, bench/bench_memory.py)."""
    global _eager
    with _LOCK:
        _eager += 1
    try:
        yield
    finally:
        with _LOCK:
            _eager -= 1


def release_pages() -> None:
    """Give the dictionary pages the process has mapped back to the OS (see the module's doc);
    called after batches that tag many texts."""
    global _since_release, _released_at
    with _LOCK:
        memory.release_mappings(_dictionary_maps)
        _since_release, _released_at = 0, time.monotonic()


def _field(value: object) -> str:
    return value if isinstance(value, str) and value != "*" else ""


def tokens(text: str) -> list[Token]:
    """The tokens of ``text``; offsets are found by searching each surface from the last end,
    so they are right whatever whitespace MeCab skipped."""
    return list(_recent_tokens(text))


# A message's sentences are tagged by the facts pass and again, just after, by the "reports
# something done" check and the content terms (kept.py, interests.py): the last few are kept.
# Tokens are frozen, so sharing them is safe; small, so the companion's memory does not notice.
@functools.lru_cache(maxsize=TOKENS_KEPT)
def _recent_tokens(text: str) -> tuple[Token, ...]:
    global _since_release, _released_at
    with _LOCK:
        found = _tokens(_tagger(), text)
        _since_release += 1
        if _since_release >= RELEASE_EVERY:
            now = time.monotonic()
            if _eager or now - _released_at >= RELEASE_SECONDS:
                memory.release_mappings(_dictionary_maps)
                _since_release, _released_at = 0, now
        return tuple(found)


def _tokens(tagger, text: str) -> list[Token]:
    out: list[Token] = []
    cursor = 0
    for word in tagger(text):
        surface = word.surface
        if not surface:
            continue
        start = text.find(surface, cursor)
        if start < 0:      # MeCab changed the text (it should not): stop rather than misplace
            break
        end = start + len(surface)
        cursor = end
        feature = word.feature
        lemma = _field(getattr(feature, "lemma", None)) or surface
        base = _field(getattr(feature, "orthBase", None)) or lemma
        out.append(Token(surface, start, end, _field(feature.pos1), _field(feature.pos2),
                         _field(feature.pos3), _field(getattr(feature, "cForm", None)),
                         lemma.split("-")[0], base))
    return out
