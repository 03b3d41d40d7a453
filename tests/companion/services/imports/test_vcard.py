"""vCard import (services/imports/vcard.py with cards.py): real exports of Android (Shift_JIS
2.1 with QUOTED-PRINTABLE and SOUND;X-IRMC-N), iPhone, Gmail, Evolution and vobject's 4.0
files (copied with their SOURCES.md to tests/fixtures/imports/vcard/), cards written for Goen
(written/), matching with people already known, twice adds nothing, and bad files."""

from __future__ import annotations

import shutil
import zipfile

import pytest

from companion.adapters.base import Profile
from companion.db import utc_now
from companion.services import contacts
from companion.services.details import Detail, add_details
from companion.services.identity import _create_contact, resolve_profile
from companion.services.imports import ImportFailed, detect, import_path
from companion.services.imports import cards, vcard
from tests.companion.services.imports.card_rows import (counts, details, identities, notes,
                                                      person, tags)
from tests.helpers import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "imports" / "vcard"
ANDROID = FIXTURES / "vcard-android"
EZVCARD = FIXTURES / "vcard-ezvcard"
VOBJECT = FIXTURES / "vcard-vobject"
WRITTEN = FIXTURES / "written"


def card(text: str) -> str:
    body = text.strip().replace("\n", "\r\n")
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\n{body}\r\nEND:VCARD\r\n"


def reasons(summary) -> list[str]:
    return [s.reason for s in summary.skipped]


# -- what becomes what ----------------------------------------------------------------------------

def test_an_iphone_export_of_japanese_and_english_cards(db, settings):
    path = WRITTEN / "iphone_ja.vcf"
    assert detect(path).name == "vcard"
    summary = import_path(db, settings, path)
    assert (summary.created, summary.updated, summary.merged, summary.skipped) == (3, 0, 0, [])
    assert summary.source == "vcard:iphone_ja.vcf"
    hanako = person(db, "佐藤 花子")
    assert (hanako["family_name"], hanako["given_name"], hanako["reading"]) == (
        "佐藤", "花子", "さとう はなこ")
    assert (hanako["organisation"], hanako["title"]) == ("青葉商事株式会社", "課長")
    assert hanako["sort_key"] == "さとう はなこ"     # listed by reading
    assert details(db, hanako["id"], "email") == [("hanako.sato@aoba-shoji.example", None)]
    assert details(db, hanako["id"], "phone") == [("090-1234-5678", "cell")]
    assert details(db, hanako["id"], "address") == [("〒100-0005 日本 東京都千代田区丸の内1-2-3",
                                                     "work")]
    assert details(db, hanako["id"], "birthday") == [("1988-07-14", None)]
    assert details(db, hanako["id"], "url") == [("https://www.linkedin.com/in/hanako-sato-demo",
                                                 "LinkedIn")]   # X-ABLabel, as typed
    # the LinkedIn page is her identity: a capture of that profile finds her
    assert identities(db, hanako["id"]) == ["https://www.linkedin.com/in/hanako-sato-demo"]
    assert contacts.lookup(db, "https://jp.linkedin.com/in/hanako-sato-demo/").contact.id == \
        hanako["id"]
    assert tags(db, hanako["id"]) == ["取引先", "大学の友人"]
    assert notes(db, hanako["id"]) == ["2024年の展示会で名刺交換。\nお茶が好き, 特に玉露。"]
    assert details(db, hanako["id"], "import_key") == [
        ("vcard-uid:6B2F4C1E-0A7D-4E55-9C3B-1F00D0C0FFEE", None)]
    tom = person(db, "Tom Whitfield")
    assert (tom["family_name"], tom["given_name"], tom["organisation"]) == (
        "Whitfield", "Tom", "Copperleaf Studio")
    assert identities(db, tom["id"]) == ["https://x.com/tomwhit_demo"]   # X-SOCIALPROFILE
    ichiro = person(db, "鈴木 一郎")
    assert ichiro["reading"] == "スズキ イチロウ"
    key = details(db, ichiro["id"], "import_key")[0][0]
    assert key.startswith("vcard-sha:")          # no UID: a hash of the card's name and phone


def test_shift_jis_android_cards_with_quoted_printable_and_irmc_readings(db, settings, tmp_path):
    folder = tmp_path / "phone"
    folder.mkdir()
    for name in ("v21_japanese_1.vcf", "v21_japanese_2.vcf", "v21_japanese_3.vcf",
                 "v30_japanese.vcf", "v21_multiple_entry.vcf"):
        shutil.copy(ANDROID / name, folder / name)
    summary = import_path(db, settings, folder)
    assert summary.skipped == []
    # N holds the whole name; names.py splits it at the known surname
    ando = person(db, "安藤ロイド")
    assert (ando["family_name"], ando["given_name"], ando["reading"]) == (
        "安藤", "ロイド", "アンドウロイド")          # half-width ｱﾝﾄﾞｳﾛｲﾄﾞ made full-width
    assert details(db, ando["id"], "phone") == [("0300000000", None)]
    second = person(db, "安藤 ロイド 1")
    assert (second["family_name"], second["given_name"], second["reading"]) == (
        "安藤", "ロイド1", "アンドウ ロイド1")
    # a Shift_JIS QUOTED-PRINTABLE address over three soft-broken lines, and a note
    assert details(db, second["id"], "address") == [
        ("〒150-8512 東京都渋谷区桜丘町26-1セルリアンタワー6階", "home")]
    assert notes(db, second["id"]) == ["メモ"]
    ino = person(db, "伊能 圭一 伊予")
    assert (ino["family_name"], ino["given_name"]) == ("伊能", "圭一")
    # v21_japanese_3 and v30_japanese are the same card: one person
    assert db.query_one("SELECT COUNT(*) FROM contacts WHERE display_name = '伊能 圭一 伊予'")[0] \
        == 1
    # three cards in one file; their one- and two-digit test "numbers" are no phone numbers
    assert [person(db, f"安藤ロイド{i}")["reading"] for i in (3, 4, 5)] == [
        "アンドウロイド3", "アンドウロイド4", "アンドウロイド5"]
    assert details(db, person(db, "安藤ロイド3")["id"], "phone") == []
    assert summary.created == 6


def test_a_feature_phone_card_in_cp932(db, settings):
    summary = import_path(db, settings, WRITTEN / "feature_phone_sjis.vcf")
    assert summary.created == 1
    miho = person(db, "髙木 美穂")                 # 髙: cp932, not in plain Shift_JIS
    assert (miho["family_name"], miho["given_name"], miho["reading"]) == (
        "髙木", "美穂", "タカギ ミホ")
    assert details(db, miho["id"], "address") == [("〒060-0001 北海道札幌市中央区中央1-1-1",
                                                   "home")]
    assert details(db, miho["id"], "email") == [("miho.takagi@example.ne.jp", None)]


def test_android_utf8_quoted_printable_split_inside_characters(db, settings):
    summary = import_path(db, settings, WRITTEN / "android_ja_21.vcf")
    assert summary.created == 2 and summary.skipped == []
    kenta = person(db, "高橋 健太")
    assert kenta["reading"] == "たかはし けんた"
    assert kenta["organisation"] == "みなと物流株式会社"
    assert notes(db, kenta["id"]) == [
        "大学の同期。\n来年の春に福岡へ転勤の予定。転勤したら一度連絡して、向こうのおすすめのお店を"
        "聞くこと。"]
    assert details(db, kenta["id"], "email") == [("kenta.takahashi@example.jp", "home")]
    watanabe = person(db, "渡辺")
    assert watanabe["family_name"] is None     # a surname alone is not split into parts


def test_readings_from_sort_as_and_sort_string_and_the_japanese_fn(db, settings, tmp_path):
    for name in ("v40_sort_as.vcf", "v30_simple.vcf"):
        shutil.copy(ANDROID / name, tmp_path / name)
    shutil.copy(VOBJECT / "vcard40_multilang.vcf", tmp_path / "vcard40_multilang.vcf")
    import_path(db, settings, tmp_path)
    ando = person(db, "安藤 ロイド")
    assert (ando["reading"], ando["organisation"]) == ("あんどう ろいど", "グーグル")
    assert person(db, "And Roid")["reading"] == "android"
    yamada = person(db, "山田太郎")                 # the LANGUAGE=ja variant of FN and N
    assert (yamada["family_name"], yamada["given_name"], yamada["reading"]) == (
        "山田", "太郎", "yamada taro")


def test_gmail_iphone_and_evolution_exports(db, settings, tmp_path):
    for name in ("John_Doe_GMAIL.vcf", "gmail-single.vcf", "John_Doe_EVOLUTION.vcf",
                 "rfc6350-example.vcf"):
        shutil.copy(EZVCARD / name, tmp_path / name)
    import_path(db, settings, tmp_path)
    # Gmail writes an unescaped comma in FN: the whole name is kept
    john = person(db, "Mr. John Richter, James Doe Sr.")
    assert (john["family_name"], john["given_name"], john["reading"]) == ("Doe", "John",
                                                                         "Dow Jon")
    assert (john["organisation"], john["title"]) == ("IBM", "Money Counter")
    # Evolution's card has the same e-mail address: the same person, merged
    assert db.query_one("SELECT COUNT(*) FROM contacts WHERE display_name LIKE 'Mr. John%'")[0] \
        == 1
    assert tags(db, john["id"]) == ["VIP"]
    assert ("johnny5@aol.com", "aim") in details(db, john["id"], "im")
    # both cards give the same page: one detail
    assert [v for v, _ in details(db, john["id"], "url")] == ["http://www.ibm.com"]
    greg = person(db, "Greg Dartmouth")
    assert greg["reading"] == "Dart-mowth Grregg"
    assert ("555 555 2222", "GRAND_CENTRAL") in details(db, greg["id"], "phone")   # X-ABLabel
    simon = person(db, "Simon Perreault")
    assert details(db, simon["id"], "birthday") == [("--02-03", None)]
    assert ("+1-418-656-9254 ext. 102", "work") in details(db, simon["id"], "phone")


def test_uid_finds_the_same_person_and_groups_are_skipped(db, settings, tmp_path):
    for name in ("vcard40_full.vcf", "vcard40_simple.vcf", "vcard40_group.vcf",
                 "vcard40_org.vcf"):
        shutil.copy(VOBJECT / name, tmp_path / name)
    summary = import_path(db, settings, tmp_path)
    # vcard40_full and vcard40_simple share one UID: one person
    assert summary.created == 2
    john = person(db, "Dr. John Q. Public, III")
    assert john is not None and person(db, "John Doe") is None
    assert tags(db, john["id"]) == ["BUSINESS", "NETWORKING"]
    assert details(db, john["id"], "im") == [("xmpp:john@jabber.example.com", "xmpp"),
                                             ("sip:john@voip.example.com", "sip")]
    assert reasons(summary) == [vcard.SKIP_GROUP]
    assert summary.skipped[0].where == "vcard40_group.vcf:1"
    assert person(db, "ABC Marketing")["organisation"] == "ABC, Inc."


def test_android_export_with_a_broken_quoted_printable_byte(db, settings):
    summary = import_path(db, settings, EZVCARD / "John_Doe_ANDROID.vcf")
    assert summary.created == 6 and summary.skipped == []
    # "My Contacts" is a system group, no tag
    assert db.query_one("SELECT COUNT(*) FROM tags")[0] == 0
    # a card with only an e-mail address is named by it
    assert person(db, "john.doe@company.com") is not None


def test_photos_are_not_stored(db, settings):
    import_path(db, settings, EZVCARD / "John_Doe_IPHONE.vcf")
    john = person(db, "Mr. John Richter James Doe Sr.")
    assert john["avatar_url"] is None
    assert all("base64" not in (v or "") and len(v) < 200
               for v, _ in details(db, john["id"], "url") + details(db, john["id"], "address"))


# -- twice, and people known before ---------------------------------------------------------------

def test_importing_everything_twice_adds_nothing(db, settings, tmp_path):
    folder = tmp_path / "all"
    shutil.copytree(FIXTURES, folder)
    first = import_path(db, settings, folder)
    assert first.created > 30
    before = counts(db)
    again = import_path(db, settings, folder)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before
    assert [s.where for s in again.skipped] == [s.where for s in first.skipped]


def test_a_zip_of_vcards(db, settings, tmp_path):
    archive = tmp_path / "contacts.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(WRITTEN / "iphone_ja.vcf", "iCloud/iphone_ja.vcf")
        z.write(WRITTEN / "feature_phone_sjis.vcf", "phone/old.vcf")
    assert detect(archive).name == "vcard"
    assert import_path(db, settings, archive).created == 4


def test_a_captured_person_is_found_by_profile_url_and_only_filled_in(db, settings):
    now = utc_now()
    with db.transaction() as conn:
        found = resolve_profile(conn, Profile(
            display_name="Hanako Sato", url="https://www.linkedin.com/in/hanako-sato-demo",
            title="Sales Manager"), None, now, now)
    contacts.update_contact(db, found.contact_id, {"organisation": "自営"})   # locked by hand
    summary = import_path(db, settings, WRITTEN / "iphone_ja.vcf")
    assert (summary.created, summary.merged, summary.updated) == (2, 1, 0)
    row = db.query_one("SELECT * FROM contacts WHERE id = ?", (found.contact_id,))
    assert row["display_name"] == "Hanako Sato"         # what the capture said stays
    assert row["title"] == "Sales Manager"
    assert row["organisation"] == "自営"                  # locked: not overwritten
    assert row["reading"] == "さとう はなこ"              # empty: filled
    assert details(db, row["id"], "email") == [("hanako.sato@aoba-shoji.example", None)]
    assert person(db, "佐藤 花子") is None                 # no second Hanako


def test_matching_by_email_and_by_phone_with_the_same_name(db, settings):
    now = utc_now()
    with db.transaction() as conn:
        by_mail = _create_contact(conn, Profile(display_name="T. Whitfield"), now)
        add_details(conn, by_mail, [Detail("email", "TOM@copperleaf.example")], "manual", now)
        other = _create_contact(conn, Profile(display_name="鈴木次郎"), now)
        add_details(conn, other, [Detail("phone", "03-5555-0101")], "manual", now)
        same = _create_contact(conn, Profile(display_name="鈴木一郎"), now)
        add_details(conn, same, [Detail("phone", "０３５５５５０１０１")], "manual", now)
    summary = import_path(db, settings, WRITTEN / "iphone_ja.vcf")
    assert (summary.created, summary.merged) == (1, 2)
    assert identities(db, by_mail) == ["https://x.com/tomwhit_demo"]
    assert db.query_one("SELECT reading FROM contacts WHERE id = ?", (same,))[0] == \
        "スズキ イチロウ"
    # the same number under another name is another person (families share numbers)
    assert db.query_one("SELECT reading FROM contacts WHERE id = ?", (other,))[0] is None
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 4


def test_a_changed_card_updates_its_person_without_doubling_notes(db, settings, tmp_path):
    path = tmp_path / "one.vcf"
    path.write_text(card("UID:abc-1\nFN:Mika Hart\nN:Hart;Mika;;;\nNOTE:First note."),
                    encoding="utf-8")
    assert import_path(db, settings, path).created == 1
    path.write_text(card("UID:abc-1\nFN:Mika Hart\nN:Hart;Mika;;;\nNOTE:First note.\n"
                         "TITLE:Curator\nEMAIL:mika@example.org\nNOTE:Second note."),
                    encoding="utf-8")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.updated, summary.merged) == (0, 1, 0)
    mika = person(db, "Mika Hart")
    assert mika["title"] == "Curator"
    assert notes(db, mika["id"]) == ["First note.", "Second note."]



# -- different people are never folded into one ---------------------------------------------------

def vcf(tmp_path, *cards: str, name: str = "people.vcf"):
    path = tmp_path / name
    path.write_text("".join(card(c) for c in cards), encoding="utf-8")
    return path


def names_of(db) -> list[str]:
    return [r[0] for r in db.query_all("SELECT display_name FROM contacts ORDER BY id")]


def test_the_same_name_at_two_organisations_is_two_people(db, settings, tmp_path):
    path = vcf(tmp_path, "FN:佐藤健\nORG:ひかり商事\nNOTE:ひかり商事の佐藤さん。",
               "FN:佐藤健\nORG:青葉大学\nNOTE:青葉大学の佐藤先生。")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.updated, summary.merged) == (2, 0, 0)
    rows = db.query_all("SELECT id, organisation FROM contacts ORDER BY id")
    assert [r[1] for r in rows] == ["ひかり商事", "青葉大学"]
    assert notes(db, rows[0][0]) == ["ひかり商事の佐藤さん。"]
    assert notes(db, rows[1][0]) == ["青葉大学の佐藤先生。"]
    before = counts(db)
    again = import_path(db, settings, path)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before


def test_two_identical_cards_in_one_file_are_two_entries_found_again(db, settings, tmp_path):
    # nothing tells a doubled export line from two people of one name: both are kept, and the
    # occurrence number in the key finds each again
    path = vcf(tmp_path, "FN:Ken Mori", "FN:Ken Mori", "FN:Ken Mori\nTITLE:Chef")
    assert import_path(db, settings, path).created == 3
    before = counts(db)
    again = import_path(db, settings, path)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before


@pytest.mark.parametrize("mailbox", ["info@acme.example", "info-jp@acme.example",
                                     "info.jp@acme.example", "eigyo@acme.example",
                                     "Support@acme.example"])
def test_a_shared_role_mailbox_does_not_fold_two_people(db, settings, tmp_path, mailbox):
    path = vcf(tmp_path, f"FN:Alice Brown\nEMAIL:{mailbox}\nTEL:03-1111-0001",
               f"FN:Bob Smith\nEMAIL:{mailbox}\nTEL:03-1111-0002\nNOTE:Bob's note.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (2, 0)
    alice, bob = person(db, "Alice Brown"), person(db, "Bob Smith")
    assert details(db, alice["id"], "phone") == [("03-1111-0001", None)]
    assert notes(db, alice["id"]) == []
    assert notes(db, bob["id"]) == ["Bob's note."]


def test_a_role_mailbox_does_not_find_a_known_person_even_of_the_same_name(db, settings,
                                                                           tmp_path):
    now = utc_now()
    with db.transaction() as conn:
        known = _create_contact(conn, Profile(display_name="Alice Brown"), now)
        add_details(conn, known, [Detail("email", "hello@acme.example")], "manual", now)
    path = vcf(tmp_path, "FN:Bob Smith\nEMAIL:hello@acme.example",
               "FN:Alice Brown\nEMAIL:hello@acme.example\nNOTE:Another Alice.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (2, 0)
    assert notes(db, known) == []
    assert names_of(db) == ["Alice Brown", "Bob Smith", "Alice Brown"]


def test_a_personal_email_under_another_name_is_another_person(db, settings, tmp_path):
    now = utc_now()
    with db.transaction() as conn:
        known = _create_contact(conn, Profile(display_name="Carol Reed"), now)
        add_details(conn, known, [Detail("email", "carol@reed.example")], "manual", now)
    path = vcf(tmp_path, "FN:Dan Wu\nEMAIL:carol@reed.example\nNOTE:Dan's note.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (1, 0)
    assert notes(db, known) == []


def test_the_same_email_and_the_same_name_is_still_the_same_person(db, settings, tmp_path):
    now = utc_now()
    with db.transaction() as conn:
        known = _create_contact(conn, Profile(display_name="Erin Cole"), now)
        add_details(conn, known, [Detail("email", "erin@cole.example")], "manual", now)
        kanji = _create_contact(conn, Profile(display_name="Ken Sato"), now)
        add_details(conn, kanji, [Detail("email", "ken.sato@hikari.example")], "manual", now)
    path = vcf(tmp_path, "FN:Erin Cole\nEMAIL:ERIN@cole.example\nTEL:090-2222-0003",
               "FN:佐藤 健\nN:佐藤;健;;;\nX-PHONETIC-LAST-NAME:さとう\nX-PHONETIC-FIRST-NAME:けん\n"
               "EMAIL:ken.sato@hikari.example")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (0, 2)
    assert details(db, known, "phone") == [("090-2222-0003", None)]
    assert db.query_one("SELECT reading FROM contacts WHERE id = ?", (kanji,))[0] == \
        "さとう けん"
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 2


def test_a_shared_company_profile_url_does_not_fold_two_people(db, settings, tmp_path):
    now = utc_now()
    with db.transaction() as conn:
        company = resolve_profile(conn, Profile(display_name="Acme Corp",
                                                url="https://x.com/acmecorp"), None, now, now)
    path = vcf(tmp_path, "FN:Alice Brown\nURL:https://x.com/acmecorp\nNOTE:Alice's note.",
               "FN:Bob Smith\nURL:https://twitter.com/AcmeCorp\nNOTE:Bob's note.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (2, 0)
    assert notes(db, company.contact_id) == []
    assert db.query_one("SELECT display_name FROM contacts WHERE id = ?",
                        (company.contact_id,))[0] == "Acme Corp"
    # the profile stays with the one who held it
    assert identities(db, company.contact_id) == ["https://x.com/acmecorp"]
    assert identities(db, person(db, "Alice Brown")["id"]) == []
    before = counts(db)
    assert import_path(db, settings, path).created == 0
    assert counts(db) == before


def test_a_profile_url_new_to_goen_is_held_by_the_first_card_only(db, settings, tmp_path):
    path = vcf(tmp_path, "FN:Alice Brown\nURL:https://x.com/acmecorp",
               "FN:Bob Smith\nURL:https://x.com/acmecorp\nNOTE:Bob's note.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (2, 0)
    assert identities(db, person(db, "Alice Brown")["id"]) == ["https://x.com/acmecorp"]
    assert notes(db, person(db, "Bob Smith")["id"]) == ["Bob's note."]


def test_two_cards_of_one_person_in_one_file_stay_two_entries(db, settings, tmp_path):
    # a contact found or made by one card of this import takes no second card of it, whatever
    # they share: the address book held two entries, and the duplicate pass may propose them
    path = vcf(tmp_path, "FN:Gina Park\nEMAIL:gina@park.example\nTEL:090-4444-0001",
               "FN:Gina Park\nEMAIL:gina@park.example\nTEL:090-4444-0002")
    assert import_path(db, settings, path).created == 2
    before = counts(db)
    again = import_path(db, settings, path)
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before


def test_two_cards_with_one_uid_in_one_file_are_one_person(db, settings, tmp_path):
    # a UID is the card's own id: the same one twice says "the same card", so it is not numbered
    path = vcf(tmp_path, "UID:u-7\nFN:Ivo Lind\nTEL:090-6666-0001",
               "UID:u-7\nFN:Ivo Lind\nNOTE:Second copy.")
    summary = import_path(db, settings, path)
    assert (summary.created, summary.merged) == (1, 0)
    ivo = person(db, "Ivo Lind")
    assert notes(db, ivo["id"]) == ["Second copy."]


def test_one_file_twice_in_a_folder_is_one_set_of_people(db, settings, tmp_path):
    # numbering is per file: the second file's first "Ken Mori" is the first file's first
    one = "".join(card(c) for c in ("FN:Ken Mori", "FN:Ken Mori"))
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.vcf").write_text(one, encoding="utf-8")
    (folder / "b.vcf").write_text(one, encoding="utf-8")
    assert import_path(db, settings, folder).created == 2
    assert import_path(db, settings, folder).created == 0


def test_the_key_of_a_card_without_organisation_or_title_is_unchanged():
    # cards imported before the organisation counted are found again by their key
    plain = cards.Card(display_name="Ken Mori", details=[Detail("email", "ken@mori.example"),
                                                         Detail("phone", "090-1234-0000")])
    key = "vcard-sha:7f8838fa40634320e49d065a98453fa29a88d58e"
    assert cards.content_key("vcard-sha:", plain, ("Mori", "Ken")) == key
    plain.organisation = "Mori Bakery"
    at_work = cards.content_key("vcard-sha:", plain, ("Mori", "Ken"))
    plain.organisation, plain.title = None, "Baker"
    assert len({key, at_work, cards.content_key("vcard-sha:", plain, ("Mori", "Ken"))}) == 3


def test_two_cards_found_one_by_one_then_read_together_add_nothing(db, settings, tmp_path):
    # a person who holds the keys of two cards (found by each in earlier imports, or two
    # contacts merged by the user) is found by both again, not split
    first = card("UID:h-1\nFN:Hana Ito\nEMAIL:hana@ito.example")
    second = card("UID:h-2\nFN:Hana Ito\nEMAIL:hana@ito.example\nTEL:090-5555-0001")
    (tmp_path / "a.vcf").write_text(first, encoding="utf-8")
    (tmp_path / "b.vcf").write_text(second, encoding="utf-8")
    (tmp_path / "both.vcf").write_text(first + second, encoding="utf-8")
    assert import_path(db, settings, tmp_path / "a.vcf").created == 1
    assert import_path(db, settings, tmp_path / "b.vcf").merged == 1
    before = counts(db)
    again = import_path(db, settings, tmp_path / "both.vcf")
    assert (again.created, again.updated, again.merged) == (0, 0, 0)
    assert counts(db) == before

# -- bad files ------------------------------------------------------------------------------------

def test_a_truncated_file_keeps_the_cards_before_the_cut(db, settings, tmp_path):
    whole = (WRITTEN / "iphone_ja.vcf").read_bytes()
    cut = whole[: whole.rindex(b"END:VCARD")]           # the last card loses its END
    path = tmp_path / "cut.vcf"
    path.write_bytes(cut)
    summary = import_path(db, settings, path)
    assert summary.created == 2
    assert reasons(summary) == [vcard.SKIP_TRUNCATED]
    assert summary.skipped[0].where.startswith("cut.vcf:")
    assert person(db, "鈴木 一郎") is None                 # no half-written person


def test_a_card_cut_off_by_the_next_one_is_skipped_alone(db, settings, tmp_path):
    path = tmp_path / "joined.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Cut Off\r\n" + card("FN:Whole Card"),
                    encoding="utf-8")
    summary = import_path(db, settings, path)
    assert summary.created == 1 and person(db, "Whole Card") is not None
    assert [(s.where, s.reason) for s in summary.skipped] == [("joined.vcf:1",
                                                               vcard.SKIP_TRUNCATED)]


def test_a_card_vobject_cannot_parse_is_skipped_with_its_line(db, settings, tmp_path):
    path = tmp_path / "bad.vcf"
    path.write_text(card("FN:First Person") + card("FN:Broken\nthis line has no colon")
                    + card("FN:Third Person"), encoding="utf-8")
    summary = import_path(db, settings, path)
    assert summary.created == 2
    assert reasons(summary) == [vcard.SKIP_UNPARSABLE]
    assert summary.skipped[0].where.startswith("bad.vcf:5")
    assert person(db, "Broken") is None


def test_wrong_encodings(db, settings, tmp_path):
    # a card in Latin-1 beside a UTF-8 one: the UTF-8 card is read, the other skipped
    mixed = tmp_path / "mixed.vcf"
    mixed.write_bytes(card("FN:森 ひかり").encode("utf-8") + card("FN:José Núñez").encode("latin-1"))
    summary = import_path(db, settings, mixed)
    assert summary.created == 1 and person(db, "森 ひかり") is not None
    assert reasons(summary) == [vcard.SKIP_ENCODING]
    # a whole file in an encoding that is neither: a clear error, nothing written
    latin = tmp_path / "latin.vcf"
    latin.write_bytes(card("FN:José Núñez\nEMAIL:jose@example.org").encode("latin-1"))
    with pytest.raises(ImportFailed) as failed:
        import_path(db, settings, latin)
    assert "文字コード" in failed.value.message and "encoding" in failed.value.message
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 1
    # a CHARSET that names the encoding is honoured
    labelled = tmp_path / "labelled.vcf"
    labelled.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=ISO-8859-1:Jos\xe9 N\xfa\xf1ez"
                         b"\r\nEND:VCARD\r\n")
    assert import_path(db, settings, labelled).created == 1
    assert person(db, "José Núñez") is not None
    # UTF-16 (Outlook can write it) is read
    wide = tmp_path / "wide.vcf"
    wide.write_bytes(card("FN:小林 蓮").encode("utf-16"))
    assert import_path(db, settings, wide).created == 1 and person(db, "小林 蓮") is not None


def test_empty_files_are_refused(db, settings, tmp_path):
    empty = tmp_path / "empty.vcf"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed) as failed:
        import_path(db, settings, empty)
    assert "vCard" in failed.value.message
    blank = tmp_path / "notes.vcf"
    blank.write_text("just some text\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        import_path(db, settings, blank)
    assert db.query_one("SELECT COUNT(*) FROM contacts")[0] == 0


def test_a_vcard_without_the_suffix_is_recognised_by_its_first_line(tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_text(card("FN:Somebody"), encoding="utf-8")
    assert detect(path).name == "vcard"
    other = tmp_path / "notes.txt"
    other.write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", encoding="utf-8")
    assert detect(other) is None


def test_progress_reaches_the_whole_file(db, settings):
    seen: list[tuple[int, int]] = []
    import_path(db, settings, EZVCARD / "John_Doe_IPHONE.vcf",
                progress=lambda done, total: seen.append((done, total)))
    total = (EZVCARD / "John_Doe_IPHONE.vcf").stat().st_size
    assert seen[-1] == (total, total)
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))   # never backwards


def test_a_failure_part_way_keeps_earlier_batches(db, settings, tmp_path, monkeypatch):
    from companion.services.imports import cards
    monkeypatch.setattr(cards, "BATCH_ROWS", 2)
    path = tmp_path / "many.vcf"
    path.write_text("".join(card(f"FN:Person {i}\nEMAIL:p{i}@example.org") for i in range(5)),
                    encoding="utf-8")
    original = cards.CardWriter.write

    def failing(self, conn, item):
        if item.display_name == "Person 3":
            raise OSError("disk went away")
        return original(self, conn, item)

    monkeypatch.setattr(cards.CardWriter, "write", failing)
    with pytest.raises(OSError):
        import_path(db, settings, path)
    # the first batch (Person 0 and 1) stays; Person 2's batch was rolled back whole
    assert [r[0] for r in db.query_all("SELECT display_name FROM contacts ORDER BY id")] == [
        "Person 0", "Person 1"]
    assert db.query_one("SELECT COUNT(*) FROM contact_details")[0] == 4   # 2 e-mails, 2 keys


def test_unescaped_commas_are_kept(db, settings, tmp_path):
    # vCard 2.1 has no comma escaping, and Gmail's 3.0 FN leaves its comma bare: neither is
    # cut at the comma
    import_path(db, settings, EZVCARD / "John_Doe_GMAIL.vcf")
    assert person(db, "Mr. John Richter, James Doe Sr.") is not None
    path = tmp_path / "old.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:2.1\r\nN:Lind;Ola;;;\r\nFN:Ola Lind, PhD\r\n"
                    "TITLE:Sales, Asia\r\nNOTE:Tea, not coffee.\r\nEND:VCARD\r\n",
                    encoding="utf-8")
    import_path(db, settings, path)
    ola = person(db, "Ola Lind, PhD")
    assert ola["title"] == "Sales, Asia"
    assert notes(db, ola["id"]) == ["Tea, not coffee."]
