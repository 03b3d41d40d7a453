"""Shingles and near-duplicates: has the user already sent (almost) this text to other people?

Shingles are character 3-grams for Japanese (no spaces between words to rely on) and word
3-grams for English, after NFKC, case-folding and masking the recipient's names (so "Hi Emily,
…" and "Hi John, …" are the same template). Two texts are near-duplicates when the Jaccard
similarity of their shingle sets is at least 0.6 (issue 6).

``SentIndex`` keeps the shingles of the user's most recent sent messages in memory, per
database, and finds every one at or above the threshold with prefix filtering (Chaudhuri,
Ganti, Kaushik, "A primitive operator for similarity joins in data cleaning", ICDE 2006): with
one global order of shingles, two sets whose Jaccard is at least t share at least one of their
first |x| − ⌈t·|x|⌉ + 1 shingles, so only those prefixes are indexed and probed, and every
candidate is then measured exactly. No false negatives; shingles are kept as 32-bit hashes in
arrays to keep memory small. The order puts the rarest shingles first (by how many indexed
messages had them when the index was built; unseen ones first of all), so prefixes hold what
is particular to a text and a probe meets few candidates; by hash value, common 3-grams
("11月25日", "for the") filled the prefixes and one probe measured thousands of messages.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import sys
import threading
import weakref
import zlib
from array import array
from collections import defaultdict

from companion.db import Database
from companion.services.followup.drafts_things import norm
from companion.services.followup.lang import detect_lang

NEAR_DUPLICATE = 0.6
# The newest sent messages the guard compares with. A template habit shows in recent messages;
# ~10,000 keeps the index to a few MB however large the history is.
MAX_SENT = 10_000
MASK = "<name>"
_U32 = "I" if array("I").itemsize == 4 else "L"

log = logging.getLogger(__name__)

_JA_DROP = re.compile(r"[\W_]+")
_EN_WORD = re.compile(r"<name>|[\w']+")


def mask_names(text: str, names: list[str]) -> str:
    """Each of ``names`` (longest first) replaced by one mask token, case-blind."""
    out = norm(text)
    for name in sorted({norm(n) for n in names if n and len(n.strip()) >= 2}, key=len,
                       reverse=True):
        out = out.replace(name, MASK)
    return out


def shingle_texts(text: str, lang: str | None = None) -> list[str]:
    """The 3-gram shingles of an already normalised text (see ``mask_names``)."""
    lang = lang or detect_lang(text)
    if lang == "ja":
        chars = _JA_DROP.sub("", text.replace(MASK, "\u3007"))   # 〇: one character per name
        if len(chars) < 3:
            return [chars] if chars else []
        return [chars[i:i + 3] for i in range(len(chars) - 2)]
    words = _EN_WORD.findall(text)
    if len(words) < 3:
        return [" ".join(words)] if words else []
    return [" ".join(words[i:i + 3]) for i in range(len(words) - 2)]


def shingles(text: str, names: list[str] = (), lang: str | None = None) -> frozenset[int]:
    """The text's shingles as 32-bit hashes (CRC-32: the same in every process)."""
    masked = mask_names(text, list(names))
    return frozenset(zlib.crc32(s.encode("utf-8")) for s in shingle_texts(masked, lang))


def jaccard(a: frozenset | set, b: frozenset | set) -> float:
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def prefix(sorted_hashes: list[int] | array, threshold: float) -> list[int] | array:
    n = len(sorted_hashes)
    return sorted_hashes[: n - math.ceil(threshold * n) + 1] if n else sorted_hashes


class SentIndex:
    """The user's newest sent messages, names masked, for near-duplicate look-ups."""

    def __init__(self, threshold: float = NEAR_DUPLICATE, max_sent: int = MAX_SENT):
        self.threshold = threshold
        self.max_sent = max_sent
        self.high_water = 0            # the largest interaction id read so far
        self.sets: dict[int, tuple[int, array]] = {}   # interaction id → (contact, hashes)
        self.postings: dict[int, list[int]] = defaultdict(list)
        self.lock = threading.Lock()
        # shingle → how many messages had it when the index was (re)built: the order of the
        # prefixes, fixed until the next rebuild (indexed and probed sets must share it)
        self.frequency: dict[int, int] = {}
        self._rank: dict[int, int] = {}   # shingle → its place in that order

    def _ordered(self, hashes) -> list[int]:
        """Rarest first: by (frequency, hash), unseen shingles (frequency 0) first of all. The
        order is looked up, not computed per shingle (a fresh index sorts 10,000 sets)."""
        rank = self._rank
        seen = [h for h in hashes if h in rank]
        if len(seen) == len(hashes):
            return sorted(hashes, key=rank.__getitem__)
        return sorted(h for h in hashes if h not in rank) + sorted(seen, key=rank.__getitem__)

    def _count(self, sets) -> None:
        counts: dict[int, int] = defaultdict(int)
        for hashes in sets:
            for h in hashes:
                counts[h] += 1
        self.frequency = dict(counts)
        self._rank = {h: k for k, h in enumerate(sorted(counts, key=lambda h: (counts[h], h)))}

    def _add(self, interaction_id: int, contact_id: int, hashes: frozenset[int]) -> None:
        ordered = array("I", self._ordered(hashes))
        self.sets[interaction_id] = (contact_id, ordered)
        for h in prefix(ordered, self.threshold):
            self.postings[h].append(interaction_id)

    def refresh(self, db: Database) -> None:
        """Read sent messages newer than the last refresh (all of them the first time, up to
        ``max_sent``, newest first by id). Shingles kept in ``sent_shingles`` are used while
        their key matches; the others are computed and kept."""
        top = db.query_one("SELECT MAX(id) FROM interactions")[0] or 0
        if top <= self.high_water:
            return
        rows = db.query_all(
            "SELECT i.id, i.contact_id, i.text, c.display_name, c.family_name, c.given_name,"
            " c.reading, s.text_key, s.hashes FROM interactions i"
            " JOIN contacts c ON c.id = i.contact_id"
            " LEFT JOIN sent_shingles s ON s.interaction_id = i.id"
            " WHERE i.id > ? AND i.direction = 'out' AND i.text IS NOT NULL"
            " ORDER BY i.id DESC LIMIT ?", (self.high_water, self.max_sent))
        found, computed = [], []
        for row in reversed(rows):
            names = [n for n in (row[3], row[4], row[5], row[6], *(row[3] or "").split()) if n]
            key = text_key(row[2], names)
            if row[7] == key and row[8] is not None:
                hashes = frozenset(_unpack(row[8]))
            else:
                hashes = shingles(row[2], names)
                computed.append((row[0], key, _pack(hashes)))
            found.append((row[0], row[1], hashes))
        if computed:
            _keep(db, computed)
        if not self.sets:   # the first read: the order comes from these messages
            self._count(h for _, _, h in found)
        for interaction_id, contact_id, hashes in found:
            self._add(interaction_id, contact_id, hashes)
        self.high_water = top
        if len(self.sets) > 2 * self.max_sent:
            self._rebuild_newest()

    def _rebuild_newest(self) -> None:
        keep = sorted(self.sets)[-self.max_sent:]
        old = self.sets
        self.sets, self.postings = {}, defaultdict(list)
        self._count(old[i][1] for i in keep)
        for interaction_id in keep:
            contact_id, ordered = old[interaction_id]
            self._add(interaction_id, contact_id, frozenset(ordered))

    def similar(self, hashes: frozenset[int], exclude_contact: int | None
                ) -> list[tuple[int, int, float]]:
        """(interaction id, contact id, Jaccard) of sent messages at or above the threshold,
        to anyone but ``exclude_contact``."""
        with self.lock:   # a refresh may be rebuilding the index in another thread
            return self._similar(hashes, exclude_contact)

    def _similar(self, hashes: frozenset[int], exclude_contact: int | None
                 ) -> list[tuple[int, int, float]]:
        if not hashes:
            return []
        seen: set[int] = set()
        out = []
        for h in prefix(self._ordered(hashes), self.threshold):
            for interaction_id in self.postings.get(h, ()):
                if interaction_id in seen:
                    continue
                seen.add(interaction_id)
                contact_id, ordered = self.sets[interaction_id]
                if contact_id == exclude_contact:
                    continue
                score = jaccard(hashes, frozenset(ordered))
                if score >= self.threshold:
                    out.append((interaction_id, contact_id, score))
        return out


def text_key(text: str, names: list[str]) -> int:
    """What a message's shingles depend on: its text and the names masked in it."""
    return zlib.crc32("\x00".join([text, *names]).encode("utf-8", "surrogatepass"))


def _pack(hashes: frozenset[int]) -> bytes:
    values = array(_U32, sorted(hashes))
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def _unpack(blob: bytes) -> array:
    values = array(_U32)
    values.frombytes(blob)
    if sys.byteorder == "big":
        values.byteswap()
    return values


def _keep(db: Database, computed: list[tuple[int, int, bytes]]) -> None:
    """Keep computed shingles for the next process; a cache, so a busy or read-only database
    only costs the next process the same work again."""
    try:
        with db.transaction() as conn:
            conn.executemany("INSERT OR REPLACE INTO sent_shingles (interaction_id, text_key,"
                             " hashes) VALUES (?, ?, ?)", computed)
    except sqlite3.OperationalError as error:
        log.info("sent shingles not kept: %s", error)


_INDEXES: "weakref.WeakKeyDictionary[Database, SentIndex]" = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def sent_index(db: Database) -> SentIndex:
    """The database's index, brought up to date (built on first use)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(db)
        if index is None:
            index = _INDEXES[db] = SentIndex()
    with index.lock:
        index.refresh(db)
    return index
