"""Does a later message keep a promise? A heuristic, deliberately strict.

A later message from the promise's side (my promise: a message I sent; theirs: one they sent)
keeps it when one of its sentences

1. reports the thing as done — a completed doing verb or a delivery phrase:
   Japanese お送りしました, 共有しました, 送付いたしました, 送っておきました (a doing word of
   promises.py followed by the past た, not negated, not asked), 添付します / 添付しました,
   資料はこちらです; English "sent", "shared", "attached", "forwarded", "uploaded", "here is",
   "here's", "here are", "here you go", "please find", "enclosed", "as promised" — not after
   "not" / "haven't" / "n't", not after "will" / "'ll" / "going to" in the same sentence, and not
   in a question ("Did you get what I sent?" reports nothing);
2. and shares a content term with the promise: its nouns (Japanese, fugashi) or content words
   (English), with small synonym groups so that 資料, スライド, "deck" and "slides" meet. When
   the done sentence names nothing ("Sent!"), the next sentence of the message is read for the
   term. When the promise names nothing ("明日お送りしますね"), its terms are those of the last
   message from the other side before it — the request it answers ("スライドを共有して
   いただけますか？"), then of the rest of its own message.

"As promised" / 約束の / お約束どおり with a done phrase keeps the side's promise without a
shared term when that side has exactly one open commitment.

Not kept: "お送りします" (still a promise), "送れていません", "I haven't sent the deck yet", "I'll
send it with the deck attached", a done report about something else ("Sent you the invite" for a
promise about the deck).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from companion.services.followup.interests import _EN_STOP, _JA_EMPTY, _ja_terms
from companion.services.followup.lang import detect_lang
from companion.services.followup.morph import Token, tokens
from companion.services.followup.promises import COMMIT_JA, _group_before
from companion.services.followup.text import sentences, working_copy

# -- content terms --------------------------------------------------------------------------------

# Synonym groups: a term stands for its group too, so a promise about スライド is kept by a
# message about 資料, and one about "the deck" by "the slides".
_GROUPS = {
    "materials": "資料 スライド デック プレゼン プレゼン資料 レジュメ 配布資料 deck slide slides "
                 "presentation material materials",
    "document": "資料 書類 ドキュメント ファイル 文書 pdf document doc docs file attachment "
                "添付ファイル one-pager",
    "link": "リンク url link links",
    "invite": "招待 招待状 カレンダー 招待リンク invite invitation calendar",
    "quote": "見積 見積もり 見積書 お見積もり quote quotation estimate",
    "recording": "録画 動画 ビデオ recording video",
    "minutes": "議事録 メモ minutes notes note",
    "article": "記事 ブログ 論文 article post paper blog",
    "photo": "写真 photo photos picture pictures",
    "contract": "契約書 契約 contract agreement nda",
}
_GROUP_OF: dict[str, set[str]] = {}
for _key, _words in _GROUPS.items():
    for _word in _words.split():
        _GROUP_OF.setdefault(_word, set()).add("#" + _key)

# Words that say what is done, not what it is about, and time words: never a shared term.
_EN_NOT_TERMS = frozenset("""
send sent sending share shared sharing attach attached attaching forward forwarded email emailed
mail mailed upload uploaded post posted find found enclosed promised promise here go check
checked get got give gave take took bring brought put follow followed reply replied back
today tomorrow tonight yesterday week weeks month months year morning afternoon evening
monday tuesday wednesday thursday friday saturday sunday soon later asap eod next last
thanks thank please hi hello hey great sure yes ok okay sorry quick quickly just already
yet still also again
""".split())
# Japanese doing words (送付, 共有, 提案…) and delivery words say what is done, not what about.
_JA_NOT_TERMS = COMMIT_JA | _JA_EMPTY | frozenset("添付 受領 拝受 先日 先ほど 後ほど".split())


def _en_norm(word: str) -> str:
    word = word.lower().strip("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _ja_content(t: Token) -> bool:
    if t.pos1 != "名詞" or t.pos2 not in ("普通名詞", "固有名詞"):
        return False
    if t.pos3 in ("副詞可能", "助数詞可能"):
        return False
    if t.surface in _GROUP_OF or t.lemma in _GROUP_OF:
        return True    # 見積もり is a doing word too, but a quote is a thing one sends
    return not ({t.base, t.lemma, t.surface} & _JA_NOT_TERMS)


def _ja_content_terms(text: str) -> set[str]:
    """Compounds (提案書, 見積書, 機械学習) and the single nouns that are about something."""
    toks = tokens(text)
    terms = {term.lower() for term in _ja_terms(toks)
             if term not in _JA_NOT_TERMS or term in _GROUP_OF}
    for t in toks:
        if _ja_content(t):
            terms.add(t.surface.lower())
            if t.pos2 == "普通名詞":      # 見積り / 見積もり: one dictionary form
                terms.add(t.lemma.lower())
    return terms


@lru_cache(maxsize=4096)
def content_terms(text: str) -> frozenset[str]:
    """Lower-cased content terms of a text, with the synonym groups they belong to."""
    terms: set[str] = set()
    for sentence in sentences(working_copy(text)):
        if sentence.lang == "ja":
            terms |= _ja_content_terms(sentence.text)
        for word in re.findall(r"[A-Za-z][A-Za-z0-9'+#-]*", sentence.text):
            norm = _en_norm(word)
            if len(norm) >= 3 and "'" not in norm and norm not in _EN_STOP \
                    and norm not in _EN_NOT_TERMS and word.lower() not in _EN_STOP:
                terms.add(norm)
    for term in list(terms):
        terms |= _GROUP_OF.get(term, set())
    return frozenset(terms)


# -- done reports ---------------------------------------------------------------------------------

_EN_DONE = re.compile(
    r"\b(?:sent|shared|attached|attaching|forwarded|uploaded|e-?mailed|mailed|posted|"
    r"introduced|submitted|enclosed)\b|\bhere(?:'s|\s+is|\s+are|\s+you\s+go|\s+it\s+is)\b|"
    r"\bplease\s+find\b|\bas\s+promised\b|\bPFA\b", re.I)
_EN_NEGATED = re.compile(r"(?:\bnot|n't|\bnever|\byet\s+to)\s+(?:\w+\s+){0,2}$", re.I)
_EN_FUTURE = re.compile(r"\b(?:will|'ll|going\s+to|gonna|shall|plan\s+to)\b", re.I)
_AS_PROMISED = re.compile(r"\bas\s+promised\b|\blike\s+I\s+promised\b|約束(?:の|通り|どおり|した)",
                          re.I)
_JA_DELIVERY = re.compile(r"添付(?:します|いたします|致します|しました|いたしました|しております|の(?:通り|とおり))|"
                          r"(?:は|を)こちら(?:です|になります|に(?:置き|上げ)|から)|こちらが|"
                          r"約束の|お約束(?:の|どおり|通り)")
_QUESTION_END = re.compile(r"[?？]\s*$|か[。.]?\s*$")


def _ja_done(text: str) -> bool:
    if _JA_DELIVERY.search(text):
        return True
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t.pos1 != "助動詞" or t.base != "た":
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if nxt is not None and nxt.surface in ("か", "っけ"):
            continue    # 送りましたか / 送りましたっけ: asked, not reported
        group = _group_before(toks, i)
        words = {g.base for g in group} | {g.lemma for g in group}
        if words & {"ない", "無い", "ぬ", "ず", "ん"}:
            continue
        if any(g.base in COMMIT_JA or g.lemma in COMMIT_JA for g in group):
            return True
    return False


def _en_done(text: str) -> bool:
    for match in _EN_DONE.finditer(text):
        before = text[:match.start()]
        if _EN_NEGATED.search(before) or _EN_FUTURE.search(before):
            continue
        return True
    return False


@dataclass(frozen=True)
class DoneReport:
    terms: frozenset[str]     # what the done sentence is about
    as_promised: bool         # "as promised" / 約束の: refers to a promise without naming it


@lru_cache(maxsize=4096)
def done_reports(text: str) -> tuple[DoneReport, ...]:
    """The sentences of a message that report something as done, with what they are about."""
    found = []
    parts = sentences(working_copy(text))
    for k, sentence in enumerate(parts):
        body = sentence.text
        if _QUESTION_END.search(body):
            continue
        lang = sentence.lang or detect_lang(body)
        if not (_ja_done(body) if lang == "ja" else _en_done(body)):
            continue
        terms = content_terms(body)
        if not terms and k + 1 < len(parts):   # "Sent! The slides are on the drive."
            terms = content_terms(parts[k + 1].text)
        found.append(DoneReport(terms, bool(_AS_PROMISED.search(body))))
    return tuple(found)


def keeps(promise_terms: frozenset[str], text: str, only_open_commitment: bool) -> bool:
    """Does a later message from the promise's side, with this text, keep the promise?"""
    for report in done_reports(text):
        if promise_terms & report.terms:
            return True
        if report.as_promised and only_open_commitment:
            return True
    return False


# -- what the promise is about, for the ledger --------------------------------------------------

_INTRODUCTION = re.compile(r"紹介|引き合わせ|つな(?:ぎ|げ)|繋(?:ぎ|げ)|\bintroduc|\bintro\b|"
                           r"\bconnect\s+you\b|\bput\s+you\s+in\s+touch\b", re.I)
_INFORMATION = re.compile(r"送|共有|資料|スライド|リンク|情報|記事|添付|データ|"
                          r"\bsend\b|\bshare\b|\bdeck\b|\bslides?\b|\blink\b|\bdoc|\binfo|"
                          r"\barticle\b|\bnotes\b|\bfile\b|\bpdf\b|\bdetails\b", re.I)


def ledger_kind(promise_text: str) -> str:
    """The ledger kind of a kept promise: introduction, information or help."""
    if _INTRODUCTION.search(promise_text):
        return "introduction"
    if _INFORMATION.search(promise_text):
        return "information"
    return "help"
