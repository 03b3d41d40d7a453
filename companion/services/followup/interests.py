"""Interests: what someone says they care about, and topic terms of any text.

An interest fact needs a cue (興味があります, 関心を持って, ハマって, 趣味は, 取り組んで;
"interested in", "passionate about", "into", "big fan of", "working on", "learning"), so that
"the deck" in "I'll send the deck" is not taken for an interest. Its ``terms`` are the topic
terms of that sentence.

Topic terms, kept simple:

* Japanese: runs of nouns joined into compounds by fugashi + UniDic-lite (機械学習, 自然言語処理,
  クラフトビール, 生成AI), without time words (副詞可能: 最近, 来月), counters, numbers, pronouns and
  a short list of empty nouns (こと, 方, 件, 弊社…).
* English: the words between stop words and punctuation, at most three at a time
  ("platform engineering", "climbing", "Rust"), as written.

``topic_terms`` is what a later step uses for bios and for interests shared with the user.
"""

from __future__ import annotations

import re

from companion.services.followup.morph import Token, tokens

JA_CUE = re.compile(r"興味が(?:あ|湧)|興味を持|関心が(?:あ|高)|関心を持|好きです|好きな|大好き|ハマって|"
                    r"はまって|凝って|趣味は|趣味で|勉強して|学んで|取り組んで|研究して|夢中|注目して")
EN_CUE = re.compile(r"\binterested\s+in\b|\bpassionate\s+about\b"
                    r"|\b(?:i'm|i\s+am|we're|really)\s+into\b|\b(?:big\s+)?fan\s+of\b"
                    r"|\bhobb(?:y|ies)\b|\blearning\b|\breading\s+(?:up\s+)?about\b"
                    r"|\bworking\s+on\b|\bcurious\s+about\b|\bfascinated\s+by\b|\bobsessed\s+with\b"
                    r"|\bexcited\s+about\b|\bkeen\s+on\b|\bi\s+(?:love|enjoy)\b", re.I)

_JA_EMPTY = frozenset("""
こと 事 もの 物 方 ため 為 件 私 僕 俺 自分 弊社 御社 貴社 当社 皆様 皆さん 様 さん 感じ 話 時 とき 今 今回
次回 前回 興味 関心 趣味 最近 中 際 場合 内容 部分 予定 お世話 よろしく 宜しく ところ 所 形 点 面 辺 みたい
それ これ あれ どれ そこ ここ 何 なに 一緒 ほう 本日 今日 明日 来月 先日 先週 来週 今度 今後 以上 以下
""".split())
_EN_STOP = frozenset("""
a an the and or but if then so to of in on at by for with from into about as is are was were be been
being am i me my we our us you your he she it its they them their this that these those there here
what which who whom whose when where why how all any both each few more most other some such no nor
not only own same than too very can will just should now also really lot lots much many love enjoy
interested passionate into big fan hobby hobbies learning reading working curious fascinated
obsessed excited keen lately recently currently these days thing things stuff way something
anything everything
i'm i've i'd i'll we're we've it's that's there's let's get got make made do did does have has had
would could may might must shall up out over more deeply quite especially particularly
""".split())


def _ja_terms(toks: list[Token]) -> list[str]:
    terms: list[str] = []
    run: list[Token] = []

    def flush() -> None:
        while run and (run[-1].pos1 == "接頭辞" or run[-1].base in _JA_EMPTY):
            run.pop()
        while run and (run[0].pos1 == "接尾辞" or run[0].base in _JA_EMPTY):
            run.pop(0)
        if run:
            term = "".join(t.surface for t in run)
            if len(term) >= 2 and not term.isdigit() and term not in terms:
                terms.append(term)
        run.clear()

    for t in toks:
        content = (t.pos1 == "名詞" and t.pos2 in ("普通名詞", "固有名詞")
                   and t.pos3 not in ("副詞可能", "助数詞可能") and t.base not in _JA_EMPTY
                   and t.surface not in _JA_EMPTY)
        suffix = t.pos1 == "接尾辞" and run and t.pos2 != "形容詞的"      # 機械学習|者
        prefix = t.pos1 == "接頭辞" and t.surface not in ("お", "ご", "御")  # 新|サービス
        if content or suffix or prefix:
            run.append(t)
        else:
            flush()
    flush()
    return terms


def _en_terms(text: str) -> list[str]:
    terms: list[str] = []
    for chunk in re.split(r"[^\w\s'+#.-]|\s-\s|\.(?:\s|$)", text):
        words: list[str] = []
        for word in re.findall(r"[A-Za-z][\w'+#.-]*[\w+#]|[A-Za-z]", chunk):
            if word.lower() in _EN_STOP or len(word) < 2 and not word.isupper():
                _flush_en(words, terms)
            else:
                words.append(word)
        _flush_en(words, terms)
    return terms


def _flush_en(words: list[str], terms: list[str]) -> None:
    while words:
        term = " ".join(words[:3])
        if term not in terms and len(term) >= 2:
            terms.append(term)
        del words[:3]


def topic_terms(text: str, lang: str) -> list[str]:
    """Topic terms of a text (a bio, a message), in the order they first appear."""
    return _ja_terms(tokens(text)) if lang == "ja" else _en_terms(text)


def ja_interest(text: str, toks: list[Token]) -> tuple[int, list[str]] | None:
    cue = JA_CUE.search(text)
    if not cue:
        return None
    terms = _ja_terms(toks)
    return (cue.start(), terms) if terms else None


def en_interest(text: str) -> tuple[int, list[str]] | None:
    cue = EN_CUE.search(text)
    if not cue:
        return None
    after = _en_terms(text[cue.end():])
    terms = after or _en_terms(text[:cue.start()])
    return (cue.start(), terms) if terms else None
