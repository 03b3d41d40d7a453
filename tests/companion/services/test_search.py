"""Contact search (companion/services/search.py and migration 0010): what q finds (names,
readings in either kana, NFKC forms, organisation, tags, notes, handles, one- and two-character
words, FTS syntax typed as text), every filter, every sort, keyset paging under ties, the index
kept in step by triggers whatever writes, and the migration on a database that already has
people. Everyone here is invented."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from companion.db import Database, available_migrations, split_statements, utc_now
from companion.errors import ApiError
from companion.services import contacts, search
from companion.services.search import ContactQuery, parse_query, search_contacts

MIGRATION = (Path(search.__file__).resolve().parents[1] / "migrations"
             / "0010_contacts_search.sql")


def person(db: Database, name: str, *, reading: str | None = None, created: str | None = None,
           last_two_way: str | None = None, tier: str | None = "wide",
           handles: tuple[tuple[str, str], ...] = (), **fields) -> int:
    """A contact written with plain SQL, as any writer might: the triggers must index it."""
    now = created or utc_now()
    with db.transaction() as conn:
        cid = conn.execute(
            "INSERT INTO contacts (display_name, reading, sort_key, created_at, updated_at, tier,"
            " tier_source, last_two_way_at, family_name, given_name, headline, organisation,"
            " title, location) VALUES (?, ?, ?, ?, ?, ?, 'proposed', ?, ?, ?, ?, ?, ?, ?)",
            (name, reading, contacts.sort_key(name, reading), now, now, tier, last_two_way,
             fields.get("family_name"), fields.get("given_name"), fields.get("headline"),
             fields.get("organisation"), fields.get("title"), fields.get("location"))).lastrowid
        for platform, handle in handles:
            conn.execute(
                "INSERT INTO identities (contact_id, platform, url, handle, first_seen_at,"
                " last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                (cid, platform, f"https://{platform}.example/{handle}", handle, now, now))
    return cid


def ids(db: Database, **query) -> list[int]:
    return [r.id for r in search_contacts(db, ContactQuery(**query)).rows]


def found(db: Database, q: str) -> set[int]:
    return set(ids(db, q=q, limit=200))


@pytest.fixture
def people(db):
    return {
        "yamada": person(db, "山田 太郎", reading="ヤマダ タロウ", family_name="山田",
                         given_name="太郎", organisation="ゴエンテック株式会社",
                         headline="ゴエンテック株式会社 エンジニア", location="東京都",
                         handles=(("x", "yamada_t"), ("github", "taro-yamada"))),
        "sato": person(db, "佐藤 花子", reading="さとう はなこ", organisation="株式会社さくら",
                       title="部長", handles=(("linkedin", "hanako-sato"),)),
        "koyamada": person(db, "小山田 健", reading="おやまだ けん", organisation="Acme Corp"),
        "jane": person(db, "Jane Major", organisation="Northwind Labs",
                       headline="Data Engineer at Northwind Labs", location="Toronto, Canada",
                       handles=(("mastodon", "jane@social.example"),)),
        "john": person(db, "John Smith", organisation="ＦＵＬＬＷＩＤＴＨ Ｉｎｃ",
                       handles=(("x", "jsmith"),)),
    }


# -- what q finds --------------------------------------------------------------------------------

def test_kanji_names_two_characters_and_more(db, people):
    assert found(db, "山田") == {people["yamada"], people["koyamada"]}   # 2 characters: anywhere
    assert found(db, "山田 太郎") == {people["yamada"]}
    assert found(db, "山田太郎") == {people["yamada"]}                   # typed without the space
    assert found(db, "佐藤") == {people["sato"]}
    assert found(db, "小山田") == {people["koyamada"]}                   # 3 characters: trigrams
    assert found(db, "田") == {people["yamada"], people["koyamada"]}    # one character too
    assert found(db, "鈴木") == set()


def test_reading_in_hiragana_katakana_and_half_width(db, people):
    # yamada's reading is stored in katakana, sato's in hiragana: either kana finds either
    for q in ("やまだ", "ヤマダ", "ﾔﾏﾀﾞ", "やまだたろう", "ﾔﾏﾀﾞ ﾀﾛｳ"):
        assert people["yamada"] in found(db, q), q
    for q in ("さとう", "サトウ", "ｻﾄｳ", "はなこ"):
        assert found(db, q) == {people["sato"]}, q
    assert found(db, "おやまだ") == {people["koyamada"]}


def test_nfkc_full_width_and_half_width_forms(db, people):
    assert found(db, "ＹＡＭＡＤＡ") == {people["yamada"]}       # full-width romaji → handle
    assert found(db, "fullwidth") == {people["john"]}             # stored full-width, typed ASCII
    assert found(db, "ＦＵＬＬ") == {people["john"]}
    assert found(db, "ｺﾞｴﾝﾃｯｸ") == {people["yamada"]}            # half-width katakana
    assert found(db, "ごえんてっく") == {people["yamada"]}         # hiragana for katakana
    assert found(db, "NORTHWIND") == {people["jane"]}              # case-blind


def test_organisation_title_location_handle(db, people):
    assert found(db, "さくら") == {people["sato"]}
    assert found(db, "部長") == {people["sato"]}
    assert found(db, "Toronto") == {people["jane"]}
    assert found(db, "東京") == {people["yamada"]}
    assert found(db, "@yamada_t") == {people["yamada"]}
    assert found(db, "taro-yamada") == {people["yamada"]}
    assert found(db, "jsmith") == {people["john"]}


def test_tags_and_notes(db, people):
    contacts.set_tags(db, people["jane"], ["PyCon JP", "勉強会"])
    contacts.add_note(db, people["sato"], "展示会でお会いした。来月、奈良の件で連絡する。")
    assert found(db, "pycon") == {people["jane"]}
    assert found(db, "勉強会") == {people["jane"]}
    assert found(db, "奈良") == {people["sato"]}
    assert found(db, "展示会") == {people["sato"]}
    page = search_contacts(db, ContactQuery(q="奈良"))
    assert page.rows[0].snippet_field == "note"
    assert "奈良の件で連絡する" in page.rows[0].snippet
    assert page.rows[0].tags == ()


def test_words_are_and(db, people):
    assert found(db, "山田 エンジニア") == {people["yamada"]}
    assert found(db, "engineer northwind") == {people["jane"]}
    assert found(db, "山田 northwind") == set()
    assert found(db, "山田 ケン") == {people["koyamada"]}          # short and long words mixed


def test_short_latin_words_match_the_start_of_a_word(db, people):
    assert found(db, "jo") == {people["john"]}                     # not Major
    assert found(db, "ma") == {people["jane"]}                     # Major
    assert found(db, "j") == {people["jane"], people["john"]}      # one letter
    assert found(db, "ja") == {people["jane"]}


@pytest.mark.parametrize("q", ['"', '""', "AND OR (", "NEAR(", "*", "a:b", "^", '"山田',
                               "山田 OR", "-", "(", ")", "'", "title:engineer", "{a b}",
                               "\\", "%", "_"])
def test_fts_syntax_typed_is_plain_text(db, people, q):
    search_contacts(db, ContactQuery(q=q))                          # no error, whatever it finds


def test_fts_syntax_words_are_looked_for_as_text(db, people):
    person(db, "Kay Or (and)", organisation="AND OR Holdings")
    assert [r.display_name for r in search_contacts(db, ContactQuery(q="AND OR (")).rows] == [
        "Kay Or (and)"]
    assert found(db, '"山田"') == {people["yamada"], people["koyamada"]}   # quotes dropped


def test_snippet_says_where_q_matched(db, people):
    row = next(r for r in search_contacts(db, ContactQuery(q="ヤマダ")).rows
               if r.id == people["yamada"])
    assert (row.snippet_field, row.snippet) == ("reading", "ヤマダ タロウ")   # original text
    row = search_contacts(db, ContactQuery(q="northwind")).rows[0]
    assert row.snippet_field == "organisation" and row.snippet == "Northwind Labs"
    assert search_contacts(db, ContactQuery()).rows[0].snippet is None


# -- filters -----------------------------------------------------------------------------------

def test_each_filter_and_with_q(db, people):
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET tier = 'inner', last_two_way_at = ? WHERE id = ?",
                     ("2026-11-01T09:00:00.000Z", people["yamada"]))
        conn.execute("UPDATE contacts SET tier = 'dormant', last_two_way_at = ? WHERE id = ?",
                     ("2025-01-04T23:59:59.000Z", people["sato"]))
        conn.execute("UPDATE contacts SET tier = NULL WHERE id = ?", (people["jane"],))
    contacts.set_tags(db, people["sato"], ["Kyoto"])
    contacts.set_tags(db, people["yamada"], ["kyoto", "PyCon"])
    assert ids(db, tier="inner") == [people["yamada"]]
    assert set(ids(db, tier="wide")) == {people["koyamada"], people["jane"], people["john"]}
    assert ids(db, site="github") == [people["yamada"]]
    assert set(ids(db, site="x")) == {people["yamada"], people["john"]}
    assert ids(db, site="facebook") == []
    assert set(ids(db, tag="KYOTO")) == {people["yamada"], people["sato"]}   # case-blind
    assert ids(db, tag="nobody") == []
    # never contacted, or last two-way before 2025-01-05 (UTC days)
    assert set(ids(db, not_contacted_since=date(2025, 1, 5))) == {
        people["sato"], people["koyamada"], people["jane"], people["john"]}
    assert people["sato"] not in ids(db, not_contacted_since=date(2025, 1, 4))
    assert ids(db, q="山田", tier="inner") == [people["yamada"]]
    assert ids(db, q="山田", tag="kyoto", site="x") == [people["yamada"]]
    assert ids(db, q="山田", site="linkedin") == []
    page = search_contacts(db, ContactQuery(tag="kyoto", limit=1))
    assert page.total == 2 and len(page.rows) == 1
    row = search_contacts(db, ContactQuery(q="jane")).rows[0]
    assert row.tier == "wide"                                  # not yet rated: counts as wide


# -- sorting and paging --------------------------------------------------------------------------

def test_every_sort(db):
    a = person(db, "渡辺 健", reading="わたなべ けん", created="2026-01-03T00:00:00.000Z",
               last_two_way="2026-05-01T00:00:00.000Z", tier="close")
    b = person(db, "阿部 優", reading="アベ ユウ", created="2026-01-01T00:00:00.000Z",
               last_two_way=None, tier="inner")
    c = person(db, "Carol Young", created="2026-01-02T00:00:00.000Z",
               last_two_way="2026-06-01T00:00:00.000Z", tier="dormant")
    d = person(db, "伊藤 誠", reading="ｲﾄｳ ﾏｺﾄ", created="2026-01-04T00:00:00.000Z",
               last_two_way="2026-05-01T00:00:00.000Z", tier="close")
    # carol < あべ < いとう < わたなべ: readings in katakana and half-width katakana sort with
    # hiragana (the folding trigger folds sort_key too)
    assert ids(db) == [c, b, d, a]
    assert db.query_one("SELECT sort_key FROM contacts WHERE id = ?", (d,))[0] == "いとう まこと"
    assert ids(db, sort="recent") == [c, d, a, b]  # newest first; same time: newer id first;
    assert ids(db, sort="added") == [d, a, c, b]   # never contacted last
    assert ids(db, sort="tier") == [b, d, a, c]    # inner, close (by name), dormant


@pytest.mark.parametrize("sort", search.SORTS)
@pytest.mark.parametrize("limit", [1, 4, 7])
def test_paging_walks_every_row_once_under_ties(db, sort, limit):
    made = set()
    for i in range(23):
        # everyone shares a name, a creation time, a last exchange and a tier in threes
        made.add(person(db, f"Same Name {i % 3}", created="2026-02-01T00:00:00.000Z",
                        last_two_way=None if i % 4 == 0 else "2026-03-01T00:00:00.000Z",
                        tier=("inner", "close", "wide")[i % 3]))
    seen, cursor, pages = [], None, 0
    while True:
        page = search_contacts(db, ContactQuery(sort=sort, cursor=cursor, limit=limit))
        assert page.total == 23
        seen += [r.id for r in page.rows]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert sorted(seen) == sorted(made) and len(seen) == 23
    assert pages == -(-23 // limit)
    assert seen == ids(db, sort=sort, limit=200)             # the same order as one page


def test_paging_with_q_and_filters(db):
    want = {person(db, f"山田 {i}", tier="active") for i in range(12)}
    person(db, "山田 dormant", tier="dormant")
    person(db, "田中 一郎", tier="active")
    seen, cursor = [], None
    while True:
        page = search_contacts(db, ContactQuery(q="山田", tier="active", cursor=cursor,
                                                limit=5, sort="added"))
        assert page.total == 12
        seen += [r.id for r in page.rows]
        if not (cursor := page.next_cursor):
            break
    assert len(seen) == 12 and set(seen) == want


def test_a_cursor_from_another_sort_or_made_up_is_refused(db):
    for i in range(3):
        person(db, f"P{i}")
    cursor = search_contacts(db, ContactQuery(limit=1)).next_cursor
    with pytest.raises(ApiError) as err:
        search_contacts(db, ContactQuery(limit=1, sort="recent", cursor=cursor))
    assert err.value.details == {"field": "cursor"}
    for bad in ("not-a-cursor", "W10", "WyJuYW1lIiwxLDJd"):   # garbage, [], ["name",1,2]
        with pytest.raises(ApiError):
            search_contacts(db, ContactQuery(cursor=bad))


def test_the_row_fields(db, people):
    with db.transaction() as conn:
        conn.execute("UPDATE contacts SET avatar_url = 'https://img.example/t.png',"
                     " last_two_way_at = '2026-11-20T09:00:00.000Z' WHERE id = ?",
                     (people["yamada"],))
    contacts.set_tags(db, people["yamada"], ["b-tag", "A-tag"])
    row = search_contacts(db, ContactQuery(q="yamada_t")).rows[0]
    assert row.id == people["yamada"] and row.display_name == "山田 太郎"
    assert (row.reading, row.organisation) == ("ヤマダ タロウ", "ゴエンテック株式会社")
    assert row.headline == "ゴエンテック株式会社 エンジニア"
    assert row.sites == ("x", "github") and row.tags == ("A-tag", "b-tag")
    assert (row.last_two_way, row.photo_url, row.tier) == (
        "2026-11-20", "https://img.example/t.png", "wide")
    assert (row.snippet_field, row.snippet) == ("handle", "yamada_t")


# -- the index follows every change ------------------------------------------------------------

def test_index_follows_renames_notes_tags_identities_and_deletion(db, people):
    contacts.update_contact(db, people["sato"], {"display_name": "鈴木 花子",
                                                 "reading": "スズキ ハナコ"})
    assert found(db, "鈴木") == {people["sato"]} and found(db, "佐藤") == set()
    assert found(db, "すずき") == {people["sato"]} and found(db, "さとう") == set()
    assert db.query_one("SELECT sort_key FROM contacts WHERE id = ?",
                        (people["sato"],))[0] == "すずき はなこ"

    note = contacts.add_note(db, people["jane"], "Talked about the Osaka meetup")
    assert found(db, "osaka") == {people["jane"]}
    with db.transaction() as conn:
        conn.execute("UPDATE notes SET body = 'Kobe instead' WHERE id = ?", (note.id,))
    assert found(db, "osaka") == set() and found(db, "kobe") == {people["jane"]}
    with db.transaction() as conn:
        conn.execute("DELETE FROM notes WHERE id = ?", (note.id,))
    assert found(db, "kobe") == set()

    contacts.set_tags(db, people["john"], ["golf", "後輩"])
    assert found(db, "golf") == {people["john"]} and found(db, "後輩") == {people["john"]}
    contacts.set_tags(db, people["john"], ["後輩"])                  # a tag removed
    assert found(db, "golf") == set() and found(db, "後輩") == {people["john"]}
    with db.transaction() as conn:                                  # a tag renamed
        conn.execute("UPDATE tags SET name = '同期' WHERE name = '後輩'")
    assert found(db, "後輩") == set() and found(db, "同期") == {people["john"]}
    with db.transaction() as conn:                                  # a tag deleted
        conn.execute("DELETE FROM tags WHERE name = '同期'")
    assert found(db, "同期") == set()

    with db.transaction() as conn:                                  # an identity added
        conn.execute("INSERT INTO identities (contact_id, platform, url, handle, display_name,"
                     " first_seen_at, last_seen_at) VALUES (?, 'bluesky',"
                     " 'https://bsky.app/profile/kenoyamada.example', 'kenoyamada.example',"
                     " 'Ken Oyamada', ?, ?)", (people["koyamada"], utc_now(), utc_now()))
    assert found(db, "kenoyamada") == {people["koyamada"]}
    assert ids(db, site="bluesky") == [people["koyamada"]]
    with db.transaction() as conn:                                  # moved to another contact
        conn.execute("UPDATE identities SET contact_id = ? WHERE platform = 'bluesky'",
                     (people["john"],))
    assert found(db, "kenoyamada") == {people["john"]}

    contacts.delete_contact(db, people["yamada"])                   # a contact deleted
    assert found(db, "山田") == {people["koyamada"]}
    assert db.query_one("SELECT COUNT(*) FROM contacts_fts WHERE rowid = ?",
                        (people["yamada"],))[0] == 0
    assert db.query_one("SELECT COUNT(*) FROM contacts_search_queue")[0] == 0
    assert (db.query_one("SELECT COUNT(*) FROM contacts_fts")[0]
            == db.query_one("SELECT COUNT(*) FROM contacts")[0])


def test_a_captured_profile_is_found(db):
    from companion.adapters.base import Profile
    from companion.services import identity
    profile = Profile(display_name="森 春子", reading="もり はるこ", organisation="ミドリ商事",
                      url="https://x.com/haruko_mori")
    with db.transaction() as conn:
        resolved = identity.resolve_profile(conn, profile, profile.url, utc_now())
    assert found(db, "ミドリ") == {resolved.contact_id}
    assert found(db, "haruko_mori") == {resolved.contact_id}
    assert found(db, "森") == {resolved.contact_id}


# -- the migration -------------------------------------------------------------------------------

def test_migration_fills_the_index_for_people_already_there(tmp_path):
    db = Database(tmp_path / "old.sqlite3")
    conn = db.connect()
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                 " name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for migration in available_migrations():
        if migration.version >= 10:
            break
        with db.transaction():
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)",
                         (migration.version, migration.name, utc_now()))
    assert db.schema_version() == 9
    old = person(db, "古川 次郎", reading="フルカワ ジロウ", organisation="ﾌﾙｶﾜ工務店",
                 handles=(("x", "furukawa_j"),))
    contacts.set_tags(db, old, ["取引先"])
    contacts.add_note(db, old, "来年の展示会で再会")
    assert 10 in db.migrate()
    for q in ("古川", "ふるかわ", "フルカワ工務店", "furukawa_j", "取引先", "展示会"):
        assert found(db, q) == {old}, q
    assert search_contacts(db, ContactQuery(sort="tier")).total == 1
    db.close()


def test_the_migration_holds_the_generated_folding_trigger():
    text = MIGRATION.read_text(encoding="utf-8")
    generated = text.split("-- BEGIN GENERATED\n", 1)[1].split("\n-- END GENERATED", 1)[0]
    assert generated == search.fold_trigger_sql()


def test_each_folding_entry_is_nfkc_then_hiragana():
    for level in search.FOLD_LEVELS:
        assert len(level) <= 20
        for src, dst in level:
            expected = unicodedata.normalize("NFKC", src)
            expected = "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" or c in "ヽヾ"
                               else c for c in expected)
            assert dst == expected.lower() or dst == expected, (src, dst)


def test_sql_and_python_fold_alike(db):
    every = "".join(src for level in search.FOLD_LEVELS for src, _ in level)
    sample = every + " ＡbＣ ﾊﾟｰﾃｨｰ ｶﾞｷﾞ か\u3099 ÀÉÎ ㈱ ⑳ ＠ＸＹ"
    cid = person(db, sample)
    stored = db.query_one("SELECT doc FROM contacts_fts WHERE rowid = ?", (cid,))[0]
    assert stored.split("\n")[1] == search.normalise(sample)
    assert search.normalise("ﾊﾟｰﾃｨｰ") == "ぱーてぃー"
    assert search.normalise("Ｇｏｅｎ　テック") == "goen てっく"


# -- reading the request ------------------------------------------------------------------------

def test_parse_query_reads_every_field():
    query = parse_query({"q": " 山田 ", "tier": "close", "site": "linkedin", "tag": " PyCon  JP ",
                         "not_contacted_since": "2026-01-31", "sort": "recent", "limit": "20"})
    assert query == ContactQuery(q="山田", tier="close", site="linkedin", tag="PyCon JP",
                                 not_contacted_since=date(2026, 1, 31), sort="recent", limit=20)
    assert parse_query({}) == ContactQuery()
    assert parse_query({"tier": "", "site": "", "sort": "", "cursor": ""}) == ContactQuery()


@pytest.mark.parametrize("args,field", [
    ({"tier": "best"}, "tier"), ({"site": "Linked In"}, "site"), ({"tag": "x" * 61}, "tag"),
    ({"not_contacted_since": "2026-13-01"}, "not_contacted_since"),
    ({"not_contacted_since": "yesterday"}, "not_contacted_since"),
    ({"not_contacted_since": "2026-01-01T00:00:00Z"}, "not_contacted_since"),
    ({"sort": "random"}, "sort"), ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
    ({"limit": "ten"}, "limit"), ({"cursor": "%%%"}, "cursor"), ({"q": "x" * 201}, "q"),
])
def test_parse_query_refuses_bad_values(args, field):
    with pytest.raises(ApiError) as err:
        parse_query(args)
    assert err.value.status == 400 and err.value.details == {"field": field}


def test_a_query_built_by_hand_is_checked_too(db):
    for query, field in ((ContactQuery(limit=0), "limit"), (ContactQuery(sort="x"), "sort"),
                         (ContactQuery(tier="x"), "tier")):
        with pytest.raises(ApiError) as err:
            search_contacts(db, query)
        assert err.value.details == {"field": field}
