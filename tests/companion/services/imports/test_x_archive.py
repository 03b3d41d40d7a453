"""X's archive (services/imports/x_archive.py): follows and DMs by account id, who wrote each
message, group conversations, part files, twice without duplicates, bad files refused."""

from __future__ import annotations

import argparse
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from companion import cli_import
from companion.adapters.base import Profile
from companion.services.identity import resolve_profile
from companion.services.imports import ImportFailed, detect, import_path, x_archive
from companion.settings import load_settings
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "imports" / "x"
WRITTEN = FIXTURES / "written"
OWNER = "4400100001"


def counts(db) -> dict:
    return {t: db.query_one(f"SELECT COUNT(*) FROM {t}")[0]
            for t in ("contacts", "identities", "interactions", "facts")}


def contact_of(db, account_id: str):
    return db.query_one("SELECT c.* FROM contacts c JOIN identities i ON i.contact_id = c.id"
                        " WHERE i.platform = 'x' AND i.url = ?",
                        (f"https://x.com/i/user/{account_id}",))


def messages(db) -> list[tuple]:
    """(account id of the contact, direction, thread, text) oldest first."""
    return [tuple(r) for r in db.query_all(
        "SELECT replace(i2.url, 'https://x.com/i/user/', ''), i.direction, i.thread_key, i.text"
        " FROM interactions i JOIN identities i2 ON i2.contact_id = i.contact_id"
        " AND i2.platform = 'x' WHERE i.kind = 'message' ORDER BY i.occurred_at")]


def make_zip(folder: Path, target: Path, skip: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for child in sorted(folder.rglob("*")):
            if child.is_file() and child.name not in skip:
                archive.write(child, child.relative_to(folder).as_posix())
    return target


def written_copy(tmp_path: Path, skip: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "twitter-2024-06-01-demo"
    shutil.copytree(WRITTEN, folder, ignore=shutil.ignore_patterns(*skip) if skip else None)
    return folder


EXPECTED_MESSAGES = [
    ("4400100002", "in", "4400100001-4400100002", "来週の勉強会の資料、金曜までに送りますね。"),
    # the t.co link replaced by the URL it stands for
    ("4400100002", "out", "4400100001-4400100002",
     "ありがとうございます！会場はここです https://example.com/events/benkyokai-2024-03"),
    # direct-messages-part1.js
    ("4400100006", "in", "4400100001-4400100006", "Hi Mio, are you coming to the Osaka meetup?"),
    ("4400100006", "out", "4400100001-4400100006", "Yes, see you there."),
    # the group: others' messages to their sender, mine to the one who wrote last before
    ("4400100003", "in", "1785000000000000099", "グループを作りました。よろしくお願いします。"),
    ("4400100003", "out", "1785000000000000099", "ありがとう！"),
    ("4400100004", "in", "1785000000000000099", "Who brings the slides?"),
    ("4400100004", "out", "1785000000000000099", "I'll bring them."),
]


# -- the real archive files ----------------------------------------------------------------------

def test_real_follows_become_id_only_contacts(db, settings):
    summary = import_path(db, settings, FIXTURES / "real")
    assert summary.source == "x:real"
    assert (summary.created, summary.updated, summary.interactions_added) == (4, 0, 0)
    assert summary.skipped == []
    urls = {r[0] for r in db.query_all("SELECT url FROM identities WHERE platform = 'x'")}
    assert urls == {f"https://x.com/i/user/{i}" for i in
                    ("73747798", "386025404", "547842573", "12158")}
    # no invented names; the owner (account.js) is not a contact
    assert contact_of(db, "12158")["display_name"] == "X: 12158"
    assert contact_of(db, "12497") is None


# -- a whole archive -----------------------------------------------------------------------------

def test_archive_zip_with_dms_parts_and_a_group(db, settings, tmp_path):
    archive = make_zip(WRITTEN, tmp_path / "twitter-2024-06-01-demo.zip")
    summary = import_path(db, settings, archive)
    # 2, 3, 4 followed, 5 follower (2 both: one contact), 6 a DM partner; 7 and 8 only
    # joined the group without writing
    assert summary.created == 5 and summary.skipped == []
    assert summary.interactions_added == 8
    assert messages(db) == EXPECTED_MESSAGES
    assert contact_of(db, "4400100007") is None and contact_of(db, OWNER) is None
    assert db.query_one("SELECT COUNT(*) FROM identities WHERE url LIKE '%/4400100002'")[0] == 1
    times = [r[0] for r in db.query_all("SELECT occurred_at FROM interactions"
                                        " ORDER BY occurred_at LIMIT 2")]
    assert times == ["2024-03-01T09:00:00.000Z", "2024-03-01T09:05:30.123Z"]
    ids = {r[0] for r in db.query_all("SELECT external_id FROM interactions")}
    assert "x-dm:1763000000000000001" in ids and len(ids) == 8
    # the promise in Ken's message is read as a fact, like a captured one
    assert db.query_one("SELECT COUNT(*) FROM facts WHERE contact_id = ?",
                        (contact_of(db, "4400100002")["id"],))[0] >= 1


def test_group_messages_follow_the_shared_group_rule(db, settings, tmp_path):
    # imports/groups.py: my first message in a small group is with every member; my reply is
    # with who wrote since; a second message in a row stays with the last who wrote
    folder = written_copy(tmp_path)
    events = []
    for n, (sender, text) in enumerate([(OWNER, "明日の勉強会、誰か来られますか？"),
                                        ("4400100003", "行きます！"),
                                        (OWNER, "では資料を用意しておきます。"),
                                        (OWNER, "See you at 7.")]):
        events.append({"messageCreate": {
            "reactions": [], "urls": [], "mediaUrls": [], "text": text, "senderId": sender,
            "id": f"17900000000000001{n:02d}", "createdAt": f"2024-06-01T08:0{n}:00.000Z"}})
    events.append({"participantsJoin": {"initiatingUserId": OWNER, "createdAt":
                                        "2024-06-01T07:59:00.000Z",
                                        "userIds": ["4400100003", "4400100004"]}})
    body = [{"dmConversation": {"conversationId": "1790000000000000001", "messages": events}}]
    (folder / "data" / "direct-messages-group.js").write_text(
        "window.YTD.direct_messages_group.part0 = " + json.dumps(body), encoding="utf-8")
    summary = import_path(db, settings, folder)
    assert summary.skipped == []
    rows = [(r[0], r[1][-3:]) for r in db.query_all(
        "SELECT i.text, i2.url FROM interactions i JOIN identities i2 ON i2.contact_id ="
        " i.contact_id AND i2.platform = 'x' WHERE i.thread_key = '1790000000000000001'"
        " AND i.direction = 'out' ORDER BY i.occurred_at, i2.url")]
    assert rows == [("明日の勉強会、誰か来られますか？", "003"), ("明日の勉強会、誰か来られますか？", "004"),
                    ("では資料を用意しておきます。", "003"), ("See you at 7.", "003")]
    ids = {r[0] for r in db.query_all("SELECT external_id FROM interactions WHERE thread_key"
                                      " = '1790000000000000001'")}
    assert "x-dm:1790000000000000100:4400100004" in ids and len(ids) == 5
    assert "x-dm:1790000000000000102" in ids     # with one member: the message's own id
    again = import_path(db, settings, folder)
    assert again.interactions_added == 0


def test_importing_twice_adds_nothing(db, settings, tmp_path):
    archive = make_zip(WRITTEN, tmp_path / "twitter-2024-06-01-demo.zip")
    import_path(db, settings, archive)
    before = counts(db)
    again = import_path(db, settings, written_copy(tmp_path))   # the same archive, unzipped
    assert counts(db) == before
    assert (again.created, again.updated, again.merged, again.interactions_added) == (0, 0, 0, 0)


def test_a_person_known_by_the_same_x_id_is_found_and_keeps_their_name(db, settings,
                                                                       tmp_path):
    with db.transaction() as conn:
        known = resolve_profile(conn, Profile(
            display_name="森脇 健", url="https://twitter.com/intent/user?user_id=4400100002"),
            None, "2024-01-01T00:00:00.000Z").contact_id
    summary = import_path(db, settings, written_copy(tmp_path))
    assert summary.created == 4
    assert contact_of(db, "4400100002")["id"] == known
    assert contact_of(db, "4400100002")["display_name"] == "森脇 健"
    assert db.query_one("SELECT COUNT(*) FROM interactions WHERE contact_id = ?",
                        (known,))[0] == 2
    assert counts(db)["contacts"] == 5


# -- who the user is -----------------------------------------------------------------------------

def test_without_account_js_the_common_participant_is_the_owner(db, settings, tmp_path):
    import_path(db, settings, written_copy(tmp_path, skip=("account.js",)))
    assert messages(db) == EXPECTED_MESSAGES


def test_one_conversation_with_someone_i_follow_tells_the_owner(db, settings, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(WRITTEN / "data" / "following.js", folder)
    shutil.copy(WRITTEN / "data" / "direct-messages.js", folder)
    # both ids are in the only conversation; 4400100002 is followed, so not the owner
    import_path(db, settings, folder)
    assert messages(db) == EXPECTED_MESSAGES[:2]


def test_without_account_js_my_profiles_may_name_the_x_id(db, data_dir, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(WRITTEN / "data" / "direct-messages-part1.js", folder / "direct-messages.js")
    # one conversation: both people are in every conversation, so only my_profiles can tell
    mine = load_settings({"data_dir": str(data_dir), "token_backend": "file",
                          "my_profiles": "https://x.com/i/user/4400100001"}, environ={})
    import_path(db, mine, folder)
    assert [m[1] for m in messages(db)] == ["in", "out"]


def test_owner_unknown_skips_messages_with_the_reason(db, settings, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    shutil.copy(WRITTEN / "data" / "direct-messages-part1.js", folder / "direct-messages.js")
    summary = import_path(db, settings, folder)
    assert counts(db)["interactions"] == 0 and counts(db)["contacts"] == 0
    assert [s.reason for s in summary.skipped] == [x_archive.SKIP_NO_OWNER] * 2


# -- bad input -----------------------------------------------------------------------------------

def test_a_file_of_another_shape_is_refused_before_anything_is_written(db, settings, tmp_path):
    folder = written_copy(tmp_path)
    (folder / "data" / "direct-messages-group.js").write_text("var dms = [];\n")
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, folder)
    assert "direct-messages-group.js" in caught.value.message
    assert "window.YTD" in caught.value.message
    assert counts(db) == {"contacts": 0, "identities": 0, "interactions": 0, "facts": 0}


def test_truncated_json_is_said_plainly_and_earlier_batches_are_kept(db, settings, tmp_path):
    folder = written_copy(tmp_path)
    path = folder / "data" / "direct-messages-part1.js"
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ImportFailed) as caught:
        import_path(db, settings, folder)
    assert "direct-messages-part1.js" in caught.value.message
    assert "truncated" in caught.value.message and "途中で切れて" in caught.value.message
    # follows and direct-messages.js (part0) came first and stay, whole
    assert counts(db)["contacts"] == 4 and counts(db)["interactions"] == 2
    assert contact_of(db, "4400100006") is None


def test_failure_mid_import_keeps_whole_batches_only(db, settings, tmp_path, monkeypatch):
    path = tmp_path / "following.js"
    path.write_text("window.YTD.following.part0 = [" + ",".join(
        f'{{"following": {{"accountId": "{900 + i}"}}}}' for i in range(5)) + "]")
    monkeypatch.setattr(x_archive, "BATCH_ROWS", 2)
    real, calls = x_archive.resolve_profile, []

    def failing(conn, profile, *args, **kw):
        calls.append(profile)
        if len(calls) == 4:
            raise OSError("the disk went away")
        return real(conn, profile, *args, **kw)

    monkeypatch.setattr(x_archive, "resolve_profile", failing)
    with pytest.raises(OSError):
        import_path(db, settings, path)
    assert counts(db)["contacts"] == 2 and counts(db)["identities"] == 2


def test_not_a_list_is_refused(db, settings, tmp_path):
    path = tmp_path / "following.js"
    path.write_text('window.YTD.following.part0 = {"following": {"accountId": "1"}}')
    with pytest.raises(ImportFailed, match="following.js is not shaped"):
        import_path(db, settings, path)


def test_zip_bomb_is_refused_before_anything_is_written(db, settings, tmp_path):
    bomb = tmp_path / "twitter-2024-06-01-bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(WRITTEN / "data" / "following.js", "data/following.js")
        archive.writestr("data/direct-messages.js",
                         b"window.YTD.direct_messages.part0 = [" + b" " * (4 * 1024 * 1024)
                         + b"]")
    with pytest.raises(ImportFailed, match="zip bomb"):
        import_path(db, settings, bomb)
    assert counts(db)["contacts"] == 0


def test_entries_without_an_id_are_skipped_with_a_reason(db, settings, tmp_path):
    path = tmp_path / "follower.js"
    path.write_text('window.YTD.follower.part0 = [ {"follower": {"accountId": "77"}},'
                    ' {"follower": {}}, {"follower": {"userLink":'
                    ' "https://twitter.com/intent/user?user_id=78"}}, "junk" ]')
    summary = import_path(db, settings, path)
    assert summary.created == 2
    assert [(s.where, s.reason) for s in summary.skipped] == [
        ("follower.js:2", x_archive.SKIP_NO_ID), ("follower.js:4", x_archive.SKIP_NO_ID)]


# -- detect --------------------------------------------------------------------------------------

def test_detect_the_zip_the_folder_and_a_single_file(tmp_path):
    archive = make_zip(WRITTEN, tmp_path / "twitter-2024-06-01-demo.zip")
    assert detect(archive).name == "x"
    assert detect(WRITTEN).name == "x"
    assert detect(FIXTURES / "real" / "following.js").name == "x"


def test_detect_leaves_other_exports_and_other_javascript_alone(tmp_path):
    linkedin = ROOT / "tests" / "fixtures" / "imports" / "linkedin" / "basic"
    mastodon = ROOT / "tests" / "fixtures" / "imports" / "mastodon"
    assert detect(linkedin).name == "linkedin"
    assert detect(mastodon).name == "mastodon"
    js = tmp_path / "project"
    js.mkdir()
    (js / "account.js").write_text("export function account() { return 1; }\n")
    assert detect(js) is None


# -- small parts ---------------------------------------------------------------------------------

def test_links_and_times():
    urls = [{"url": "https://t.co/a1", "expanded": "https://example.org/x?y=1",
             "display": "example.org/x"}, {"url": "https://t.co/b2"}, "junk"]
    assert x_archive.expand_links("see https://t.co/a1 and https://t.co/b2", urls) == \
        "see https://example.org/x?y=1 and https://t.co/b2"
    assert x_archive.parse_time("2024-03-01T09:05:30.123Z") == "2024-03-01T09:05:30.123Z"
    assert x_archive.parse_time("2024-03-01T18:05:30+09:00") == "2024-03-01T09:05:30.000Z"
    assert x_archive.parse_time("yesterday") is None and x_archive.parse_time(None) is None


# -- the command ---------------------------------------------------------------------------------

def test_cli_import_prints_the_summary(data_dir, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("GOEN_DATA_DIR", str(data_dir))
    monkeypatch.setenv("GOEN_TOKEN_BACKEND", "file")
    archive = make_zip(WRITTEN, tmp_path / "twitter-2024-06-01-demo.zip")
    parser = argparse.ArgumentParser()
    cli_import.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import", str(archive)])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "x:twitter-2024-06-01-demo.zip" in out
    assert "created: 5" in out and "interactions added: 8" in out and "skipped: 0" in out
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert "created: 0" in out and "interactions added: 0" in out
