"""Google Contacts' CSV export (services/imports/google_csv.py with cards.py), in its current
and older layouts (tests/fixtures/imports/google_csv, written for Goen after Google's columns):
what becomes what, " ::: " values, labels as tags, twice adds nothing, the same person from a
vCard, and telling it from LinkedIn's Connections.csv."""

from __future__ import annotations

import shutil

import pytest

from companion.services.imports import ImportFailed, detect, import_path
from companion.services.imports import cards
from tests.companion.services.imports.card_rows import counts, details, identities, person, tags
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "imports" / "google_csv"
VCARDS = ROOT / "tests" / "fixtures" / "imports" / "vcard"


def test_the_current_layout(db, settings):
    path = FIXTURES / "contacts.csv"
    assert detect(path).name == "google_csv"
    summary = import_path(db, settings, path)
    assert summary.source == "google_csv:contacts.csv"
    assert (summary.created, summary.updated, summary.merged) == (4, 0, 0)
    assert [(s.where, s.reason) for s in summary.skipped] == [("contacts.csv:7",
                                                               cards.SKIP_NO_NAME)]
    taro = person(db, "山田 太郎")                     # Japanese: family first
    assert (taro["family_name"], taro["given_name"], taro["reading"]) == (
        "山田", "太郎", "やまだ たろう")
    assert (taro["organisation"], taro["title"]) == ("株式会社みどり技研", "エンジニア")
    # " ::: " holds two addresses under one label
    assert details(db, taro["id"], "email") == [("taro.yamada@example.jp", "Home"),
                                                ("t.yamada@midori-giken.example", "Home")]
    assert details(db, taro["id"], "phone") == [("+81 90-1111-2222", "Mobile")]
    assert details(db, taro["id"], "address") == [("〒150-0001 東京都渋谷区神宮前1-2-3", "Home")]
    assert details(db, taro["id"], "birthday") == [("1990-05-01", None)]
    assert identities(db, taro["id"]) == ["https://github.com/taroyamada-demo"]
    assert tags(db, taro["id"]) == ["友人"]           # without * myContacts and * starred
    assert [r[0] for r in db.query_all("SELECT body FROM notes WHERE contact_id = ?",
                                       (taro["id"],))] == ["勉強会で知り合った。\n猫を二匹飼っている。"]
    emily = person(db, "Emily Carter")
    assert (emily["family_name"], emily["given_name"], emily["title"]) == (
        "Carter", "Emily", "Editor")
    assert details(db, emily["id"], "birthday") == [("--11-03", None)]
    assert details(db, emily["id"], "im") == [("emily.carter.demo", "Skype")]
    assert identities(db, emily["id"]) == []          # a blog is a page, not a profile
    assert tags(db, emily["id"]) == ["Book club"]
    sakura = person(db, "中村 さくら")
    assert sakura["reading"] == "ナカムラ サクラ"
    assert details(db, sakura["id"], "phone") == [("070-3333-4444", "Mobile"),
                                                  ("03-3333-4444", "Mobile")]
    clinic = person(db, "さくら歯科クリニック")       # no name: the organisation's
    assert tags(db, clinic["id"]) == ["病院"]


def test_the_older_layout(db, settings):
    summary = import_path(db, settings, FIXTURES / "old")
    assert summary.created == 2 and summary.skipped == []
    misaki = person(db, "佐々木 美咲")
    assert (misaki["family_name"], misaki["given_name"], misaki["reading"]) == (
        "佐々木", "美咲", "ささき みさき")
    assert (misaki["organisation"], misaki["title"]) == ("ひかりデザイン", "デザイナー")
    assert details(db, misaki["id"], "email") == [("misaki.sasaki@example.co.jp", "Work")]
    assert identities(db, misaki["id"]) == ["https://x.com/misaki_demo"]
    assert tags(db, misaki["id"]) == ["同僚"]
    daniel = person(db, "Daniel Brooks")
    assert tags(db, daniel["id"]) == ["Friends"]      # "* Friends" without its mark
    assert details(db, daniel["id"], "address") == [
        ("12 Elm Row, Bristol, BS1 4DJ, United Kingdom", "Home")]


def test_twice_adds_nothing(db, settings, tmp_path):
    shutil.copy(FIXTURES / "contacts.csv", tmp_path / "contacts.csv")
    first = import_path(db, settings, tmp_path / "contacts.csv")
    before = counts(db)
    again = import_path(db, settings, tmp_path / "contacts.csv")
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before
    assert len(again.skipped) == len(first.skipped) == 1


def test_the_same_people_from_a_vcard_and_from_google(db, settings, tmp_path):
    vcf = tmp_path / "phone.vcf"
    vcf.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:山田太郎\r\nN:山田;太郎;;;\r\n"
                   "EMAIL:Taro.Yamada@example.jp\r\nEND:VCARD\r\n"
                   "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:中村 さくら\r\nN:中村;さくら;;;\r\n"
                   "TEL:070 3333 4444\r\nEND:VCARD\r\n", encoding="utf-8")
    assert import_path(db, settings, vcf).created == 2
    summary = import_path(db, settings, FIXTURES / "contacts.csv")
    # 山田 by e-mail, 中村 by phone and the same name: merged, not created again
    assert (summary.created, summary.merged) == (2, 2)
    taro = person(db, "山田太郎")                     # the name as first imported stays
    assert taro["reading"] == "やまだ たろう" and taro["title"] == "エンジニア"
    assert person(db, "山田 太郎") is None
    sakura = person(db, "中村 さくら")
    assert tags(db, sakura["id"]) == []
    assert sakura["reading"] == "ナカムラ サクラ"


def test_linkedin_connections_are_not_taken_for_google_nor_google_for_linkedin(tmp_path):
    connections = tmp_path / "linkedin" / "Connections.csv"
    connections.parent.mkdir()
    connections.write_text("First Name,Last Name,URL,Email Address,Company,Position,"
                           "Connected On\nAi,Mori,https://www.linkedin.com/in/ai-mori-demo,,"
                           "Kumo,Engineer,15 Jan 2024\n", encoding="utf-8")
    assert detect(connections).name == "linkedin"
    # a Google file renamed Connections.csv is still read as Google's
    renamed = tmp_path / "google" / "Connections.csv"
    renamed.parent.mkdir()
    shutil.copy(FIXTURES / "contacts.csv", renamed)
    assert detect(renamed).name == "google_csv"
    outlook = tmp_path / "outlook.csv"
    outlook.write_text("First Name,Middle Name,Last Name,E-mail Address,Business Phone\n"
                       "Ai,,Mori,ai@example.org,03-0000-0000\n", encoding="utf-8")
    assert detect(outlook) is None


def test_a_file_without_name_columns_is_refused(db, settings, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("Labels,E-mail 1 - Label,E-mail 1 - Value\n* myContacts,Home,"
                    "a@example.org\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_path(db, settings, path)
    assert "First Name" in failed.value.message and "名前の列" in failed.value.message
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0


def test_an_empty_file_is_no_google_export(db, settings, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"")
    assert detect(path) is None
    with pytest.raises(ImportFailed):
        import_path(db, settings, path)


def test_a_file_re_saved_by_excel_in_shift_jis(db, settings, tmp_path):
    text = (FIXTURES / "contacts.csv").read_text(encoding="utf-8")
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.encode("cp932"))
    summary = import_path(db, settings, path)
    assert summary.created == 4
    assert person(db, "山田 太郎")["reading"] == "やまだ たろう"


def test_a_wrong_encoding_is_a_clear_error(db, settings, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes("First Name,Last Name,E-mail 1 - Value,Labels\n".encode("utf-16"))
    # UTF-16 is not what Google writes: not taken for its export
    assert detect(path) is None
    with pytest.raises(ImportFailed):
        import_path(db, settings, path)


# -- different people are never folded into one ---------------------------------------------------

HEADER = ("First Name,Last Name,Organization Name,Organization Title,Notes,E-mail 1 - Label,"
          "E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,"
          "Website 1 - Value\n")


def test_two_rows_of_one_name_at_two_organisations_are_two_people(db, settings, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "Ken,Sato,Hikari Trading,,Met at the fair.,,,,,,\n"
                             "Ken,Sato,Aoba University,,Teaches physics.,,,,,,\n",
                    encoding="utf-8")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (2, 0)
    rows = db.query_all("SELECT organisation FROM contacts ORDER BY id")
    assert [r[0] for r in rows] == ["Hikari Trading", "Aoba University"]
    before = counts(db)
    again = import_path(db, settings, path)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before


def test_a_shared_mailbox_or_company_profile_does_not_fold_rows(db, settings, tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text(HEADER + "Alice,Brown,Acme,,,Work,sales@acme.example,Work,03-1111-0001,,\n"
                             "Bob,Smith,Acme,,Bob's note.,Work,sales@acme.example,Work,"
                             "03-1111-0002,,\n"
                             "Cara,Diaz,,,,,,,,Profile,https://x.com/acmecorp\n"
                             "Dev,Rao,,,Dev's note.,,,,,Profile,https://x.com/acmecorp\n",
                    encoding="utf-8")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (4, 0)
    alice = person(db, "Alice Brown")
    assert details(db, alice["id"], "phone") == [("03-1111-0001", "Work")]
    assert identities(db, person(db, "Cara Diaz")["id"]) == ["https://x.com/acmecorp"]
    assert identities(db, person(db, "Dev Rao")["id"]) == []
    before = counts(db)
    assert import_path(db, settings, path).created == 0
    assert counts(db) == before
