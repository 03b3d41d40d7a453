"""Name keys: NFKC widths, honorifics, kanji readings through the shared tagger, kana → romaji
with its spelling variants, and either order."""

from __future__ import annotations

import pytest

from companion.services.matching.names import (fold_romaji, kana_to_romaji, name_key,
                                               same_given_name, to_hiragana)


@pytest.mark.parametrize("kana, romaji", [
    ("やまだ たろう", "yamada tarou"),
    ("しょうた", "shouta"),
    ("つばさ", "tsubasa"),
    ("ちひろ", "chihiro"),
    ("じゅんいち", "jun'ichi".replace("'", "")),
    ("はっとり", "hattori"),
    ("まっちゃ", "matcha"),
    ("きょうこ", "kyouko"),
    ("ティファニー", "tifanii"),
    ("ｼｮｳﾀ", "shouta"),               # half-width katakana
    ("リョウ", "ryou"),
])
def test_kana_to_romaji_is_hepburn(kana, romaji):
    assert kana_to_romaji(kana) == romaji


@pytest.mark.parametrize("spellings", [
    ("Satō", "Satou", "SATOH", "Sato", "satoo"),
    ("Ōno", "Ohno", "Oono", "Ono"),
    ("Shinichi", "Shin'ichi", "Sin-iti"),
    ("Tsuyoshi", "Tuyosi"),
    ("Chihiro", "Tihiro"),
    ("Fujita", "Huzita", "Hujita"),
    ("Shouhei", "Syouhei", "Shōhei", "Shohei"),
    ("Homma", "Honma"),
    ("Namba", "Nanba"),
    ("Yuuki", "Yūki", "Yuki"),
])
def test_romaji_spellings_of_one_kana_name_fold_together(spellings):
    assert len({fold_romaji(s) for s in spellings}) == 1, [fold_romaji(s) for s in spellings]


def test_fold_keeps_different_names_apart():
    assert fold_romaji("Kenta") != fold_romaji("Kenji")
    assert fold_romaji("Yuka") != fold_romaji("Yuki")
    assert fold_romaji("Sato") != fold_romaji("Saito")


def test_katakana_and_hiragana_meet():
    assert to_hiragana("ヤマダ") == "やまだ" == to_hiragana("ﾔﾏﾀﾞ")


@pytest.mark.parametrize("name", [
    "山田太郎", "山田 太郎", "山田　太郎", "山田太郎さん", "山田 太郎 様", "やまだ たろう",
    "ヤマダ タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ", "Taro Yamada", "YAMADA Taro", "Yamada, Taro",
    "Ｙａｍａｄａ　Ｔａｒｏｕ", "Mr. Taro Yamada", "Tarō Yamada", "山田 太郎 (Taro Yamada)",
])
def test_every_form_of_one_name_gives_the_same_romaji(name):
    assert "yamadataro" in name_key(name).romaji
    assert "taroyamada" in name_key(name).romaji     # either order


def test_kanji_reading_comes_from_the_tagger():
    key = name_key("佐藤健一")
    assert "さとうけんいち" in key.readings
    assert {"sato", "kenichi"} <= key.romaji_tokens
    assert not key.stated_reading


def test_stated_reading_wins_over_the_tagger_guess():
    guessed = name_key("中島裕子")
    stated = name_key("中島裕子", "なかしま ひろこ")
    assert "なかじまゆうこ" in guessed.readings
    assert stated.readings == {"なかしまひろこ"} and stated.stated_reading
    assert "nakajimayuko" in stated.alt_romaji      # the guess is kept only as a possibility


def test_next_best_readings_are_possible_readings():
    key = name_key("佐藤陽菜")                      # MeCab's best: はるな
    assert "satoharuna" in key.romaji
    assert "satohina" in key.alt_romaji


def test_variant_kanji_fold():
    assert name_key("髙橋翔太").compact == name_key("高橋 翔太").compact
    assert name_key("渡邊 美咲").compact == name_key("渡辺美咲").compact
    assert "takahashishota" in name_key("髙橋翔太").romaji


def test_honorifics_and_titles_are_dropped():
    assert name_key("鈴木一郎さん").compact == name_key("鈴木一郎").compact
    assert name_key("Dr. Jane Doe, PhD").tokens == name_key("jane doe").tokens


def test_generational_suffix_is_kept_apart():
    assert name_key("John Hartley Jr.").generation == "jr"
    assert name_key("John Hartley").generation is None
    assert name_key("John Hartley Jr.").romaji == name_key("John Hartley").romaji


def test_nicknames():
    assert same_given_name("robert", "bob") and same_given_name("bob", "robert")
    assert not same_given_name("robert", "richard")
