"""Drafts: the specific thing taken out of a fact's span, needs and offers for introductions,
the ranking formula, and drafts composed from facts in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from companion.services.followup import drafts_en, drafts_ja, drafts_things as things
from companion.services.followup import guard_phrases, suggest_rank as rank
from companion.services.followup.drafts_input import DraftInput, IntroSide, Touch
from companion.services.followup.suggest_intro import need_of, need_phrase
from companion.services.followup.suggest_model import FactRef, FactSource

TODAY = date(2026, 11, 26)


def fact(kind: str, span: str, *, whose: str = "them", label: str = "", lang: str | None = None,
         due: str | None = None, event_date: str | None = None, detail: dict | None = None,
         stated_at: str = "2026-11-20T01:00:00.000Z", fact_id: int = 1) -> FactRef:
    lang = lang or ("ja" if any("\u3040" <= c <= "\u9fff" for c in span) else "en")
    return FactRef(fact_id, 1, kind, whose, label, lang, span, due, event_date, stated_at,
                   "open", FactSource("interaction", 1, stated_at), detail or {})


@pytest.mark.parametrize("span, thing", [
    ("明日までに見積もりをお送りします。", "見積もり"),
    ("会社案内の資料は来週お送りします。", "会社案内の資料"),
    ("Rustの本、読み終わったらお貸ししますね。", "Rustの本"),
    ("新潟の飲食アプリ開発の契約書のドラフト、明日までにお送りします。", "新潟の飲食アプリ開発の契約書のドラフト"),
    ("先日の高松の製造需要予測モデルの件、確認して折り返します。", "高松の製造需要予測モデル"),
    ("また連絡します。", None),
])
def test_the_object_of_a_japanese_promise(span, thing):
    assert things.ja_object(span) == thing


@pytest.mark.parametrize("span, found", [
    ("I'll send you the deck by Friday.", ("send", "the deck")),
    ("I'll lend you that book on Rust when I'm done.", ("lend", "the book on Rust")),
    ("Sure, I'll put together the proposal and send it over by next week.",
     ("put together", "the proposal")),
    ("I will review your draft tonight.", ("review", "your draft")),
    ("I'll get it to you by Friday for sure.", None),
])
def test_the_verb_and_object_of_an_english_promise(span, found):
    assert things.en_object_verb(span) == found


def test_activities_places_and_names():
    assert things.ja_activity("来週木曜に丸の内でお茶でもいかがですか？") == ("お茶", "丸の内")
    assert things.ja_activity("今度渋谷でランチしませんか？") == ("ランチ", "渋谷")
    assert things.en_activity("Lunch at the usual cafe sometime?") == ("lunch", "the usual cafe")
    assert things.en_named_thing("I'm speaking at RustConf Berlin on Dec 5.") == "RustConf Berlin"
    assert things.en_named_thing("My book “Data for Humans” comes out in March.") == \
        "Data for Humans"
    assert things.ja_place_before_de("12月5日の物流DXサミットで登壇します。") == "物流DXサミット"
    assert things.ja_joined("来月から株式会社ミライ商事に転職することになりました。") == "株式会社ミライ商事"
    assert things.en_asked_object("Could you share the slides from the panel?") == \
        "the slides from the panel"


def test_interest_terms_worth_naming():
    assert things.first_topic(fact("interest", "Loved your post about machine learning.",
                                   detail={"terms": ["Loved", "post", "machine"]})) == \
        "machine learning"
    assert things.first_topic(fact("interest", "I've been getting into it lately.",
                                   detail={"terms": ["getting"]})) is None
    assert things.first_topic(fact("interest", "最近は陶芸にハマっています。",
                                   detail={"terms": ["陶芸"]})) == "陶芸"


@pytest.mark.parametrize("span, need", [
    ("Do you know anyone who is good at Rust?", "Rust"),
    ("We're looking for a product designer for the Osaka rollout — do you know anyone?",
     "product designer"),
    ("副業に詳しい方をご存じでしたら、ご紹介いただけませんか？", "副業"),
    ("高松の自治体新サービスに関わっていただけるUIデザイナーを探しているのですが、ご存じの方はいませんか？",
     "UIデザイナー"),
    ("Could you share the slides from the panel?", None),
])
def test_needs_are_read_from_their_facts(span, need):
    assert need_of(fact("question", span, label="question")) == need
    assert need_of(fact("question", span, whose="me")) is None   # my own need: no intro


def test_need_phrases():
    assert need_phrase("designer", "en") == "a designer"
    assert need_phrase("Rust", "en") == "someone who knows Rust"
    assert need_phrase("副業", "ja") == "副業に詳しい方"
    assert need_phrase("UIデザイナー", "ja") == "UIデザイナー"


def test_ranking_follows_the_documented_formula():
    assert rank.urgency("promise_due", TODAY, due="2026-11-20") == 1.0       # overdue
    assert rank.urgency("promise_due", TODAY, due="2026-11-28") == pytest.approx(0.88)
    assert rank.urgency("promise_due", TODAY, due=None) == 0.6
    assert rank.urgency("question_waiting", TODAY, stated="2026-11-24") == pytest.approx(0.9)
    assert rank.urgency("overdue_by_cadence", TODAY, overdue_ratio=2.0) == 1.0
    assert rank.recency(TODAY, "2026-11-26") == 1.0
    assert rank.dismissal_penalty("promise_due", {"promise_due": 2, "met_recently": 1}) == \
        pytest.approx(0.25 * 0.85)
    assert rank.score("promise_due", "inner", 1.0, 1.0, 1.0) == 100.0
    assert rank.score("promise_due", "dormant", 1.0, 1.0, 1.0) < \
        rank.score("promise_due", "close", 1.0, 1.0, 1.0)
    assert rank.score("overdue_by_cadence", "inner", 1.0, 1.0, 1.0) < \
        rank.score("question_waiting", "inner", 1.0, 1.0, 1.0)


class Wordings(list):
    """Every wording of one draft (variants 0–5)."""

    def all_have(self, part: str, lower: bool = False) -> bool:
        return all(part in (t.lower() if lower else t) for t in self)

    def any_has(self, part: str) -> bool:
        return any(part in t for t in self)


def _draft(lang: str, reason: str, main: FactRef | None = None, **extra) -> Wordings:
    builder = drafts_ja if lang == "ja" else drafts_en
    texts = Wordings()
    for variant in range(6):
        inp = DraftInput("k", reason, "x", lang, TODAY, "Emily" if lang == "en" else "高橋",
                         fact=main, variant=variant, **extra)
        text = builder.compose(inp)
        assert text, (reason, variant)
        texts.append(text)
    return texts


def test_drafts_name_the_specific_thing_in_each_language():
    overdue = fact("promise", "明日までに見積もりをお送りします。", whose="me", label="commitment",
                   due="2026-11-21")
    text = _draft("ja", "promise_due", overdue)
    assert text.all_have("見積もり") and text.any_has("11月20日")
    deck = fact("promise", "I'll send you the pricing deck by Friday.", whose="me",
                label="commitment", due="2026-11-27")
    assert _draft("en", "promise_due", deck).all_have("the pricing deck", lower=True)
    question = fact("question", "Could you share the slides from the panel?", label="question")
    assert _draft("en", "question_waiting", question).all_have("slides from the panel")
    talk = fact("event", "12月5日の物流DXサミットで登壇します。", label="talk",
                event_date="2026-12-05")
    assert _draft("ja", "event_upcoming", talk).all_have("物流DXサミット")
    assert _draft("ja", "event_upcoming", talk).all_have("12月5日")
    change = fact("change", "", label="title", detail={"field": "title", "old": "Engineer",
                                                        "new": "Head of Platform"})
    assert _draft("en", "change_to_congratulate", change).all_have("Head of Platform")


def test_reconnecting_drafts_recall_a_memory_and_mention_their_interest():
    hobby = fact("interest", "最近は陶芸にハマっています。", detail={"terms": ["陶芸"]}, fact_id=2)
    text = _draft("ja", "overdue_by_cadence", memory=hobby,
                  touches=[Touch("org", "株式会社ひかりシステムズ")])
    assert text.all_have("陶芸") and text.all_have("[リンク]")
    project = fact("promise", "I'll send you the meeting notes for the Oslo fintech pilot.",
                   whose="me", label="commitment", fact_id=3)
    text = _draft("en", "overdue_by_cadence", memory=project,
                  touches=[Touch("interest", "sourdough baking", hobby)])
    assert text.all_have("the meeting notes for the Oslo fintech pilot")
    assert text.all_have("sourdough baking")


def test_introduction_drafts_ask_first_on_both_sides():
    need = fact("question", "Do you know anyone who is good at Rust?", label="question")
    to_need = IntroSide("need", "someone who knows Rust", "Rust", "skill", "佐藤 健二",
                        "エンジニア", "株式会社ひかり", need.stated_at)
    text = _draft("en", "introduction", need, intro=to_need)
    assert text.all_have("佐藤 健二") and text.all_have("Rust")
    to_helper = IntroSide("offer", "Rustに詳しい方", "Rust", "skill", "Emily Carter",
                          "Head of Payments", "Northwind Labs", need.stated_at)
    text = _draft("ja", "introduction", need, intro=to_helper)
    assert text.all_have("Emily Carter") and text.all_have("Rustのスキル")
    assert all("了承" in t or "無理に" in t for t in text)


def test_no_draft_wording_is_itself_on_the_generic_list():
    """Every wording the engine can pick, filled with a placeholder topic, is free of the
    generic phrases the guard flags."""
    topic = fact("interest", "X", detail={"terms": ["topicword"]})
    for lang, builder in (("en", drafts_en), ("ja", drafts_ja)):
        for variant in range(40):
            inp = DraftInput(f"k{variant}", "overdue_by_cadence", "x", lang, TODAY, "N",
                             memory=topic, variant=variant,
                             touches=[Touch("interest", "hobbyword"),
                                      Touch("thing", "the thing word"), Touch("org", "Org")])
            text = builder.compose(inp)
            assert not guard_phrases.generic_matches(text), text
