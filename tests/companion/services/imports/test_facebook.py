"""Importing Facebook's "Download your information" (JSON): both layouts, the mojibake, who
wrote each message, group threads, twice without duplicates, and damaged files."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from companion.services.details import contacts_with
from companion.services.imports import ImportFailed, detect, facebook, groups, import_path

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "imports" / "facebook"
NEW, OLD = FIXTURES / "export_2024", FIXTURES / "export_2018"
INBOX = "your_facebook_activity/messages/inbox"


def counts(db) -> dict:
    return {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
            for t in ("contacts", "identities", "interactions", "contact_details", "facts")}


def names(db) -> list[str]:
    return sorted(r[0] for r in db.query_all("SELECT display_name FROM contacts"))


def talk(db, name: str) -> list[tuple]:
    return [tuple(r) for r in db.query_all(
        "SELECT i.kind, i.direction, i.occurred_at, i.text FROM interactions i JOIN contacts c"
        " ON c.id = i.contact_id WHERE c.display_name = ? ORDER BY i.occurred_at, i.id",
        (name,))]


def fb(text: str) -> str:
    """A string as Facebook writes it: every UTF-8 byte its own code point."""
    return text.encode("utf-8").decode("latin-1")


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=True))
    return path


def make_zip(folder: Path, target: Path, top: str = "facebook-aikodemo-2024-11-01") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for child in sorted(folder.rglob("*")):
            if child.is_file():
                archive.write(child, f"{top}/{child.relative_to(folder).as_posix()}")
    return target


def profile(folder: Path, name: str) -> None:
    write_json(folder / "personal_information/profile_information/profile_information.json",
               {"profile_v2": {"name": {"full_name": fb(name)}}})


def thread(folder: Path, key: str, participants: list[str], messages: list[tuple],
           part: int = 1) -> Path:
    """A message_N.json; messages as (sender, "2024-05-01T10:00", content)."""
    from datetime import datetime, timezone
    rows = [{"sender_name": fb(s), "content": fb(c), "type": "Generic", "is_unsent": False,
             "timestamp_ms": int(datetime.fromisoformat(t).replace(tzinfo=timezone.utc)
                                 .timestamp() * 1000)} for s, t, c in messages]
    return write_json(folder / INBOX / key / f"message_{part}.json",
                      {"participants": [{"name": fb(p)} for p in participants],
                       "messages": rows[::-1], "title": fb(participants[0]),
                       "thread_path": f"inbox/{key}"})


# -- the mojibake --------------------------------------------------------------------------------

@pytest.mark.parametrize("written,expected", [
    ("\u00e3\u0081\u0093\u00e3\u0082\u0093\u00e3\u0081\u00ab\u00e3\u0081\u00a1\u00e3\u0081\u00af",
     "こんにちは"),
    (fb("See you 👋🏽 🎌"), "See you 👋🏽 🎌"),
    (fb("Zoë, café"), "Zoë, café"),
    ("café Renée", "café Renée"),          # real latin-1 characters stay
    ("こんにちは 😀", "こんにちは 😀"),        # already right stays
    ("plain ascii", "plain ascii"),
    (None, ""),
])
def test_mojibake_is_repaired_and_right_text_left_alone(written, expected):
    assert facebook.repair(written) == expected


def test_fixture_strings_are_written_as_facebook_writes_them():
    raw = (NEW / "connections/friends/your_friends.json").read_text()
    assert "\\u00e4\\u00bd\\u0090" in raw and "佐藤" not in raw   # 佐 as three escapes


# -- friends --------------------------------------------------------------------------------------

def test_recent_export_friends_and_message_people(db, settings):
    summary = import_path(db, settings, NEW)
    assert summary.source == "facebook:export_2024"
    # 5 friends, Mateo (a group) and Olive (archived thread); not the message request's bot,
    # nor the deleted account, nor the owner
    assert names(db) == ["Ken Moriwaki", "Mateo Ruiz", "Olive Brandt", "Sam Lowe", "Sam Lowe",
                         "Zoë Hartmann", "佐藤 陽菜"]
    assert (summary.created, summary.updated, summary.merged) == (7, 0, 0)
    hina = db.query_one("SELECT * FROM contacts WHERE display_name = '佐藤 陽菜'")
    assert (hina["family_name"], hina["given_name"]) == ("佐藤", "陽菜")
    # no profile URL in the export: no identity is made up
    assert counts(db)["identities"] == 0


def test_old_export_layout_reads_the_same(db, settings):
    summary = import_path(db, settings, OLD)
    assert names(db) == ["Olive Brandt", "Renée Dubois", "鈴木 太郎"]
    assert summary.created == 3 and not summary.skipped
    taro = db.query_one("SELECT id FROM contacts WHERE display_name = '鈴木 太郎'")[0]
    assert contacts_with(db.connect(), "email", "taro.demo@example.invalid") == [taro]
    assert talk(db, "Olive Brandt") == [
        ("message", "out", "2018-01-01T09:00:00.000Z", "Happy new year!"),
        ("message", "in", "2018-01-01T09:05:00.000Z", "Same to you! 🎍"),
        ("message", "in", "2018-01-01T09:10:00.000Z", "[写真 2 枚 / 2 photos]")]


@pytest.mark.parametrize("path,key", [
    ("friends/friends.json", "friends"),                              # 2018
    ("friends_and_followers/friends.json", "friends_v2"),             # 2021
    ("connections/friends/your_friends.json", "friends_v2"),          # 2023 on
])
def test_friend_list_of_every_year(db, settings, tmp_path, path, key):
    folder = tmp_path / "f"
    write_json(folder / path, {key: [{"name": fb("鈴木 太郎"), "timestamp": 1500000000}]})
    # the people one unfriended are no friends
    write_json(folder / "connections/friends/removed_friends.json",
               {"deleted_friends_v2": [{"name": "Gone Person", "timestamp": 1500000000}]})
    assert import_path(db, settings, folder).created == 1
    assert names(db) == ["鈴木 太郎"]


def test_same_named_friends_stay_two_people(db, settings):
    import_path(db, settings, NEW)
    sams = [r[0] for r in db.query_all("SELECT id FROM contacts WHERE display_name = 'Sam Lowe'")]
    assert len(sams) == 2
    keys = [db.query_one("SELECT value FROM contact_details WHERE contact_id = ? AND kind ="
                         " 'import_key' AND value LIKE 'facebook-friend:%'", (c,))[0]
            for c in sams]
    assert len(set(keys)) == 2


def test_a_new_namesake_friend_does_not_take_the_known_friend(db, settings, tmp_path):
    def export(*stamps: int) -> Path:
        folder = tmp_path / f"e{len(stamps)}"
        write_json(folder / "connections/friends/your_friends.json",
                   {"friends_v2": [{"name": "Sam Lowe", "timestamp": s} for s in stamps]})
        return folder

    import_path(db, settings, export(1600000000))
    known = db.query_one("SELECT id FROM contacts")[0]
    # a later export lists a second Sam Lowe first
    summary = import_path(db, settings, export(1500000000, 1600000000))
    assert (summary.created, summary.merged) == (1, 0)
    assert db.query_one("SELECT COUNT(*) FROM contact_details WHERE contact_id = ?",
                        (known,))[0] == 1


def test_friend_merges_into_a_contact_of_that_name_without_facebook_identity(db, settings,
                                                                            tmp_path):
    with db.transaction() as conn:
        for name in ("Ken Moriwaki", "Zoë Hartmann"):
            conn.execute("INSERT INTO contacts (display_name, sort_key, created_at, updated_at)"
                         " VALUES (?, ?, 'x', 'x')", (name, name.lower()))
        # Zoë is known by a Facebook profile already: another person for all we know
        zoe = conn.execute("SELECT id FROM contacts WHERE display_name = 'Zoë Hartmann'"
                           ).fetchone()[0]
        conn.execute("INSERT INTO identities (contact_id, platform, url, first_seen_at,"
                     " last_seen_at) VALUES (?, 'facebook', 'https://www.facebook.com/zoe.h',"
                     " 'x', 'x')", (zoe,))
    folder = tmp_path / "f"
    shutil.copytree(NEW / "connections", folder / "connections")
    summary = import_path(db, settings, folder)
    assert (summary.created, summary.merged) == (4, 1)    # Ken merged; Zoë made anew
    assert names(db).count("Ken Moriwaki") == 1 and names(db).count("Zoë Hartmann") == 2


# -- messages -------------------------------------------------------------------------------------

def test_one_to_one_messages_with_direction_placeholders_and_calls(db, settings):
    summary = import_path(db, settings, NEW)
    assert talk(db, "Ken Moriwaki")[:8] == [
        ("message", "in", "2024-03-01T09:00:00.000Z",
         "Could you send me the slides from Tuesday's talk by Friday? 🙏"),
        ("message", "out", "2024-03-01T09:05:00.000Z", "Sure, I'll send them tomorrow 👍"),
        ("message", "in", "2024-03-01T09:06:00.000Z", facebook.PHOTO),
        ("message", "out", "2024-03-01T09:07:00.000Z",
         f"{facebook.LINK} https://example.org/talk-notes"),
        # the unsent message of 09:08 is not there
        ("call", "out", "2024-03-01T09:30:00.000Z", "[通話 13 分 / Call, 13 min]"),
        ("call", "in", "2024-03-02T08:00:00.000Z", facebook.MISSED_CALL),
        ("message", "in", "2024-03-02T08:01:00.000Z", facebook.STICKER),
    ]
    assert (f"{INBOX}/kenmoriwaki_10158000000000001/message_1.json:4",
            facebook.SKIP_UNSENT) in [(s.where, s.reason) for s in summary.skipped]
    keys = {r[0] for r in db.query_all("SELECT DISTINCT thread_key FROM interactions"
                                       " WHERE platform = 'facebook'")}
    assert "kenmoriwaki_10158000000000001" in keys


def test_japanese_thread_in_two_files_repaired_and_in_order(db, settings):
    import_path(db, settings, NEW)
    assert [t[1:] for t in talk(db, "佐藤 陽菜") if t[2] < "2024-04"] == [
        ("in", "2023-12-24T12:00:00.000Z", "メリークリスマス！🎄"),
        ("out", "2023-12-24T12:30:00.000Z", "ありがとう！良いお年を"),
        ("in", "2024-02-10T10:00:00.000Z", "来週の勉強会の資料を送ってもらえますか？"),
        ("out", "2024-02-10T10:20:00.000Z", "はい、月曜日にお送りします。")]


def test_facts_are_read_from_imported_messages(db, settings):
    import_path(db, settings, NEW)
    ken = db.query_one("SELECT id FROM contacts WHERE display_name = 'Ken Moriwaki'")[0]
    whose = {r[0] for r in db.query_all("SELECT whose FROM facts WHERE contact_id = ? AND"
                                        " kind = 'promise'", (ken,))}
    assert "me" in whose          # "I'll send them tomorrow", written by the owner


def test_group_reply_goes_to_who_wrote_since_my_last_message(db, settings):
    # the shared group rule (imports/groups.py): Mateo asked, I answered him, not all three
    summary = import_path(db, settings, NEW)
    rows = db.query_all("SELECT c.display_name, i.direction, i.text FROM interactions i JOIN"
                        " contacts c ON c.id = i.contact_id WHERE i.thread_key ="
                        " 'takaosanhikingclub_10158000000000003' ORDER BY i.occurred_at,"
                        " c.display_name")
    assert [tuple(r) for r in rows] == [
        ("Mateo Ruiz", "in", "Saturday 8:00 at Takaosanguchi station?"),
        ("Mateo Ruiz", "out", "いいですね、参加します！"),
        ("佐藤 陽菜", "in", "私も！")]
    assert facebook.SKIP_NOTICE in [s.reason for s in summary.skipped]   # "added Mateo"


def mine(db) -> list[tuple[str, str]]:
    """(whom it is with, text) of the user's messages, oldest first."""
    return [tuple(r) for r in db.query_all(
        "SELECT c.display_name, i.text FROM interactions i JOIN contacts c ON c.id ="
        " i.contact_id WHERE i.direction = 'out' ORDER BY i.occurred_at, c.display_name")]


def test_small_group_first_message_goes_to_each_member(db, settings, tmp_path):
    folder = tmp_path / "small"
    profile(folder, "山田 愛子")
    thread(folder, "trip_1", ["山田 愛子", "Member A", "Member B", "Member C"], [
        ("山田 愛子", "2024-05-01T09:00", "来月の旅行、行きませんか？"),
        ("Member B", "2024-05-01T10:00", "行きます！"),
        ("山田 愛子", "2024-05-01T10:05", "よかった。宿を調べておきます。"),
        ("山田 愛子", "2024-05-01T10:06", "Friday works for me."),
    ])
    summary = import_path(db, settings, folder)
    assert mine(db) == [
        ("Member A", "来月の旅行、行きませんか？"), ("Member B", "来月の旅行、行きませんか？"),
        ("Member C", "来月の旅行、行きませんか？"),
        ("Member B", "よかった。宿を調べておきます。"),
        ("Member B", "Friday works for me.")]          # a second message in a row
    assert summary.skipped == []


def test_large_group_my_message_goes_to_those_who_wrote_since_my_last(db, settings,
                                                                     tmp_path):
    folder = tmp_path / "big"
    profile(folder, "山田 愛子")
    members = [f"Member {c}" for c in "ABCDEFG"]
    thread(folder, "bookclub_1", ["山田 愛子", *members], [
        ("山田 愛子", "2024-05-01T09:00", "Hello everyone"),
        ("Member A", "2024-05-01T10:00", "Which book next?"),
        ("Member B", "2024-05-01T10:01", "Something short"),
        ("Member A", "2024-05-01T10:02", "Agreed"),
        ("山田 愛子", "2024-05-01T10:05", "How about 雪国?"),
        ("Member C", "2024-05-01T10:06", "Yes!"),
        ("山田 愛子", "2024-05-01T10:07", "決まりですね"),
        ("山田 愛子", "2024-05-01T10:08", "来週までに読みましょう"),
    ])
    summary = import_path(db, settings, folder)
    assert mine(db) == [("Member A", "How about 雪国?"), ("Member B", "How about 雪国?"),
                   ("Member C", "決まりですね"), ("Member C", "来週までに読みましょう")]
    # the first message, before anyone wrote: nobody to attach it to in a group this large
    assert [s.reason for s in summary.skipped] == [groups.SKIP_NOBODY_YET]
    # members who never wrote are not made contacts
    assert names(db) == ["Member A", "Member B", "Member C"]


def test_owner_is_the_participant_of_every_thread_without_profile(db, settings, tmp_path):
    folder = tmp_path / "noprofile"
    thread(folder, "ken_1", ["Ken Moriwaki", "山田 愛子"],
           [("Ken Moriwaki", "2024-05-01T10:00", "Hi"), ("山田 愛子", "2024-05-01T10:01", "やあ")])
    thread(folder, "olive_2", ["山田 愛子", "Olive Brandt"],
           [("Olive Brandt", "2024-05-02T10:00", "Hello")])
    import_path(db, settings, folder)
    assert [t[1] for t in talk(db, "Ken Moriwaki")] == ["in", "out"]
    assert "山田 愛子" not in names(db)


def test_profile_name_not_in_the_threads_falls_back_to_the_common_participant(
        db, settings, tmp_path):
    folder = tmp_path / "otherlang"
    profile(folder, "Aiko Yamada")          # Messenger shows her name in Japanese
    thread(folder, "ken_1", ["Ken Moriwaki", "山田 愛子"],
           [("Ken Moriwaki", "2024-05-01T10:00", "Hi"), ("山田 愛子", "2024-05-01T10:01", "やあ")])
    thread(folder, "olive_2", ["Olive Brandt", "山田 愛子"],
           [("山田 愛子", "2024-05-02T10:00", "Hello")])
    seen = []
    import_path(db, settings, folder, progress=lambda d, t: seen.append((d, t)))
    assert [t[1] for t in talk(db, "Ken Moriwaki")] == ["in", "out"]
    assert names(db) == ["Ken Moriwaki", "Olive Brandt"]      # not herself
    assert all(d <= t for d, t in seen)


def test_owner_unknown_skips_the_threads_with_the_reason(db, settings, tmp_path):
    folder = tmp_path / "one"
    thread(folder, "ken_1", ["Ken Moriwaki", "Olive Brandt"],
           [("Ken Moriwaki", "2024-05-01T10:00", "Hi")])
    summary = import_path(db, settings, folder)
    assert counts(db)["interactions"] == 0 and counts(db)["contacts"] == 0
    assert [(s.where, s.reason) for s in summary.skipped] == [
        (f"{INBOX}/ken_1", facebook.SKIP_NO_OWNER)]


def test_deleted_account_thread_and_message_requests_are_left_out(db, settings):
    summary = import_path(db, settings, NEW)
    assert ("your_facebook_activity/messages/e2ee_cutover/facebookuser_10158000000000005",
            facebook.SKIP_DELETED) in [(s.where, s.reason) for s in summary.skipped]
    assert db.query_one("SELECT COUNT(*) FROM interactions WHERE text LIKE '%prize%'"
                        " OR text = 'Hi!'")[0] == 0
    assert "Prize Bot" not in names(db) and "Facebook user" not in names(db)


def test_message_person_is_found_again_without_the_friend_list(db, settings, tmp_path):
    import_path(db, settings, NEW)
    before = counts(db)
    # a later export of messages only: the same people, not new ones
    folder = tmp_path / "later"
    shutil.copytree(NEW / "your_facebook_activity", folder / "your_facebook_activity")
    shutil.copytree(NEW / "personal_information", folder / "personal_information")
    thread(folder, "kenmoriwaki_10158000000000001", ["Ken Moriwaki", "山田 愛子"],
           [("Ken Moriwaki", "2024-06-01T10:00", "Long time no see")], part=2)
    summary = import_path(db, settings, folder)
    assert (summary.created, summary.merged, summary.interactions_added) == (0, 0, 1)
    assert counts(db)["contacts"] == before["contacts"]


# -- twice ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("variant", [NEW, OLD])
def test_importing_twice_adds_nothing(db, settings, tmp_path, variant):
    import_path(db, settings, make_zip(variant, tmp_path / "export.zip"))
    before = counts(db)
    again = import_path(db, settings, variant)     # the same export, unzipped
    assert counts(db) == before
    assert (again.created, again.updated, again.merged, again.interactions_added) == (0, 0, 0, 0)


# -- bad input -----------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", [lambda text: text[: len(text) // 2],
                                    lambda text: "<html>not json</html>"])
def test_damaged_message_file_names_it_and_keeps_earlier_threads(db, settings, tmp_path,
                                                                  damage):
    folder = tmp_path / "broken"
    profile(folder, "Aiko Yamada")
    thread(folder, "a_ken_1", ["Ken Moriwaki", "Aiko Yamada"],
           [("Ken Moriwaki", "2024-05-01T10:00", "First thread")])
    bad = thread(folder, "b_olive_2", ["Olive Brandt", "Aiko Yamada"],
                 [("Olive Brandt", "2024-05-02T10:00", "Second thread")])
    bad.write_text(damage(bad.read_text()))
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, folder)
    assert f"{INBOX}/b_olive_2/message_1.json" in caught.value.message
    assert caught.value.details == {"file": f"{INBOX}/b_olive_2/message_1.json"}
    assert [t[3] for t in talk(db, "Ken Moriwaki")] == ["First thread"]
    assert names(db) == ["Ken Moriwaki"]               # no Olive, half or whole


def test_damaged_friend_list_is_refused_plainly(db, settings, tmp_path):
    folder = tmp_path / "f"
    (folder / "friends").mkdir(parents=True)
    (folder / "friends" / "friends.json").write_text('{"friends": [{"name": "Ken"')
    with pytest.raises(ImportFailed, match="friends/friends.json is not readable JSON"):
        import_path(db, settings, folder)
    assert counts(db)["contacts"] == 0


def test_failure_mid_batch_leaves_no_half_person(db, settings, tmp_path, monkeypatch):
    folder = tmp_path / "fail"
    profile(folder, "Aiko Yamada")
    thread(folder, "a_ken_1", ["Ken Moriwaki", "Aiko Yamada"],
           [("Ken Moriwaki", "2024-05-01T10:00", "Hi"), ("Aiko Yamada", "2024-05-01T11:00", "Hey")])
    thread(folder, "b_olive_2", ["Olive Brandt", "Aiko Yamada"],
           [("Olive Brandt", "2024-05-02T10:00", "Hello")])
    monkeypatch.setattr(facebook, "MESSAGE_BATCH_ROWS", 2)    # one thread per batch
    real, calls = facebook.add_details, []

    def failing(conn, contact_id, details, *args):
        calls.append(contact_id)
        if len(calls) == 2:        # Olive's import key, after she was created
            raise OSError("the disk went away")
        return real(conn, contact_id, details, *args)

    monkeypatch.setattr(facebook, "add_details", failing)
    with pytest.raises(OSError):
        import_path(db, settings, folder)
    assert names(db) == ["Ken Moriwaki"] and counts(db)["interactions"] == 2


def test_zip_bomb_and_truncated_facebook_zip_are_refused(db, settings, tmp_path):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(NEW / "connections/friends/your_friends.json",
                      "connections/friends/your_friends.json")
        archive.writestr(f"{INBOX}/x_1/message_1.json", b" " * (4 * 1024 * 1024))
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_path(db, settings, bomb)
    whole = make_zip(NEW, tmp_path / "export.zip")
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(ImportFailed, match="truncated"):
        import_path(db, settings, cut)
    assert counts(db)["contacts"] == 0


# -- detect --------------------------------------------------------------------------------------

def test_detect_facebook_exports_and_not_others(tmp_path):
    assert detect(NEW).name == "facebook" and detect(OLD).name == "facebook"
    assert detect(make_zip(NEW, tmp_path / "fb.zip")).name == "facebook"
    only_profile = tmp_path / "p"
    profile(only_profile, "Aiko Yamada")
    assert detect(only_profile).name == "facebook"
    linkedin = FIXTURES.parent / "linkedin" / "basic"
    assert detect(linkedin).name == "linkedin"
    assert detect(FIXTURES.parent / "mastodon").name == "mastodon"
    x = tmp_path / "x"
    (x / "data").mkdir(parents=True)
    (x / "data" / "account.js").write_text('window.YTD.account.part0 = [{"account": {}}]')
    (x / "data" / "direct-messages.js").write_text("window.YTD.direct_messages.part0 = []")
    assert detect(x) is None or detect(x).name != "facebook"
    # Instagram's export keeps messages in the same format and folders
    insta = tmp_path / "insta"
    write_json(insta / "your_instagram_activity/messages/inbox/ken_1/message_1.json",
               {"participants": [], "messages": []})
    write_json(insta / "connections/followers_and_following/following.json", {})
    assert detect(insta) is None or detect(insta).name != "facebook"
    # a friends.json that is not in a friends folder is no Facebook export
    stray = write_json(tmp_path / "stray" / "backup" / "friends.json", {})
    assert detect(stray.parent.parent) is None


def test_progress_reaches_the_end(db, settings):
    seen = []
    import_path(db, settings, NEW, progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1] > 0 and all(d <= t for d, t in seen)


# -- the fixtures follow the schemas they were written from --------------------------------------

def _check(schema: dict, value: object, root: dict, where: str) -> list[str]:
    """The subset of JSON Schema draft-04 the copied schemas use."""
    if "$ref" in schema:
        schema = root["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str, "boolean": bool}
    if kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{where}: not an integer"]
    elif kind and not isinstance(value, types[kind]):
        return [f"{where}: not {kind}"]
    errors = []
    if kind == "object":
        props = schema.get("properties", {})
        errors += [f"{where}: no {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{where}: extra {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                errors += _check(props[k], v, root, f"{where}.{k}")
    if kind == "array":
        for i, item in enumerate(value):
            errors += _check(schema["items"], item, root, f"{where}[{i}]")
    return errors


@pytest.mark.parametrize("schema,path", [
    ("schema.friends_friends.json", "friends/friends.json"),
    ("schema.messages_message.json", "messages/inbox/OliveBrandt_a1b2c3d4e5/message.json"),
    ("schema.profile_information_profile_information.json",
     "profile_information/profile_information.json"),
])
def test_old_fixture_follows_the_schema(schema, path):
    root = json.loads((FIXTURES / schema).read_text())
    assert _check(root, json.loads((OLD / path).read_text()), root, path) == []
    # and the check can fail
    assert _check(root, {"unexpected": 1}, root, path) != []
