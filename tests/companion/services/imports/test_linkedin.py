"""Importing LinkedIn's data export: every format variant, twice without duplicates, who wrote
each message, facts, bad zips and missing columns."""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest

from companion import cli_import
from companion.services.followup.store import insert_interaction_facts
from companion.services.imports import ImportFailed, base, detect, groups, import_path, linkedin
from companion.settings import load_settings

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "imports" / "linkedin"
OWNER = "https://www.linkedin.com/in/aiko-testowner-demo"


def counts(db) -> dict:
    return {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
            for t in ("contacts", "identities", "interactions", "facts", "notes")}


def contact(db, url: str):
    return db.query_one("SELECT c.*, i.first_seen_at FROM contacts c JOIN identities i ON"
                        " i.contact_id = c.id WHERE i.url = ?", (url,))


def make_zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for child in folder.iterdir():
            archive.write(child, f"Basic_LinkedInDataExport_01-01-2025/{child.name}")
    return target


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))
    return folder


# -- Connections.csv ------------------------------------------------------------------------------

def test_connections_with_notes_preamble_and_urls(db, settings):
    summary = import_path(db, settings, FIXTURES / "basic")
    assert summary.source == "linkedin:basic"
    # 4 connections, Rin (a message) and Mara (an invitation)
    assert summary.created == 6 and summary.updated == 0 and summary.merged == 0
    ken = contact(db, "https://www.linkedin.com/in/ken-moriwaki-demo")
    assert (ken["display_name"], ken["organisation"], ken["title"]) == (
        "Ken Moriwaki", "Kumo Logistics", "Platform Engineer")
    assert ken["first_seen_at"] == "2024-01-15T00:00:00.000Z"   # Connected On
    # jp.linkedin.com and a trailing slash: the canonical URL; a Japanese name family first
    hanako = contact(db, "https://www.linkedin.com/in/hanako-yamada-demo")
    assert (hanako["display_name"], hanako["family_name"], hanako["given_name"]) == (
        "山田 花子", "山田", "花子")
    priya = contact(db, "https://www.linkedin.com/in/priya-fernhill-demo")
    # the e-mail address, given only by people who allowed it, is kept as a detail
    assert [tuple(r) for r in db.query_all(
        "SELECT contact_id, kind, value_norm, source FROM contact_details")] == [
        (priya["id"], "email", "priya@example.com", "linkedin")]


def test_older_connections_without_url_and_excel_dates(db, settings):
    summary = import_path(db, settings, FIXTURES / "old")
    assert summary.created == 2 and not summary.skipped
    olive = db.query_one("SELECT * FROM contacts WHERE display_name = 'Olive Brandt'")
    assert olive["organisation"] == "Brandt & Sons Cartography"
    # messages of an export without URLs attach by the connection's name, the owner is the
    # participant of every conversation
    rows = db.query_all("SELECT direction, text FROM interactions WHERE contact_id = ?"
                        " ORDER BY occurred_at", (olive["id"],))
    assert [(r["direction"], r["text"]) for r in rows] == [("in", "Happy new year!"),
                                                           ("out", "Same to you!")]


@pytest.mark.parametrize("text,expected", [
    ("15 Jan 2024", "2024-01-15T00:00:00.000Z"),
    ("1/15/2024", "2024-01-15T00:00:00.000Z"),
    ("2024-01-15", "2024-01-15T00:00:00.000Z"),
    ("2024-01-15 10:42:07 UTC", "2024-01-15T10:42:07.000Z"),
    ("1/20/24, 9:12 AM", "2024-01-20T09:12:00.000Z"),
    ("next Tuesday", None),
    ("2024-02-30 10:00:00 UTC", None),
])
def test_dates_as_linkedin_and_excel_write_them(text, expected):
    assert linkedin.parse_date(text) == expected


def test_excel_resave_in_shift_jis_reads_right(db, settings, tmp_path):
    folder = write(tmp_path / "sjis", "Connections.csv",
                   "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
                   "太郎,鈴木,https://www.linkedin.com/in/taro-suzuki-demo,,株式会社テスト,"
                   "エンジニア,2024/01/15\r\n", "cp932")
    import_path(db, settings, folder)
    taro = contact(db, "https://www.linkedin.com/in/taro-suzuki-demo")
    assert (taro["display_name"], taro["organisation"]) == ("鈴木 太郎", "株式会社テスト")
    assert taro["first_seen_at"] == "2024-01-15T00:00:00.000Z"


def test_url_less_row_merges_into_the_person_of_that_name(db, settings, tmp_path):
    with db.transaction() as conn:
        conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                     " VALUES ('Olive Brandt', 'olive brandt', 'x', 'x')")
    folder = tmp_path / "o"
    folder.mkdir()
    shutil.copy(FIXTURES / "old" / "Connections.csv", folder)
    summary = import_path(db, settings, folder)
    assert (summary.created, summary.merged) == (1, 1)    # Yusuke new, Olive filled in
    rows = db.query_all("SELECT organisation FROM contacts WHERE display_name = 'Olive Brandt'")
    assert [r[0] for r in rows] == ["Brandt & Sons Cartography"]


def test_same_named_rows_without_url_stay_two_people(db, settings, tmp_path):
    folder = write(tmp_path / "twins", "Connections.csv",
                   "First Name,Last Name,Company,Position,Connected On\n"
                   "Sam,Lowe,,,1 Jan 2020\nSam,Lowe,,,2 Feb 2021\n")
    assert import_path(db, settings, folder).created == 2
    again = import_path(db, settings, folder)
    assert (again.created, again.merged) == (0, 0)
    assert counts(db)["contacts"] == 2


# -- twice ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", ["basic", "old"])
def test_importing_twice_adds_nothing(db, settings, tmp_path, variant):
    archive = make_zip(FIXTURES / variant, tmp_path / "export.zip")
    import_path(db, settings, archive)
    before = counts(db)
    again = import_path(db, settings, FIXTURES / variant)   # the same export, unzipped
    assert counts(db) == before
    assert (again.created, again.updated, again.merged, again.interactions_added) == (0, 0, 0, 0)


def test_a_newer_export_updates_the_changed_person(db, settings, tmp_path):
    import_path(db, settings, FIXTURES / "basic")
    text = (FIXTURES / "basic" / "Connections.csv").read_text().replace(
        "Kumo Logistics,Platform Engineer", "Kumo Logistics,Staff Engineer")
    folder = write(tmp_path / "newer", "Connections.csv", text)
    summary = import_path(db, settings, folder)
    assert (summary.created, summary.updated) == (0, 1)
    assert contact(db, "https://www.linkedin.com/in/ken-moriwaki-demo")["title"] == \
        "Staff Engineer"


# -- messages ------------------------------------------------------------------------------------

def directions(db) -> dict:
    return {r["text"][:12]: r["direction"] for r in db.query_all(
        "SELECT text, direction FROM interactions WHERE kind = 'message'")}


def test_message_directions_by_the_owner_rule(db, settings):
    import_path(db, settings, FIXTURES / "basic")
    assert directions(db) == {"Thanks for t": "in", "Great, looki": "out",
                              "Would you be": "in", "はじめまして。来週資料を": "out"}
    # my message to someone who is not a connection creates them, and goes to them
    rin = contact(db, "https://www.linkedin.com/in/rin-okabe-demo")
    assert db.query_one("SELECT direction FROM interactions WHERE contact_id = ?",
                        (rin["id"],))[0] == "out"


def test_message_directions_by_my_profiles(db, data_dir):
    # my_profiles naming Ken turns the file around: Ken's messages are "mine"
    settings = load_settings({"data_dir": str(data_dir), "token_backend": "file",
                              "my_profiles": "https://www.linkedin.com/in/ken-moriwaki-demo/"},
                             environ={})
    import_path(db, settings, FIXTURES / "basic")
    got = directions(db)
    assert got["Thanks for t"] == "out" and got["Great, looki"] == "in"


def test_owner_unknown_skips_messages_with_the_reason(db, settings, tmp_path):
    folder = write(tmp_path / "one", "messages.csv",
                   "CONVERSATION ID,FROM,TO,DATE,CONTENT\n"
                   "c1,Ann Vale,Bo Ström,2024-01-01 10:00:00 UTC,hi\n")
    summary = import_path(db, settings, folder)
    assert counts(db)["interactions"] == 0
    assert [s.reason for s in summary.skipped] == [linkedin.SKIP_NO_OWNER]


def test_linkedin_member_is_skipped_with_a_reason(db, settings):
    summary = import_path(db, settings, FIXTURES / "basic")
    assert [(s.where, s.reason) for s in summary.skipped] == [
        ("messages.csv:6", linkedin.SKIP_HIDDEN)]
    assert "LinkedIn Member" in linkedin.SKIP_HIDDEN


def test_facts_appear_for_an_imported_promise(db, settings):
    import_path(db, settings, FIXTURES / "basic")
    ken = contact(db, "https://www.linkedin.com/in/ken-moriwaki-demo")
    facts = db.query_all("SELECT kind, whose, span_text FROM facts WHERE contact_id = ?",
                         (ken["id"],))
    assert ("promise", "them") in {(f["kind"], f["whose"]) for f in facts}
    assert any("slides" in f["span_text"] for f in facts)
    rin = contact(db, "https://www.linkedin.com/in/rin-okabe-demo")
    mine = db.query_all("SELECT whose FROM facts WHERE contact_id = ? AND kind = 'promise'",
                        (rin["id"],))
    assert [f["whose"] for f in mine] == ["me"]      # 資料をお送りします, written by the user


def facts_by_message(db) -> list[tuple]:
    return [tuple(r) for r in db.query_all(
        "SELECT i.external_id, f.kind, f.whose, f.label, f.span_start, f.due, f.status,"
        " s.external_id FROM facts f JOIN interactions i ON i.id = f.interaction_id"
        " LEFT JOIN interactions s ON 'interaction:' || s.id = f.status_source ORDER BY 1, 2, 5")]


def test_a_message_twice_in_one_file_is_stored_and_read_once(db, settings, tmp_path):
    text = (FIXTURES / "basic" / "messages.csv").read_text()
    lines = text.splitlines(keepends=True)
    promise = next(line for line in lines if "send you the slides" in line)
    folder = write(tmp_path / "twice", "messages.csv", text + promise)   # the row again
    shutil.copy(FIXTURES / "basic" / "Connections.csv", folder)
    summary = import_path(db, settings, folder)
    assert summary.interactions_added == counts(db)["interactions"] == 4
    assert db.query_one("SELECT COUNT(*) FROM facts WHERE span_text LIKE '%slides%'")[0] == 1


def test_many_small_batches_store_what_one_batch_stores(db, settings, tmp_path, monkeypatch):
    # the messages are written a batch at a time (insert_interactions) and their facts and
    # statuses settled per batch: the answer to a promise may come in a later batch
    rows = ["CONVERSATION ID,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,CONTENT"]
    ken = ("Ken Moriwaki", "https://www.linkedin.com/in/ken-moriwaki-demo")
    me = ("Aiko Testowner", OWNER)
    texts = [(ken, "Could you send me the slides?"), (me, "I'll send you the slides tomorrow."),
             (ken, "Thanks!"), (me, "I sent you the slides just now."),
             (ken, "Are you coming to the meetup on March 3?"), (me, "Yes, see you there.")]
    for n, ((sender, url), text) in enumerate(texts * 3):
        other = me if sender != me[0] else ken
        rows.append(f"c1,{sender},{url},{other[0]},{other[1]},"
                    f"2024-02-{n + 1:02d} 09:00:00 UTC,\"{text}\"")
    folder = write(tmp_path / "batches", "messages.csv", "\n".join(rows) + "\n")
    shutil.copy(FIXTURES / "basic" / "Connections.csv", folder)
    other_data = tmp_path / "one-batch"
    one = type(db)(other_data / "goen.sqlite3")
    one.migrate()
    import_path(one, settings, folder)
    monkeypatch.setattr(linkedin, "MESSAGE_BATCH_ROWS", 4)
    monkeypatch.setattr(linkedin, "FIRST_BATCH_ROWS", 1)
    summary = import_path(db, settings, folder)
    assert summary.interactions_added == 18
    expected = facts_by_message(one)
    assert {r[6] for r in expected} >= {"kept", "answered"}   # something was settled
    assert facts_by_message(db) == expected
    tiers = "SELECT display_name, last_two_way_at, tier FROM contacts ORDER BY display_name"
    assert [tuple(r) for r in db.query_all(tiers)] == [tuple(r) for r in one.query_all(tiers)]
    one.close()


MESSAGE_HEADER = ["CONVERSATION ID", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
                  "DATE", "CONTENT"]


def messages_csv(folder, rows, folder_column: bool = False) -> Path:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MESSAGE_HEADER + (["FOLDER"] if folder_column else []))
    writer.writerows(rows)
    return write(folder, "messages.csv", out.getvalue())


def test_group_messages_follow_the_shared_group_rule(db, settings, tmp_path):
    # imports/groups.py, over rows written newest first as LinkedIn writes them
    members = [(f"Member {c}", f"https://www.linkedin.com/in/member-{c.lower()}-demo")
               for c in "ABCDEFG"]
    me = ("Aiko Testowner", OWNER)

    def row(conversation, n, sender, others, text, folder="INBOX", second=0):
        return [conversation, sender[0], sender[1], ", ".join(o[0] for o in others),
                ", ".join(o[1] for o in others), f"2024-06-01 09:{n:02d}:{second:02d} UTC", text,
                folder]

    small = [(f"Friend {c}", f"https://www.linkedin.com/in/friend-{c.lower()}-demo")
             for c in "XYZ"]
    large = members
    everyone_but = lambda people, who: [p for p in [me, *people] if p != who]  # noqa: E731
    rows = [
        row("small", 1, me, small, "Dinner on Friday?"),
        row("small", 2, small[1], everyone_but(small, small[1]), "Yes!"),
        row("small", 3, me, small, "I'll book a table."),
        row("large", 1, me, large, "Welcome, everyone"),
        row("large", 2, large[0], everyone_but(large, large[0]), "Which topic next?"),
        row("large", 3, large[4], everyone_but(large, large[4]), "Rust, please"),
        row("large", 3, me, large, "Rust?", "DRAFT", 30),   # never sent: answers nobody
        row("large", 4, me, large, "Rust it is."),
        row("large", 5, me, large, "I'll send the agenda."),
    ]
    folder = messages_csv(tmp_path / "groups", reversed(rows), folder_column=True)
    summary = import_path(db, settings, folder)
    got = [(r[0], r[1]) for r in db.query_all(
        "SELECT i.text, c.display_name FROM interactions i JOIN contacts c ON c.id ="
        " i.contact_id WHERE i.direction = 'out' ORDER BY i.thread_key DESC, i.occurred_at,"
        " c.display_name")]
    assert got == [
        ("Dinner on Friday?", "Friend X"), ("Dinner on Friday?", "Friend Y"),
        ("Dinner on Friday?", "Friend Z"),             # a small group, before anyone wrote
        ("I'll book a table.", "Friend Y"),            # the one who answered
        ("Rust it is.", "Member A"), ("Rust it is.", "Member E"),
        ("I'll send the agenda.", "Member E")]         # a second message in a row
    assert sorted(s.reason for s in summary.skipped) == sorted(
        [groups.SKIP_NOBODY_YET, linkedin.SKIP_FOLDER])      # "Welcome, …" and the draft
    assert import_path(db, settings, folder).interactions_added == 0


def test_a_name_with_a_comma_is_one_person_not_a_group(db, settings, tmp_path):
    jane = ("Jane Doe, MBA", "https://www.linkedin.com/in/jane-doe-demo")
    me = ("Aiko Testowner", OWNER)
    folder = messages_csv(tmp_path / "comma", [
        ["c1", me[0], me[1], jane[0], jane[1], "2024-06-01 09:01:00 UTC", "Thanks, Jane!"],
        ["c1", jane[0], jane[1], me[0], me[1], "2024-06-01 09:00:00 UTC", "Great to meet you"],
        ["c2", me[0], me[1], "Bo Vale", "https://www.linkedin.com/in/bo-vale-demo",
         "2024-06-02 09:00:00 UTC", "Hello Bo"]])
    summary = import_path(db, settings, folder)
    assert summary.skipped == [] and summary.interactions_added == 3
    mine = db.query_all("SELECT c.display_name, i.external_id FROM interactions i JOIN contacts"
                        " c ON c.id = i.contact_id WHERE i.text = 'Thanks, Jane!'")
    assert [r[0] for r in mine] == ["Jane Doe"]
    assert mine[0][1] == linkedin._message_id("c1", "2024-06-01T09:01:00.000Z",
                                              ("aiko testowner", OWNER), "Thanks, Jane!")


def test_a_reply_in_the_same_second_answers_who_asked(db, data_dir, tmp_path):
    # newest first, as LinkedIn writes: Zed asked and the reply came within the same second
    settings = load_settings({"data_dir": str(data_dir), "token_backend": "file",
                              "my_profiles": OWNER}, environ={})
    people = [(f"Member {c}", f"https://www.linkedin.com/in/member-{c.lower()}-demo")
              for c in "ABCDEFZ"]
    me = ("Aiko Testowner", OWNER)
    zed, ben = people[-1], people[1]

    def to_all_but(who):
        return [p for p in [me, *people] if p != who]

    def row(sender, when, text, leaving=None):
        others = [p for p in to_all_but(sender) if p != leaving]
        return ["g1", sender[0], sender[1], ", ".join(o[0] for o in others),
                ", ".join(o[1] for o in others), f"2024-06-01 {when} UTC", text]

    folder = messages_csv(tmp_path / "second", [
        row(me, "09:05:00", "Yes, I'll bring it.", leaving=zed),   # Zed left: not in TO
        row(zed, "09:05:00", "Could you bring the projector?"),
        row(ben, "09:00:00", "See you all at 10"),
        row(me, "08:00:00", "Morning, everyone"),
        row(people[0], "07:00:00", "Who is coming?")])
    import_path(db, settings, folder)
    got = [(r[0], r[1]) for r in db.query_all(
        "SELECT i.text, c.display_name FROM interactions i JOIN contacts c ON c.id ="
        " i.contact_id WHERE i.direction = 'out' ORDER BY i.occurred_at, c.display_name")]
    assert got == [("Morning, everyone", "Member A"),
                   ("Yes, I'll bring it.", "Member B"), ("Yes, I'll bring it.", "Member Z")]


def test_invitations_are_interactions_with_their_direction(db, settings):
    import_path(db, settings, FIXTURES / "basic")
    rows = db.query_all("SELECT c.display_name, i.direction, i.occurred_at FROM interactions i"
                        " JOIN contacts c ON c.id = i.contact_id WHERE i.kind = 'other'"
                        " ORDER BY c.display_name")
    assert [tuple(r) for r in rows] == [
        ("Mara Lindqvist", "in", "2024-01-20T09:12:00.000Z"),
        ("Tomas Quell", "out", "2021-11-30T18:45:00.000Z")]


# -- bad input -----------------------------------------------------------------------------------

def test_missing_column_is_said_plainly_and_earlier_files_are_kept(db, settings, tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    shutil.copy(FIXTURES / "basic" / "Connections.csv", folder)
    write(folder, "messages.csv", "CONVERSATION ID,FROM,TO,DATE\nc1,A,B,2024-01-01\n")
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, folder)
    assert "messages.csv" in caught.value.message and "content" in caught.value.message
    assert caught.value.details["missing"] == ["content"]
    assert counts(db)["contacts"] == 4          # Connections.csv came first and stays


def test_connections_without_a_header_is_refused(db, settings, tmp_path):
    folder = write(tmp_path / "nohead", "Connections.csv", "Ken,Moriwaki,x\n")
    with pytest.raises(ImportFailed, match="first name, last name"):
        import_path(db, settings, folder)


def test_zip_bomb_is_refused_before_anything_is_written(db, settings, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / "basic" / "Connections.csv", "Connections.csv")
        archive.writestr("messages.csv", b"\0" * (4 * 1024 * 1024))   # ~1000 times
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_path(db, settings, bomb)
    assert counts(db)["contacts"] == 0


def test_zip_too_large_uncompressed_is_refused(db, settings, tmp_path, monkeypatch):
    archive = make_zip(FIXTURES / "basic", tmp_path / "big.zip")
    monkeypatch.setattr(base, "MAX_TOTAL_BYTES", 100)
    with pytest.raises(ImportFailed, match="limit 100"):
        import_path(db, settings, archive)
    assert counts(db)["contacts"] == 0


def test_truncated_zip_is_refused(db, settings, tmp_path):
    archive = make_zip(FIXTURES / "basic", tmp_path / "export.zip")
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed, match="truncated"):
        import_path(db, settings, archive)
    assert counts(db)["contacts"] == 0


def test_damaged_member_is_refused_before_anything_is_written(db, settings, tmp_path):
    archive = make_zip(FIXTURES / "basic", tmp_path / "export.zip")
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = z.infolist()[0]
    # flip bytes inside the first member's compressed data; the directory stays intact
    start = info.header_offset + 30 + len(info.filename.encode()) + 5
    for i in range(start, start + 20):
        data[i] ^= 0xFF
    archive.write_bytes(bytes(data))
    with pytest.raises(ImportFailed, match="truncated"):
        import_path(db, settings, archive)
    assert counts(db)["contacts"] == 0


def test_failure_mid_import_keeps_whole_batches_only(db, settings, tmp_path, monkeypatch):
    rows = "".join(f"P{i},Demo,https://www.linkedin.com/in/p{i}-demo,,Co,T,1 Jan 2024\n"
                   for i in range(5))
    folder = write(tmp_path / "five", "Connections.csv",
                   "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n" + rows)
    monkeypatch.setattr(linkedin, "BATCH_ROWS", 2)
    real, calls = linkedin.resolve_profile, []

    def failing(conn, profile, *args, **kw):
        calls.append(profile)
        if len(calls) == 4:
            raise OSError("the disk went away")
        return real(conn, profile, *args, **kw)

    monkeypatch.setattr(linkedin, "resolve_profile", failing)
    with pytest.raises(OSError):
        import_path(db, settings, folder)
    assert counts(db)["contacts"] == 2 and counts(db)["identities"] == 2


def test_detect_and_unknown_files(tmp_path):
    assert detect(FIXTURES / "basic").name == "linkedin"
    other = write(tmp_path / "other", "notes.txt", "hello")
    assert detect(other) is None


def test_unknown_export_is_refused(db, settings, tmp_path):
    with pytest.raises(ImportFailed, match="Not an export"):
        import_path(db, settings, write(tmp_path / "other", "notes.txt", "hello"))


def test_progress_reaches_the_end(db, settings):
    seen = []
    import_path(db, settings, FIXTURES / "basic", progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] > 0
    assert all(d <= t for d, t in seen)


# -- the command ---------------------------------------------------------------------------------

def test_cli_import_prints_the_summary(data_dir, monkeypatch, capsys):
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    parser = argparse.ArgumentParser()
    cli_import.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", str(FIXTURES / "basic")])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "created: 6" in out and "updated: 0" in out and "merged: 0" in out
    assert "skipped: 1" in out
    assert f"1 × {linkedin.SKIP_HIDDEN} (messages.csv:6)" in out
    # the second time: nothing new
    assert args.func(args) == 0
    assert "created: 0" in capsys.readouterr().out


def test_cli_import_reports_a_bad_zip(data_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    bad = tmp_path / "x.zip"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    parser = argparse.ArgumentParser()
    cli_import.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", str(bad)])
    assert args.func(args) == 1
    assert "truncated" in capsys.readouterr().err


def test_source_lists_paths_and_reads_members_of_a_zip_and_a_folder(tmp_path):
    from companion.services.imports.base import ImportFailed, Source
    folder = tmp_path / "fb"
    for thread in ("aoi_1", "ken_2"):
        (folder / "messages" / "inbox" / thread).mkdir(parents=True)
        (folder / "messages" / "inbox" / thread / "message_1.json").write_bytes(b"{}" + thread.encode())
    archive = tmp_path / "fb.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for p in sorted(folder.rglob("*.json")):
            z.write(p, p.relative_to(folder).as_posix())
    for path in (folder, archive):
        source = Source(path)
        try:
            found = source.paths("messages/inbox/*/message_*.json")
            assert found == ["messages/inbox/aoi_1/message_1.json",
                             "messages/inbox/ken_2/message_1.json"]
            assert [source.read(p) for p in found] == [b"{}aoi_1", b"{}ken_2"]
            assert source.read_bytes == 14
            with pytest.raises(ImportFailed):
                source.read(found[0], limit=3)
        finally:
            source.close()


def test_batch_inserts_need_the_callers_transaction(db):
    # the new rows are told by their ids above MAX(id): true only inside one write transaction
    row = (1, "linkedin", "message", "in", "2024-01-01T00:00:00.000Z", "hi", "t", "x", "now")
    with pytest.raises(RuntimeError, match="transaction"):
        base.insert_interactions(db.connect(), [row])
    with pytest.raises(RuntimeError, match="transaction"):
        insert_interaction_facts(db.connect(), [(1, 1, ["a fact"], "now")])
