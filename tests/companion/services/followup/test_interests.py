"""Interests (cue + topic terms) and topic terms of any text."""

from __future__ import annotations

from companion.services.followup import topic_terms


def test_japanese_interest_terms_are_compound_nouns(analyze):
    [fact] = analyze("最近はRustと機械学習、特に自然言語処理に興味があります。", direction="in",
                     kind="interest")
    assert fact.terms == ["Rust", "機械学習", "自然言語処理"]
    assert fact.whose == "them" and fact.lang == "ja"
    [fact] = analyze("趣味は登山とクラフトビールです。", kind="interest")
    assert fact.terms == ["登山", "クラフトビール"]
    assert fact.whose == "me"


def test_english_interest_terms(analyze):
    [fact] = analyze("Lately I'm really into trail running and specialty coffee.",
                     direction="in", kind="interest")
    assert fact.terms == ["trail running", "specialty coffee"]
    [fact] = analyze("I'm interested in Rust, WebAssembly and developer tooling.", kind="interest")
    assert fact.terms == ["Rust", "WebAssembly", "developer tooling"]


def test_no_cue_no_interest(analyze):
    assert analyze("I'll send the deck tomorrow.", kind="interest") == []
    assert analyze("資料は明日お送りします。", kind="interest") == []


def test_quoted_titles_count_for_interests(analyze):
    [fact] = analyze("「組織論」と「データ基盤」に関心を持っています。", kind="interest")
    assert fact.terms == ["組織論", "データ基盤"]


def test_topic_terms_of_a_bio():
    assert topic_terms("株式会社サンプルでデータエンジニア。登山と写真が好き。", "ja") == [
        "株式会社サンプル", "データエンジニア", "登山", "写真"]
    assert topic_terms("Product designer at Acme. Writing about design systems and AI.",
                       "en") == ["Product designer", "Acme", "Writing", "design systems", "AI"]
