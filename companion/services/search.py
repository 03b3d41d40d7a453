"""Contact search and listing: the web view's Contacts page and ``GET /api/v1/contacts``.

**What is searched.** Per contact, one text (the view ``contacts_search_raw`` of migration 0010)
holds the name (also without spaces, so 山田太郎 finds 山田 太郎), family + given name, the
reading, organisation, headline, title, location, each identity's handle and display name,
the tags and every note. An FTS5 table with the trigram tokenizer (``contacts_fts``) keeps that
text, normalised; SQL triggers on contacts, identities, notes, contact_tags and tags rewrite a
contact's row whenever anything it is made of changes, so every writer (captures, imports, the
API, the CLI, a hand-made SQL session) keeps it right without knowing about it.

**Normalised text.** The same folding is applied to the stored text (in SQL, by the folding
trigger of migration 0010) and to the query (here, by ``normalise``), from one table
(``FOLD_LEVELS``):

* half-width katakana to full-width (with ﾞ and ﾟ joined: ｶﾞ → が), full-width letters, digits
  and signs to ASCII (ＡＢＣ → ABC), the ideographic space to a space, ㈱ to (株), ① to 1: the
  NFKC mappings that occur in Japanese names, organisations and notes (not all of NFKC: SQLite
  has no Unicode tables; the test checks every entry against ``unicodedata``);
* katakana to hiragana everywhere, not only in readings: ヤマダ, やまだ and ﾔﾏﾀﾞ are one text,
  and so are ゴエン株式会社 and ごえん株式会社;
* combining voiced marks joined (か + U+3099 → が), as macOS writes them;
* ASCII and Latin-1 capitals to small letters (the trigram tokenizer folds the other scripts'
  case itself).

**Matching.** The query is split on spaces; every word must match (AND). A word of three or more
characters is an FTS5 phrase (each word quoted, so ``"``, ``AND``, ``OR``, ``(`` are plain text,
never syntax). Trigrams cannot find one or two characters, which is how most Japanese family
names are typed (山田, 佐藤): such a word is looked for in the stored text itself (``instr``,
anywhere: Japanese has no spaces between words), except one or two ASCII letters or digits,
which match the start of a word (``jo`` finds John, not Major; ``person 1`` finds Person 10 to
Person 19, not Person 21) because anywhere would match nearly everyone. Two letters after a line
break, a space or a sign make a trigram, so those go through the index too; one letter is a
GLOB over the stored text.

**Name order.** ``contacts.sort_key`` (the reading, else the name, case-folded: written by
services/contacts.py) is folded the same way by the same trigger, so readings in katakana,
half-width katakana or hiragana sort together.

**Paging.** Keyset cursors (no OFFSET): the cursor holds the sort and the last row's sort key
and id, and the next page starts after it. Every sort ends with the id, so ties never repeat or
skip a row. Each sort has its index (migration 0010 adds those for recent, added and tier).
"""

from __future__ import annotations

import base64
import functools
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from companion.db import Database
from companion.errors import bad_request
from companion.model import ContactSummary, to_dict
from companion.services import contacts as contacts_service
from companion.services.followup.relationship import NEW_CONTACT_TIER, TIERS

MAX_QUERY_CHARS = 200
MAX_WORDS = 12
MAX_PAGE = 200
MAX_TAG_CHARS = contacts_service.MAX_TAG_CHARS
SORTS = ("name", "recent", "added", "tier")
SITE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SNIPPET_CHARS = 120


# -- the query and its answer ---------------------------------------------------------------------

@dataclass(frozen=True)
class ContactQuery:
    q: str = ""                 # free text (module docstring)
    tier: str | None = None     # inner | close | active | wide | dormant: the effective tier
    site: str | None = None     # an adapter id any of the contact's identities has
    tag: str | None = None
    not_contacted_since: date | None = None   # last two-way exchange before this day, or never
    sort: str = "name"          # name | recent | added | tier
    cursor: str | None = None   # the previous page's next_cursor
    limit: int = 50             # 1..200


@dataclass(frozen=True)
class ContactRow:
    id: int
    display_name: str
    reading: str | None
    headline: str | None
    organisation: str | None
    tier: str                   # the effective tier (a contact not yet rated counts as "wide")
    sites: tuple[str, ...]      # adapter ids of its identities, first seen first, once each
    last_two_way: str | None    # ISO date (UTC) of the last exchange that got an answer
    photo_url: str | None
    tags: tuple[str, ...]
    snippet: str | None         # where q matched, plain text (the page escapes it); None without q
    # which field the snippet comes from: name | reading | organisation | headline | title |
    # location | handle | tag | note (the page may skip a snippet of a field the row shows)
    snippet_field: str | None = None


@dataclass(frozen=True)
class ContactPage:
    rows: tuple[ContactRow, ...]
    total: int                  # how many contacts match, on every page
    next_cursor: str | None


# -- normalisation (one table for the stored text and the query) ---------------------------------

def _to_hiragana(text: str) -> str:
    return "".join(chr(ord(ch) - 0x60) if "\u30a1" <= ch <= "\u30f6" or ch in "\u30fd\u30fe"
                   else ch for ch in text)


def _nfkc_hiragana(text: str) -> str:
    return _to_hiragana(unicodedata.normalize("NFKC", text))


def _build_fold_levels() -> list[list[tuple[str, str]]]:
    """The replacements, in the order they apply. Pairs come before the single characters they
    start with. Split into levels of at most 20, because SQLite's parser cannot nest more
    replace() calls than that in one expression (each level is one UPDATE in the folding
    trigger of migration 0010)."""
    steps: list[list[tuple[str, str]]] = []
    # half-width katakana with a voiced mark, then alone (U+FF61..U+FF9F)
    steps.append([(chr(cp) + mark, _to_hiragana(unicodedata.normalize("NFKC", chr(cp) + mark)))
                  for cp in range(0xFF66, 0xFF9E) for mark in "\uff9e\uff9f"
                  if len(unicodedata.normalize("NFKC", chr(cp) + mark)) == 1])
    steps.append([(chr(cp), _nfkc_hiragana(chr(cp))) for cp in range(0xFF61, 0xFFA0)])
    # full-width ASCII and signs; the ideographic space
    steps.append([(chr(cp), unicodedata.normalize("NFKC", chr(cp)))
                  for cp in [*range(0xFF01, 0xFF61), *range(0xFFE0, 0xFFEF), 0x3000]
                  if unicodedata.normalize("NFKC", chr(cp)) != chr(cp)])
    # katakana → hiragana
    steps.append([(chr(cp), _to_hiragana(chr(cp)))
                  for cp in [*range(0x30A1, 0x30F7), 0x30FD, 0x30FE]])
    # a kana followed by a combining voiced / semi-voiced mark (decomposed text)
    steps.append([(chr(cp) + mark, unicodedata.normalize("NFC", chr(cp) + mark))
                  for cp in range(0x3041, 0x30A0) for mark in "\u3099\u309a"
                  if len(unicodedata.normalize("NFC", chr(cp) + mark)) == 1])
    # circled numbers, ㈱ ㈲ ㈹ ㍿
    steps.append([(chr(cp), unicodedata.normalize("NFKC", chr(cp)))
                  for cp in [*range(0x2460, 0x2474), 0x3231, 0x3232, 0x3239, 0x337F]])
    # Latin-1 capitals (SQLite's lower() knows ASCII only)
    steps.append([(chr(cp), chr(cp).lower()) for cp in range(0xC0, 0xDF) if cp != 0xD7])
    levels = []
    for step in steps:
        for start in range(0, len(step), 20):
            levels.append(step[start:start + 20])
    return levels


FOLD_LEVELS: list[list[tuple[str, str]]] = _build_fold_levels()
_ASCII_LOWER = {cp: cp + 32 for cp in range(ord("A"), ord("Z") + 1)}
# A level changes nothing in a text without the last character of any of its sources: for the
# pairs (か + combining mark, ｶ + ﾞ) that is the mark, far rarer than the kana. (The SQL trigger
# guards on the first characters; either guard gives the same text.)
_GUARDED_LEVELS = [(frozenset(src[-1] for src, _ in level), level) for level in FOLD_LEVELS]
_ALL_FIRSTS = frozenset().union(*(firsts for firsts, _ in _GUARDED_LEVELS))


@functools.lru_cache(maxsize=8192)   # a page folds the same names and organisations often
def normalise(text: str) -> str:
    """The text as migration 0010 stores it (see the module docstring)."""
    if text.isascii() or _ALL_FIRSTS.isdisjoint(text):
        return text.translate(_ASCII_LOWER)
    for firsts, level in _GUARDED_LEVELS:
        if not firsts.isdisjoint(text):      # as the migration's GLOB guard: most text skips
            for src, dst in level:
                if src in text:
                    text = text.replace(src, dst)
    return text.translate(_ASCII_LOWER)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _glob_class(chars: set[str]) -> str:
    inner = "".join(sorted(c for c in chars if c not in "]-^"))
    return ("]" if "]" in chars else "") + inner + ("^" if "^" in chars else "") + (
        "-" if "-" in chars else "")


def fold_trigger_sql() -> str:
    """The trigger of migration 0010 that folds a contact's text, generated from FOLD_LEVELS (a
    test checks the migration holds exactly this). The text waits in contacts_search_queue while
    one UPDATE per level folds it; each UPDATE first asks GLOB whether the text has any of its
    characters, as most text has none. The contact's sort_key is folded on the way too, so
    that the name order puts アベ (or ｱﾍﾞ) with あべ, before いとう. (Nested views would be
    shorter, but SQLite flattens them into one expression that repeats the text once per
    reference: exponential.)"""
    lines = ["CREATE TRIGGER contacts_search_fold AFTER INSERT ON contacts_search_queue",
             "BEGIN"]
    for level in FOLD_LEVELS:
        expr = "t"
        for src, dst in level:
            expr = f"replace({expr}, {_sql_string(src)}, {_sql_string(dst)})"
        guard = _sql_string("*[" + _glob_class({src[0] for src, _ in level}) + "]*")
        lines.append(f"    UPDATE contacts_search_queue SET t = {expr}")
        lines.append(f"        WHERE id = NEW.id AND t GLOB {guard};")
    # the first line is the contact's sort_key, the rest the text to index (from a line break)
    key = ("(SELECT lower(substr(t, 1, instr(t, char(10)) - 1))\n"
           "            FROM contacts_search_queue WHERE id = NEW.id)")
    lines += ["    INSERT INTO contacts_fts (rowid, doc)",
              "        SELECT id, lower(substr(t, instr(t, char(10)))) FROM contacts_search_queue",
              "        WHERE id = NEW.id;",
              f"    UPDATE contacts SET sort_key = {key}",
              f"        WHERE id = NEW.id AND sort_key IS NOT {key};",
              "    DELETE FROM contacts_search_queue WHERE id = NEW.id;",
              "END;"]
    return "\n".join(lines)


# -- reading the request --------------------------------------------------------------------------

def _arg(args: Mapping[str, str], name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None     # an empty form field is no filter


def parse_query(args: Mapping[str, str]) -> ContactQuery:
    """A ContactQuery from request arguments; 400 with ``details.field`` for a bad value."""
    q = args.get("q") or ""
    if len(q) > MAX_QUERY_CHARS:
        raise bad_request(f"The search text is too long ({MAX_QUERY_CHARS} characters at most).",
                          "q")
    tier = _arg(args, "tier")
    if tier is not None and tier not in TIERS:
        raise bad_request(f"tier must be one of {', '.join(TIERS)}.", "tier")
    site = _arg(args, "site")
    if site is not None and not SITE_ID.match(site):
        raise bad_request("site must be an adapter id such as linkedin, x or github.", "site")
    tag = _arg(args, "tag")
    if tag is not None:
        tag = " ".join(tag.split())
        if len(tag) > MAX_TAG_CHARS:
            raise bad_request(f"tag is too long ({MAX_TAG_CHARS} characters at most).", "tag")
    since = _arg(args, "not_contacted_since")
    day = None
    if since is not None:
        try:
            if not ISO_DAY.match(since):
                raise ValueError
            day = date.fromisoformat(since)
        except ValueError:
            raise bad_request("not_contacted_since must be a date, YYYY-MM-DD.",
                              "not_contacted_since") from None
    sort = _arg(args, "sort") or "name"
    if sort not in SORTS:
        raise bad_request(f"sort must be one of {', '.join(SORTS)}.", "sort")
    raw_limit = _arg(args, "limit") or "50"
    try:
        limit = int(raw_limit)
    except ValueError:
        raise bad_request("limit must be a whole number.", "limit") from None
    if not 1 <= limit <= MAX_PAGE:
        raise bad_request(f"limit must be between 1 and {MAX_PAGE}.", "limit")
    cursor = _arg(args, "cursor")
    if cursor is not None:
        _decode_cursor(cursor, sort)     # a bad cursor is the request's fault: say so now
    return ContactQuery(q=q.strip(), tier=tier, site=site, tag=tag, not_contacted_since=day,
                        sort=sort, cursor=cursor, limit=limit)


# -- sorting and cursors --------------------------------------------------------------------------

TIER_RANK = ("CASE COALESCE(c.tier, 'wide') WHEN 'inner' THEN 0 WHEN 'close' THEN 1"
             " WHEN 'active' THEN 2 WHEN 'wide' THEN 3 ELSE 4 END")

# sort → (the key's SQL expressions, ascending?). The expressions are those of the indexes in
# migration 0010 (written the same way, or SQLite would not use them).
_SORT_KEYS: dict[str, tuple[tuple[str, ...], bool]] = {
    "name": (("c.sort_key", "c.id"), True),
    "recent": (("COALESCE(c.last_two_way_at, '')", "c.id"), False),
    "added": (("c.created_at", "c.id"), False),
    "tier": ((TIER_RANK, "c.sort_key", "c.id"), True),
}
_KEY_TYPES = {"name": (str, int), "recent": (str, int), "added": (str, int),
              "tier": (int, str, int)}


def _encode_cursor(sort: str, key: list) -> str:
    raw = json.dumps([sort, *key], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode_cursor(text: str, sort: str) -> list:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        value = json.loads(raw)
        if not isinstance(value, list) or not value or value[0] != sort:
            raise ValueError
        key = value[1:]
        types = _KEY_TYPES[sort]
        if len(key) != len(types) or not all(
                isinstance(v, t) and not isinstance(v, bool) for v, t in zip(key, types)):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        raise bad_request("The cursor is not one this server gave out for this sort.",
                          "cursor") from None
    return key


# -- matching -------------------------------------------------------------------------------------

def query_words(q: str) -> list[str]:
    """The words of a query, normalised; quotes around a word and a leading @ (a handle as
    typed) are dropped."""
    words: list[str] = []
    for word in normalise(q).split():
        # quotes around a word are not part of it (FTS5 syntax is never read: _phrase)
        word = word.strip('"“”')
        word = word.lstrip("@") or word
        if not word:
            continue
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _is_short_latin(word: str) -> bool:
    return word.isascii() and word.isalnum()


# what may come before a word in the stored text (each field starts on a new line)
WORD_STARTS = "\n -_.@/(\"'#,:;&+"


def _phrase(text: str) -> str:
    """An FTS5 string: quoted, so that nothing the user types is query syntax."""
    return '"' + text.replace('"', '""') + '"'


def _match_sql(words: list[str]) -> tuple[str, list]:
    """A condition on ``contacts_fts`` for every word (module docstring: Matching)."""
    phrases, scans, params = [], [], []
    for word in words:
        if len(word) >= 3:
            phrases.append(_phrase(word))
        elif _is_short_latin(word) and len(word) == 2:
            # the start of a word is a trigram too: a line break, a space or a sign, then the
            # two letters
            phrases.append("(" + " OR ".join(_phrase(start + word) for start in WORD_STARTS)
                           + ")")
        elif _is_short_latin(word):
            # one letter or digit: nothing in it needs escaping for GLOB; instr first, as it is
            # quicker than GLOB at saying no
            scans.append("(instr(doc, ?) > 0 AND doc GLOB ?)")
            params += [word, "*[" + _glob_class(set(WORD_STARTS)) + "]" + word + "*"]
        else:
            scans.append("instr(doc, ?) > 0")
            params.append(word)
    conditions = scans
    if phrases:
        conditions = ["contacts_fts MATCH ?", *scans]
        params = [" AND ".join(phrases), *params]
    return " AND ".join(conditions), params


def _where(db: Database, query: ContactQuery, words: list[str]) -> tuple[list[str], list] | None:
    """The filters as SQL conditions on ``contacts c``; None when nothing can match."""
    where, params = [], []
    if words:
        # read the matches once, for both the count and the page
        condition, match_params = _match_sql(words)
        ids = [r[0] for r in db.query_all(
            f"SELECT rowid FROM contacts_fts WHERE {condition}", match_params)]
        if not ids:
            return None
        where.append("c.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    if query.tier is not None:
        # the tier's rank, as the contacts_by_tier index has it
        where.append(f"{TIER_RANK} = ?")
        params.append(TIERS.index(query.tier))
    if query.site is not None:
        where.append("EXISTS (SELECT 1 FROM identities i WHERE i.contact_id = c.id"
                     " AND i.platform = ?)")
        params.append(query.site)
    if query.tag is not None:
        tag = db.query_one("SELECT id FROM tags WHERE name = ?", (query.tag,))
        if tag is None:
            return None
        where.append("c.id IN (SELECT contact_id FROM contact_tags WHERE tag_id = ?)")
        params.append(tag["id"])
    if query.not_contacted_since is not None:
        # stored times are ISO UTC text: '2026-01-04T23:59…' < '2026-01-05' <= '2026-01-05T…'
        where.append("(c.last_two_way_at IS NULL OR c.last_two_way_at < ?)")
        params.append(query.not_contacted_since.isoformat())
    return where, params


def _check(query: ContactQuery) -> None:
    """The same limits as parse_query, for callers that build a ContactQuery themselves."""
    if not 1 <= query.limit <= MAX_PAGE:
        raise bad_request(f"limit must be between 1 and {MAX_PAGE}.", "limit")
    if query.sort not in SORTS:
        raise bad_request(f"sort must be one of {', '.join(SORTS)}.", "sort")
    if query.tier is not None and query.tier not in TIERS:
        raise bad_request(f"tier must be one of {', '.join(TIERS)}.", "tier")
    if len(query.q) > MAX_QUERY_CHARS:
        raise bad_request(f"The search text is too long ({MAX_QUERY_CHARS} characters at most).",
                          "q")


def search_contacts(db: Database, query: ContactQuery) -> ContactPage:
    """One page of the contacts matching ``query``, in its sort, with how many match."""
    _check(query)
    words = query_words(query.q)
    found = _where(db, query, words)
    if found is None:
        return ContactPage((), 0, None)
    where, params = found
    keys, ascending = _SORT_KEYS[query.sort]
    total_sql = "SELECT COUNT(*) FROM contacts c" + (" WHERE " + " AND ".join(where)
                                                     if where else "")
    total = db.query_one(total_sql, params)[0]
    page_where, page_params = list(where), list(params)
    if query.cursor:
        after = _decode_cursor(query.cursor, query.sort)
        marks = ", ".join("?" * len(keys))
        # the first key on its own as well: SQLite seeks an index on an expression for a plain
        # comparison, but would scan it from the start for the row value alone
        page_where.append(f"{keys[0]} {'>=' if ascending else '<='} ?")
        page_where.append(f"({', '.join(keys)}) {'>' if ascending else '<'} ({marks})")
        page_params += [after[0], *after]
    direction = "" if ascending else " DESC"
    sql = (f"SELECT c.*, {', '.join(f'{k} AS key{n}' for n, k in enumerate(keys))}"
           f" FROM contacts c" + (" WHERE " + " AND ".join(page_where) if page_where else "")
           + " ORDER BY " + ", ".join(k + direction for k in keys)
           + f" LIMIT {query.limit + 1}")
    rows = db.query_all(sql, page_params)
    more = len(rows) > query.limit
    rows = rows[:query.limit]
    next_cursor = (_encode_cursor(query.sort, [rows[-1][f"key{n}"] for n in range(len(keys))])
                   if more else None)
    return ContactPage(tuple(_rows(db, rows, words)), total, next_cursor)


# -- the rows -------------------------------------------------------------------------------------

def _grouped(db: Database, sql: str, ids: list[int]) -> dict[int, list[sqlite3.Row]]:
    found: dict[int, list[sqlite3.Row]] = {}
    for row in db.query_all(sql.format(marks=",".join("?" * len(ids))), ids):
        found.setdefault(row[0], []).append(row)
    return found


def _rows(db: Database, rows: list[sqlite3.Row], words: list[str]) -> list[ContactRow]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    identities = _grouped(db, "SELECT contact_id, platform, handle, display_name FROM identities"
                              " WHERE contact_id IN ({marks}) ORDER BY contact_id, id", ids)
    tags = _grouped(db, "SELECT ct.contact_id, t.name FROM contact_tags ct"
                        " JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id IN ({marks})"
                        " ORDER BY ct.contact_id, t.name COLLATE NOCASE", ids)
    out = []
    for r in rows:
        own = identities.get(r["id"], [])
        names = tuple(t["name"] for t in tags.get(r["id"], []))
        snippet, field = _snippet(db, r, own, names, words) if words else (None, None)
        last = r["last_two_way_at"]
        out.append(ContactRow(
            id=r["id"], display_name=r["display_name"], reading=r["reading"],
            headline=r["headline"], organisation=r["organisation"],
            tier=r["tier"] or NEW_CONTACT_TIER,
            sites=tuple(dict.fromkeys(i["platform"] for i in own)),
            last_two_way=last[:10] if last else None, photo_url=r["avatar_url"], tags=names,
            snippet=snippet, snippet_field=field))
    return out


def _excerpt(text: str, at: int) -> str:
    """About SNIPPET_CHARS of ``text`` around ``at`` on one line. ``at`` is an offset into the
    normalised text; folding keeps nearly every character's place, so it is close enough."""
    if len(text) <= SNIPPET_CHARS:
        return " ".join(text.split())
    start = max(0, min(at - SNIPPET_CHARS // 3, len(text) - SNIPPET_CHARS))
    piece = " ".join(text[start:start + SNIPPET_CHARS].split())
    return ("…" if start > 0 else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")


def _snippet(db: Database, row: sqlite3.Row, identities: list[sqlite3.Row], tags: tuple,
             words: list[str]) -> tuple[str | None, str | None]:
    """The field where most of the words are found (the first such field on a tie), as a short
    excerpt around the first of them. Notes are read only when no other field holds a word."""
    def fields():
        yield "name", row["display_name"]
        yield "name", (row["family_name"] or "") + (row["given_name"] or "")
        yield "reading", row["reading"]
        for name in ("organisation", "headline", "title", "location"):
            yield name, row[name]
        for identity in identities:
            yield "handle", identity["handle"]
            yield "handle", identity["display_name"]
        for tag in tags:
            yield "tag", tag

    def best(candidates) -> tuple[int, str | None, str | None, int]:
        top = (0, None, None, 0)
        for field, text in candidates:
            if not text:
                continue
            folded = normalise(text)
            squeezed = folded.replace(" ", "")
            hits = [folded.find(w) for w in words if w in folded or w in squeezed]
            if len(hits) > top[0]:
                first = min((h for h in hits if h >= 0), default=0)
                top = (len(hits), field, text, first)
        return top

    count, field, text, at = best(fields())
    if count < len(words):
        notes = db.query_all("SELECT body FROM notes WHERE contact_id = ?"
                             " ORDER BY created_at DESC, id DESC", (row["id"],))
        note = best(("note", n["body"]) for n in notes)
        if note[0] > count:
            count, field, text, at = note
    if not text:
        return None, None
    return _excerpt(text, at), field


# -- the API's answer -----------------------------------------------------------------------------

def api_answer(db: Database, page: ContactPage) -> dict[str, Any]:
    """``GET /api/v1/contacts``: the contact summaries the extension has always had, each with the
    row's fields added, ``next_cursor`` and ``total``. One query for every open promise of the
    page, as before."""
    ids = [r.id for r in page.rows]
    promises = contacts_service.open_promises(db, ids)
    by_id = {row["id"]: row for row in db.query_all(
        f"SELECT * FROM contacts WHERE id IN ({','.join('?' * len(ids))})", ids)} if ids else {}
    listed = []
    for r in page.rows:
        # the summary as services/contacts.py builds it, so the two answers cannot drift apart
        item = to_dict(ContactSummary(**contacts_service._summary_fields(
            db, by_id[r.id], promises.get(r.id, []))))
        item.update(tier=r.tier, sites=list(r.sites), last_two_way=r.last_two_way,
                    photo_url=r.photo_url, tags=list(r.tags), snippet=r.snippet,
                    snippet_field=r.snippet_field)
        listed.append(item)
    return {"contacts": listed, "next_cursor": page.next_cursor, "total": page.total}
