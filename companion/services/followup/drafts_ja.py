"""日本語の下書き: 具体的な事柄について一、二文。挨拶だけの文面は作らない。

Short fixed wording, several ways to say each part, and most of each draft made of what is
specific to the person (their words, the thing, the date, their interests): the same frame
repeated to many people is what Goen must not write. Each function returns None when the facts
give it nothing specific to say; the suggestion then says what is missing instead.
"""

from __future__ import annotations

from companion.services.followup import drafts_things as things
from companion.services.followup.drafts_input import DraftInput, join_ja
from companion.services.followup.suggest_intro import need_of, need_phrase
from companion.services.followup.reasons import EVENT_NAMES, as_date, fmt_date, offer_clause
from companion.services.followup.reasons import quote as _quote


def quote(text: str, limit: int = 90) -> str:
    """Drafts quote longer than the why-now sentences: a cut quote reads oddly in a message."""
    return _quote(text, limit).rstrip("。")


def _head(i: DraftInput) -> str:
    return i.pick("greeting", [f"{i.name}さん\n", f"{i.name}さん、", f"{i.name}さん\n\n",
                               f"{i.name}さま\n"])


def _said(i: DraftInput, fact=None) -> str:
    return fmt_date((fact or i.fact).stated_at, "ja", i.today)


def _overdue(i: DraftInput) -> bool:
    due = as_date(i.fact.due) if i.fact else None
    return due is not None and due < i.today


def _touch(i: DraftInput) -> str | None:
    """The further specific things, each in a short sentence of its own."""
    return join_ja(*(_one_touch(i, t, k) for k, t in enumerate(i.touches))) or None


def _one_touch(i: DraftInput, touch, k: int) -> str | None:
    value = touch.value
    if touch.kind == "interest":
        return i.pick(f"touch{k}", [f"{value}の話も、また聞かせてください。", f"{value}、続けていますか。",
                                    f"{value}の近況も楽しみにしています。", f"今度は{value}の話もぜひ。",
                                    f"{value}は相変わらずですか。", f"{value}のこと、私も気になっています。",
                                    f"{value}の話、楽しみにしています。", f"{value}、また教えてください。"])
    if touch.kind == "thing":
        return i.pick(f"touch{k}", [f"{value}の件は順調ですか。", f"{value}、進んでいますか。",
                                    f"{value}のこと、また教えてください。", f"{value}もうまくいきますように。",
                                    f"{value}はどうなりましたか。", f"ところで{value}は？",
                                    f"{value}の続きも気になります。"])
    if touch.kind == "org":
        return i.pick(f"touch{k}", [f"{value}の皆さまにもよろしくお伝えください。",
                                    f"{value}でのご活躍、応援しています。", f"{value}の皆さんにもよろしく。",
                                    f"{value}のほうも、お忙しいでしょうか。", f"{value}にて、お元気で。",
                                    f"{value}での日々も充実していますか。",
                                    f"{value}のみなさまにも、どうぞよろしく。",
                                    f"{value}でのお仕事、相変わらずお忙しいことと思います。"])
    return None


def _sorry(i: DraftInput) -> str | None:
    if not _overdue(i):
        return None
    return i.pick("sorry", ["遅くなりすみません。", "お待たせしました。", "遅れて失礼しました。",
                            "予定より遅れてしまいました。"])


def promise(i: DraftInput) -> str | None:
    fact = i.fact
    said = _said(i)
    if fact.label == "proposal":
        return _proposal(i, said)
    thing = things.ja_object(fact.span) if fact.lang == "ja" else None
    if thing and things.ja_delivers(fact.span):
        core = i.pick("core", [f"{thing}、{said}のお約束どおりお送りします。", f"{said}にお約束した{thing}です。",
                               f"{thing}をお届けします（{said}にお伝えした分）。",
                               f"{said}の件で、{thing}をお送りします。", f"お約束の{thing}、こちらです。",
                               f"{thing}がまとまりました。{said}にお伝えしたものです。",
                               f"{thing}を添付いたします（{said}のお話の分です）。",
                               f"{said}に申し上げた{thing}、ようやく用意できました。",
                               f"{thing}、ご確認ください。{said}のお約束の品です。",
                               f"{said}の約束を果たしに来ました。{thing}です。"])
        return join_ja(_head(i), _sorry(i), core, _touch(i))
    if thing:
        core = i.pick("core", [f"{thing}の件、確認しました（{said}のお約束）。[結果]",
                               f"{said}にお伝えした{thing}の確認結果です。[結果]",
                               f"{thing}について、ご報告です。[結果]",
                               f"{said}に申し上げていた{thing}、見てみました。[結果]",
                               f"{thing}、調べがつきました（{said}の件）。[結果]",
                               f"お待たせしました、{thing}の件です。[結果]"])
        return join_ja(_head(i), _sorry(i), core, _touch(i))
    if i.is_stock(fact):   # 多くの方に送った文面は引用しない
        core = i.pick("core", [f"{said}にお約束した件です。[詳細]", f"{said}にお伝えした件、[詳細]",
                               f"{said}のお約束の件、ご報告です。[詳細]", f"{said}に申し上げた件、まとまりました。[詳細]",
                               f"お待たせしていた件（{said}）です。[詳細]", f"{said}のお話のとおり、[詳細]"])
        return join_ja(_head(i), _sorry(i), core, _touch(i))
    q = quote(fact.span)
    core = i.pick("core", [f"{said}の「{q}」の件です。[詳細]", f"「{q}」（{said}）について、[詳細]",
                           f"{said}に「{q}」とお伝えした件、[詳細]"])
    return join_ja(_head(i), _sorry(i), core, _touch(i))


_ACT = {"お茶": "お茶", "ランチ": "ランチ", "飲み": "飲み", "食事": "お食事", "ご飯": "ご飯",
        "ごはん": "ごはん", "コーヒー": "コーヒー", "カフェ": "カフェ", "情報交換": "情報交換",
        "打ち合わせ": "打ち合わせ", "お打ち合わせ": "お打ち合わせ", "面談": "面談",
        "ミーティング": "ミーティング", "お会い": "お会いする件", "ゴルフ": "ゴルフ", "散歩": "散歩"}


def _proposal(i: DraftInput, said: str) -> str | None:
    fact = i.fact
    activity = things.ja_activity(fact.span) if fact.lang == "ja" else None
    if activity:
        act, place = activity
        what = (f"{place}での" if place else "") + _ACT.get(act, act)
        if fact.whose == "them":
            core = i.pick("core", [f"{said}にお誘いいただいた{what}、ぜひ。[日程]はいかがでしょう。",
                                   f"{what}の件、喜んで。[日程]はご都合いかがですか。",
                                   f"{what}（{said}のお誘い）、ご一緒させてください。[日程]でどうでしょう。"])
        else:
            core = i.pick("core", [f"{said}にご提案した{what}、[日程]はいかがでしょう。",
                                   f"{what}の件（{said}）、[日程]あたりでどうでしょう。"])
        return join_ja(_head(i), core, _touch(i))
    if i.is_stock(fact):
        core = (f"{said}にお誘いいただいた件、ぜひ。[日程]はいかがでしょう。" if fact.whose == "them"
                else f"{said}にご提案した件、[日程]はいかがでしょう。")
        return join_ja(_head(i), core, _touch(i))
    q = quote(fact.span)
    if fact.whose == "them":
        core = i.pick("core", [f"「{q}」（{said}）、ぜひ。[日程]はいかがでしょう。",
                               f"{said}の「{q}」、喜んで。ご都合を教えてください。"])
    else:
        core = i.pick("core", [f"{said}に「{q}」とご提案した件、[日程]はいかがでしょう。",
                               f"「{q}」と{said}に申し上げましたが、[日程]などご都合いかがですか。",
                               f"{said}の「{q}」、改めて[日程]あたりでいかがでしょう。"])
    return join_ja(_head(i), core, _touch(i))


def question(i: DraftInput) -> str | None:
    said = _said(i)
    asked = things.ja_object(i.fact.span) if i.fact.lang == "ja" else None
    if asked and things.ja_delivers(i.fact.span):
        core = i.pick("core", [f"{said}にご依頼の{asked}です。", f"{asked}、お送りします（{said}のご依頼分）。",
                               f"お尋ねの{asked}をお届けします。", f"{asked}の件、こちらです。"])
        return join_ja(_head(i), i.pick("late", ["お返事が遅くなりすみません。", None, None]), core,
                       _touch(i))
    if i.is_stock(i.fact):
        core = i.pick("core", [f"{said}にいただいたご質問へのお返事です。[回答]",
                               f"{said}のお尋ねの件、[回答]", f"{said}にお問い合わせいただいた件です。[回答]",
                               f"ご質問（{said}）について、[回答]", f"{said}にお聞きいただいた点、[回答]"])
        return join_ja(_head(i), core, _touch(i))
    q = quote(i.fact.span)
    core = i.pick("core", [f"{said}の「{q}」へのお返事です。[回答]", f"「{q}」について、[回答]",
                           f"お尋ねの「{q}」（{said}）、[回答]"])
    return join_ja(_head(i), core, _touch(i))


_CONGRATS = {
    "new_job": ("{x}へのご転職、おめでとうございます！", "ご転職おめでとうございます！"),
    "promotion": ("{x}でのご昇進、おめでとうございます！", "ご昇進おめでとうございます！"),
    "founded": ("{x}のご起業、おめでとうございます！", "ご起業おめでとうございます！"),
    "launch": ("{x}のリリース、おめでとうございます！", "リリースおめでとうございます！"),
    "book": ("『{x}』のご出版、おめでとうございます！", "ご出版おめでとうございます！"),
    "funding": ("{x}の資金調達、おめでとうございます！", "資金調達、おめでとうございます！"),
    "award": ("{x}のご受賞、おめでとうございます！", "ご受賞おめでとうございます！"),
    "birth": ("ご出産おめでとうございます！", "ご出産おめでとうございます！"),
    "wedding": ("ご結婚おめでとうございます！", "ご結婚おめでとうございます！"),
    "graduation": ("{x}のご卒業、おめでとうございます！", "ご卒業おめでとうございます！"),
    "move": ("{x}へのお引っ越し、落ち着かれましたか。", "お引っ越し、落ち着かれましたか。"),
    "leaving": ("{x}でのお仕事、本当にお疲れさまでした。", "新しい道でのご活躍をお祈りしています。"),
    "retirement": ("長い間お疲れさまでした。", "長い間お疲れさまでした。"),
    "talk": ("{x}でのご登壇、いかがでしたか。", "ご登壇、いかがでしたか。"),
    "school": ("{x}での学び、いかがですか。", "新しい学びの日々、いかがですか。"),
}


def _named(fact) -> str | None:
    if fact.lang != "ja":
        return things.en_named_thing(fact.span)
    return (things.ja_quoted_title(fact.span) or things.ja_place_before_de(fact.span)
            or things.ja_joined(fact.span))


def news_phrase(i: DraftInput, fact) -> tuple[str, bool]:
    if fact.kind == "change":
        field = fact.detail.get("field") or fact.label
        new = quote(str(fact.detail.get("new") or ""), 60)
        if field == "location" and new:
            return i.pick("news", [f"{new}に拠点を移されたんですね。新しい環境はいかがですか。",
                                   f"{new}へ移られたと拝見しました。"]), True
        if new:
            return i.pick("news", [f"「{new}」になられたと拝見しました。おめでとうございます！",
                                   f"新しいお立場（{new}）、おめでとうございます！",
                                   f"{new}、おめでとうございます！"]), True
        return "新しいお立場、おめでとうございます！", False
    named = _named(fact)
    with_name, plain = _CONGRATS.get(fact.label, ("{x}の件、おめでとうございます！", "おめでとうございます！"))
    return (with_name.format(x=named), True) if named else (plain, False)


def change(i: DraftInput) -> str | None:
    phrase, specific = news_phrase(i, i.fact)
    said = _said(i)
    if i.fact.kind == "change" or specific:
        follow = i.pick("follow", [f"{said}に知り、嬉しくなりました。", None, f"{said}に拝見しました。"])
        return join_ja(_head(i), phrase, follow, _touch(i))
    if i.is_stock(i.fact):
        return join_ja(_head(i), phrase, _touch(i))
    q = quote(i.fact.span)
    return join_ja(_head(i), phrase, i.pick("quote", [f"「{q}」と伺い、嬉しくなりました。",
                                                      f"{said}の「{q}」、拝見しました。"]), _touch(i))


_UPCOMING = {
    "talk": ("{d}の{x}でのご登壇、楽しみにしています。", "{d}のご登壇、楽しみにしています。"),
    "launch": ("{d}の{x}のリリース、うまくいきますように。", "{d}のリリース、うまくいきますように。"),
    "move": ("{d}の{x}へのお引っ越し、落ち着いたら新しい街の話を聞かせてください。",
             "{d}のお引っ越し、落ち着いたら新しい街の話を聞かせてください。"),
    "new_job": ("{d}からの{x}での新しいお仕事、応援しています。", "{d}からの新しいお仕事、応援しています。"),
    "book": ("{d}の『{x}』の発売、楽しみにしています。", "{d}のご出版、楽しみにしています。"),
    "wedding": ("{d}のご結婚式、素敵な一日になりますように。", "{d}のご結婚式、素敵な一日になりますように。"),
}
# the same wishes said another way (a frame used for thousands of people is a template)
_UPCOMING_ALSO = {
    "talk": ("{x}（{d}）のご登壇、うまくいきますように。", "{d}のご登壇、うまくいきますように。"),
    "launch": ("{x}、{d}に公開ですね。反響が楽しみです。", "{d}の公開、反響が楽しみです。"),
    "move": ("{x}での新生活、{d}からですね。どうぞお気をつけて。", "{d}からの新生活、どうぞお気をつけて。"),
    "new_job": ("{x}での新しいスタート（{d}）、心から応援しています。", "{d}からの新しいスタート、心から応援しています。"),
    "book": ("『{x}』、{d}の刊行が待ち遠しいです。", "{d}の刊行が待ち遠しいです。"),
    "wedding": ("{d}の晴れの日、心からお祝い申し上げます。", "{d}の晴れの日、心からお祝い申し上げます。"),
}


def event(i: DraftInput) -> str | None:
    fact = i.fact
    day = as_date(fact.event_date)
    if day is not None and day < i.today:
        return change(i)
    d = fmt_date(day, "ja", i.today) if day else "今度"
    named = _named(fact)
    noun = EVENT_NAMES.get(fact.label, {"ja": "ご予定"})["ja"]
    forms = [f[fact.label] for f in (_UPCOMING, _UPCOMING_ALSO) if fact.label in f] or [
        ("{d}の{x}、うまくいきますように。", f"{{d}}の{noun}、うまくいきますように。")]
    with_name, plain = forms[int(i.pick("form", [str(k) for k in range(len(forms))]))]
    core = with_name.format(x=named, d=d) if named else plain.format(d=d)
    help_line = i.pick("help", ["告知など、お手伝いできることがあれば。", "周りの興味がありそうな方にも伝えますね。",
                                None]) if fact.label in ("talk", "launch", "book") else None
    q = quote(fact.span, 60)
    quoted = None if named or i.is_stock(fact) else i.pick("quoted", [
        f"（「{q}」と伺った件です）", f"「{q}」と伺ってから、気になっていました。",
        f"「{q}」とのこと、拝見しました。"])
    lead = i.pick("lead", ["いよいよですね。", "もうすぐですね。", "そろそろですね。", None, None])
    return join_ja(_head(i), lead, core, quoted, help_line, _touch(i))


def _memory_line(i: DraftInput, fact) -> str | None:
    said = fmt_date(fact.stated_at, "ja", i.today)
    term = things.first_topic(fact) if fact.kind == "interest" else None
    if term:
        talk = i.pick("talk", ["話", "お話", "話題"])
        return i.pick("memory", [
            f"{i.pick('when', [f'{said}に', f'{said}ごろ', f'{said}、'])}{term}の{talk}を"
            f"{i.pick('recall', ['思い出して', '覚えていて', '伺っていたので'])}、"
            f"{i.pick('offer', ['こちらをどうぞ', '記事を見つけました', 'よさそうな記事を', '参考までに'])}。[リンク]",
            f"{term}{i.pick('about', ['について', 'の件で', 'に関して', '絡みで'])}、"
            f"{i.pick('find', ['面白い記事がありました', 'こんなものを見つけました', 'よい記事を見かけました', 'ご存じかもしれませんが'])}"
            f"。[リンク]（{said}の{talk}から）",
            f"[リンク]{term}好きの方に評判だそうです（{said}の{talk}を思い出して）。"])
    if fact.kind in ("event", "change"):
        noun = EVENT_NAMES.get(fact.label, {"ja": "近況"})["ja"]
        if fact.kind == "change":
            new = quote(str(fact.detail.get("new") or ""), 50)
            return i.pick("memory", [f"{said}に拝見した「{new}」のこと、その後どうなりましたか。",
                                     f"「{new}」になられてしばらく経ちますね。どうされていますか。"])
        named = _named(fact)
        what = f"{named}の{noun}" if named else noun
        heard = i.pick("heard", [f"{said}に伺った{what}", f"{said}にお聞きした{what}",
                                 f"{said}に教えていただいた{what}", f"{what}（{said}）",
                                 f"{said}ごろのお話にあった{what}"])
        link = i.pick("link", ["のこと、", "の件、", "について、", "、"])
        ask = i.pick("ask", ["その後どうなりましたか。", "あれからいかがですか。", "順調でしょうか。",
                             "ときどき思い出しています。その後いかがですか。", "どんな様子か気になっていました。",
                             "落ち着かれた頃でしょうか。"])
        return f"{heard}{link}{ask}"
    thing = things.ja_object(fact.span) if fact.lang == "ja" else None
    if fact.kind == "promise" and thing:
        if fact.whose == "me":
            return i.pick("memory", [f"{said}ごろにお送りした{thing}、お役に立ちましたか。",
                                     f"{thing}（{said}ごろにお送りしたもの）、その後いかがでしたか。",
                                     f"以前お渡しした{thing}（{said}ごろ）、使い道はありましたか。",
                                     f"{thing}をお送りしたのが{said}ごろ。その後の展開が気になっています。"])
        return i.pick("memory", [f"{said}ごろに進めていらした{thing}、どうなりましたか。",
                                 f"{thing}の件（{said}ごろ）、うまくいきましたか。",
                                 f"{said}ごろお話に出ていた{thing}、形になりましたか。",
                                 f"{thing}、あれから進展はありましたか（{said}ごろのお話）。"])
    if fact.kind == "question" and thing:
        return i.pick("memory", [f"{said}にお尋ねのあった{thing}の件、うまくいきましたか。",
                                 f"{thing}について{said}にご相談いただきましたね。その後いかがですか。",
                                 f"{said}に話題になった{thing}、解決しましたか。",
                                 f"{thing}の件（{said}）、どう落ち着いたか気になっていました。"])
    need = need_of(fact)
    if need:   # 「デザイナーを探しています」: 見つかったかどうか
        who = need_phrase(need, "ja")
        return i.pick("memory", [f"{said}に探していらした{who}、見つかりましたか。",
                                 f"{who}をお探しの件（{said}）、その後いかがですか。",
                                 f"{said}のお話にあった{who}探し、うまくいきましたか。"])
    if fact.span and not i.is_stock(fact):
        return i.pick("memory", [f"{said}に「{quote(fact.span, 60)}」と伺ったのを思い出しました。どうなりましたか。",
                                 f"「{quote(fact.span, 60)}」（{said}）、あれからどうですか。"])
    return None


def reconnect(i: DraftInput) -> str | None:
    if i.reason == "met_recently":
        line = _met_line(i)
    elif i.reason == "dormant_with_news":
        phrase, _ = news_phrase(i, i.fact)
        last = f"{fmt_date(i.last, 'ja', i.today)}以来のご連絡です。" if i.last else None
        tail = None
        topic = things.first_topic(i.memory) if i.memory is not None and \
            i.memory.kind == "interest" else None
        if topic:
            tail = i.pick("tail", [f"{topic}は今も続けていらっしゃいますか。", f"{topic}、まだ続けていますか。"])
        return join_ja(_head(i), last, phrase, tail or _touch(i))
    else:
        line = _memory_line(i, i.memory) if i.memory else None
    if not line:
        return None
    return join_ja(_head(i), line, _touch(i))


def _met_line(i: DraftInput) -> str | None:
    fact = i.memory
    if fact is None:
        return None
    met_on = fmt_date(i.met[0], "ja", i.today) if i.met else _said(i, fact)
    kind = {"meeting": "打ち合わせ", "call": "お電話", "event": "イベント"}.get(
        i.met[1] if i.met else "", "お話")
    term = things.first_topic(fact) if fact.kind == "interest" else None
    if term:
        return i.pick("met", [
            f"{met_on}の{kind}、ありがとうございました。{term}の話が印象に残っています。[関連する情報やリンク]",
            f"{met_on}はありがとうございました。{term}について、関連するものを見つけました。[リンク]"])
    line = _memory_line(i, fact)
    return f"{met_on}の{kind}、ありがとうございました。{line}" if line else None


def introduction(i: DraftInput) -> str | None:
    """ダブルオプトイン: 双方に先に確認し、二人とも了承したときだけつなぐ。"""
    side = i.intro
    if side is None:
        return None
    said = fmt_date(side.said, "ja", i.today)
    org = f"（{side.other_org}）" if side.other_org else ""
    if side.role == "need":
        does = offer_clause(side.offer_source, side.offer, "ja")
        core = i.pick("core", [
            f"{said}に{side.need}を探しているとおっしゃっていましたね。知人の{side.other_name}さん"
            f"{org}は{does}。ご紹介しましょうか。先に{side.other_name}さんの意向も確認します。",
            f"{said}に伺った{side.need}の件、{side.other_name}さん{org}はいかがでしょう。{does}。"
            f"よろしければ、{side.other_name}さんにも確認のうえおつなぎします。"])
    else:
        yours = offer_clause(side.offer_source, side.offer, "ja", second_person=True)
        detail = "、".join(p for p in (side.other_title, side.other_org) if p)
        who = f"{side.other_name}さん" + (f"（{detail}）" if detail else "")
        core = i.pick("core", [
            f"{who}が{side.need}を探していて、{i.name}さんの{yours}が思い浮かびました。"
            "ご紹介してもよろしいでしょうか。お二人とも了承された場合のみおつなぎします。",
            f"知人の{who}が{side.need}を必要としています。{yours}を伺えないかと思い、ご連絡しました。"
            "ご興味があればおつなぎします（無理にとは申しません）。"])
    return join_ja(_head(i), core, _touch(i))


BUILDERS = {
    "promise_due": promise, "question_waiting": question, "change_to_congratulate": change,
    "event_upcoming": event, "met_recently": reconnect, "overdue_by_cadence": reconnect,
    "dormant_with_news": reconnect, "introduction": introduction,
}


def compose(i: DraftInput) -> str | None:
    return BUILDERS[i.reason](i)
