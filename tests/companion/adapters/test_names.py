"""Splitting display names into family / given name and reading, Japanese first."""

import pytest
from hypothesis import given, settings, strategies as st

from companion.adapters.base import Profile
from companion.adapters.names import NameParts, apply_names, split_name

N = None

# display name, family, given, script
TABLE = [
    # kanji with a separator: family first
    ("山田 太郎", "山田", "太郎", "kanji"),
    ("山田　太郎", "山田", "太郎", "kanji"),
    ("山田・太郎", "山田", "太郎", "kanji"),
    ("山田･太郎", "山田", "太郎", "kanji"),
    ("  山田   太郎  ", "山田", "太郎", "kanji"),
    ("王 小明", "王", "小明", "kanji"),
    ("山田 太郎 次郎", N, N, "kanji"),
    # kanji without a separator: longest known surname prefix, 1–3 characters left
    ("山田太郎", "山田", "太郎", "kanji"),
    ("佐藤健", "佐藤", "健", "kanji"),
    ("佐々木希", "佐々木", "希", "kanji"),
    ("長谷川博己", "長谷川", "博己", "kanji"),
    ("小野寺太郎", "小野寺", "太郎", "kanji"),
    ("五十嵐健太郎", "五十嵐", "健太郎", "kanji"),
    ("林真理子", "林", "真理子", "kanji"),
    ("森本太郎", "森本", "太郎", "kanji"),
    ("東海林太郎", "東海林", "太郎", "kanji"),
    ("勅使河原宏", "勅使河原", "宏", "kanji"),
    ("渡邊太郎", "渡邊", "太郎", "kanji"),
    ("山﨑賢人", "山﨑", "賢人", "kanji"),
    ("髙橋一生", "髙橋", "一生", "kanji"),
    ("齋藤飛鳥", "齋藤", "飛鳥", "kanji"),
    ("田中", N, N, "kanji"),                   # a surname alone
    ("山田太郎太郎太郎", N, N, "kanji"),        # too much left: do not guess
    ("株式会社山田商事", N, N, "kanji"),
    ("森谷太郎", "森谷", "太郎", "kanji"),
    ("森蘭丸", "森", "蘭丸", "kanji"),
    ("杉沼太郎", N, N, "kanji"),               # 杉 + 沼…: likely a surname the list lacks
    # a known kanji surname followed by a kana given name
    ("長澤まさみ", "長澤", "まさみ", "mixed"),
    ("綾瀬はるか", "綾瀬", "はるか", "mixed"),
    ("山田タロウ", "山田", "タロウ", "mixed"),
    ("山田太郎さん", "山田", "太郎", "mixed"),
    # Chinese and Korean
    ("王小明", N, N, "kanji"),
    ("陳建仁", N, N, "kanji"),
    ("习近平", N, N, "kanji"),
    ("김민준", N, N, "other"),
    ("김 민준", N, N, "other"),
    # kana
    ("やまだ たろう", "やまだ", "たろう", "kana"),
    ("ヤマダ タロウ", "ヤマダ", "タロウ", "kana"),
    ("ヤマダ　タロウ", "ヤマダ", "タロウ", "kana"),
    ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ", "タロウ", "kana"),
    ("やまだたろう", N, N, "kana"),
    ("ジョン・スミス", "スミス", "ジョン", "kana"),      # foreign name, Western order
    ("レオナルド・ダ・ヴィンチ", "ダ・ヴィンチ", "レオナルド", "kana"),
    # Latin
    ("Taro Yamada", "Yamada", "Taro", "latin"),
    ("Ｔａｒｏ　Ｙａｍａｄａ", "Yamada", "Taro", "latin"),
    ("Yamada Taro", "Yamada", "Taro", "latin"),
    ("Satou Hanako", "Satou", "Hanako", "latin"),
    ("Ken Watanabe", "Watanabe", "Ken", "latin"),
    ("YAMADA Taro", "YAMADA", "Taro", "latin"),
    ("Taro YAMADA", "YAMADA", "Taro", "latin"),
    ("Yamada TARO", "Yamada", "TARO", "latin"),
    ("Mary Jane SMITH", "SMITH", "Mary Jane", "latin"),
    ("TARO YAMADA", "YAMADA", "TARO", "latin"),
    ("Yamada, Taro", "Yamada", "Taro", "latin"),
    ("Smith, John, Jr.", "Smith", "John", "latin"),
    ("Mary Jane Smith", "Smith", "Mary Jane", "latin"),
    ("Ludwig van Beethoven", "van Beethoven", "Ludwig", "latin"),
    ("Vincent van der Berg", "van der Berg", "Vincent", "latin"),
    ("Leonardo da Vinci", "da Vinci", "Leonardo", "latin"),
    ("Van Morrison", "Morrison", "Van", "latin"),
    ("Abe Lincoln", "Lincoln", "Abe", "latin"),
    ("Martin Luther King Jr.", "King", "Martin Luther", "latin"),
    ("Dr. Jane Doe", "Doe", "Jane", "latin"),
    ("Jean-Luc Picard", "Picard", "Jean-Luc", "latin"),
    ("Seán O'Brien", "O'Brien", "Seán", "latin"),
    ("José Álvarez", "Álvarez", "José", "latin"),
    ("Madonna", N, N, "latin"),
    ("taro_yamada", N, N, "latin"),
    ("Taro Yamada 2024", N, N, "latin"),
    ("Official Account Of The Tokyo Office", N, N, "latin"),
    # mixed scripts: the kanji part is the name
    ("山田 太郎 (Taro Yamada)", "山田", "太郎", "mixed"),
    ("山田太郎 / Taro Yamada", "山田", "太郎", "mixed"),
    ("山田太郎 | Taro Yamada", "山田", "太郎", "mixed"),
    ("Taro Yamada (山田太郎)", "山田", "太郎", "mixed"),
    ("山田 太郎 Taro Yamada", "山田", "太郎", "mixed"),
    ("山田太郎@転職活動中", "山田", "太郎", "kanji"),
    ("【公式】山田太郎", "山田", "太郎", "kanji"),
    # emoji and junk
    ("山田太郎🌸", "山田", "太郎", "kanji"),
    ("🍣 Taro Yamada 🍣", "Yamada", "Taro", "latin"),
    ("🌸", N, N, "other"),
    ("", N, N, "other"),
    ("   ", N, N, "other"),
    ("12345", N, N, "other"),
    ("@@@///|||", N, N, "other"),
    ("Иван Петров", N, N, "other"),
    ("\u200b山田\u200d太郎\x00", "山田", "太郎", "kanji"),
]


@pytest.mark.parametrize("display_name, family, given_name, script", TABLE)
def test_split_name_table(display_name, family, given_name, script):
    parts = split_name(display_name)
    assert (parts.family, parts.given, parts.script) == (family, given_name, script)


def test_table_is_large_enough():
    assert len(TABLE) >= 60


@pytest.mark.parametrize("display_name, reading, expected", [
    ("山田 太郎（やまだ たろう）", None, "やまだ たろう"),
    ("山田太郎(ヤマダ タロウ)", None, "ヤマダ タロウ"),
    ("山田太郎 (ﾔﾏﾀﾞ ﾀﾛｳ)", None, "ヤマダ タロウ"),
    ("山田太郎 / やまだ・たろう", None, "やまだ たろう"),
    ("Taro Yamada (やまだ たろう)", None, "やまだ たろう"),
    ("山田太郎", "やまだ　たろう", "やまだ たろう"),      # spaces normalised, script kept
    ("山田太郎", "ヤマダ・タロウ", "ヤマダ タロウ"),
    ("山田太郎", "  やまだたろう ", "やまだたろう"),
    ("山田太郎（やまだ たろう）", "ヤマダ タロウ", "ヤマダ タロウ"),  # the given reading wins
    ("山田太郎 (Taro Yamada)", None, None),
    ("山田太郎", "", None),
    ("やまだ たろう", None, None),
])
def test_reading(display_name, reading, expected):
    assert split_name(display_name, reading).reading == expected


def test_reading_in_brackets_does_not_change_the_split():
    parts = split_name("山田 太郎（やまだ たろう）")
    assert parts == NameParts("山田", "太郎", "やまだ たろう", "mixed")


def test_apply_names_fills_empty_fields():
    profile = Profile(display_name="山田 太郎（やまだ たろう）", url="https://example.com/taro")
    result = apply_names(profile)
    assert (result.family_name, result.given_name, result.reading) == ("山田", "太郎", "やまだ たろう")
    assert result.display_name == "山田 太郎（やまだ たろう）"
    assert result.url == "https://example.com/taro"


def test_apply_names_never_overwrites():
    profile = Profile(display_name="山田太郎 (やまだ たろう)", family_name="Yamada",
                      given_name="Taro", reading="ヤマダ タロウ")
    result = apply_names(profile)
    assert (result.family_name, result.given_name, result.reading) == ("Yamada", "Taro", "ヤマダ タロウ")


def test_apply_names_completes_only_an_agreeing_half():
    agreeing = apply_names(Profile(display_name="山田太郎", family_name="山田"))
    assert (agreeing.family_name, agreeing.given_name) == ("山田", "太郎")
    disagreeing = apply_names(Profile(display_name="山田太郎", family_name="山"))
    assert (disagreeing.family_name, disagreeing.given_name) == ("山", None)
    given_only = apply_names(Profile(display_name="Taro Yamada", given_name="Taro"))
    assert (given_only.family_name, given_only.given_name) == ("Yamada", "Taro")


def test_apply_names_keeps_an_adapter_reading_and_fills_names():
    result = apply_names(Profile(display_name="山田太郎（やまだ たろう）", reading="ヤマダ"))
    assert (result.family_name, result.given_name, result.reading) == ("山田", "太郎", "ヤマダ")


def test_apply_names_leaves_unsplittable_names_alone():
    profile = Profile(display_name="王小明")
    assert apply_names(profile) is profile
    assert profile.family_name is None and profile.given_name is None


def test_apply_names_does_not_mutate_its_argument():
    profile = Profile(display_name="Taro Yamada")
    result = apply_names(profile)
    assert profile.family_name is None
    assert result.family_name == "Yamada"


def test_display_name_is_never_changed():
    profile = Profile(display_name="ﾔﾏﾀﾞ ﾀﾛｳ")
    result = apply_names(profile)
    assert result.display_name == "ﾔﾏﾀﾞ ﾀﾛｳ"
    assert (result.family_name, result.given_name) == ("ヤマダ", "タロウ")


def test_never_raises_on_odd_types():
    for value in (None, 42, b"\xe5\xb1\xb1", ["山田"], "\ud800山田太郎"):
        parts = split_name(value, value)  # type: ignore[arg-type]
        assert isinstance(parts, NameParts)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_never_raises(display_name, reading):
    parts = split_name(display_name, reading)
    assert parts.script in {"kanji", "kana", "latin", "mixed", "other"}
    assert (parts.family is None) == (parts.given is None)
    if parts.family is not None:
        assert parts.family.strip() and parts.given.strip()
    result = apply_names(Profile(display_name=display_name, reading=reading))
    assert result.display_name == display_name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("山田太郎佐藤花子やまだタロウ 　・()（）/|@TaroYamada,🌸ﾀﾛｳ")),
                max_size=24).map("".join))
def test_never_raises_on_name_like_text(display_name):
    parts = split_name(display_name)
    assert (parts.family is None) == (parts.given is None)
