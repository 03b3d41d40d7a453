"""Why now: the reason kinds, the actions, and the sentences (Japanese and English) that say why
a suggestion is on today's list, or what to add when there is nothing to write from.

Every sentence names the date and the words it rests on, so the user can check it against the
source; none is a bare "it's been a while".
"""

from __future__ import annotations

import functools
from datetime import date

REASONS = ("promise_due", "question_waiting", "change_to_congratulate", "event_upcoming",
           "met_recently", "overdue_by_cadence", "dormant_with_news", "introduction")
ACTIONS = ("answer", "keep_promise", "congratulate", "share_interest", "introduce",
           "reconnect")
TIERS = ("inner", "close", "active", "wide", "dormant")

# Days between two-way exchanges before a tie is overdue, per tier, when settings have none
# (``cadence_<tier>_days``; GOEN_CADENCE_<TIER>_DAYS in the environment).
DEFAULT_CADENCE_DAYS = {"inner": 14, "close": 30, "active": 90, "wide": 180, "dormant": 365}

TIER_NAMES = {
    "inner": {"ja": "最も親しい間柄", "en": "inner-circle ties"},
    "close": {"ja": "親しい間柄", "en": "close ties"},
    "active": {"ja": "やりとりの多い間柄", "en": "active ties"},
    "wide": {"ja": "ゆるやかな間柄", "en": "wide-network ties"},
    "dormant": {"ja": "休眠中の間柄", "en": "dormant ties"},
}

EVENT_NAMES = {   # events.py labels as nouns
    "new_job": {"ja": "新しいお仕事", "en": "new job"},
    "leaving": {"ja": "ご退職", "en": "move on from your role"},
    "founded": {"ja": "ご起業", "en": "new company"},
    "move": {"ja": "お引っ越し", "en": "move"},
    "launch": {"ja": "リリース", "en": "launch"},
    "talk": {"ja": "ご登壇", "en": "talk"},
    "book": {"ja": "ご出版", "en": "book"},
    "birth": {"ja": "ご出産", "en": "new baby"},
    "wedding": {"ja": "ご結婚", "en": "wedding"},
    "promotion": {"ja": "ご昇進", "en": "promotion"},
    "funding": {"ja": "資金調達", "en": "funding round"},
    "award": {"ja": "ご受賞", "en": "award"},
    "graduation": {"ja": "ご卒業", "en": "graduation"},
    "retirement": {"ja": "ご定年", "en": "retirement"},
    "school": {"ja": "ご進学", "en": "studies"},
}
CHANGE_FIELDS = {
    "title": {"ja": "肩書き", "en": "title"},
    "organisation": {"ja": "所属", "en": "organisation"},
    "location": {"ja": "所在地", "en": "location"},
    "headline": {"ja": "見出し", "en": "headline"},
}
MEETING_NAMES = {
    "meeting": {"ja": "打ち合わせ", "en": "meeting"},
    "call": {"ja": "電話", "en": "call"},
    "event": {"ja": "イベント", "en": "event"},
    "message": {"ja": "やりとり", "en": "conversation"},
    "email": {"ja": "メール", "en": "e-mail"},
    "other": {"ja": "やりとり", "en": "conversation"},
    "saved": {"ja": "保存", "en": "first save"},
}

_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
              "Dec")
QUOTE_CHARS = 70


def as_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return _day(value[:10])


@functools.lru_cache(maxsize=8192)
def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def fmt_date(value: str | date | None, lang: str, today: date) -> str:
    """11月3日 / Nov 3, with the year when it is not this year's."""
    day = as_date(value)
    if day is None:
        return ""
    if lang == "ja":
        text = f"{day.month}月{day.day}日"
        return f"{day.year}年{text}" if day.year != today.year else text
    text = f"{_EN_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if day.year != today.year else text


def fmt_relative(days: int, lang: str) -> str:
    """days after today (negative: before): 明日 / in 3 days / 3日前 / 3 days ago."""
    if lang == "ja":
        return {0: "今日", 1: "明日", -1: "昨日", 2: "明後日"}.get(
            days, f"{days}日後" if days > 0 else f"{-days}日前")
    if days in (0, 1, -1):
        return {0: "today", 1: "tomorrow", -1: "yesterday"}[days]
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """The span, on one line, cut at ``limit`` characters."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def both(ja: str, en: str) -> dict:
    return {"ja": ja, "en": en}


# -- why now -------------------------------------------------------------------------------------

def why_promise(name: str, fact, today: date) -> dict:
    said = fact.stated_at
    due = as_date(fact.due)
    if due is not None:
        days = (due - today).days
        when_ja = f"（期限: {fmt_date(due, 'ja', today)}、{fmt_relative(days, 'ja')}）"
        when_en = f" (due {fmt_date(due, 'en', today)}, {fmt_relative(days, 'en')})"
    else:
        when_ja = when_en = ""
    q = quote(fact.span)
    if fact.whose == "me" and fact.label == "proposal":
        return both(f"{fmt_date(said, 'ja', today)}に{name}さんへ「{q}」と自分から提案しています{when_ja}。",
                    f"On {fmt_date(said, 'en', today)} you suggested to {name}: “{q}”{when_en}.")
    if fact.whose == "them":
        return both(f"{name}さんから{fmt_date(said, 'ja', today)}に「{q}」とお誘いがありました{when_ja}。",
                    f"{name} suggested on {fmt_date(said, 'en', today)}: “{q}”{when_en}.")
    return both(f"{fmt_date(said, 'ja', today)}に{name}さんへ「{q}」と約束しています{when_ja}。",
                f"On {fmt_date(said, 'en', today)} you promised {name}: “{q}”{when_en}.")


def why_question(name: str, fact, today: date) -> dict:
    days = (today - as_date(fact.stated_at)).days
    q = quote(fact.span)
    return both(f"{name}さんが{fmt_date(fact.stated_at, 'ja', today)}（{fmt_relative(-days, 'ja')}）に"
                f"「{q}」と尋ねていて、まだ返信していません。",
                f"{name} asked on {fmt_date(fact.stated_at, 'en', today)} "
                f"({fmt_relative(-days, 'en')}) and is waiting for your answer: “{q}”")


def why_change(name: str, fact, today: date) -> dict:
    if fact.kind == "change":
        field = fact.detail.get("field") or fact.label
        names = CHANGE_FIELDS.get(field, {"ja": field, "en": field})
        new, old = fact.detail.get("new") or "", fact.detail.get("old") or ""
        was_ja = f"（以前は「{quote(old, 40)}」）" if old else ""
        was_en = f" (was “{quote(old, 40)}”)" if old else ""
        return both(f"{name}さんの{names['ja']}が「{quote(new, 50)}」に変わりました{was_ja}"
                    f"（{fmt_date(fact.stated_at, 'ja', today)}の保存で確認）。",
                    f"{name}'s {names['en']} is now “{quote(new, 50)}”{was_en}, seen in the "
                    f"capture of {fmt_date(fact.stated_at, 'en', today)}.")
    event = EVENT_NAMES.get(fact.label, {"ja": "近況", "en": "news"})
    return both(f"{name}さんの{event['ja']}: {fmt_date(fact.stated_at, 'ja', today)}に"
                f"「{quote(fact.span)}」と伺っています。",
                f"{name}'s {event['en']}: on {fmt_date(fact.stated_at, 'en', today)} they wrote "
                f"“{quote(fact.span)}”.")


_STARTS = ("new_job", "founded", "promotion", "leaving", "retirement")


def why_event(name: str, fact, today: date) -> dict:
    event = EVENT_NAMES.get(fact.label, {"ja": "予定", "en": "plans"})
    day = as_date(fact.event_date)
    if day is not None:
        days = (day - today).days
        starts = fact.label in _STARTS
        return both(f"{name}さんの{event['ja']}が{fmt_date(day, 'ja', today)}"
                    f"（{fmt_relative(days, 'ja')}）{'から始まります' if starts else 'にあります'}: "
                    f"「{quote(fact.span)}」",
                    f"{name}'s {event['en']} {'starts' if starts else 'is'} on "
                    f"{fmt_date(day, 'en', today)} ({fmt_relative(days, 'en')}): "
                    f"“{quote(fact.span)}”")
    return both(f"{name}さんが{fmt_date(fact.stated_at, 'ja', today)}に{event['ja']}について"
                f"「{quote(fact.span)}」と書いています。",
                f"{name} mentioned their {event['en']} on "
                f"{fmt_date(fact.stated_at, 'en', today)}: “{quote(fact.span)}”")


def why_met(name: str, met_on: str, met_kind: str, today: date) -> dict:
    days = (today - as_date(met_on)).days
    kind = MEETING_NAMES.get(met_kind, MEETING_NAMES["other"])
    if met_kind == "saved":
        return both(f"{name}さんを{fmt_date(met_on, 'ja', today)}（{fmt_relative(-days, 'ja')}）に"
                    "保存したばかりです。早めの二度目の連絡が、出会いを関係に変えます。",
                    f"You saved {name} on {fmt_date(met_on, 'en', today)} "
                    f"({fmt_relative(-days, 'en')}). A second contact soon turns a first "
                    "meeting into a tie.")
    return both(f"{fmt_date(met_on, 'ja', today)}（{fmt_relative(-days, 'ja')}）に{name}さんと"
                f"{kind['ja']}がありました。早めの二度目の連絡が、出会いを関係に変えます。",
                f"You had a {kind['en']} with {name} on {fmt_date(met_on, 'en', today)} "
                f"({fmt_relative(-days, 'en')}). A second contact soon turns a first meeting "
                "into a tie.")


def why_cadence(name: str, last: str | None, tier: str, cadence: int, today: date) -> dict:
    tier_names = TIER_NAMES[tier]
    if last is None:
        return both(f"{name}さんとはまだ双方向のやりとりがありません（{tier_names['ja']}の目安は"
                    f"{cadence}日ごと）。",
                    f"You and {name} have not had a two-way exchange yet (every {cadence} "
                    f"days is your cadence for {tier_names['en']}).")
    days = (today - as_date(last)).days
    return both(f"{name}さんとの最後の双方向のやりとりは{fmt_date(last, 'ja', today)}"
                f"（{days}日前）。{tier_names['ja']}の目安は{cadence}日ごとです。",
                f"Your last two-way exchange with {name} was on {fmt_date(last, 'en', today)} "
                f"({days} days ago); your cadence for {tier_names['en']} is {cadence} days.")


def why_dormant(name: str, last: str | None, news: dict, today: date) -> dict:
    since_ja = f"{fmt_date(last, 'ja', today)}以来やりとりのない" if last else "やりとりの途絶えた"
    since_en = f"quiet since {fmt_date(last, 'en', today)}" if last else "quiet for a long time"
    return both(f"{since_ja}{name}さんに新しい動きがあります。{news['ja']}",
                f"{name} has been {since_en}, and has news. {news['en']}")


_OFFER_THIRD = {
    "title": {"ja": "{x}として活躍されています", "en": "works as {x}"},
    "position": {"ja": "{x}のご経験があります", "en": "has worked as {x}"},
    "headline": {"ja": "プロフィールに「{x}」とあります", "en": "has “{x}” as their headline"},
    "skill": {"ja": "{x}のスキルをお持ちです", "en": "lists {x} among their skills"},
    "interest": {"ja": "{x}に関心をお持ちです", "en": "is into {x}"},
    "bio": {"ja": "プロフィールで{x}に触れています", "en": "writes about {x} in their profile"},
}
_OFFER_SECOND = {
    "title": {"ja": "{x}としてのご経験", "en": "your work as {x}"},
    "position": {"ja": "{x}としてのご経験", "en": "your experience as {x}"},
    "headline": {"ja": "「{x}」というお仕事", "en": "your work (“{x}”)"},
    "skill": {"ja": "{x}のスキル", "en": "your skills in {x}"},
    "interest": {"ja": "{x}へのご関心", "en": "your interest in {x}"},
    "bio": {"ja": "プロフィールにある{x}のお話", "en": "what your profile says about {x}"},
}


def offer_clause(source: str, offer: str, lang: str, second_person: bool = False) -> str:
    """What the person who may help does: "works as Product Designer" / 「Rustのスキル」."""
    table = _OFFER_SECOND if second_person else _OFFER_THIRD
    return table.get(source, table["title"])[lang].format(x=quote(offer, 60))


def why_intro(need_name: str, need: dict, offer_name: str, source: str, offer: str,
              today: date, said: str) -> dict:
    """``need``: {"ja", "en"} phrases ("a designer", 「副業に詳しい方」)."""
    return both(f"{need_name}さんが{fmt_date(said, 'ja', today)}に{need['ja']}を探していると"
                f"書いています。{offer_name}さんは{offer_clause(source, offer, 'ja')}。",
                f"{need_name} wrote on {fmt_date(said, 'en', today)} that they are looking for "
                f"{need['en']}; {offer_name} {offer_clause(source, offer, 'en')}.")


# -- what is missing ----------------------------------------------------------------------------

def missing_for_meeting(met_on: str, met_kind: str, today: date) -> dict:
    kind = MEETING_NAMES.get(met_kind, MEETING_NAMES["other"])
    when_ja, when_en = fmt_date(met_on, "ja", today), fmt_date(met_on, "en", today)
    if met_kind == "saved":
        return both(f"{when_ja}に保存したときの経緯（どこで会い、何を話したか）をメモに残しましょう。"
                    "下書きはそこから作ります。",
                    f"Add a note on how you met (saved on {when_en}) and what you talked about; "
                    "the draft is written from it.")
    return both(f"{when_ja}の{kind['ja']}で話した内容をメモに残しましょう。下書きはそこから作ります。",
                f"Add a note about what you talked about at the {kind['en']} on {when_en}; the "
                "draft is written from it.")


def missing_memory(name: str, last: str | None, today: date) -> dict:
    if last:
        return both(f"{name}さんと{fmt_date(last, 'ja', today)}ごろに話したこと（話題、相手の関心、"
                    "近況）をメモに残しましょう。具体的な話題がないと下書きは作りません。",
                    f"Add a note about what you and {name} talked about around "
                    f"{fmt_date(last, 'en', today)} (a topic, their interests, their news). "
                    "Goen writes no draft without something specific.")
    return both(f"{name}さんについて覚えていること（会った場所、話題、関心）をメモに残しましょう。"
                "具体的な話題がないと下書きは作りません。",
                f"Add a note about {name}: where you met, what you talked about, what they care "
                "about. Goen writes no draft without something specific.")


def missing_for_fact(fact, today: date) -> dict:
    said_ja, said_en = fmt_date(fact.stated_at, "ja", today), fmt_date(fact.stated_at, "en",
                                                                        today)
    return both(f"{said_ja}の「{quote(fact.span, 40)}」が何についてだったか、メモに書き足しましょう。",
                f"Add a note on what “{quote(fact.span, 40)}” ({said_en}) was about.")
