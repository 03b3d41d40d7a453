"""Mastodon's account export (services/imports/mastodon.py), on Mastodon's own test fixtures
(../shared/fixtures/mastodon, copied with their SOURCES.md to tests/fixtures/imports/mastodon):
follows become contacts with their Mastodon identity, lists become tags, twice adds nothing."""

from __future__ import annotations

import shutil
import zipfile

from companion.services.imports import detect, import_path
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "imports" / "mastodon"


def identities(db) -> dict[str, int]:
    return {r[0]: r[1] for r in db.query_all(
        "SELECT url, contact_id FROM identities WHERE platform = 'mastodon'")}


def tags_of(db, contact_id: int) -> list[str]:
    return [r[0] for r in db.query_all(
        "SELECT t.name FROM tags t JOIN contact_tags ct ON ct.tag_id = t.id"
        " WHERE ct.contact_id = ? ORDER BY t.name", (contact_id,))]


def test_follows_and_lists_from_a_folder_and_twice_adds_nothing(db, settings, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(FIXTURES, folder)
    assert detect(folder).name == "mastodon"
    first = import_path(db, settings, folder)
    found = identities(db)
    assert set(found) == {"https://example.com/@user", "https://test.com/@user",
                          "https://example.com/@gargron", "https://example.com/@mastodon",
                          "https://example.com/@foo"}
    assert first.created == 5 and first.skipped == []
    assert tags_of(db, found["https://example.com/@gargron"]) == ["Mastodon project"]
    assert tags_of(db, found["https://example.com/@foo"]) == ["test"]
    again = import_path(db, settings, folder)
    assert (again.created, again.updated) == (0, 0)
    assert identities(db) == found
    assert db.query_one("SELECT COUNT(*) FROM contact_tags")[0] == 3


def test_a_person_already_known_is_found_and_gains_the_list_tag(db, settings, tmp_path):
    follows = tmp_path / "following_accounts.csv"
    follows.write_text("Account address,Show boosts\ngargron@example.com,true\n",
                       encoding="utf-8")
    assert import_path(db, settings, follows).created == 1
    before = identities(db)["https://example.com/@gargron"]
    lists = tmp_path / "lists.csv"
    shutil.copy(FIXTURES / "lists.csv", lists)
    summary = import_path(db, settings, lists)
    assert identities(db)["https://example.com/@gargron"] == before    # found, not made again
    assert summary.updated == 1 and summary.created == 2
    assert tags_of(db, before) == ["Mastodon project"]


def test_local_accounts_and_garbage_are_skipped_with_reasons(db, settings, tmp_path):
    path = tmp_path / "following_accounts.csv"
    path.write_text("Account address,Show boosts\nbob,true\n<script>,false\n"
                    "eve@example.com,false\n", encoding="utf-8")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(path, "following_accounts.csv")
    summary = import_path(db, settings, archive)
    assert summary.created == 1 and list(identities(db)) == ["https://example.com/@eve"]
    reasons = sorted(s.reason for s in summary.skipped)
    assert len(reasons) == 2 and "own server" in reasons[0] and "not an account" in reasons[1]


def test_a_lists_file_of_something_else_is_not_taken_for_mastodon(tmp_path):
    other = tmp_path / "lists.csv"
    other.write_text("name,count,notes\nfruit,3,apples\n", encoding="utf-8")
    assert detect(other) is None


def test_a_second_download_named_with_a_counter_is_still_recognised(db, settings, tmp_path):
    # browsers save a second download as "following_accounts (1).csv"
    copy = tmp_path / "following_accounts (1).csv"
    shutil.copy(FIXTURES / "following_accounts.csv", copy)
    assert detect(copy).name == "mastodon"
    assert import_path(db, settings, copy).created > 0
    # beside the real one, the real one is read
    folder = tmp_path / "both"
    folder.mkdir()
    (folder / "following_accounts (1).csv").write_text("Account address\nnobody@example.org\n",
                                                        encoding="utf-8")
    shutil.copy(FIXTURES / "following_accounts.csv", folder / "following_accounts.csv")
    from companion.services.imports.base import Source
    source = Source(folder)
    try:
        assert b"nobody" not in source.read("following_accounts.csv")
    finally:
        source.close()
