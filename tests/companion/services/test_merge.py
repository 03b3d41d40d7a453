"""Merging two contacts and undoing it (services/merge.py): the kept contact has everything of
both, and an undo gives back the very same export (services/export_json.py) as before the merge.

The export leaves out the derived caches (next_followups, stock_spans, sent_shingles, job_runs,
the search index) and the merges table itself, so "the same export" means every row of the
user's data, ids, times and statuses included."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from companion.db import Database
from companion.demo import ensure_demo
from companion.services import contacts, merge
from companion.services.export_json import export_all
from companion.services.merge import MergeError
from companion.services.search import parse_query, search_contacts
from tests.companion.services.followup.test_suggest_support import (add_contact, add_message,
                                                                     message_with_facts)

NOW = "2026-11-27T07:00:00.000Z"
LATER = "2026-11-28T07:00:00.000Z"
PER_CONTACT = ("identities", "interactions", "notes", "facts", "ledger", "captures",
               "suggestion_actions", "contact_details", "contact_tags", "event_people")


def export(db) -> dict:
    """Every table of the user's data, but the merge log itself (which keeps the undone merge)
    and the "not now" an undo leaves on its pair (proposals.remember_undone)."""
    tables = export_all(db, now=NOW)["tables"]
    undone = {tuple(sorted((m["kept_id"], m["merged_id"]))) for m in tables.pop("merges")
              if m["undone_at"]}
    tables["identity_proposals"] = [
        p for p in tables["identity_proposals"]
        if not ((p["a_id"], p["b_id"]) in undone and p["status"] == "rejected")]
    return tables


def count(db, table: str, contact_id: int) -> int:
    return db.query_one(f"SELECT COUNT(*) FROM {table} WHERE contact_id = ?", (contact_id,))[0]


def found(db, q: str) -> list[int]:
    return [r.id for r in search_contacts(db, parse_query({"q": q})).rows]


def _identity(conn, contact_id: int, platform: str, url: str, handle: str, name: str) -> None:
    conn.execute("INSERT INTO identities (contact_id, platform, url, handle, display_name,"
                 " first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 (contact_id, platform, url, handle, name, NOW, NOW))


def _tag(conn, contact_id: int, name: str) -> None:
    conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
    conn.execute("INSERT INTO contact_tags SELECT ?, id FROM tags WHERE name = ?",
                 (contact_id, name))


def _detail(conn, contact_id: int, kind: str, value: str, norm: str) -> None:
    conn.execute("INSERT INTO contact_details (contact_id, kind, value, value_norm, source,"
                 " created_at) VALUES (?, ?, ?, ?, 'vcard', ?)",
                 (contact_id, kind, value, norm, NOW))


def _link(conn, a: int, b: int, kind: str, introducer: int | None = None) -> None:
    conn.execute("INSERT INTO contact_links (a, b, kind, introducer, source, created_at)"
                 " VALUES (?, ?, ?, ?, 'user', ?)", (min(a, b), max(a, b), kind, introducer, NOW))


@pytest.fixture
def pair(db):
    """Two records of one person, 山田 太郎, with everything a contact can have, overlapping
    where two records of one person do: a tag, an e-mail address, an event both were met at,
    a mutual friend, and a link between the two records themselves."""
    keep = add_contact(db, "山田 太郎", family="山田", given="太郎", title="エンジニア",
                       created_at="2025-06-01T09:00:00.000Z")
    other = add_contact(db, "Taro Yamada", headline="Logistics engineer in Fukuoka",
                        organisation="あおぞら物流", location="福岡", bio="物流とRustの話が好き",
                        title="Lead engineer", created_at="2024-03-01T09:00:00.000Z")
    friend = add_contact(db, "佐藤 花子")
    newcomer = add_contact(db, "鈴木 一郎")
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET reading = 'やまだ たろう', purpose = '物流の相談相手',"
                     " locked_fields = '[\"title\"]' WHERE id = ?", (other,))
        _identity(conn, keep, "x", "https://x.com/taro_y", "taro_y", "山田太郎")
        _identity(conn, other, "linkedin", "https://www.linkedin.com/in/taro-yamada-fukuoka",
                  "taro-yamada-fukuoka", "Taro Yamada")
        _identity(conn, other, "github", "https://github.com/tyamada-logi", "tyamada-logi",
                  None)
        for name in ("勉強会", "rust"):
            _tag(conn, keep, name)
        for name in ("rust", "物流"):
            _tag(conn, other, name)
        _detail(conn, keep, "email", "Taro@Example.jp", "taro@example.jp")
        _detail(conn, other, "email", "taro@example.jp", "taro@example.jp")
        _detail(conn, other, "phone", "090-1234-5678", "09012345678")
        conn.execute("INSERT INTO events (id, name, kind, starts_on, created_at, updated_at)"
                     " VALUES (1, '渋谷Rust勉強会 #3', 'study_group', '2026-10-03', ?, ?),"
                     " (2, '福岡物流ミートアップ', 'meetup', '2026-09-12', ?, ?)",
                     (NOW, NOW, NOW, NOW))
        conn.execute("INSERT INTO event_people VALUES (1, ?, 'Rustの話', ?), (1, ?, '物流の話', ?),"
                     " (2, ?, NULL, ?)", (keep, NOW, other, NOW, other, NOW))
        _link(conn, keep, other, "mutual")                   # becomes a self link
        _link(conn, keep, friend, "mutual")
        _link(conn, other, friend, "mutual")                 # both had it
        _link(conn, other, newcomer, "introduced_by", other)
        _link(conn, friend, newcomer, "introduced_by", other)   # only the introducer moves
        conn.execute("INSERT INTO ledger (contact_id, flow, kind, text, occurred_at, created_at)"
                     " VALUES (?, 'given', 'introduction', '佐藤さんを紹介', ?, ?)",
                     (other, NOW, NOW))
        conn.execute("INSERT INTO suggestion_actions VALUES ('cadence:' || ?, ?, 'quiet',"
                     " 'snoozed', '2026-12-01', ?)", (other, other, NOW))
        conn.execute("INSERT INTO captures (url, kind, html_zlib, html_sha256, html_chars,"
                     " captured_at, received_at, status, contact_id) VALUES"
                     " ('https://www.linkedin.com/in/taro-yamada-fukuoka', 'profile', x'789c0300',"
                     " 'ab', 0, ?, ?, 'parsed', ?)", (NOW, NOW, other))
        conn.execute("INSERT INTO next_followups VALUES (?, 'ja', '[]', NULL, ?),"
                     " (?, 'ja', '[]', NULL, ?)", (keep, NOW, other, NOW))
    # their question and my promise, to the other record; my later answer, to the kept one
    message_with_facts(db, other, "in", "来週のご都合はいかがですか？", "2026-11-10T01:00:00.000Z")
    message_with_facts(db, other, "out", "資料を明日までにお送りします。",
                       "2026-11-10T02:00:00.000Z")
    message_with_facts(db, keep, "out", "資料をお送りしました。来週の水曜はいかがでしょう。",
                       "2026-11-11T01:00:00.000Z")
    contacts.add_note(db, keep, "渋谷の勉強会で会った。")
    contacts.add_note(db, other, "福岡の物流の話。来月また会う。")
    return keep, other, friend, newcomer


def test_every_reference_to_contacts_has_a_rule(db):
    conn = db.connect()
    refs = merge.contact_references(conn)
    assert merge.unhandled_references(conn) == []
    assert set(refs) == set(merge.RULES), "RULES names a reference the schema no longer has"
    for table, column in refs:
        # a unique constraint that holds the contact column needs more than a plain move
        if merge.unique_keys(conn, table, column):
            assert merge.RULES[(table, column)] != "move", (table, column)
    # the check sees a table added later
    conn.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY, contact_id INTEGER"
                 " REFERENCES contacts (id) ON DELETE CASCADE, k TEXT, UNIQUE (contact_id, k))")
    assert merge.unhandled_references(conn) == [("future_things", "contact_id")]
    assert merge.unique_keys(conn, "future_things", "contact_id") == [["k"]]


def test_a_table_without_a_rule_is_still_moved_and_put_back(db):
    a, b = add_contact(db, "A"), add_contact(db, "B")
    with db.transaction() as conn:
        conn.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY, contact_id INTEGER"
                     " REFERENCES contacts (id) ON DELETE CASCADE, k TEXT,"
                     " UNIQUE (contact_id, k))")
        conn.execute("INSERT INTO future_things (contact_id, k) VALUES (?, 'x'), (?, 'x'),"
                     " (?, 'y')", (a, b, b))
    rows = db.query_all("SELECT * FROM future_things ORDER BY id")
    result = merge.merge(db, a, b, now=NOW)
    assert result.moved["future_things"] == 1 and result.dropped["future_things"] == 1
    assert count(db, "future_things", a) == 2
    merge.undo(db, result.merge_id, now=LATER)
    assert [tuple(r) for r in db.query_all("SELECT * FROM future_things ORDER BY id")] \
        == [tuple(r) for r in rows]


def test_merge_keeps_everything_of_both(db, pair):
    keep, other, friend, newcomer = pair
    before = {t: (count(db, t, keep), count(db, t, other)) for t in PER_CONTACT}
    assert found(db, "taro-yamada-fukuoka") == [other]

    result = merge.merge(db, keep, other, now=NOW)

    assert (result.kept_id, result.merged_id) == (keep, other)
    assert db.query_one("SELECT 1 FROM contacts WHERE id = ?", (other,)) is None
    for table in PER_CONTACT:
        assert count(db, table, other) == 0, table
    # rows moved as they were; the shared tag, address and event once each
    for table in ("identities", "interactions", "notes", "facts", "captures",
                  "suggestion_actions"):
        assert count(db, table, keep) == sum(before[table]), table
        assert result.moved.get(table, 0) == before[table][1], table
    assert result.dropped == {"contact_tags": 1, "contact_details": 1, "event_people": 1,
                              "contact_links": 2}
    assert sorted(r[0] for r in db.query_all(
        "SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id"
        " WHERE ct.contact_id = ?", (keep,))) == sorted(["勉強会", "rust", "物流"])
    assert [tuple(r) for r in db.query_all(
        "SELECT kind, value_norm FROM contact_details WHERE contact_id = ? ORDER BY id",
        (keep,))] == [("email", "taro@example.jp"), ("phone", "09012345678")]
    assert [tuple(r) for r in db.query_all(
        "SELECT event_id, note FROM event_people WHERE contact_id = ? ORDER BY event_id",
        (keep,))] == [(1, "Rustの話\n物流の話"), (2, None)]
    assert {tuple(r) for r in db.query_all(
        "SELECT a, b, kind, introducer FROM contact_links")} == {
        (keep, friend, "mutual", None), (keep, newcomer, "introduced_by", keep),
        (friend, newcomer, "introduced_by", keep)}
    # the empty fields filled; the name and hand-locked fields of the kept one stay its own,
    # the other's hand edit wins over a captured value
    row = db.query_one("SELECT * FROM contacts WHERE id = ?", (keep,))
    assert row["display_name"] == "山田 太郎"
    assert (row["reading"], row["organisation"], row["location"], row["headline"]) == (
        "やまだ たろう", "あおぞら物流", "福岡", "Logistics engineer in Fukuoka")
    assert row["title"] == "Lead engineer" and "title" in row["locked_fields"]
    assert row["purpose"] == "物流の相談相手"
    assert row["created_at"] == "2024-03-01T09:00:00.000Z"
    assert row["sort_key"] == "やまだ たろう"
    # one person now: my answer to the kept record answers their question, keeps my promise
    statuses = {r["span_text"]: r["status"] for r in db.query_all(
        "SELECT span_text, status FROM facts WHERE contact_id = ?", (keep,))}
    assert statuses["来週のご都合はいかがですか？"] == "answered"
    assert "kept" in statuses.values()
    assert db.query_one("SELECT COUNT(*) FROM ledger WHERE contact_id = ? AND source ="
                        " 'promise'", (keep,))[0] == 1
    assert row["last_two_way_at"] is not None
    # the search index follows: the other's handles, identity names and fields find the kept
    for q in ("taro-yamada-fukuoka", "tyamada-logi", "Taro Yamada", "あおぞら物流", "物流の話"):
        assert found(db, q) == [keep], q
    assert db.query_one("SELECT COUNT(*) FROM next_followups WHERE contact_id IN (?, ?)",
                        (keep, other))[0] == 0


def test_undo_gives_back_the_same_export(db, pair):
    keep, other, *_ = pair

    def index():
        return [tuple(r) for r in db.query_all("SELECT rowid, doc FROM contacts_fts"
                                               " ORDER BY rowid")]
    before, index_before = export(db), index()
    result = merge.merge(db, keep, other, now=NOW)
    assert export(db) != before
    undone = merge.undo(db, result.merge_id, now=LATER)
    assert undone.restored_id == other and undone.skipped == 0
    assert undone.moved_back == result.moved
    assert undone.restored == result.dropped
    assert export(db) == before
    assert index() == index_before      # the search index too, by its triggers
    assert found(db, "taro-yamada-fukuoka") == [other]
    assert found(db, "taro_y") == [keep]
    info = merge.get_merge(db, result.merge_id)
    assert info.undone_at == LATER and not info.can_undo


def test_merge_errors(db, pair):
    keep, other, *_ = pair
    with pytest.raises(MergeError) as same:
        merge.merge(db, keep, keep)
    assert same.value.status == 400 and same.value.code == "same_contact"
    assert same.value.message_ja
    with pytest.raises(MergeError) as missing:
        merge.merge(db, keep, 9999)
    assert missing.value.status == 404
    with pytest.raises(MergeError):
        merge.merge(db, 9999, keep)
    with pytest.raises(MergeError) as reason:
        merge.merge(db, keep, other, reason="")
    assert reason.value.status == 400
    with pytest.raises(RuntimeError):
        merge.merge_contacts(db.connect(), keep, other, "user", NOW)   # no transaction
    assert db.query_one("SELECT COUNT(*) FROM merges")[0] == 0
    result = merge.merge(db, keep, other, now=NOW)
    merge.undo(db, result.merge_id, now=LATER)
    with pytest.raises(MergeError) as twice:
        merge.undo(db, result.merge_id)
    assert twice.value.status == 409 and twice.value.code == "already_undone"
    assert "取り消" in twice.value.message_ja
    with pytest.raises(MergeError) as unknown:
        merge.undo(db, 999)
    assert unknown.value.status == 404


def test_a_later_merge_is_undone_first(db, pair):
    keep, other, friend, newcomer = pair
    before = export(db)
    first = merge.merge(db, keep, other, now=NOW)
    second = merge.merge(db, friend, keep, now=NOW)     # the kept one merged on in turn
    with pytest.raises(MergeError) as refused:
        merge.undo(db, first.merge_id)
    assert refused.value.status == 409 and refused.value.code == "later_merge"
    assert refused.value.details["merge_id"] == second.merge_id
    listed = merge.list_merges(db).merges
    assert [m.id for m in listed] == [second.merge_id, first.merge_id]
    assert listed[1].blocked_by == second.merge_id and not listed[1].can_undo
    assert listed[0].can_undo and listed[0].merged_name == "山田 太郎"
    merge.undo(db, second.merge_id, now=LATER)
    merge.undo(db, first.merge_id, now=LATER)
    assert export(db) == before


def test_rows_added_after_the_merge_stay_with_the_kept_contact(db, pair):
    keep, other, *_ = pair
    other_messages = {r[0] for r in db.query_all(
        "SELECT id FROM interactions WHERE contact_id = ?", (other,))}
    result = merge.merge(db, keep, other, now=NOW)
    later = add_message(db, keep, "in", "また福岡で会いましょう", "2026-11-27T08:00:00.000Z")
    merge.undo(db, result.merge_id, now=LATER)
    assert db.query_one("SELECT contact_id FROM interactions WHERE id = ?", (later,))[0] == keep
    assert {r[0] for r in db.query_all("SELECT id FROM interactions WHERE contact_id = ?",
                                       (other,))} == other_messages
    # the kept contact's state from what it has now (a later answer counts)
    assert db.query_one("SELECT last_two_way_at FROM contacts WHERE id = ?",
                        (keep,))[0] == "2026-11-27T08:00:00.000Z"


def test_a_field_changed_after_the_merge_keeps_its_new_value(db, pair):
    keep, other, *_ = pair
    result = merge.merge(db, keep, other, now=NOW)
    contacts.update_contact(db, keep, {"organisation": "株式会社ひかり"})
    merge.undo(db, result.merge_id, now=LATER)
    row = db.query_one("SELECT organisation, location FROM contacts WHERE id = ?", (keep,))
    assert (row["organisation"], row["location"]) == ("株式会社ひかり", None)


def test_the_other_id_taken_since_gives_a_new_id(db, pair):
    keep, other, *_ = pair
    top = db.query_one("SELECT MAX(id) FROM contacts")[0]
    newest = add_contact(db, "高橋 次郎")
    assert newest == top + 1
    with db.transaction() as conn:
        _identity(conn, newest, "x", "https://x.com/jiro_t", "jiro_t", "高橋次郎")
        _tag(conn, newest, "rust")
        _link(conn, newest, keep, "mutual")
    result = merge.merge(db, keep, newest, now=NOW)
    taken = add_contact(db, "伊藤 三郎")
    assert taken == newest          # SQLite gives the freed highest id again
    undone = merge.undo(db, result.merge_id, now=LATER)
    assert undone.restored_id not in (newest, keep)
    assert db.query_one("SELECT display_name FROM contacts WHERE id = ?",
                        (undone.restored_id,))[0] == "高橋 次郎"
    assert db.query_one("SELECT display_name FROM contacts WHERE id = ?", (taken,))[0] \
        == "伊藤 三郎"
    restored = undone.restored_id
    assert count(db, "identities", restored) == 1 and count(db, "contact_tags", restored) == 1
    assert count(db, "identities", taken) == 0 and count(db, "contact_tags", taken) == 0
    assert db.query_one("SELECT a, b FROM contact_links WHERE kind = 'mutual' AND ? IN (a, b)"
                        " AND ? IN (a, b)", (restored, keep)) is not None
    assert found(db, "jiro_t") == [restored]


def test_kept_contact_deleted_since_cannot_be_undone(db, pair):
    keep, other, *_ = pair
    result = merge.merge(db, keep, other, now=NOW)
    contacts.delete_contact(db, keep)
    with pytest.raises(MergeError) as gone:
        merge.undo(db, result.merge_id)
    assert gone.value.status == 409 and gone.value.code == "kept_contact_gone"


def test_a_failed_merge_leaves_nothing(db, pair, monkeypatch):
    keep, other, *_ = pair
    before = export(db)

    def boom(*args, **kwargs):
        raise RuntimeError("boom")
    monkeypatch.setattr(merge.relationship, "refresh_relationship", boom)
    with pytest.raises(RuntimeError):
        merge.merge(db, keep, other, now=NOW)
    assert export(db) == before
    assert db.query_one("SELECT COUNT(*) FROM merges")[0] == 0


# -- a generated network ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """A generated network (companion/demo.py) with tags, notes, details and events added, so
    random pairs overlap now and then."""
    folder = tmp_path_factory.mktemp("merge-network") / "data"
    ensure_demo(folder, contacts=30)
    db = Database(folder / "goen.sqlite3")
    rng = random.Random(9)
    try:
        db.migrate()
        with db.transaction() as conn:
            for n in range(1, 31):
                for name in rng.sample(["勉強会", "rust", "物流", "福岡", "投資"], 2):
                    _tag(conn, n, name)
                _detail(conn, n, "email", f"p{n % 7}@example.jp", f"p{n % 7}@example.jp")
                conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                             " VALUES (?, ?, ?, ?)", (n, f"メモ {n}", NOW, NOW))
            event = conn.execute("INSERT INTO events (name, created_at, updated_at) VALUES"
                                 " ('Goen meetup', ?, ?)", (NOW, NOW)).lastrowid
            for n in rng.sample(range(1, 31), 12):
                conn.execute("INSERT OR IGNORE INTO event_people VALUES (?, ?, ?, ?)",
                             (event, n, f"note {n}", NOW))
    finally:
        db.close()
    return folder / "goen.sqlite3"


@pytest.fixture
def demo_db(network, tmp_path):
    path = tmp_path / "copy.sqlite3"
    shutil.copy(network, path)
    db = Database(path)
    yield db
    db.close()


def test_random_pairs_merge_and_undo_to_the_same_export(demo_db):
    rng = random.Random(2026)
    ids = [r[0] for r in demo_db.query_all("SELECT id FROM contacts")]
    original = export(demo_db)
    contacts_before = len(ids)
    dropped_any = set()
    for _ in range(12):
        keep, other = rng.sample(ids, 2)
        result = merge.merge(demo_db, keep, other, now=NOW)
        dropped_any |= set(result.dropped)
        assert demo_db.query_one("SELECT COUNT(*) FROM contacts")[0] == contacts_before - 1
        merge.undo(demo_db, result.merge_id, now=LATER)
        assert export(demo_db) == original, (keep, other)
    assert {"contact_tags", "contact_details"} <= dropped_any     # overlaps were exercised


def test_a_chain_of_merges_undone_newest_first(demo_db):
    rng = random.Random(7)
    original = export(demo_db)
    alive = [r[0] for r in demo_db.query_all("SELECT id FROM contacts")]
    done = []
    for _ in range(6):
        keep, other = rng.sample(alive, 2)
        done.append(merge.merge(demo_db, keep, other, now=NOW).merge_id)
        alive.remove(other)
    for merge_id in reversed(done):
        merge.undo(demo_db, merge_id, now=LATER)
    assert export(demo_db) == original


def test_proposals_and_not_same_decisions_come_back_with_an_undo(db, pair):
    """Migration 0018: the other's proposals go with it, and its "not the same person"
    decisions are carried to the kept contact by a trigger; an undo takes both back."""
    keep, other, friend, newcomer = pair
    with db.transaction() as conn:
        conn.execute("INSERT INTO identity_proposals (a_id, b_id, score, verdict, reasons,"
                     " status, created_at, updated_at) VALUES (?, ?, 0.8, 'likely', '[]',"
                     " 'open', ?, ?), (?, ?, 0.9, 'likely', '[]', 'rejected', ?, ?)",
                     (min(other, friend), max(other, friend), NOW, NOW,
                      min(keep, newcomer), max(keep, newcomer), NOW, NOW))
        conn.execute("INSERT INTO identity_not_same VALUES (?, ?, ?)",
                     (*sorted([f"c:{other}", f"c:{newcomer}"]), NOW))

    def state():
        return ([tuple(r) for r in db.query_all("SELECT * FROM identity_proposals ORDER BY id")],
                [tuple(r) for r in db.query_all("SELECT * FROM identity_not_same ORDER BY 1, 2")])
    before = state()
    result = merge.merge(db, keep, other, now=NOW)
    assert result.dropped["identity_proposals"] == 1
    proposals, not_same = state()
    assert [(p[1], p[2]) for p in proposals] == [(min(keep, newcomer), max(keep, newcomer))]
    assert [r[:2] for r in not_same] == [tuple(sorted([f"c:{keep}", f"c:{newcomer}"]))]
    merge.undo(db, result.merge_id, now=LATER)
    proposals, not_same = state()
    pair_row = [p for p in proposals if (p[1], p[2]) == tuple(sorted((keep, other)))]
    assert [p[6] for p in pair_row] == ["rejected"]      # the undo's "not now" on the pair
    assert ([p for p in proposals if p not in pair_row], not_same) == before


def test_an_undone_merge_is_not_made_again_by_the_next_pass(db):
    from companion.services.matching import proposals
    with db.transaction() as conn:
        a = add_contact(db, "Mia Thornton")
        b = add_contact(db, "Mia Thornton")
        for cid in (a, b):
            conn.execute("INSERT INTO contact_details (contact_id, kind, value, value_norm,"
                         " source, created_at) VALUES (?, 'email', 'mia@thornton.example',"
                         " 'mia@thornton.example', 'vcard', ?)", (cid, NOW))
    assert proposals.refresh_proposals(db).auto_merged == 1
    merge_id = db.query_one("SELECT id FROM merges")[0]
    merge.undo(db, merge_id, now=LATER)
    again = proposals.refresh_proposals(db)
    assert again.auto_merged == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts WHERE id IN (?, ?)", (a, b))[0] == 2
    assert db.query_one("SELECT status FROM identity_proposals WHERE a_id = ? AND b_id = ?",
                        (min(a, b), max(a, b)))[0] == "rejected"


def test_the_kept_contacts_own_choices_win(db):
    keep = add_contact(db, "山田 太郎")
    other = add_contact(db, "Taro Yamada", organisation="あおぞら物流", tier="close",
                        title="CTO")
    with db.transaction() as conn:
        # the user emptied the organisation by hand and chose nothing else
        conn.execute("UPDATE contacts SET locked_fields = '[\"organisation\"]',"
                     " tier = 'wide', tier_source = 'proposed' WHERE id = ?", (keep,))
    merge.merge(db, keep, other, now=NOW)
    row = db.query_one("SELECT * FROM contacts WHERE id = ?", (keep,))
    assert row["organisation"] is None and row["title"] == "CTO"
    assert (row["tier"], row["tier_source"]) == ("close", "user")   # the user's pick there


@hsettings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), min_size=1, max_size=4))
def test_any_merges_undone_newest_first_give_the_same_export(demo_db, pairs):
    # every example ends where it began (that is what it checks), so one copy serves them all
    original = export(demo_db)
    alive = [r[0] for r in demo_db.query_all("SELECT id FROM contacts ORDER BY id")]
    done = []
    for i, j in pairs:
        keep, other = alive[i % len(alive)], alive[j % len(alive)]
        if keep == other:
            continue
        done.append(merge.merge(demo_db, keep, other, now=NOW).merge_id)
        alive.remove(other)
    for merge_id in reversed(done):
        merge.undo(demo_db, merge_id, now=LATER)
    assert export(demo_db) == original


def test_a_row_written_after_the_merge_under_a_reused_id_stays_with_the_kept_contact(db):
    """SQLite gives the highest deleted id to the next row: a moved note deleted after the
    merge, then a new note on the kept contact, share an id. The undo moves back only rows that
    are still the ones it moved (their creation time), so the new note stays."""
    keep = add_contact(db, "山田 太郎")
    other = add_contact(db, "Taro Yamada")
    contacts.add_note(db, keep, "kept's own note")
    moved = contacts.add_note(db, other, "the other's note")      # the highest note id
    with db.transaction() as conn:     # written well before (not in the same millisecond)
        conn.execute("UPDATE notes SET created_at = '2026-01-01T00:00:00.000Z' WHERE id = ?",
                      (moved.id,))
    result = merge.merge(db, keep, other, now=NOW)
    contacts.delete_note(db, moved.id)
    new = contacts.add_note(db, keep, "written after the merge")
    assert new.id == moved.id                                      # the id was reused
    undone = merge.undo(db, result.merge_id, now=LATER)
    assert sorted(n.body for n in contacts.list_notes(db, keep)) == [
        "kept's own note", "written after the merge"]
    assert contacts.list_notes(db, undone.restored_id) == []
