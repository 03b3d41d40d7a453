"""The template guard's word lists, English and Japanese.

* ``GENERIC``: phrases that could open a message to anyone ("just checking in", ご無沙汰して
  おります, お元気ですか). Not wrong in themselves: a polite greeting followed by something
  specific is fine. The guard flags them only when the draft is mostly made of them.
* ``FORMULAS``: greetings and sign-offs (Hi, Best, お世話になっております, よろしくお願いいたします).
  Never flagged; they count as template when measuring how much of a draft is template.
* ``EMPTY_EN`` / ``EMPTY_JA``: words that say nothing about a person (thanks, week, 連絡, 件), left
  out when looking for something the draft shares with what is known about the person.
"""

from __future__ import annotations

import re

_GENERIC_EN = [
    r"just\s+(?:checking\s+in|touching\s+base|following\s+up|reaching\s+out|saying\s+hi)",
    r"just\s+wanted\s+to\s+(?:check\s+in|reach\s+out|say\s+hi|touch\s+base|follow\s+up|"
    r"catch\s+up|drop\s+(?:you\s+)?a\s+(?:line|note))",
    r"checking\s+in(?:\s+(?:to\s+see\s+how\s+(?:you(?:'re|\s+are)|things\s+are)"
    r"(?:\s+(?:doing|going))?|on\s+you))?",
    r"touch(?:ing)?\s+base", r"circl(?:e|ing)\s+back",
    r"(?:i\s+)?hope\s+(?:this|my)\s+(?:e-?mail|message|note)\s+finds\s+you(?:\s+well)?",
    r"(?:i\s+)?hope\s+(?:you(?:'re|\s+are)\s+(?:doing\s+)?well|all\s+is\s+well|"
    r"you(?:'re|\s+are)\s+(?:having\s+)?(?:a\s+)?(?:good|great)\s+(?:week|day)|"
    r"everything\s+is\s+(?:going\s+)?well|you\s+and\s+your\s+family\s+are\s+well|"
    r"you(?:'ve|\s+have)\s+been\s+well)",
    r"how\s+(?:have\s+you\s+been|are\s+you(?:\s+doing)?|are\s+things(?:\s+going)?|"
    r"is\s+(?:it|everything)\s+going|'s\s+it\s+going|is\s+life)",
    r"long\s+time\s+no\s+(?:see|talk|speak)", r"it(?:'s|\s+has)\s+been\s+(?:a\s+while|too\s+long|"
    r"ages|forever)",
    r"(?:let's|let\s+us|we\s+should|would\s+love\s+to|i'd\s+love\s+to)\s+(?:catch\s+up|"
    r"grab\s+(?:a\s+)?coffee|reconnect)(?:\s+(?:sometime|soon))?",
    r"(?:wanted\s+to|thought\s+i'd|thought\s+i\s+would)\s+(?:reach\s+out|reconnect|say\s+hi|"
    r"drop\s+(?:you\s+)?a\s+(?:line|note)|check\s+in)",
    r"keep(?:ing)?\s+in\s+touch", r"stay\s+in\s+touch",
    r"let\s+me\s+know\s+if\s+(?:there's|there\s+is)\s+anything\s+i\s+can\s+(?:do|help\s+with)",
    r"pick\s+your\s+brain", r"happy\s+birthday",
    r"hope\s+you\s+have\s+a\s+(?:great|wonderful|fantastic|good)\s+(?:year|day|week|weekend)",
    r"thinking\s+of\s+you", r"any\s+news\s+(?:on\s+your\s+side|from\s+you)",
    r"what\s+have\s+you\s+been\s+up\s+to",
]
_GENERIC_JA = [
    r"ご無沙汰(?:しております|しています|です|いたしております)", r"お久しぶりです", r"久しぶり(?:です|だね)?",
    r"お元気(?:ですか|でしょうか|でしたか|にされていますか|にお過ごしですか|にしていますか)",
    r"お変わり(?:ありませんか|ないですか|なくお過ごしでしょうか|ございませんか)",
    r"近況(?:は)?(?:いかが|どう)(?:ですか|でしょうか)", r"(?:最近|その後)(?:は)?(?:いかが|どう)(?:ですか|でしょうか|"
    r"お過ごしですか)", r"いかがお過ごしでしょうか", r"元気(?:にしてる|してる|ですか)[？?]?",
    r"また(?:飲みに行きましょう|お茶しましょう|ご飯行きましょう|お会いしましょう|ゆっくりお話ししましょう)",
    r"何かあれば(?:お気軽に)?(?:ご連絡|声をかけて|お声がけ)ください", r"お誕生日おめでとうございます",
    r"素敵な一年になりますように", r"季節の変わり目(?:ですが|ですので)?(?:ご自愛|お体に気をつけて)ください",
    r"ふと思い出して(?:ご連絡しました|連絡しました)", r"その後お変わりありませんか",
]
_FORMULAS_EN = [
    r"^\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))\b",
    r"\b(?:best|kind|warm|warmest)\s+regards\b", r"\bregards\b", r"\bbest\s+wishes\b",
    r"\bcheers\b", r"\bthanks(?:\s+(?:again|so\s+much|a\s+lot))?\b",
    r"\bthank\s+you(?:\s+(?:so\s+much|again))?\b", r"\btalk\s+soon\b", r"\bspeak\s+soon\b",
    r"\btake\s+care\b", r"\ball\s+the\s+best\b", r"\bsincerely\b", r"\bwarmly\b",
    r"^\s*best\b", r"\bbest,?\s*$",
]
_FORMULAS_JA = [
    r"お世話になっております", r"お世話になります", r"お疲れ(?:さま|様)です", r"こんにちは", r"こんばんは",
    r"(?:引き続き|今後とも)?(?:どうぞ)?よろしくお願い(?:いた)?します", r"ありがとうございま(?:す|した)",
    r"取り急ぎ(?:ご連絡|ご報告|お礼)?まで", r"失礼いたします", r"拝啓", r"敬具",
    r"お手すきの際に(?:ご確認ください)?", r"ご確認(?:ください|のほど)",
]
# What a draft leaves for the user to fill in: [link], [your answer], ［リンク］, （ここに回答）.
PLACEHOLDER = re.compile(r"\[[^\]\n]{1,40}\]|［[^］\n]{1,40}］|（[^）\n]{0,30}(?:ここに|を入れて|を書く)"
                         r"[^）\n]{0,10}）")

GENERIC = [re.compile(p, re.I) for p in _GENERIC_EN + _GENERIC_JA]
FORMULAS = [re.compile(p, re.I | re.M) for p in _FORMULAS_EN + _FORMULAS_JA]

EMPTY_EN = frozenset("""
a an the and or but if then so to of in on at by for with from into about as is are was were be been
being am i me my we our us you your he she it its they them their this that these those there here
what which who whom whose when where why how all any both each few more most other some such no nor
not only own same than too very can will just should now also really lot lots much many would could
may might must shall do did does done have has had get got make made let say said see saw go going
went come came take took give gave know knew think thought want wanted need needed hope hoping
i'm i've i'd i'll we're we've it's that's there's let's you're you've you'll don't didn't can't
won't isn't
hi hello hey dear thanks thank best regards cheers soon sometime time times day days week weeks
month months year years today tomorrow yesterday tonight morning afternoon evening weekend
monday tuesday wednesday thursday friday saturday sunday january february march april june july
august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
message messages email e-mail note notes chat call calls catch checking check touch base reach
reaching reconnect well good great nice glad happy love lovely wonderful fantastic sure maybe
quick question questions things thing stuff everything anything something way ways news update
updates life people everyone lately recently back again still first last next new old sorry
apologies delay while long little bit free up out over around since ago hear heard let know
wish wishes luck congrats congratulations looking forward share sharing send sending sent attached
attach here find found work working keep kept promised promise said wrote mentioned
answer reply slow taking took late link details
""".split())
EMPTY_JA = frozenset("""
こと 事 もの 物 方 ため 為 件 私 僕 俺 自分 弊社 御社 貴社 当社 皆様 皆さん 様 さん 感じ 話 お話 時 とき 今 今回
次回 前回 最近 中 際 場合 内容 部分 予定 お世話 世話 よろしく 宜しく ところ 所 形 点 面 辺 それ これ あれ
どれ そこ ここ 何 なに 一緒 ほう 本日 今日 明日 昨日 来月 先日 先週 来週 今週 今度 今後 以上 以下 連絡 ご連絡
返信 返事 お返事 確認 ご確認 近況 元気 無沙汰 久しぶり 機会 時間 都合 ご都合 メッセージ お願い 感謝 気軽
お疲れ 疲れ 一年 誕生 質問 ご質問 回答 詳細 お礼 お詫び 失礼 遅れ 申し訳 ありがとう 様子 年 月 日 週
リンク 添付 共有 送付 お送り 約束 お約束 メモ 先 後 前 次 間 ぶり 以来 頃 ごろ 際 上 下
""".split())


def generic_matches(text: str) -> list[re.Match]:
    found = []
    for pattern in GENERIC:
        found.extend(pattern.finditer(text))
    return _disjoint(found)


def formula_matches(text: str) -> list[re.Match]:
    found = []
    for pattern in FORMULAS:
        found.extend(pattern.finditer(text))
    found.extend(PLACEHOLDER.finditer(text))
    return _disjoint(found)


def _disjoint(matches: list[re.Match]) -> list[re.Match]:
    """Longest first, without overlaps, in text order."""
    chosen: list[re.Match] = []
    for m in sorted(matches, key=lambda m: (-(m.end() - m.start()), m.start())):
        if m.end() > m.start() and all(m.end() <= c.start() or m.start() >= c.end()
                                       for c in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start())
