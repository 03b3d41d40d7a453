"""The specific thing a fact is about, taken out of its span, so a draft can name it instead of
quoting the whole sentence: the deck I promised, the coffee they suggested, the summit they
speak at, the role they are looking for.

Every function returns None when it is not sure; the draft then quotes the span instead.
They are pure functions of the text, so their answers are cached (a person's facts are read
for each of their suggestions).
Japanese goes through fugashi (noun phrases before を / は / で / 、), English through patterns.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from companion.services.followup.guard_phrases import EMPTY_EN, EMPTY_JA
from companion.services.followup.morph import Token, tokens

# -- Japanese -------------------------------------------------------------------------------------

_JA_NOT_THING = frozenset("""
こと 事 もの 物 方 ため 件 私 僕 弊社 御社 貴社 当社 皆様 皆さん 様 さん 今回 次回 前回 連絡 ご連絡 お返事 返事
返信 確認 ご確認 内容 予定 お話 話 感じ 最近 今 本日 今日 明日 来週 来月 先日 先週 今度 今後 以上 これ それ あれ
""".split())
_JA_EMPTY_SUFFIX = ("様", "さん", "殿")


def _is_np_token(t: Token) -> bool:
    if t.pos1 == "名詞":
        return t.pos2 not in ("数詞", "代名詞") and t.pos3 not in ("副詞可能", "助数詞可能")
    if t.pos1 == "接尾辞":
        return t.pos3 != "助数詞"
    return t.pos1 == "接頭辞"


def _np_before(toks: list[Token], end: int, text: str) -> str | None:
    """The noun phrase that ends just before token ``end`` (X, XのY, お見積もり)."""
    i = end - 1
    start = None
    while i >= 0:
        t = toks[i]
        # 求人|票, 見積|書: a counter-like noun closing a compound belongs to it
        tail = (t.pos1 == "名詞" and t.pos3 == "助数詞可能" and i > 0
                and _is_np_token(toks[i - 1]) and toks[i - 1].pos1 == "名詞")
        if _is_np_token(t) or tail:
            start = i
            i -= 1
        elif (t.surface == "の" and t.pos1 == "助詞" and start is not None and i > 0
              and _is_np_token(toks[i - 1])):
            start = i      # XのY: keep going into X
            i -= 1
        else:
            break
    if start is None:
        return None
    while start < end and (toks[start].surface == "の" or toks[start].pos1 == "接尾辞"):
        start += 1
    if start >= end:
        return None
    phrase = text[toks[start].start:toks[end - 1].end].strip()
    for suffix in _JA_EMPTY_SUFFIX:
        phrase = phrase.removesuffix(suffix)
    if len(phrase) < 2 or phrase in _JA_NOT_THING or phrase.lstrip("おご") in _JA_NOT_THING:
        return None
    return phrase


@functools.lru_cache(maxsize=4096)
def ja_object(span: str) -> str | None:
    """What a Japanese promise or request is about: 「明日までに見積もりをお送りします」→ 見積もり,
    「会社案内の資料は来週」→ 会社案内の資料, 「Rustの本、読み終わったら」→ Rustの本."""
    toks = tokens(span)
    for i, t in enumerate(toks):
        if t.pos1 == "助詞" and t.surface in ("を", "は"):
            found = _np_before(toks, i, span)
            if found:
                return found
    for i, t in enumerate(toks):   # 「Xの件、…」: what the matter is about
        if t.surface == "件" and i >= 2 and toks[i - 1].surface == "の":
            found = _np_before(toks, i - 1, span)
            if found:
                return found
    for i, t in enumerate(toks):   # 「Rustの本、読み終わったら…」: the topic before the first comma
        if t.surface in ("、", "，"):
            return _np_before(toks, i, span)
    return None


@functools.lru_cache(maxsize=4096)
def ja_place_before_de(span: str) -> str | None:
    """The named place or event before で: 「物流DXサミットで登壇」→ 物流DXサミット."""
    toks = tokens(span)
    for i, t in enumerate(toks):
        if t.surface == "で" and t.pos1 == "助詞" and t.pos2 == "格助詞":
            found = _np_before(toks, i, span)
            if found and found not in ("オンライン",):
                return found
    return None


_JA_JOIN_AFTER = re.compile(r"^(?:転職|入社|就職|移籍|着任|参画|ジョイン|異動)")


@functools.lru_cache(maxsize=4096)
def ja_joined(span: str) -> str | None:
    """The organisation someone joins: 「株式会社ミライ商事に転職」→ 株式会社ミライ商事."""
    toks = tokens(span)
    for i, t in enumerate(toks):
        if t.surface in ("に", "へ") and t.pos1 == "助詞" and \
                _JA_JOIN_AFTER.match(span[t.end:]):
            found = _np_before(toks, i, span)
            if found:
                return found
    return None


_JA_ACTIVITY = re.compile(r"(お茶|ランチ|飲み|食事|ご飯|ごはん|コーヒー|カフェ|情報交換|お打ち合わせ|"
                          r"打ち合わせ|面談|ミーティング|お会い|ゴルフ|散歩)")


@functools.lru_cache(maxsize=4096)
def ja_activity(span: str) -> tuple[str, str | None] | None:
    """A proposal's activity and place: 「丸の内でお茶でも」→ (お茶, 丸の内)."""
    found = _JA_ACTIVITY.search(span)
    if not found:
        return None
    where = None
    toks = tokens(span[:found.start()])
    for i, t in enumerate(toks):
        if t.surface == "で" and t.pos1 == "助詞" and t.pos2 == "格助詞":
            where = _np_before(toks, i, span[:found.start()]) or where
    return found.group(1), where


@functools.lru_cache(maxsize=4096)
def ja_quoted_title(span: str) -> str | None:
    found = re.search(r"[『「]([^』」]{2,40})[』」]", span)
    return found.group(1) if found else None


# -- English --------------------------------------------------------------------------------------

_EN_DETERMINERS = r"(?:the|my|our|a|an|some|your|that|this|those|these)"
_EN_SEND = (r"(?:send|share|forward|e-?mail|mail|bring|lend|pass\s+along|pass\s+on|get|check|"
            r"put\s+together|pull\s+together|write\s+up|draft|prepare|finish|review|look\s+into|"
            r"look\s+over|follow\s+up\s+on|update\s+you\s+on|circle\s+back\s+on|"
            r"dig\s+(?:up|out)|find)")
_EN_WHEN = (r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b"
            r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the\s+\d|\d")
_EN_STOP_AFTER = (rf"(?=\s+(?:by|on\s+(?:{_EN_WHEN})|before|after|tomorrow|today|tonight|next|this|"
                  r"when|once|later|"
                  r"soon|within|to\s+you|over\s+to|for\s+you|asap|first\s+thing|as\s+soon|and|"
                  r"with\s+you|if|in\s+(?:a|the)\s+(?:day|week|bit))\b|\s*[.,;:!?()—–]|$)")
_EN_OBJECT = re.compile(
    rf"\b(?P<verb>{_EN_SEND})\b(?:\s+(?:you|it|them|over|along|back|out|up|across))*\s+"
    rf"(?P<thing>{_EN_DETERMINERS}\s+[^.,;:!?()—–]+?){_EN_STOP_AFTER}", re.I)
_EN_ASKED = re.compile(
    rf"\b(?:share|send|forward|pass\s+along|recommend)\b(?:\s+(?:me|us|over|along))*\s+"
    rf"(?P<thing>{_EN_DETERMINERS}\s+[^.,;:!?()—–]+?){_EN_STOP_AFTER}", re.I)
_EN_ACTIVITY = re.compile(r"\b(coffee|lunch|dinner|drinks?|a\s+call|a\s+chat|breakfast|tea|"
                          r"a\s+beer|a\s+walk|a\s+catch-?up)\b", re.I)
_EN_AT_PLACE = re.compile(r"\b(?:at|in|near)\s+((?:the\s+)?[A-Za-z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*)*"
                          r"(?:\s+(?:cafe|office|station|bar))?)", re.I)
_EN_NOT_PLACE = re.compile(r"^(?:the\s+)?(?:moment|end|week|month|morning|afternoon|evening|"
                           r"some\s+point|least|all|time|first|last|mind|touch)\b", re.I)


def _clean_en(thing: str) -> str | None:
    thing = " ".join(thing.split()).strip(" '\"“”")
    words = thing.split()
    if len(words) < 2 or len(words) > 10:
        return None
    if words[1].lower() in ("it", "them", "one", "thing", "things", "stuff", "info", "details"):
        return None
    if words[0].lower() in ("that", "this", "those", "these", "a", "an", "some"):
        words[0] = "the"
    return " ".join(words)


def en_object(span: str) -> str | None:
    """What an English promise is about: "I'll send you the deck by Friday" → "the deck"."""
    found = en_object_verb(span)
    return found[1] if found else None


@functools.lru_cache(maxsize=4096)
def en_object_verb(span: str) -> tuple[str, str] | None:
    """(verb, object) of an English promise: ("send", "the deck"), ("review", "your draft")."""
    found = _EN_OBJECT.search(span)
    if not found:
        return None
    thing = _clean_en(found.group("thing"))
    return (" ".join(found.group("verb").lower().split()), thing) if thing else None


_JA_DELIVER = re.compile(r"送|共有|渡し|渡す|まとめ|用意|作成|お持ち|持って|貸し|転送|ご紹介|紹介")


def ja_delivers(span: str) -> bool:
    """Does a Japanese promise hand something over (送る, 共有, 渡す, まとめる), rather than
    check or think about it (確認, 検討)?"""
    return bool(_JA_DELIVER.search(span))


@functools.lru_cache(maxsize=4096)
def en_asked_object(span: str) -> str | None:
    """What a request asks for: "Could you share the slides from the panel?" → "the slides
    from the panel"."""
    found = _EN_ASKED.search(span)
    return _clean_en(found.group("thing")) if found else None


@functools.lru_cache(maxsize=4096)
def en_activity(span: str) -> tuple[str, str | None] | None:
    """A proposal's activity and place: "Lunch at the usual cafe sometime?" → (lunch, the usual
    cafe)."""
    found = _EN_ACTIVITY.search(span)
    if not found:
        return None
    place = None
    for candidate in _EN_AT_PLACE.finditer(span[found.end():]):
        text = candidate.group(1).strip()
        if not _EN_NOT_PLACE.match(text) and text.lower() not in ("you", "it", "me"):
            place = re.split(r"\s+(?:sometime|soon|next|this|on|tomorrow|today)\b", text)[0]
            break
    return found.group(1).lower(), place


_EN_AFTER_PREP = re.compile(r"\b(?:at|to|on|about|called|titled|for|joining|joined|join|"
                            r"launch(?:ed|ing)?|release[ds]?|releasing|introducing|of)\s+"
                            r"((?:the\s+)?[A-Z0-9][\w&'-]*(?:\.[\w&'-]+)*"
                            r"(?:\s+(?:of\s+|for\s+|the\s+|and\s+|&\s+)?[A-Z][\w&'-]*)*)")
_EN_NOT_NAME = frozenset("I I'm I'll I've I'd We We're Our My The This That Monday Tuesday "
                         "Wednesday Thursday Friday Saturday Sunday January February March April "
                         "May June July August September October November December Thanks Hi "
                         "Hello Congrats Congratulations Next Happy".split())


@functools.lru_cache(maxsize=4096)
def en_named_thing(span: str) -> str | None:
    """A proper name in an event sentence: "I'm speaking at RustConf Berlin on Dec 5" →
    "RustConf Berlin"; a title in quotes wins."""
    quoted = re.search(r"[“\"]([^”\"]{2,60})[”\"]", span)
    if quoted:
        return quoted.group(1)
    for found in _EN_AFTER_PREP.finditer(span):
        name = found.group(1).strip()
        first = name.split()[0]
        if first not in _EN_NOT_NAME and not re.fullmatch(r"\d+(?:st|nd|rd|th)?", first):
            return name
    return None


# -- both ----------------------------------------------------------------------------------------

def norm(text: str) -> str:
    """NFKC and case-folded: how terms are compared."""
    return unicodedata.normalize("NFKC", text or "").casefold()


def thing_of(fact, lang: str) -> str | None:
    """The object of a promise or a request, in the fact's language."""
    span = fact.span
    if not span:
        return None
    if lang == "ja":
        return ja_object(span)
    return en_object(span) if fact.kind == "promise" else en_asked_object(span)


_NOT_TOPICS = frozenset("""
getting trying thinking doing going seeing hearing reading making lately recently stuff done hear
lot minute minutes went loved post posts gave think project projects anyone someone good great
""".split())


def good_term(term: str) -> bool:
    """A topic worth naming in a draft: not a function word or a verb the interest reader
    picked up ("getting", "done")."""
    words = [w.lower() for w in term.split()]
    if not words or len(term) < 2:
        return False
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff]", term):
        return term not in EMPTY_JA
    return len(term) >= 3 and all(w not in EMPTY_EN and w not in _NOT_TOPICS for w in words)


def first_topic(fact) -> str | None:
    """The first interest term of a fact worth naming. "machine" read out of "machine
    learning" (the interest reader takes "learning" for its cue) gets its second word back.
    A need ("looking for a designer", needs.py) is no interest to ask them about."""
    if fact.label == "need":
        return None
    for term in fact.terms:
        if not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", term):
            whole = re.search(rf"\b{re.escape(term)}\s+(learning|reading|writing)\b",
                              fact.span or "")
            if whole:
                term = f"{term} {whole.group(1)}"
        if good_term(term):
            return term
    return None
