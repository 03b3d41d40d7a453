"""Merging two contacts who are the same person, and undoing it exactly (issue 9).

``merge_contacts(conn, keep_id, other_id, reason, now)`` runs inside the caller's write
transaction. Every row of every table that references ``contacts`` moves from the other contact
to the kept one; the tables are found with ``PRAGMA foreign_key_list`` over the whole schema, so
a table added later is moved too (``RULES`` says how each known reference is handled, and a
test fails when a reference has no rule). A row that cannot move because the kept contact has
the same already (a tag both have, the same e-mail address, both met at one event, a link
between the two) is dropped, and kept in full in the merge log. The kept contact's empty fields
are filled from the other's; then its statuses and relationship are recomputed, and the search
index follows by its triggers.

``unmerge(conn, merge_id, now)`` puts both back as they were at the merge: the other contact's
row again under its id (a new id only if a new contact took that id since), every moved row
moved back, every dropped row inserted again, the kept contact's fields and the statuses the
merge changed restored. What happened after the merge wins: a message captured for the kept
contact later stays with it, and a field or status changed since is left as it is.

The log (``merges.log``, JSON)::

    {"v": 1, "other": {row}, "kept_before": {row}, "kept_after": {row},
     "moved": [{"table", "column", "rowids": [...]} | {"table", "column", "keys": [{pk}]}],
     "dropped": [{"table", "row": {...}}], "changed": [{"table", "where", "column",
     "before", "after"}], "links": {"moved": [{"before": {row}, "after": [a, b, kind]}],
     "dropped": [{row}], "introducer": [[a, b, kind]]},
     "facts": [[id, [status, status_at, status_source] before, [...] after]],
     "max_interaction_id": n, "counts": {"moved": {table: n}, "dropped": {table: n}},
     "anchors": {"before": {table: [rows]}, "after": {...}}   (only when there are any)}

Bytes (none today; a future BLOB column) are written as ``{"$base64": "…"}``.

Caches: ``next_followups`` rows of both are deleted (their stamp would mostly notice anyway);
``sent_shingles`` (keyed by a message, checked against its text and the recipient's names when
used), ``stock_spans``, the in-memory caches of today's list, the offer index and the network
graph (stamped with contact counts and times) notice the change by themselves.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone

from companion.db import Database
from companion.errors import ApiError
from companion.services.contacts import sort_key
from companion.services.followup import ledger, relationship, status

LOG_VERSION = 1
MAX_REASON_CHARS = 200
MAX_PAGE = 200
CHUNK = 500

# How each reference to contacts.id is handled (the test in tests/companion/services/test_merge.py
# fails when the schema has one this table does not name):
#   move     every row moves (no unique constraint holds the contact column)
#   unique   rows move, except where the kept contact has a row with the same key already:
#            contact_tags (PK contact, tag), event_people (PK event, contact: the notes are
#            joined on the kept row), contact_details (UNIQUE contact, kind, value_norm);
#            the other's row is dropped and logged
#   links    contact_links: both ends and the introducer; a link between the two becomes a self
#            link and is dropped, a link both had to a third person is kept once
#   derived  a cache: deleted for both, rebuilt when next asked (next_followups)
#   drop     the other's rows are deleted (as its delete would cascade) and logged
RULES: dict[tuple[str, str], str] = {
    ("identities", "contact_id"): "move",
    ("captures", "contact_id"): "move",
    ("interactions", "contact_id"): "move",
    ("notes", "contact_id"): "move",
    ("facts", "contact_id"): "move",
    ("ledger", "contact_id"): "move",
    ("suggestion_actions", "contact_id"): "move",
    ("contact_tags", "contact_id"): "unique",
    ("event_people", "contact_id"): "unique",
    ("contact_details", "contact_id"): "unique",
    ("contact_links", "a"): "links",
    ("contact_links", "b"): "links",
    ("contact_links", "introducer"): "links",
    ("next_followups", "contact_id"): "derived",
    # proposals about the other contact (migration 0018) go as its delete would have taken
    # them; the next refresh compares the kept contact afresh. Logged: an undo brings them back
    ("identity_proposals", "a_id"): "drop",
    ("identity_proposals", "b_id"): "drop",
}
# Tables that name contacts in text keys ('c:<id>') rather than by a foreign key, changed by a
# trigger on merges (0018 carries "not the same person" to the kept contact): the rows naming
# either contact are logged before and after the merge, and an undo puts the first set back.
ANCHOR_TABLES = {"identity_not_same": ("a_key", "b_key")}
# The kept contact's fields filled from the other's where empty (display_name stays).
FILL_FIELDS = ("family_name", "given_name", "reading", "headline", "organisation", "title",
               "location", "bio", "avatar_url", "career")
# The user's own words about the relationship: where both have one, both are kept, joined.
JOINED_FIELDS = ("purpose", "offer")


class MergeError(ApiError):
    """A merge or undo that cannot be done; ``message_ja`` says it in Japanese."""

    def __init__(self, status: int, code: str, message: str, message_ja: str,
                 details: dict | None = None):
        super().__init__(status, code, message, {"message_ja": message_ja, **(details or {})})
        self.message_ja = message_ja


@dataclass(frozen=True)
class MergeResult:
    merge_id: int
    kept_id: int
    merged_id: int
    moved: dict[str, int]                                   # rows moved, per table
    dropped: dict[str, int] = field(default_factory=dict)   # rows the kept one had already


@dataclass(frozen=True)
class UnmergeResult:
    merge_id: int
    kept_id: int
    restored_id: int        # the other contact again: its old id unless that was taken since
    moved_back: dict[str, int]
    restored: dict[str, int]     # dropped rows inserted again, per table
    skipped: int = 0             # rows that could not come back (what they pointed to is gone)


@dataclass(frozen=True)
class MergeInfo:
    id: int
    kept_id: int
    merged_id: int
    kept_name: str
    merged_name: str
    reason: str
    merged_at: str
    undone_at: str | None
    moved: dict[str, int]
    dropped: dict[str, int]
    can_undo: bool
    blocked_by: int | None      # a later merge of one of the two, to be undone first


@dataclass(frozen=True)
class MergePage:
    merges: list[MergeInfo]
    next_before: int | None


# -- the schema ----------------------------------------------------------------------------------

def contact_references(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every (table, column) with a foreign key to contacts.id, in schema order."""
    found = []
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name NOT LIKE 'sqlite_%' ORDER BY rowid").fetchall():
        for fk in conn.execute(f"PRAGMA foreign_key_list({_quote(table)})").fetchall():
            if fk["table"] == "contacts" and fk["to"] in (None, "id"):
                found.append((table, fk["from"]))
    return found


def unhandled_references(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """References to contacts no rule names (a merge moves them, checking unique constraints;
    a test insists each gets a rule someone has thought about)."""
    return [ref for ref in contact_references(conn) if ref not in RULES]


def unique_keys(conn: sqlite3.Connection, table: str, column: str) -> list[list[str]]:
    """The other columns of each unique constraint (or primary key) that holds ``column``."""
    keys = []
    for index in conn.execute(f"PRAGMA index_list({_quote(table)})").fetchall():
        if not index["unique"]:
            continue
        columns = [r["name"] for r in conn.execute(
            f"PRAGMA index_info({_quote(index['name'])})").fetchall()]
        if column in columns:
            keys.append([c for c in columns if c != column])
    return keys


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _without_rowid(conn: sqlite3.Connection, table: str) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                       (table,)).fetchone()[0] or ""
    return "WITHOUT ROWID" in " ".join(sql.upper().split())


def _pk_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    return [r["name"] for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"])]


def _integer_pk(conn: sqlite3.Connection, table: str) -> str | None:
    """The INTEGER PRIMARY KEY column (the rowid's alias), if the table has one."""
    info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    pks = [r for r in info if r["pk"]]
    if len(pks) == 1 and pks[0]["type"].upper() == "INTEGER" \
            and not _without_rowid(conn, table):
        return pks[0]["name"]
    return None


# -- values in the log ---------------------------------------------------------------------------

def _out(value):
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode("ascii")}
    return value


def _in(value):
    if isinstance(value, dict) and set(value) == {"$base64"}:
        return base64.b64decode(value["$base64"])
    return value


def _row(conn: sqlite3.Connection, table: str, where: str, params) -> dict | None:
    row = conn.execute(f"SELECT * FROM {_quote(table)} WHERE {where}", params).fetchone()
    return {k: _out(row[k]) for k in row.keys()} if row else None


def _times(now: datetime | str | None) -> tuple[str, datetime]:
    """The stored text form and the datetime of ``now`` (None: the clock)."""
    if now is None:
        moment = relationship.clock()
    elif isinstance(now, str):
        moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
    else:
        moment = now
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    text = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")
    return text, moment


def _err_not_found(contact_id: int) -> MergeError:
    return MergeError(404, "not_found", f"No contact with id {contact_id}.",
                      f"ID {contact_id} の連絡先はありません。")


# -- merging ------------------------------------------------------------------------------------

def merge_contacts(conn: sqlite3.Connection, keep_id: int, other_id: int, reason: str,
                   now: datetime | str | None = None) -> MergeResult:
    """Merge ``other_id`` into ``keep_id`` inside the caller's write transaction (module
    docstring); the other contact no longer exists afterwards."""
    if not conn.in_transaction:
        raise RuntimeError("merge_contacts needs an open write transaction")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON_CHARS:
        raise MergeError(400, "bad_request", "reason must be a short non-empty string.",
                         "reason は空でない短い文字列にしてください。", {"field": "reason"})
    if keep_id == other_id:
        raise MergeError(400, "same_contact", "A contact cannot be merged with itself.",
                         "同じ連絡先どうしは統合できません。", {"field": "other"})
    now_text, now_dt = _times(now)
    kept_before = _row(conn, "contacts", "id = ?", (keep_id,))
    if kept_before is None:
        raise _err_not_found(keep_id)
    other = _row(conn, "contacts", "id = ?", (other_id,))
    if other is None:
        raise _err_not_found(other_id)

    log: dict = {"v": LOG_VERSION, "other": other, "kept_before": kept_before,
                 "moved": [], "dropped": [], "changed": [],
                 "links": {"moved": [], "dropped": [], "introducer": []}, "facts": [],
                 "max_interaction_id": conn.execute(
                     "SELECT COALESCE(MAX(id), 0) FROM interactions").fetchone()[0]}
    moved: dict[str, int] = {}
    dropped: dict[str, int] = {}

    refs = contact_references(conn)
    for table, column in refs:
        rule = RULES.get((table, column))
        if rule == "links" or (table == "contact_links"):
            continue
        if rule == "derived":
            conn.execute(f"DELETE FROM {_quote(table)} WHERE {_quote(column)} IN (?, ?)",
                         (keep_id, other_id))
            continue
        if rule == "drop":
            n_dropped = _drop_rows(conn, table, column, other_id, log)
            if n_dropped:
                dropped[table] = dropped.get(table, 0) + n_dropped
            continue
        # "move", "unique", and a reference no rule names yet: moving with the unique check
        # is right for all of them (a plain move where no unique constraint holds the column)
        n_moved, n_dropped = _move_rows(conn, table, column, keep_id, other_id, log)
        if n_moved:
            moved[table] = moved.get(table, 0) + n_moved
        if n_dropped:
            dropped[table] = dropped.get(table, 0) + n_dropped
    if any(t == "contact_links" for t, _ in refs):
        n_moved, n_dropped = _move_links(conn, keep_id, other_id, log)
        if n_moved:
            moved["contact_links"] = n_moved
        if n_dropped:
            dropped["contact_links"] = n_dropped

    _fill_fields(conn, kept_before, other, now_text)
    conn.execute("DELETE FROM contacts WHERE id = ?", (other_id,))

    # the statuses the other's messages settle now that they are one person's, and the
    # relationship from both histories; what changed is logged to be put back by an undo
    open_before = {r["id"]: [r["status"], r["status_at"], r["status_source"]]
                   for r in conn.execute(
                       "SELECT id, status, status_at, status_source FROM facts"
                       " WHERE contact_id = ? AND status = 'open' AND status_source IS NULL",
                       (keep_id,))}
    for fact_id in status.refresh_statuses(conn, keep_id):
        after = conn.execute("SELECT status, status_at, status_source FROM facts WHERE id = ?",
                             (fact_id,)).fetchone()
        log["facts"].append([fact_id, open_before.get(fact_id, ["open", None, None]),
                             list(after)])
    relationship.refresh_relationship(conn, keep_id, now_dt)

    log["kept_after"] = _row(conn, "contacts", "id = ?", (keep_id,))
    log["counts"] = {"moved": moved, "dropped": dropped}
    anchors_before = _anchor_rows(conn, keep_id, other_id)
    cur = conn.execute(
        "INSERT INTO merges (kept_id, merged_id, reason, merged_at, log) VALUES (?, ?, ?, ?, ?)",
        (keep_id, other_id, reason.strip(), now_text, json.dumps(log, ensure_ascii=False)))
    merge_id = cur.lastrowid
    anchors_after = _anchor_rows(conn, keep_id, other_id)
    if anchors_before or anchors_after:
        log["anchors"] = {"before": anchors_before, "after": anchors_after}
        conn.execute("UPDATE merges SET log = ? WHERE id = ?",
                     (json.dumps(log, ensure_ascii=False), merge_id))
    return MergeResult(merge_id, keep_id, other_id, moved, dropped)


def _drop_rows(conn: sqlite3.Connection, table: str, column: str, other_id: int,
               log: dict) -> int:
    rows = conn.execute(f"SELECT * FROM {_quote(table)} WHERE {_quote(column)} = ?",
                        (other_id,)).fetchall()
    for r in rows:
        log["dropped"].append({"table": table, "row": {k: _out(r[k]) for k in r.keys()}})
    conn.execute(f"DELETE FROM {_quote(table)} WHERE {_quote(column)} = ?", (other_id,))
    return len(rows)


def _anchor_rows(conn: sqlite3.Connection, *contact_ids: int) -> dict[str, list[dict]]:
    """The rows of ANCHOR_TABLES that name one of the contacts ('c:<id>')."""
    found = {}
    for table, columns in ANCHOR_TABLES.items():
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                            (table,)).fetchone():
            continue
        keys = [f"c:{i}" for i in contact_ids]
        cond = " OR ".join(f"{_quote(c)} IN ({','.join('?' * len(keys))})" for c in columns)
        rows = conn.execute(f"SELECT * FROM {_quote(table)} WHERE {cond}",
                            keys * len(columns)).fetchall()
        if rows:
            found[table] = [{k: _out(r[k]) for k in r.keys()} for r in rows]
    return found


def _restore_anchors(conn: sqlite3.Connection, anchors: dict, other_id: int,
                     new_id: int) -> None:
    """What the merge's trigger changed in ANCHOR_TABLES, taken back: rows it added go, rows it
    removed return (under the restored id)."""
    before, after = anchors.get("before", {}), anchors.get("after", {})
    for table in set(before) | set(after):
        columns = ANCHOR_TABLES.get(table)
        if columns is None:
            continue
        old = [json.dumps(r, sort_keys=True) for r in before.get(table, [])]
        new = [json.dumps(r, sort_keys=True) for r in after.get(table, [])]
        for text in set(new) - set(old):
            row = json.loads(text)
            cond = " AND ".join(f"{_quote(k)} = ?" for k in row)
            conn.execute(f"DELETE FROM {_quote(table)} WHERE {cond}", list(row.values()))
        for text in set(old) - set(new):
            row = json.loads(text)
            for c in columns:
                if row[c] == f"c:{other_id}":
                    row[c] = f"c:{new_id}"
            ordered = sorted(row[c] for c in columns)    # stored in order (a < b)
            row.update(zip(columns, ordered))
            names = list(row)
            conn.execute(f"INSERT OR IGNORE INTO {_quote(table)} ({', '.join(map(_quote, names))})"
                         f" VALUES ({', '.join('?' * len(names))})", list(row.values()))


def _move_rows(conn: sqlite3.Connection, table: str, column: str, keep_id: int,
               other_id: int, log: dict) -> tuple[int, int]:
    t, c = _quote(table), _quote(column)
    keys = unique_keys(conn, table, column)
    wr = _without_rowid(conn, table)
    birth = None if wr else _birth_column(conn, table)
    if not keys and not wr:
        found = conn.execute(
            f"SELECT rowid, {_quote(birth) if birth else 'NULL'} FROM {t} WHERE {c} = ?"
            " ORDER BY rowid", (other_id,)).fetchall()
        ids = [r[0] for r in found]
        if ids:
            conn.execute(f"UPDATE {t} SET {c} = ? WHERE {c} = ?", (keep_id, other_id))
            entry = {"table": table, "column": column, "rowids": ids}
            if birth:
                entry["births"] = [r[1] for r in found]
            log["moved"].append(entry)
        return len(ids), 0
    pk = _pk_columns(conn, table) if wr else ["rowid"]
    select_pk = ", ".join(f"{_quote(p)} AS {_quote('_pk_' + p)}" for p in pk)
    rows = conn.execute(f"SELECT {select_pk}, * FROM {t} WHERE {c} = ?",
                        (other_id,)).fetchall()
    ids: list = []
    n_dropped = 0
    for r in rows:
        ident = {p: r["_pk_" + p] for p in pk}
        where_ident = " AND ".join(f"{_quote(p)} = ?" for p in pk)
        clash = None
        for key in keys:
            cond = " AND ".join([f"{c} = ?"] + [f"{_quote(k)} = ?" for k in key])
            clash = conn.execute(f"SELECT {select_pk}, * FROM {t} WHERE {cond}",
                                 [keep_id, *(r[k] for k in key)]).fetchone()
            if clash is not None:
                break
        if clash is None:
            conn.execute(f"UPDATE {t} SET {c} = ? WHERE {where_ident}",
                         (keep_id, *ident.values()))
            ids.append(ident["rowid"] if not wr else ident)
            continue
        if table == "event_people":
            _join_note(conn, clash, r, log)
        row = {k: _out(r[k]) for k in r.keys() if not k.startswith("_pk_")}
        log["dropped"].append({"table": table, "row": row})
        conn.execute(f"DELETE FROM {t} WHERE {where_ident}", tuple(ident.values()))
        n_dropped += 1
    if ids:
        entry = {"table": table, "column": column, ("keys" if wr else "rowids"): ids}
        if birth:
            births = dict(conn.execute(
                f"SELECT rowid, {_quote(birth)} FROM {t} WHERE rowid IN"
                f" ({','.join('?' * len(ids))})", ids).fetchall()) if len(ids) < 30000 else {}
            if len(births) == len(ids):
                entry["births"] = [births[i] for i in ids]
        log["moved"].append(entry)
    return len(ids), n_dropped


# When a row was made: on undo, a row is moved back only if it is still the row that was moved.
# SQLite gives a deleted row's id to the next row when it was the highest, so after the merge a
# moved note deleted and a new one written to the kept contact could share its id.
_BIRTH_COLUMNS = ("created_at", "first_seen_at", "added_at", "received_at")


def _birth_column(conn: sqlite3.Connection, table: str) -> str | None:
    columns = {r[1] for r in conn.execute(f"PRAGMA table_info({_quote(table)})")}
    return next((c for c in _BIRTH_COLUMNS if c in columns), None)


def _join_note(conn: sqlite3.Connection, kept: sqlite3.Row, other: sqlite3.Row,
               log: dict) -> None:
    """Both were met at one event: the kept attendance keeps what was noted of either."""
    mine, theirs = kept["note"], other["note"]
    if not theirs or theirs == mine:
        return
    joined = f"{mine}\n{theirs}" if mine else theirs
    where = {"event_id": kept["event_id"], "contact_id": kept["contact_id"]}
    conn.execute("UPDATE event_people SET note = ? WHERE event_id = ? AND contact_id = ?",
                 (joined, *where.values()))
    log["changed"].append({"table": "event_people", "where": where, "column": "note",
                           "before": mine, "after": joined})


def _move_links(conn: sqlite3.Connection, keep_id: int, other_id: int,
                log: dict) -> tuple[int, int]:
    """contact_links: stored once per pair with a < b, so a moved link may change its key."""
    rows = conn.execute("SELECT * FROM contact_links WHERE a = ?1 OR b = ?1 OR introducer = ?1",
                        (other_id,)).fetchall()
    n_moved = n_dropped = 0
    for r in rows:
        row = dict(r)
        intro = keep_id if row["introducer"] == other_id else row["introducer"]
        pk = (row["a"], row["b"], row["kind"])
        if other_id not in (row["a"], row["b"]):
            conn.execute("UPDATE contact_links SET introducer = ? WHERE a = ? AND b = ?"
                         " AND kind = ?", (intro, *pk))
            log["links"]["introducer"].append(list(pk))
            continue
        conn.execute("DELETE FROM contact_links WHERE a = ? AND b = ? AND kind = ?", pk)
        a, b = (keep_id if v == other_id else v for v in (row["a"], row["b"]))
        a, b = min(a, b), max(a, b)
        if a == b or conn.execute("SELECT 1 FROM contact_links WHERE a = ? AND b = ?"
                                  " AND kind = ?", (a, b, row["kind"])).fetchone():
            # a link between the two (now a self link), or one both had to a third person
            log["links"]["dropped"].append(row)
            n_dropped += 1
            continue
        conn.execute("INSERT INTO contact_links (a, b, kind, introducer, source, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)",
                     (a, b, row["kind"], intro, row["source"], row["created_at"]))
        log["links"]["moved"].append({"before": row, "after": [a, b, row["kind"]]})
        n_moved += 1
    return n_moved, n_dropped


def _fill_fields(conn: sqlite3.Connection, kept: dict, other: dict, now: str) -> None:
    """The kept contact takes the other's fields where its own are empty, and the other's hand
    edits (locked fields) over captured values, unless the user locked its own; the other's
    tier when the user chose it there and not here; the earlier created_at."""
    kept_locked = set(json.loads(kept["locked_fields"] or "[]"))
    other_locked = set(json.loads(other["locked_fields"] or "[]"))
    values: dict = {}
    taken_locked = set()
    for name in FILL_FIELDS:
        if name in kept_locked or not other.get(name):
            continue
        if not kept.get(name) or (name in other_locked and other[name] != kept[name]):
            values[name] = other[name]
            if name in other_locked:
                taken_locked.add(name)
    for name in JOINED_FIELDS:
        mine, theirs = kept.get(name), other.get(name)
        if theirs and theirs != mine:
            values[name] = f"{mine}\n{theirs}" if mine else theirs
    if other.get("tier_source") == "user" and kept.get("tier_source") != "user":
        values["tier"], values["tier_source"] = other["tier"], "user"
    if other["created_at"] < kept["created_at"]:
        values["created_at"] = other["created_at"]
    if other.get("fields_captured_at") and (not kept.get("fields_captured_at")
                                            or other["fields_captured_at"]
                                            > kept["fields_captured_at"]):
        values["fields_captured_at"] = other["fields_captured_at"]
    if taken_locked:
        values["locked_fields"] = json.dumps(sorted(kept_locked | taken_locked))
    if "reading" in values:   # the search trigger folds it as it writes the index (0010)
        values["sort_key"] = sort_key(kept["display_name"], values["reading"])
    values["updated_at"] = now
    assignments = ", ".join(f"{_quote(k)} = :{k}" for k in values)
    conn.execute(f"UPDATE contacts SET {assignments} WHERE id = :_id",
                 {**values, "_id": kept["id"]})


# -- undoing -------------------------------------------------------------------------------------

def _blocking_merge(conn: sqlite3.Connection, merge: sqlite3.Row) -> int | None:
    """A later merge still in place that involves either contact: undone first, or not at all."""
    row = conn.execute(
        "SELECT id FROM merges WHERE id > ?1 AND undone_at IS NULL"
        " AND (kept_id IN (?2, ?3) OR merged_id IN (?2, ?3)) ORDER BY id DESC LIMIT 1",
        (merge["id"], merge["kept_id"], merge["merged_id"])).fetchone()
    return row[0] if row else None


def unmerge(conn: sqlite3.Connection, merge_id: int,
            now: datetime | str | None = None) -> UnmergeResult:
    """Undo a merge inside the caller's write transaction (module docstring)."""
    if not conn.in_transaction:
        raise RuntimeError("unmerge needs an open write transaction")
    now_text, now_dt = _times(now)
    merge = conn.execute("SELECT * FROM merges WHERE id = ?", (merge_id,)).fetchone()
    if merge is None:
        raise MergeError(404, "not_found", f"No merge with id {merge_id}.",
                         f"ID {merge_id} の統合はありません。")
    if merge["undone_at"] is not None:
        raise MergeError(409, "already_undone",
                         f"Merge {merge_id} was undone already ({merge['undone_at']}).",
                         f"統合 {merge_id} はすでに取り消されています（{merge['undone_at']}）。")
    later = _blocking_merge(conn, merge)
    if later is not None:
        raise MergeError(409, "later_merge",
                         f"Merge {later} came later and involves the same contacts; undo it "
                         "first.",
                         f"同じ連絡先に関わる後の統合 {later} があります。先にそちらを取り消して"
                         "ください。", {"merge_id": later})
    keep_id, other_id = merge["kept_id"], merge["merged_id"]
    if conn.execute("SELECT 1 FROM contacts WHERE id = ?", (keep_id,)).fetchone() is None:
        raise MergeError(409, "kept_contact_gone",
                         f"The kept contact {keep_id} was deleted since; this merge can no "
                         "longer be undone.",
                         f"統合先の連絡先 {keep_id} はその後削除されたため、この統合は取り消せ"
                         "ません。")
    log = json.loads(merge["log"])

    # the other contact again, under its own id unless a new contact took it since
    other = {k: _in(v) for k, v in log["other"].items()}
    columns = list(other)
    if conn.execute("SELECT 1 FROM contacts WHERE id = ?", (other_id,)).fetchone():
        columns.remove("id")
    cur = conn.execute(
        f"INSERT INTO contacts ({', '.join(map(_quote, columns))})"
        f" VALUES ({', '.join('?' * len(columns))})", [other[c] for c in columns])
    new_id = other_id if "id" in columns else cur.lastrowid

    refs = contact_references(conn)
    ref_columns: dict[str, list[str]] = {}
    for table, column in refs:
        ref_columns.setdefault(table, []).append(column)

    moved_back: dict[str, int] = {}
    for entry in log["moved"]:
        table, column = entry["table"], entry["column"]
        t, c = _quote(table), _quote(column)
        n = 0
        if "rowids" in entry and "births" in entry:
            birth = _quote(_birth_column(conn, table) or "rowid")
            for rowid, born in zip(entry["rowids"], entry["births"]):
                n += conn.execute(
                    f"UPDATE {t} SET {c} = ? WHERE {c} = ? AND rowid = ? AND {birth} IS ?",
                    (new_id, keep_id, rowid, born)).rowcount
        elif "rowids" in entry:
            ids = entry["rowids"]
            for start in range(0, len(ids), CHUNK):
                part = ids[start:start + CHUNK]
                n += conn.execute(
                    f"UPDATE {t} SET {c} = ? WHERE {c} = ? AND rowid IN"
                    f" ({','.join('?' * len(part))})", (new_id, keep_id, *part)).rowcount
        else:
            for key in entry["keys"]:
                where = {k: (keep_id if k == column else v) for k, v in key.items()}
                cond = " AND ".join(f"{_quote(k)} = ?" for k in where)
                n += conn.execute(f"UPDATE {t} SET {c} = ? WHERE {cond} AND {c} = ?",
                                  (new_id, *where.values(), keep_id)).rowcount
        if n:
            moved_back[table] = moved_back.get(table, 0) + n

    restored: dict[str, int] = {}
    skipped = 0
    for entry in log["dropped"]:
        table = entry["table"]
        row = {k: _in(v) for k, v in entry["row"].items()}
        for column in ref_columns.get(table, []):
            if row.get(column) == other_id:
                row[column] = new_id
        if _insert(conn, table, row):
            restored[table] = restored.get(table, 0) + 1
        else:
            skipped += 1

    for change in log["changed"]:
        where = change["where"]
        cond = " AND ".join(f"{_quote(k)} = ?" for k in where)
        conn.execute(f"UPDATE {_quote(change['table'])} SET {_quote(change['column'])} = ?"
                     f" WHERE {cond} AND {_quote(change['column'])} IS ?",
                     (change["before"], *where.values(), change["after"]))

    n_links, n_restored, n_skipped = _restore_links(conn, log["links"], keep_id, other_id,
                                                    new_id)
    if n_links:
        moved_back["contact_links"] = n_links
    if n_restored:
        restored["contact_links"] = n_restored
    skipped += n_skipped

    # statuses the merge's refresh settled, unless something changed them again since
    for fact_id, before, after in log["facts"]:
        done = conn.execute(
            "UPDATE facts SET status = ?, status_at = ?, status_source = ? WHERE id = ?"
            " AND status = ? AND status_at IS ? AND status_source IS ?",
            (*before, fact_id, *after)).rowcount
        if done:
            ledger.sync_for_fact(conn, fact_id)

    # both rows as they were; a kept field changed since the merge keeps its new value
    _restore_row(conn, keep_id, {k: _in(v) for k, v in log["kept_before"].items()},
                 {k: _in(v) for k, v in log["kept_after"].items()})
    _restore_row(conn, new_id, {**other, "id": new_id}, None)

    if "anchors" in log:
        _restore_anchors(conn, log["anchors"], other_id, new_id)
    for table, column in refs:
        if RULES.get((table, column)) == "derived":
            conn.execute(f"DELETE FROM {_quote(table)} WHERE {_quote(column)} IN (?, ?)",
                         (keep_id, new_id))
    # messages captured for the kept contact after the merge: its state from what it has now
    if conn.execute("SELECT 1 FROM interactions WHERE contact_id = ? AND id > ? LIMIT 1",
                    (keep_id, log["max_interaction_id"])).fetchone():
        status.refresh_statuses(conn, keep_id)
        relationship.refresh_relationship(conn, keep_id, now_dt)

    conn.execute("UPDATE merges SET undone_at = ? WHERE id = ?", (now_text, merge_id))
    # the pair is not merged by itself again, nor left "accepted" (proposals.remember_undone)
    from companion.services.matching.proposals import remember_undone
    remember_undone(conn, keep_id, new_id, now_text)
    return UnmergeResult(merge_id, keep_id, new_id, moved_back, restored, skipped)


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> bool:
    """A dropped row back, under its old id where free; False when it cannot come back (what it
    pointed to, an event or a tag, was deleted since)."""
    for attempt in range(2):
        columns = list(row)
        try:
            conn.execute(f"INSERT INTO {_quote(table)} ({', '.join(map(_quote, columns))})"
                         f" VALUES ({', '.join('?' * len(columns))})", list(row.values()))
            return True
        except sqlite3.IntegrityError:
            pk = _integer_pk(conn, table)
            if attempt or pk is None or pk not in row:
                return False
            row = {k: v for k, v in row.items() if k != pk}   # its id was taken since
    return False


def _restore_links(conn: sqlite3.Connection, links: dict, keep_id: int, other_id: int,
                   new_id: int) -> tuple[int, int, int]:
    def back(row: dict) -> tuple:
        a, b = (new_id if v == other_id else v for v in (row["a"], row["b"]))
        intro = new_id if row["introducer"] == other_id else row["introducer"]
        a, b = min(a, b), max(a, b)
        return (a, b, row["kind"], intro, row["source"], row["created_at"])

    insert = ("INSERT OR IGNORE INTO contact_links (a, b, kind, introducer, source, created_at)"
              " VALUES (?, ?, ?, ?, ?, ?)")
    moved = restored = skipped = 0
    for entry in links["moved"]:
        gone = conn.execute("DELETE FROM contact_links WHERE a = ? AND b = ? AND kind = ?",
                            entry["after"]).rowcount
        if gone:      # a link deleted after the merge stays deleted
            moved += conn.execute(insert, back(entry["before"])).rowcount
    for row in links["dropped"]:
        if back(row)[0] == back(row)[1]:
            skipped += 1
            continue
        n = conn.execute(insert, back(row)).rowcount
        restored += n
        skipped += 1 - n
    for a, b, kind in links["introducer"]:
        conn.execute("UPDATE contact_links SET introducer = ? WHERE a = ? AND b = ? AND kind = ?"
                     " AND introducer = ?", (new_id, a, b, kind, keep_id))
    return moved, restored, skipped


def _restore_row(conn: sqlite3.Connection, contact_id: int, before: dict,
                 after: dict | None) -> None:
    """Write back the columns of ``before`` that differ now, but only those still as the merge
    left them (``after``; None: all of them)."""
    current = conn.execute("SELECT * FROM contacts WHERE id = ?", (contact_id,)).fetchone()
    values = {k: v for k, v in before.items() if k != "id" and current[k] != v
              and (after is None or current[k] == after.get(k))}
    if values:
        assignments = ", ".join(f"{_quote(k)} = :{k}" for k in values)
        conn.execute(f"UPDATE contacts SET {assignments} WHERE id = :_id",
                     {**values, "_id": contact_id})
        # the search trigger folds the sort key it writes back; the stored one is the truth
        if "sort_key" in values:
            conn.execute("UPDATE contacts SET sort_key = ? WHERE id = ?",
                         (values["sort_key"], contact_id))


# -- reading -------------------------------------------------------------------------------------

def _info(conn: sqlite3.Connection, row: sqlite3.Row) -> MergeInfo:
    log = json.loads(row["log"])
    kept = conn.execute("SELECT display_name FROM contacts WHERE id = ?",
                        (row["kept_id"],)).fetchone()
    blocked = None if row["undone_at"] else _blocking_merge(conn, row)
    counts = log.get("counts", {})
    return MergeInfo(
        id=row["id"], kept_id=row["kept_id"], merged_id=row["merged_id"],
        kept_name=kept[0] if kept else log["kept_after"]["display_name"],
        merged_name=log["other"]["display_name"], reason=row["reason"],
        merged_at=row["merged_at"], undone_at=row["undone_at"],
        moved=counts.get("moved", {}), dropped=counts.get("dropped", {}),
        can_undo=row["undone_at"] is None and blocked is None and kept is not None,
        blocked_by=blocked)


def get_merge(db: Database, merge_id: int) -> MergeInfo:
    conn = db.connect()
    row = conn.execute("SELECT * FROM merges WHERE id = ?", (merge_id,)).fetchone()
    if row is None:
        raise MergeError(404, "not_found", f"No merge with id {merge_id}.",
                         f"ID {merge_id} の統合はありません。")
    return _info(conn, row)


def list_merges(db: Database, limit: int = 50, before: int | None = None) -> MergePage:
    """Merges newest first; ``before``: the previous page's ``next_before``."""
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise MergeError(400, "bad_request", f"limit must be 1–{MAX_PAGE}.",
                         f"limit は 1〜{MAX_PAGE} にしてください。", {"field": "limit"})
    conn = db.connect()
    rows = conn.execute("SELECT * FROM merges WHERE id < ? ORDER BY id DESC LIMIT ?",
                        (before if before is not None else 1 << 62, limit + 1)).fetchall()
    infos = [_info(conn, r) for r in rows[:limit]]
    return MergePage(infos, infos[-1].id if len(rows) > limit else None)


def merge(db: Database, keep_id: int, other_id: int, reason: str = "user",
          now: datetime | str | None = None) -> MergeResult:
    """``merge_contacts`` in its own write transaction (the API's and the CLI's way in)."""
    with db.transaction() as conn:
        return merge_contacts(conn, keep_id, other_id, reason, now)


def undo(db: Database, merge_id: int, now: datetime | str | None = None) -> UnmergeResult:
    with db.transaction() as conn:
        return unmerge(conn, merge_id, now)
