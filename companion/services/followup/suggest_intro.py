"""Introductions: one person's stated need meets another person's skill or interest.

A need is read from a fact of theirs (a question, an event or an interest) whose span asks for
someone: "looking for a designer", "do you know anyone who is good at Rust",
「エンジニアを探しています」, 「副業に詳しい方」. An offer is what another contact does or cares about:
their title and headline, the skills and position titles of their career, their bio, and their
interest facts. ``contacts.offer`` is not used: it is what the *user* can offer that person.

The strongest match wins: a title, headline or skill (1.0) over an interest fact (0.6) over a
word in the bio (0.5), then the closer tier, then the more recent two-way exchange.
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date, timedelta

from companion.db import Database
from companion.services.followup.drafts_things import norm
from companion.services.followup.needs import need_in
from companion.services.followup.suggest_model import FactRef

_EN_STOP = frozenset("a an the of and or in on at for to with good great anyone someone".split())

STRONG, INTEREST, BIO = 1.0, 0.6, 0.5
INTEREST_DAYS = 365          # suggest_load.Windows.interest
TIER_ORDER = {"inner": 5, "close": 4, "active": 3, "wide": 2, "dormant": 1}


def need_of(fact: FactRef) -> str | None:
    """What a fact says its writer is looking for, or None."""
    if fact.whose != "them" or fact.kind not in ("question", "event", "interest") \
            or not fact.span:
        return None
    return need_in(fact.span)


_EN_ROLE = re.compile(r"(?:er|or|ist|ant|ent|ian|ect|manager|lead|head|cto|ceo|cfo|coo|vp|pm|"
                      r"partner|advisor|adviser|mentor|agency|firm|studio|freelancer|expert|"
                      r"specialist|person|people|folks)s?$", re.I)
_JA_ROLE = re.compile(r"(?:者|家|士|師|手|員|長|担当|エンジニア|デザイナー|マネージャー|ディレクター|"
                      r"プロデューサー|ライター|カメラマン|コンサルタント|アナリスト|サイエンティスト|"
                      r"リサーチャー|マーケター|プログラマー|スタッフ|パートナー|メンバー|人材|方|人|会社|企業|"
                      r"事務所|CTO|CEO|CFO|PM|PdM)$")


def need_phrase(need: str, lang: str) -> str:
    """"a designer" / "someone who knows Rust"; 「デザイナー」 / 「副業に詳しい方」."""
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", need) or lang == "ja":
        return need if _JA_ROLE.search(need) else f"{need}に詳しい方"
    if _EN_ROLE.search(need):
        if need.endswith("s") and not need.endswith("ss"):
            return need
        return ("an " if need[:1].lower() in "aeiou" else "a ") + need
    return f"someone who knows {need}"


def _words(text: str) -> list[str]:
    return [w.rstrip("s") if len(w) > 3 else w for w in re.findall(r"[a-z0-9+#]+", norm(text))]


@dataclass
class Offer:
    contact_id: int
    text: str                     # what matched, as the person's profile or fact says it
    strength: float
    source: str                   # title | headline | skill | position | interest | bio
    fact_id: int | None = None    # the interest fact it rests on, if any


@dataclass
class _Person:
    id: int
    name: str
    tier: str | None
    last_two_way_at: str
    has_interest: bool = False    # an interest fact: something to tell them about themselves


class _Entry(NamedTuple):
    """One offer text of one person."""

    person: int
    text: str                     # as written
    strength: float
    source: str
    fact_id: int | None


_JA_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


class OfferIndex:
    """Every contact's offer texts, each distinct text normalised once; matches are remembered
    per need."""

    def __init__(self, people: dict[int, _Person], entries: list[_Entry],
                 strings: dict[str, str] | None = None):
        self.people = people
        self.by_text: dict[str, list[_Entry]] = defaultdict(list)
        self._profile_keys: dict[int, list[str]] = defaultdict(list)   # profile texts by person
        # one string object per distinct text: thousands of people share a title or a skill
        # ("Software Engineer", "Python"), and each entry kept its own copy (a third of the
        # index's memory at 10,000 contacts)
        self._strings: dict[str, str] = {} if strings is None else strings
        for entry in entries:
            key = self._string(norm(entry.text))
            self.by_text[key].append(entry)
            if entry.fact_id is None:
                self._profile_keys[entry.person].append(key)
        self.words: dict[str, frozenset[str]] = {}
        self.strong_texts = [t for t, found in self.by_text.items()
                             if any(e.strength == STRONG for e in found)]
        self._strong = set(self.strong_texts)
        self._memo: dict[str, list[tuple[str, bool]]] = {}
        # every distinct text in one string, to find a need with str.find instead of testing
        # each text in turn (bisect maps a position back to its text)
        self._texts_list = list(self.by_text)
        self._starts: list[int] = []
        position = 0
        for text in self._texts_list:
            self._starts.append(position)
            position += len(text) + 1
        self._joined = "\n".join(self._texts_list)
        self._ranked_memo: dict[tuple[str, int], list[_Entry]] = {}

    def _string(self, text: str) -> str:
        return self._strings.setdefault(text, text)

    def add(self, entries: list[_Entry]) -> None:
        """New entries: interest texts of facts stored since the index was built, or the
        profile texts of a contact added or changed since."""
        for entry in entries:
            entry = entry._replace(text=self._string(entry.text))
            key = self._string(norm(entry.text))
            if key not in self.by_text:
                self._starts.append(len(self._joined) + 1 if self._texts_list else 0)
                self._joined = f"{self._joined}\n{key}" if self._texts_list else key
                self._texts_list.append(key)
            if entry.strength == STRONG and key not in self._strong:
                self._strong.add(key)
                self.strong_texts.append(key)
            self.by_text[key].append(entry)
            if entry.fact_id is None:
                self._profile_keys[entry.person].append(key)
            elif entry.person in self.people:
                self.people[entry.person].has_interest = True
        self._memo.clear()
        self._ranked_memo.clear()

    def replace_profiles(self, rows) -> None:
        """Contact rows (``_PROFILE_COLUMNS``) added or changed since the index was built:
        their profile entries replace the old ones (interest entries stay). A text left
        without entries stays in the lookup structures and matches nobody."""
        for r in rows:
            for key in self._profile_keys.pop(r[0], ()):
                self.by_text[key] = [e for e in self.by_text[key]
                                     if not (e.person == r[0] and e.fact_id is None)]
            held = self.people.get(r[0])
            self.people[r[0]] = _Person(r[0], r[1], r[6], r[7],
                                        held.has_interest if held else False)
        self.add([entry for r in rows for entry in _profile_entries(r)])

    def _containing(self, key: str) -> list[str]:
        """The distinct texts that contain ``key``, each once."""
        found: list[str] = []
        last = -1
        at = self._joined.find(key)
        while at >= 0 and key:
            k = bisect.bisect_right(self._starts, at) - 1
            if k != last:
                found.append(self._texts_list[k])
                last = k
            at = self._joined.find(key, at + 1)
        return found

    def _word_set(self, text: str) -> frozenset[str]:
        found = self.words.get(text)
        if found is None:
            found = self.words[text] = frozenset(_words(text))
        return found

    def _texts(self, need: str) -> list[tuple[str, bool]]:
        """(normalised text, strong entries only) of every text that meets ``need``."""
        if need in self._memo:
            return self._memo[need]
        key = norm(need)
        found: list[tuple[str, bool]] = []
        if _JA_SCRIPT.search(need):
            found = [(t, False) for t in self._containing(key)]
            # 「UIデザイナー」 needed, 「デザイナー」 by title: the role matches
            found += [(t, True) for t in self.strong_texts
                      if len(t) >= 3 and t in key and 2 * len(t) >= len(key) and key not in t]
        else:
            need_words = [w for w in _words(need) if w not in _EN_STOP]
            if need_words:
                head = need_words[-1]
                for text in self._containing(head):   # a cheap test first; then whole words
                    have = self._word_set(text)
                    if head in have and 2 * sum(w in have for w in need_words) >= len(
                            need_words):
                        found.append((text, False))
        self._memo[need] = found
        return found

    def _ranked(self, need: str, keep: int) -> list[_Entry]:
        """The ``keep`` best people for a need, anyone: strongest match, closest tier, most
        recent exchange, then the lowest id."""
        best: dict[int, _Entry] = {}
        for text, strong_only in self._texts(need):
            for entry in self.by_text[text]:
                if strong_only and entry.strength != STRONG:
                    continue
                if entry.fact_id is None and not self.people[entry.person].has_interest:
                    continue   # nothing known of them to write from: not the one to ask
                held = best.get(entry.person)
                if held is None or entry.strength > held.strength:
                    best[entry.person] = entry

        def rank(e: _Entry) -> tuple:
            person = self.people[e.person]
            return (e.strength, TIER_ORDER.get(person.tier or "", 0), person.last_two_way_at,
                    -e.person)
        return heapq.nlargest(keep, best.values(), key=rank)

    def match(self, need: str, exclude: set[int], limit: int = 3) -> list[Offer]:
        key = (need, limit + len(exclude))
        # under the module's lock: another thread may be bringing the index up to date
        # (add, replace_profiles), and a match computed before that must not be memoised
        with _LOCK:
            if key not in self._ranked_memo:
                self._ranked_memo[key] = self._ranked(need, limit + len(exclude))
            found = [e for e in self._ranked_memo[key] if e.person not in exclude][:limit]
        return [Offer(e.person, need if e.source == "bio" else e.text, e.strength, e.source,
                      e.fact_id) for e in found]


@dataclass
class _Seen:
    """How far a cached index has read the database."""

    day: date
    contacts: int                 # how many contacts there were
    max_contact: int              # the highest contact id
    updated: str                  # the newest contacts.updated_at
    max_fact: int                 # the highest fact id


_CACHE: "weakref.WeakKeyDictionary[Database, tuple[_Seen, OfferIndex]]" = \
    weakref.WeakKeyDictionary()
_LOCK = threading.Lock()
_PROFILE_COLUMNS = "id, display_name, title, headline, bio, career, tier," \
    " COALESCE(last_two_way_at, '')"


def _one_string(strings: dict[str, str] | None):
    """``setdefault(text, text)`` on the shared strings, or the text itself without them."""
    return strings.setdefault if strings is not None else (lambda text, _: text)


def _profile_entries(r, strings: dict[str, str] | None = None) -> list[_Entry]:
    """A contact row's offer texts: title, headline, career skills and positions, bio.
    ``strings``: one object per distinct text (OfferIndex._strings)."""
    one = _one_string(strings)
    entries = [_Entry(r[0], one(text, text), STRONG, source, None)
               for text, source in ((r[2], "title"), (r[3], "headline")) if text]
    if r[5]:
        try:
            career = json.loads(r[5])
        except ValueError:
            career = {}
        if isinstance(career, dict):
            entries += [_Entry(r[0], one(skill, skill), STRONG, "skill", None)
                        for skill in career.get("skills") or [] if isinstance(skill, str)]
            entries += [_Entry(r[0], one(p["title"], p["title"]), STRONG, "position", None)
                        for p in career.get("positions") or []
                        if isinstance(p, dict) and isinstance(p.get("title"), str)]
    if r[4]:
        entries.append(_Entry(r[0], r[4], BIO, "bio", None))
    return entries


def offer_index(db: Database, today: date, interests: list[tuple] | None = None
                ) -> OfferIndex:
    """The offer index: profiles (title, headline, career skills and positions, bio) and
    their open interest facts of the last ``INTEREST_DAYS`` (``interests`` when the caller read
    them already). Kept per database and brought up to date with what changed since: contacts
    added or updated (a capture) have their profile entries replaced, interest facts stored
    since are added. Rebuilt on a new day or when a contact was deleted. Reading only what
    changed keeps the popup's lookup after a capture quick (a rebuild at 10,000 contacts
    takes most of a second)."""
    count, max_contact, updated, top = db.query_one(
        "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(MAX(updated_at), ''),"
        " (SELECT COALESCE(MAX(id), 0) FROM facts) FROM contacts")
    with _LOCK:
        cached = _CACHE.get(db)
        if cached and cached[0].day == today:
            seen, index = cached
            # every contact seen is still there when the count grew by exactly the number
            # of ids above the last seen; otherwise one was deleted
            added = db.query_one("SELECT COUNT(*) FROM contacts WHERE id > ?",
                                 (seen.max_contact,))[0]
            if count - seen.contacts == added:
                if updated > seen.updated or max_contact > seen.max_contact:
                    index.replace_profiles(db.query_all(
                        f"SELECT {_PROFILE_COLUMNS} FROM contacts WHERE id > ?"
                        " OR updated_at > ?", (seen.max_contact, seen.updated)))
                if top > seen.max_fact:
                    index.add(_interest_entries(index.people, db.query_all(
                        "SELECT contact_id, id, detail FROM facts WHERE id > ?"
                        " AND kind = 'interest' AND whose = 'them' AND status = 'open'"
                        " AND label IS NOT 'need'",
                        (seen.max_fact,))))
                _CACHE[db] = (_Seen(today, count, max_contact, updated, top), index)
                return index
    people: dict[int, _Person] = {}
    entries: list[_Entry] = []
    strings: dict[str, str] = {}
    cursor = db.connect().cursor()
    cursor.row_factory = None    # row by row: the whole table's bios at once is a peak
    for r in cursor.execute(f"SELECT {_PROFILE_COLUMNS} FROM contacts"):
        people[r[0]] = _Person(r[0], r[1], r[6], r[7])
        entries += _profile_entries(r, strings)
    if interests is None:
        since = (today - timedelta(days=INTEREST_DAYS)).isoformat()
        rows = db.query_all(
            "SELECT contact_id, id, detail FROM facts WHERE +kind = 'interest'"
            " AND label IS NOT 'need'"
            " AND whose = 'them' AND status = 'open' AND stated_at >= ?", (since,))
    else:
        rows = interests   # (contact, fact id, detail) rows the caller read already
    entries += _interest_entries(people, rows, strings)
    index = OfferIndex(people, entries, strings)
    with _LOCK:
        _CACHE[db] = (_Seen(today, count, max_contact, updated, top), index)
    return index


def _interest_entries(people: dict[int, _Person], rows,
                      strings: dict[str, str] | None = None) -> list[_Entry]:
    """(contact, fact id, detail) rows of interest facts as offer entries."""
    one = _one_string(strings)
    entries = []
    for contact_id, fact_id, detail in rows:
        person = people.get(contact_id)
        if person is None:
            continue
        person.has_interest = True
        try:
            if isinstance(detail, str):
                detail = json.loads(detail or "{}")
            terms = detail.get("terms") or []
        except (ValueError, AttributeError):
            terms = []
        entries += [_Entry(contact_id, one(term, term), INTEREST, "interest", fact_id)
                    for term in terms if isinstance(term, str)]
    return entries
