"""The vCard 4.0 and CSV exports (services/export_cards.py): every field a card carries, read
back by vobject and by csv; hostile values (line ends, commas, semicolons, quotes, formulas);
folding at 75 octets without cutting a UTF-8 character; stable UIDs; streaming in batches."""

from __future__ import annotations

import csv
import io

import pytest
import vobject

from companion.services import export_cards
from companion.services.details import Detail, add_details
from companion.services.export_cards import (CSV_COLUMNS, contact_uid, fold, write_csv,
                                             write_vcards)

NOW = "2024-03-01T09:00:00.000Z"
LONG_NOTE = ("山田さんとは二〇二三年の春に京都の勉強会で知り合い、その後も毎月のように連絡を取り合っている。"
             "次は新しい本の感想を伝える約束をした。") * 3


def add_contact(conn, name, family=None, given=None, reading=None, org=None, title=None,
                tier=None, created="2024-01-01T00:00:00.000Z",
                updated="2024-02-01T00:00:00.000Z") -> int:
    return conn.execute(
        "INSERT INTO contacts (display_name, family_name, given_name, reading, sort_key,"
        " organisation, title, tier, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (name, family, given, reading, (reading or name).casefold(), org, title, tier,
         created, updated)).fetchone()[0]


def tag(conn, contact_id, name):
    conn.execute("INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
    tag_id = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
    conn.execute("INSERT INTO contact_tags (contact_id, tag_id) VALUES (?, ?)",
                 (contact_id, tag_id))


def note(conn, contact_id, body, at="2024-02-10T00:00:00.000Z"):
    conn.execute("INSERT INTO notes (contact_id, body, created_at, updated_at)"
                 " VALUES (?, ?, ?, ?)", (contact_id, body, at, at))


def identity(conn, contact_id, platform, url):
    conn.execute("INSERT INTO identities (contact_id, platform, url, first_seen_at,"
                 " last_seen_at) VALUES (?, ?, ?, ?, ?)", (contact_id, platform, url, NOW, NOW))


@pytest.fixture
def people(db):
    """Two people: 山田 太郎 with everything, and a hostile one."""
    with db.transaction() as conn:
        yamada = add_contact(conn, "山田 太郎", "山田", "太郎", "やまだ たろう",
                             org="縁結び商事", title="営業部長", tier="close")
        add_details(conn, yamada, [
            Detail("email", "taro@example.jp", "work"),
            Detail("email", "taro.home@example.com", "home"),
            Detail("phone", "+81 90-1234-5678", "mobile"),
            Detail("url", "https://taro.example.jp/blog", None),
            Detail("address", "東京都千代田区丸の内1-1-1", "work"),
            Detail("birthday", "1985-04-12", None),
            Detail("import_key", "vcard-uid-should-not-leak", None),
        ], "test", NOW)
        identity(conn, yamada, "linkedin", "https://www.linkedin.com/in/taro-yamada-example")
        identity(conn, yamada, "x", "https://x.com/taro_example")
        tag(conn, yamada, "京都")
        tag(conn, yamada, "勉強会")
        note(conn, yamada, LONG_NOTE, "2024-02-10T00:00:00.000Z")
        note(conn, yamada, "二つ目のメモ", "2024-02-20T08:30:00.000Z")
        conn.execute("INSERT INTO interactions (contact_id, platform, direction, occurred_at,"
                     " text, external_id, created_at) VALUES (?, 'linkedin', 'in',"
                     " '2024-02-25T10:42:00.000Z', 'hi', 'e1', ?)", (yamada, NOW))
        hostile = add_contact(conn, '=HYPERLINK("http://evil.example","x"), Smith; Jr.',
                              "Smith; Jr.", "Ann, \"Nan\"", reading=None,
                              org="Acme; Inc, \\ Ltd", title="Line one\nline two")
        add_details(conn, hostile, [Detail("phone", "+1 555 0100", "cell")], "test", NOW)
        tag(conn, hostile, "a,b;c")
        note(conn, hostile, "-1+2\r\nsecond line; with, marks \"quoted\"")
    return {"yamada": yamada, "hostile": hostile}


def vcards_text(db) -> str:
    out = io.StringIO(newline="")
    write_vcards(db, out)
    return out.getvalue()


def parse_vcards(text: str) -> list:
    return list(vobject.readComponents(text))


def test_every_field_of_a_card_reads_back_with_vobject(db, people):
    text = vcards_text(db)
    first, second = parse_vcards(text)
    assert first.version.value == "4.0"
    assert first.fn.value == "山田 太郎"
    assert (first.n.value.family, first.n.value.given) == ("山田", "太郎")
    assert first.n.params["SORT-AS"] == ["やまだ", "たろう"]
    assert first.x_phonetic_last_name.value == "やまだ"
    assert first.x_phonetic_first_name.value == "たろう"
    assert first.org.value == ["縁結び商事"]
    assert first.title.value == "営業部長"
    assert sorted(e.value for e in first.email_list) == ["taro.home@example.com",
                                                          "taro@example.jp"]
    assert {e.value: e.params["TYPE"] for e in first.email_list}["taro@example.jp"] == ["work"]
    assert first.tel.value == "+81 90-1234-5678" and first.tel.params["TYPE"] == ["cell"]
    urls = {u.value: u.params.get("TYPE") for u in first.url_list}
    assert urls == {"https://taro.example.jp/blog": None,
                    "https://www.linkedin.com/in/taro-yamada-example": ["linkedin"],
                    "https://x.com/taro_example": ["x"]}
    assert first.adr.value.street == "東京都千代田区丸の内1-1-1"
    assert first.bday.value == "19850412"
    assert first.categories.value == ["京都", "勉強会"]
    assert first.note.value == LONG_NOTE + "\n\n二つ目のメモ"
    assert first.rev.value == "20240301T090000Z"      # the details added last, after notes
    assert first.uid.value.startswith("urn:uuid:")
    assert "vcard-uid-should-not-leak" not in text     # import keys stay in Goen


def test_hostile_values_are_escaped_and_come_back_whole(db, people):
    card = parse_vcards(vcards_text(db))[1]
    assert card.fn.value == '=HYPERLINK("http://evil.example","x"), Smith; Jr.'
    assert (card.n.value.family, card.n.value.given) == ("Smith; Jr.", 'Ann, "Nan"')
    assert card.org.value == ["Acme; Inc, \\ Ltd"]
    assert card.title.value == "Line one\nline two"
    assert card.categories.value == ["a,b;c"]
    assert card.note.value == "-1+2\nsecond line; with, marks \"quoted\""
    assert not hasattr(card, "x_phonetic_last_name")   # no reading, no phonetic name


def test_lines_are_crlf_and_folded_at_75_octets_without_cutting_a_character(db, people):
    raw = vcards_text(db).encode("utf-8")
    assert raw.count(b"\r\n") == raw.count(b"\n")            # every line ends in CRLF
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")                 # each physical line is whole UTF-8 on its own
    note_lines = [line for line in lines if line.startswith(b"NOTE:")]
    assert note_lines and len(lines[lines.index(note_lines[0]) + 1]) > 1
    assert lines[lines.index(note_lines[0]) + 1].startswith(b" ")


def test_fold_keeps_short_lines_and_splits_long_ones_exactly():
    assert fold("FN:short") == "FN:short\r\n"
    line = "NOTE:" + "あ" * 40                       # 5 + 120 octets
    folded = fold(line)
    pieces = folded.removesuffix("\r\n").split("\r\n ")
    assert "".join(pieces) == line
    # 5 + 23 × 3 = 74 (a 24th character would make 77), then the other 17 characters
    assert [len(p.encode()) for p in pieces] == [74, 51]
    emoji = "NOTE:" + "😀" * 30 + "a"                  # four-octet characters
    pieces = fold(emoji).removesuffix("\r\n").split("\r\n ")
    assert "".join(pieces) == emoji and all(len(p.encode()) <= 75 for p in pieces)


def test_the_uid_is_stable_across_exports_and_differs_per_contact_and_database(db, people):
    first = [c.uid.value for c in parse_vcards(vcards_text(db))]
    again = [c.uid.value for c in parse_vcards(vcards_text(db))]
    assert first == again and len(set(first)) == 2
    # the same id in another database (created at another moment) is another person
    assert contact_uid(1, "2024-01-01T00:00:00.000Z") != contact_uid(1, "2024-01-01T00:00:00.001Z")


def test_a_reading_without_a_space_goes_whole_as_the_last_name_reading(db):
    with db.transaction() as conn:
        add_contact(conn, "渡辺", reading="わたなべ")
        add_contact(conn, "Mary Brown", "Brown", "Mary")
    first, second = parse_vcards(vcards_text(db))
    assert first.n.value.family == "渡辺" and first.n.params["SORT-AS"] == ["わたなべ"]
    assert first.x_phonetic_last_name.value == "わたなべ"
    assert not hasattr(first, "x_phonetic_first_name")
    assert not second.n.params.get("SORT-AS")


def csv_rows(db) -> tuple[str, list[list[str]]]:
    out = io.StringIO(newline="")
    count = write_csv(db, out)
    text = out.getvalue()
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert count == len(rows) - 1
    return text, rows


def test_csv_has_a_bom_the_header_and_one_row_per_contact(db, people):
    text, rows = csv_rows(db)
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    assert tuple(rows[0]) == CSV_COLUMNS
    row = dict(zip(CSV_COLUMNS, rows[1]))
    assert row["Name"] == "山田 太郎" and row["Reading"] == "やまだ たろう"
    assert row["Organisation"] == "縁結び商事" and row["Title"] == "営業部長"
    assert row["Tier"] == "close"
    assert row["Tags"] == "京都 ::: 勉強会"
    assert row["E-mails"] == "taro@example.jp ::: taro.home@example.com"   # as added
    assert row["Phones"] == "'+81 90-1234-5678"        # a leading + would be a formula
    assert row["Web pages"] == "https://taro.example.jp/blog"
    assert row["Profile URLs"] == ("https://www.linkedin.com/in/taro-yamada-example ::: "
                                   "https://x.com/taro_example")
    assert row["Birthday"] == "1985-04-12"
    assert row["Last interaction"] == "2024-02-25"
    assert row["Notes"] == LONG_NOTE + "\n\n二つ目のメモ"
    assert row["Goen ID"] == str(people["yamada"])
    assert "vcard-uid-should-not-leak" not in text


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe(db, people):
    _, rows = csv_rows(db)
    row = dict(zip(CSV_COLUMNS, rows[2]))
    assert row["Name"] == '\'=HYPERLINK("http://evil.example","x"), Smith; Jr.'
    assert row["Given name"] == 'Ann, "Nan"'              # quotes and commas survive csv
    assert row["Title"] == "Line one\nline two"
    assert row["Notes"] == "'-1+2\r\nsecond line; with, marks \"quoted\""
    assert row["Tags"] == "a,b;c"
    for cell in rows[2]:
        assert not cell.startswith(("=", "+", "-", "@"))


def test_many_contacts_are_read_in_batches_in_id_order(db, monkeypatch):
    with db.transaction() as conn:
        for n in range(25):
            cid = add_contact(conn, f"Person {n:02d}")
            note(conn, cid, f"note {n}")
    seen_batches = []
    real_fill = export_cards._fill

    def spy(conn, found):
        seen_batches.append(list(found))
        real_fill(conn, found)

    monkeypatch.setattr(export_cards, "_fill", spy)
    monkeypatch.setattr(export_cards, "BATCH", 10)
    names = [c.display_name for c in export_cards.cards(db, batch=10)]
    assert names == [f"Person {n:02d}" for n in range(25)]
    assert [len(b) for b in seen_batches] == [10, 10, 5]
    _, rows = csv_rows(db)
    assert [r[-2] for r in rows[1:]] == [f"note {n}" for n in range(25)]
    assert not db.connect().in_transaction            # the read snapshot was closed


def test_round_trip_through_the_vcard_importer(db, people, settings, tmp_path):
    """Export → services/imports/vcard.py into an empty database: the same people come back,
    and importing the file a second time adds nothing (the UIDs find them)."""
    from companion.db import Database
    from companion.services.imports import detect, import_path

    path = tmp_path / "goen-export.vcf"
    with open(path, "w", encoding="utf-8", newline="") as out:
        assert write_vcards(db, out) == 2
    assert detect(path).name == "vcard"
    fresh = Database(tmp_path / "fresh.sqlite3")
    try:
        fresh.migrate()
        summary = import_path(fresh, settings, path)
        assert summary.created == 2 and summary.skipped == []
        row = fresh.query_one("SELECT * FROM contacts WHERE display_name = '山田 太郎'")
        assert (row["family_name"], row["given_name"], row["reading"]) == ("山田", "太郎",
                                                                            "やまだ たろう")
        assert (row["organisation"], row["title"]) == ("縁結び商事", "営業部長")
        details = {(r[0], r[1]) for r in fresh.query_all(
            "SELECT kind, value FROM contact_details WHERE contact_id = ? AND"
            " kind != 'import_key'", (row["id"],))}
        assert {("email", "taro@example.jp"), ("email", "taro.home@example.com"),
                ("phone", "+81 90-1234-5678")} <= details
        assert [r[0] for r in fresh.query_all(
            "SELECT url FROM identities WHERE contact_id = ? ORDER BY url", (row["id"],))] == [
            "https://www.linkedin.com/in/taro-yamada-example", "https://x.com/taro_example"]
        assert sorted(r[0] for r in fresh.query_all(
            "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id"
            " WHERE ct.contact_id = ?", (row["id"],))) == sorted(["京都", "勉強会"])
        notes = [r[0] for r in fresh.query_all("SELECT body FROM notes WHERE contact_id = ?",
                                               (row["id"],))]
        assert notes and LONG_NOTE in notes[0]
        hostile = fresh.query_one("SELECT * FROM contacts WHERE id != ?", (row["id"],))
        assert hostile["display_name"] == '=HYPERLINK("http://evil.example","x"), Smith; Jr.'
        assert hostile["organisation"] == "Acme; Inc, \\ Ltd"
        again = import_path(fresh, settings, path)
        assert (again.created, again.updated, again.merged) == (0, 0, 0)
        assert fresh.query_one("SELECT COUNT(*) FROM contacts")[0] == 2
    finally:
        fresh.close()
