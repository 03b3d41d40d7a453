"""compare(a, b): every reason, and the verdict rules (certain → same; a name needs
corroboration to be likely; a conflicting profile speaks against)."""

from __future__ import annotations

import pytest

from companion.services.matching import compare as cmp
from companion.services.matching.compare import Side, compare


def codes(result) -> set[str]:
    return {r.code for r in result.reasons}


# -- certain evidence ---------------------------------------------------------------------------

def test_same_email_is_certain_whatever_the_names():
    result = compare(Side("Hannah Whitlock", emails=("hwhitlock+news@fastmail.com",)),
                     Side("Hannah Whitlock-Ames", emails=("HWhitlock@FastMail.com",)))
    assert result.verdict == "same" and result.score == 1.0
    assert "same_email" in codes(result)


def test_same_profile_url_through_its_variants():
    result = compare(Side("Jane Doe", urls=("http://mobile.twitter.com/JaneDoe/",)),
                     Side("J. D.", urls=("https://x.com/janedoe/status/123?s=20",)))
    assert result.verdict == "same" and "same_profile_url" in codes(result)


def test_a_rel_me_link_to_the_other_profile_is_certain():
    # a's personal site links its GitHub with rel=me: the link is one of a's urls
    result = compare(Side("Saori Morishita", urls=("https://saori.dev/",
                                                   "https://github.com/saori-m")),
                     Side("森下 沙織", urls=("https://github.com/Saori-M",)))
    assert result.verdict == "same" and "same_profile_url" in codes(result)


def test_same_personal_website():
    result = compare(Side("Oscar Lindqvist", urls=("https://oscarlindqvist.dev/",)),
                     Side("Oscar L", urls=("http://www.oscarlindqvist.dev",)))
    assert result.verdict == "same" and "same_website" in codes(result)


def test_the_organisations_website_is_not_certain():
    result = compare(Side("大石 蓮", organisation="株式会社しおかぜ",
                          urls=("https://shiokaze.co.jp/",)),
                     Side("小川 葵", organisation="株式会社しおかぜ",
                          urls=("https://www.shiokaze.co.jp",)))
    assert "same_org_website" in codes(result) and "same_website" not in codes(result)
    assert result.verdict == "different"


def test_a_shared_mailbox_is_not_certain():
    result = compare(Side("Nora Blake", emails=("info@quillpress.com",)),
                     Side("Ethan Cole", emails=("info@quillpress.com",)))
    assert "same_role_email" in codes(result) and result.verdict == "different"


def test_two_profiles_on_one_platform_speak_against():
    a = Side("Emily Davis", organisation="Ferncrest Health",
             urls=("https://github.com/emilyd",))
    b = Side("Emily Davis", organisation="Ferncrest Health",
             urls=("https://github.com/edavis-fh",))
    result = compare(a, b)
    assert "different_profiles" in codes(result) and result.verdict == "different"
    without = compare(Side("Emily Davis", organisation="Ferncrest Health"),
                      Side("Emily Davis", organisation="Ferncrest Health"))
    assert without.verdict == "likely" and without.score > result.score


def test_certain_evidence_with_a_conflict_is_only_likely():
    result = compare(
        Side("Jane Doe", urls=("https://x.com/janedoe", "https://www.linkedin.com/in/jd-1/")),
        Side("Jane Doe", urls=("https://x.com/janedoe", "https://www.linkedin.com/in/jd-2/")))
    assert result.verdict == "likely" and result.score == cmp.CERTAIN_WITH_CONFLICT
    assert {"same_profile_url", "different_profiles"} <= codes(result)


# -- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, code", [
    ("山田 太郎", "山田太郎さん", "name_same"),
    ("Taro Yamada", "YAMADA Taro", "name_same"),
    ("山田太郎", "やまだ たろう", "name_reading_match"),
    ("山田太郎", "ﾔﾏﾀﾞ ﾀﾛｳ", "name_reading_match"),
    ("山田太郎", "Taro Yamada", "name_romaji_match"),
    ("やまだ たろう", "YAMADA Tarou", "name_romaji_match"),
    ("中島 裕子", "Hiroko Nakashima", "name_reading_possible"),
    ("Katherine Doyle", "Catherine Doyle", "name_similar"),
    ("Mary Ann Whitfield", "Mary Whitfield", "name_similar"),
    ("Robert Kessler", "Bob Kessler", "name_nickname"),
    ("J. Harrow", "Jeremy Harrow", "name_initial"),
    ("小松 悠人", "Yuto Komatsu", "name_family_match"),   # MeCab reads 悠人 ゆうにん
    ("佐藤 健", "佐藤 健一", "name_different"),
    ("Daniel Reyes", "Danielle Reyes", "name_different"),
    ("John Smith", "Joan Smith", "name_different"),
])
def test_name_reasons(a, b, code):
    assert code in codes(compare(Side(a), Side(b)))


def test_a_stated_reading_that_differs_is_a_conflict():
    result = compare(Side("中島 裕子", reading="なかじま ゆうこ", organisation="ひばり法律事務所"),
                     Side("中島 裕子", reading="なかしま ひろこ", organisation="ひばり法律事務所"))
    assert "name_reading_conflict" in codes(result) and result.verdict == "different"


def test_generational_suffix_speaks_against():
    result = compare(Side("John Hartley Jr.", organisation="Hartley & Sons"),
                     Side("John Hartley", organisation="Hartley and Sons"))
    assert "different_generation" in codes(result) and result.verdict == "different"


@pytest.mark.parametrize("name", ["佐藤 健", "John Smith", "Alexandra Petrova", "山田太郎"])
def test_names_alone_are_never_enough(name):
    result = compare(Side(name), Side(name))
    assert result.verdict == "different" and result.score < cmp.LIKELY_THRESHOLD


def test_common_family_names_say_less():
    common = compare(Side("佐藤 健"), Side("佐藤 健"))
    rare = compare(Side("小早川 凛"), Side("小早川 凛"))
    assert common.score < rare.score


# -- corroboration ------------------------------------------------------------------------------

def test_name_with_same_organisation_is_likely_across_scripts():
    result = compare(Side("山田太郎", organisation="株式会社あおぞらテック"),
                     Side("Taro Yamada", organisation="あおぞらテック(株)"))
    assert result.verdict == "likely"
    assert {"name_romaji_match", "same_organisation"} <= codes(result)
    assert all(r.en and r.ja for r in result.reasons)


def test_organisation_romaji_meets_its_english_spelling():
    result = compare(Side("太田 勇気", organisation="株式会社ききょう"),
                     Side("Yuuki Oota", organisation="Kikyo"))
    assert "same_organisation" in codes(result) and result.verdict == "likely"


def test_different_organisation_speaks_against():
    result = compare(Side("Ingrid Solberg", organisation="Polar Grid"),
                     Side("Ingrid Solberg", organisation="Zeewind BV"))
    assert "different_organisation" in codes(result) and result.verdict == "different"


def test_same_location_across_scripts():
    result = compare(Side("Yusuf Demir", location="Shibuya, Tokyo"),
                     Side("Yusuf Demir", location="東京都渋谷区"))
    assert "same_location" in codes(result)
    assert result.verdict == "likely"


def test_same_photo_and_title():
    result = compare(Side("Lucía Fernández", title="Designer", photo="sha256:77bd01"),
                     Side("Lucia Fernandez", title="designer", photo="sha256:77bd01"))
    assert {"same_photo", "same_title"} <= codes(result) and result.verdict == "likely"


def test_corroboration_without_a_name_match_is_not_likely():
    result = compare(Side("Maya Okafor", organisation="Kestrel", photo="p1", location="Lagos"),
                     Side("Liam Brennan", organisation="Kestrel", photo="p1", location="Lagos"))
    assert result.verdict == "different"


def test_certain_evidence_with_clearly_different_names_is_only_proposed():
    # a shared address no list foresees (a couple's), a company site, a shop's account
    for a, b in [(Side("Alice Brown", emails=("browns@home.example",)),
                  Side("Bob Green", emails=("browns@home.example",))),
                 (Side("山田太郎", urls=("https://www.hksys.co.jp/",)),
                  Side("佐藤花子", urls=("https://www.hksys.co.jp/",))),
                 (Side("Ken Ito", urls=("https://x.com/acmecorp",)),
                  Side("Mara Quell", urls=("https://x.com/acmecorp",)))]:
        result = compare(a, b)
        assert result.verdict == "likely", (a.name, b.name, codes(result))
    # names that cannot be told apart are no evidence against: still certain
    assert compare(Side("Nora Vance", emails=("nora@vance.example",)),
                   Side("ノラ・ヴァンス", emails=("NORA@vance.example",))).verdict == "same"


def test_role_mailboxes_in_longer_names_are_shared_not_personal():
    from companion.services.matching.compare import is_role_mailbox
    assert all(is_role_mailbox(a) for a in ("info@a.example", "info-jp@a.example",
                                            "jp.sales@a.example", "yamada.family@a.example",
                                            "eigyo@a.example"))
    assert not any(is_role_mailbox(a) for a in ("taro.yamada@a.example", "mia@a.example",
                                                "infosec.lead@a.example"))
    result = compare(Side("Taro Yamada", emails=("info-jp@acme.example",)),
                     Side("Taro Yamada", emails=("info-jp@acme.example",)))
    assert "same_email" not in codes(result)
