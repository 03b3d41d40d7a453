"""Ledger entries from a note: what the user wrote they gave a contact, or received from them.

A note is the user's own record ("田中さんを紹介した", "She sent me the hiring plan template").
Each sentence is read for help, introductions, information and other things (a gift, a meal, a
loan) that **changed hands**, and which way:

* ``given`` — the user did it: 佐藤さんを紹介した, 資料を送った, レビューをしてあげた,
  "Introduced her to Ken", "Helped him prepare…" (no subject, "I" or "we");
* ``received`` — the contact did it for the user: …てもらった / …ていただいた / …てくれた /
  …てきた, 紹介された, お土産をいただいた; "She sent me…", "He reviewed my deck", "Got an intro
  … from him", "Introduced me to…" (no subject: the note's person).

Only what happened: past and affirmative (…た / …ました, "sent", "has shared"). Not plans
(紹介する予定, 送ろうと思った, "I'll introduce", "planning to send"), negations (送っていない,
"never sent", "didn't share"), questions and requests (送ってもらえますか, 紹介してほしい, "Did she
send…?"), hearsay (紹介したそうだ, "he said he sent"), things between third parties ("she
introduced him to Marco", 彼が紹介した), or courtesies that carry nothing (お礼のメールを送った,
"sent a thank-you card", "emailed him to confirm the time").

At most one entry per sentence and flow (a sentence that says both what was given and what was
received gives two); its text is the sentence, trimmed. Japanese is read through fugashi
(morph.py) verb groups, English through patterns on each clause (text.py). Measured on
tests/eval/ledger_notes.jsonl (tests/eval/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from companion.services.followup.morph import Token, tokens
from companion.services.followup.text import Sentence, en_clauses, sentences, working_copy


@dataclass(frozen=True)
class NoteEntry:
    flow: str      # given | received
    kind: str      # help | introduction | information | other
    start: int     # the sentence, offsets into the note's text
    end: int
    text: str


def read_note(text: str) -> list[NoteEntry]:
    """The ledger entries one note states, in text order."""
    work = working_copy(text)
    found: list[NoteEntry] = []
    for sentence in sentences(work):
        if _QUESTION_END.search(sentence.text):
            continue    # "Did she ever send the board deck?", 送ってもらえますか？
        read = _read_ja if sentence.lang == "ja" else _read_en
        seen: set[str] = set()
        for flow, kind in read(sentence):
            if flow not in seen:      # one entry per sentence and flow: the first one said
                seen.add(flow)
                found.append(NoteEntry(flow, kind, sentence.start, sentence.end,
                                       text[sentence.start:sentence.end].strip()))
    return found


_QUESTION_END = re.compile(r"[?？]\W*$")

# -- Japanese -------------------------------------------------------------------------------------

# What a noun names, when the verb itself says only that something changed hands
# (もらった, いただいた, 渡した, 送った, をした).
_INTRO_N = frozenset("紹介 紹介状 仲介 橋渡し".split())
_INFO_N = frozenset("""資料 情報 リンク 記事 データ テンプレート テンプレ レポート スライド 議事録 書類
ファイル 求人 事例 見積 見積もり 見積書 論文 動画 録画 名簿 リスト 一覧 ノウハウ 知見 企画書 提案書
計画書 説明 メモ 参考 URL PDF""".split())
_HELP_N = frozenset("""コメント フィードバック アドバイス 助言 手伝い 協力 サポート 支援 レビュー 添削
指摘 ヒント 推薦状 推薦文 推薦 指導 壁打ち""".split())
_GIFT_N = frozenset("""土産 プレゼント 贈り物 ワイン 酒 花 花束 菓子 祝い 差し入れ チケット 歳暮 中元
ギフト 本 馳走""".split())
# Courtesies: a message that carries nothing (お礼のメールを送った, 連絡をもらった).
_COMM_N = frozenset("メール メッセージ 連絡 返信 返事 電話 挨拶 礼 年賀状 招待 リマインド LINE DM "
                    "カード 手紙 案内".split())
_NOUN_KINDS = (("introduction", _INTRO_N), ("information", _INFO_N), ("help", _HELP_N),
               ("other", _GIFT_N))

# Heads that name the exchange and its kind themselves (dictionary form or kanji lemma).
_HEAD_KIND_JA = {
    # introductions: 紹介した, つないでもらった, 引き合わせた
    "紹介": "introduction", "仲介": "introduction", "橋渡し": "introduction",
    "繋ぐ": "introduction", "つなぐ": "introduction", "繋げる": "introduction",
    "つなげる": "introduction", "引き合う": "introduction", "引き合わせる": "introduction",
    # information: 共有した, 教えてもらった, 転送した
    "共有": "information", "シェア": "information", "転送": "information",
    "送付": "information", "教える": "information", "説明": "information",
    "知らせる": "information", "教わる": "information",
    # help: アドバイスした, 手伝ってもらった, 手配してくれた
    "手伝う": "help", "助ける": "help", "アドバイス": "help", "助言": "help",
    "フィードバック": "help", "レビュー": "help", "添削": "help", "指導": "help",
    "サポート": "help", "支援": "help", "協力": "help", "手配": "help", "推薦": "help",
    "セッティング": "help", "壁打ち": "help",
    # other: ご馳走した, 貸した, 借りた, プレゼントした, 贈った
    "馳走": "other", "奢る": "other", "おごる": "other", "貸す": "other", "借りる": "other",
    "プレゼント": "other", "贈る": "other",
}
# Heads that say only that something changed hands: the kind comes from their object. Those
# in _DEFAULT_INFO are information when the object says nothing (写真を送ってもらった).
_GENERIC_JA = frozenset("為る する 貰う もらう 頂く いただく 呉れる くれる 下さる くださる 渡す あげる "
                        "上げる 受ける 受け取る 頂戴 届く 届ける 送る".split())
_DEFAULT_INFO = frozenset("送る 届く 届ける".split())
# Heads whose meaning is the user's receiving (もらった, 借りた, 届いた).
_RECEIVE_HEADS = frozenset("貰う もらう 頂く いただく 呉れる くれる 下さる くださる 受ける 受け取る "
                           "頂戴 届く 借りる 教わる".split())
# …て + these: done for the user (送ってもらった, 紹介していただいた, 手配してくれた, 送ってきた).
_FOR_ME = frozenset("貰う もらう 頂く いただく 呉れる くれる 下さる くださる 来る くる".split())
_NEGATIVE = frozenset("ない 無い ぬ ず ん".split())
# After a past verb: hearsay, a quotation or a question, not the user's record of a deed.
_NOT_A_DEED_AFTER = frozenset("か と そう らしい よう みたい".split())
_PEOPLE_SUFFIX = frozenset("さん 氏 様 先生 君 くん ちゃん 社長 部長 課長".split())


def _is_noun_head(t: Token) -> bool:
    return t.pos1 == "名詞" and (t.base in _HEAD_KIND_JA or t.lemma in _HEAD_KIND_JA
                                 or t.pos3 == "サ変可能" or t.base in _GENERIC_JA)


@dataclass
class _Group:
    """A verb group: head (a verb, or the noun of 紹介する / ご紹介いただく) and what follows it."""
    toks: list[Token]
    first: int    # index of its first token in the sentence
    last: int     # index of its last token


def _groups(toks: list[Token]) -> list[_Group]:
    """Verb groups: a verb, or a noun with する / いただく / くださる / もらう / くれる / 済み after
    it, then verbs, auxiliaries, て/で and ほしい."""
    out: list[_Group] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        start = None
        if t.pos1 == "動詞":
            start = i
        elif _is_noun_head(t) and i + 1 < len(toks) and (
                toks[i + 1].pos1 == "動詞" or toks[i + 1].base in ("済み", "済")):
            start = i
        if start is None:
            i += 1
            continue
        j = start + 1
        while j < len(toks) and not _new_verb_after_te(toks, j) and (
                toks[j].pos1 in ("動詞", "助動詞")
                or (toks[j].pos1 == "助詞" and toks[j].pos2 == "接続助詞"
                    and toks[j].surface in ("て", "で"))
                or (toks[j].pos1 == "形容詞" and toks[j].base in ("ほしい", "欲しい"))
                or toks[j].base in ("済み", "済")):
            j += 1
        out.append(_Group(toks[start:j], start, j - 1))
        i = j
    return out


def _new_verb_after_te(toks: list[Token], j: int) -> bool:
    """作って渡した: a content verb after て starts a group of its own (もらう, いる, くる, おく,
    あげる after て belong to the verb before)."""
    return (toks[j].pos1 == "動詞" and toks[j].pos2 != "非自立可能"
            and toks[j - 1].surface in ("て", "で"))


def _head(group: _Group) -> Token:
    return group.toks[0]


def _words(t: Token) -> set[str]:
    return {t.base, t.lemma, t.surface}


def _status(group: _Group, toks: list[Token]) -> str:
    """``past`` (it happened), ``linked`` (…て、 / …てもらい、: the tense of the next group),
    or ``no`` (non-past, negated, wished, asked, hearsay)."""
    rest = group.toks[1:]
    for k, t in enumerate(rest):
        if (t.pos1 == "助動詞" and t.base in _NEGATIVE) or t.base == "無い":
            return "no"                                  # 送っていない, 紹介しませんでした
        if t.cform.startswith("意志推量形") or t.base in ("たい", "ほしい", "欲しい"):
            return "no"                                  # 送ろう, 紹介したい, 紹介してほしい
        if t.base in ("くださる", "下さる") and t.cform.startswith("命令形"):
            return "no"                                  # 送ってください
        if t.base in ("居る", "いる") and k and rest[k - 1].surface in ("て", "で") \
                and rest[-1].base not in ("た", "だ"):
            return "no"                                  # 手伝ってもらっている: ongoing
    if _head(group).cform.startswith("意志推量形"):
        return "no"
    nxt = toks[group.last + 1] if group.last + 1 < len(toks) else None
    end = group.toks[-1]
    if end.base in ("済み", "済"):
        return "past"                                    # 紹介済み
    if end.pos1 == "助動詞" and end.base in ("た", "だ"):
        if end.cform.startswith("仮定形"):
            return "no"                                  # 紹介してもらったら
        if nxt is None:
            return "past"
        if nxt.base in _NOT_A_DEED_AFTER or nxt.surface in _NOT_A_DEED_AFTER \
                or nxt.base == "との":
            return "no"                                  # 送ったか, 紹介したそうだ, と言われた
        if nxt.base in ("こと", "事"):                    # 紹介してくれたことがある
            after = toks[group.last + 2:]
            return "no" if any(t.base in _NEGATIVE | {"無い"} for t in after) else "past"
        if nxt.base in ("ところ", "所", "後", "あと", "際"):
            return "past"                                # 紹介したところ、… / 送った後で
        if nxt.pos1 == "名詞" and nxt.pos2 != "数詞":
            return "no"                                  # 紹介した人: a relative clause
        return "past"
    if len(group.toks) > 1 and (end.surface in ("て", "で") or end.cform.startswith("連用形")):
        if nxt is None or nxt.pos2 == "読点" \
                or nxt.pos1 in ("名詞", "副詞", "代名詞", "接頭辞", "動詞") \
                or nxt.surface == "から":
            return "linked"                              # 共有してもらい、… / 見てもらって、…
    return "no"


def _received(group: _Group) -> bool:
    """Done for the user (…てもらった, 紹介された, いただいた), rather than the user's doing."""
    head, rest = _head(group), group.toks[1:]
    if _words(head) & _RECEIVE_HEADS:
        return True                                      # お土産をいただいた, 本を借りた
    for k, t in enumerate(rest):
        if _words(t) & _FOR_ME and k and rest[k - 1].surface in ("て", "で"):
            # 紹介させていただいた: my own humble doing
            humble = any(x.base in ("せる", "させる") for x in rest[:k])
            if t.base in ("いただく", "頂く") and humble:
                return False
            return True                                  # 送ってもらった, 送ってきた
        if k == 0 and _words(t) & _RECEIVE_HEADS and head.pos1 == "名詞":
            return True                                  # ご紹介いただいた, ご指導くださった
        if t.pos1 == "助動詞" and t.base in ("れる", "られる"):
            return True                                  # 紹介された, 送られてきた
    return False


def _clause_before(toks: list[Token], group: _Group, floor: int) -> list[Token]:
    """The tokens of the clause before the group (back to the last group or comma)."""
    begin = group.first
    while begin > floor and toks[begin - 1].pos2 != "読点":
        begin -= 1
    return toks[begin:group.first]


def _phrases(clause: list[Token]) -> list[tuple[set[str], str]]:
    """The clause's noun phrases (推薦 + 状, 見積 + 書): their words and their text, with the
    particle after each, in order."""
    out: list[tuple[set[str], str]] = []
    words: set[str] = set()
    surface = ""
    for t in clause + [Token("", 0, 0, "", "", "", "", "", "")]:
        if t.pos1 in ("名詞", "接尾辞") or (t.pos1 == "接頭辞" and not surface):
            words |= _words(t)
            surface += t.surface
            continue
        if surface:
            out.append((words | {surface}, t.surface))
        words, surface = set(), ""
    return out


def _object_kind(clause: list[Token]) -> str | None:
    """The kind named by the object: the noun phrase before を (or が / は), else any noun of the
    clause, the nearest first. ``"comm"`` for a courtesy (お礼のメール)."""
    phrases = _phrases(clause)
    objects = [w for w, particle in phrases if particle in ("を", "が", "は")]
    for pool in (objects[-1:], [w for w, _ in phrases][::-1]):
        for words in pool:
            for kind, known in _NOUN_KINDS:
                if words & known:
                    return kind
        for words in pool:
            if words & _COMM_N:
                return "comm"
    return None


def _third_person_subject(clause: list[Token]) -> bool:
    """彼が / 田中さんは …: someone other than the user did it (without …てくれた)."""
    for k in range(1, len(clause)):
        if clause[k].surface in ("が", "は"):
            before = clause[k - 1]
            if before.surface in _PEOPLE_SUFFIX or before.base in ("彼", "彼女", "彼ら") \
                    or before.pos3 == "人名":
                return True
    return False


def _kind_ja(group: _Group, clause: list[Token], before: list[Token]) -> str | None:
    head = _head(group)
    words = _words(head)
    nouns = {w for words, _ in _phrases(clause) for w in words}
    if head.pos1 == "名詞" and clause and clause[-1].base in ("自己",):
        return None                                      # 自己紹介した
    if head.base == "自己紹介":
        return None
    # 相談に乗った, 練習に付き合ってもらった, ピッチを見てもらった, 推薦状を書いてもらった
    if words & {"乗る"} and "相談" in nouns:
        return "help"
    if words & {"付き合う"} and nouns & {"練習", "準備", "相談", "面接", "壁打ち"}:
        return "help"
    if words & {"見る"} and any(_words(t) & (_FOR_ME | {"あげる", "上げる"})
                               for t in group.toks[2:]):
        return "help"        # 見てもらった / 見てくれた / 見てあげた; 見た alone is just seeing
    if words & {"書く"} and nouns & {"推薦状", "推薦文", "紹介状"}:
        return "introduction" if "紹介状" in nouns else "help"
    for w in (head.base, head.lemma):
        if w in _HEAD_KIND_JA:
            return _HEAD_KIND_JA[w]
    if words & _GENERIC_JA:
        # the object may stand before an earlier verb of the sentence: 資料を作って渡した
        kind = _object_kind(clause) or _object_kind(before)
        if kind == "comm":
            return None                                  # お礼のメールを送った
        if kind is None and words & _DEFAULT_INFO:
            return "information"                         # 写真を送ってもらった
        return kind
    return None


def _treated(group: _Group, toks: list[Token]) -> bool:
    """ご馳走になった: treated by the contact (馳走 に なる)."""
    return (_head(group).lemma in ("成る", "なる") and group.first >= 2
            and toks[group.first - 1].surface == "に" and toks[group.first - 2].base == "馳走")


def _read_ja(sentence: Sentence) -> list[tuple[str, str]]:
    toks = tokens(sentence.text)
    groups = _groups(toks)
    statuses = [_status(g, toks) for g in groups]
    linked = [st == "linked" for st in statuses]
    # a linked group (…てもらい、…送った) takes the tense of the group it leads to
    for k in range(len(groups) - 1, -1, -1):
        if statuses[k] == "linked":
            statuses[k] = statuses[k + 1] if k + 1 < len(groups) else "no"
    found: list[tuple[str, str]] = []
    floor = 0
    for k, (group, state) in enumerate(zip(groups, statuses)):
        clause = _clause_before(toks, group, floor)
        floor = group.last + 1
        # a verb with no noun of its own after …て takes the object of the sentence so far
        lookback = (toks[:group.first] if k and linked[k - 1]
                    and not any(t.pos1 == "名詞" for t in clause) else [])
        if state != "past":
            continue
        if _treated(group, toks):
            found.append(("received", "other"))
            continue
        kind = _kind_ja(group, clause, lookback)
        if kind is None:
            continue
        received = _received(group)
        if not received and group.toks[-1].base not in ("済み", "済") \
                and _third_person_subject(clause):
            continue                                     # 彼が佐藤さんを紹介した: not to me
        found.append(("received" if received else "given", kind))
    return found


# -- English --------------------------------------------------------------------------------------

_OBJ = r"(?:me|us|him|her|them)"
_PERSON = r"(?:me|us|him|her|them|(?-i:[A-Z][\w'-]+))"   # a name: capitalised, whatever re.I

# The nouns that name what changed hands, for verbs that do not say it ("got", "gave", "sent").
_EN_NOUNS = (
    ("introduction", r"intros?|introductions?|referrals?"),
    ("help", r"feedback|advice|pointers|tips|hand|help|notes\s+on|review|reference|"
             r"recommendation(?:\s+letter)?|mock\s+interview|coaching|guidance|support"),
    ("information", r"deck|slides?|links?|templates?|docs?|documents?|spreadsheets?|sheet|"
                    r"lists?|checklists?|guides?|reports?|data|numbers|figures|articles?|"
                    r"papers?|recordings?|plans?|files?|pdfs?|details|info|information|overview|"
                    r"benchmarks?|playbooks?|resources|summary|notes|contacts|contracts?|"
                    r"proposals?|memo|research|repo|reading\s+list|job\s+posting"),
    ("other", r"gifts?|presents?|bottle|wine|flowers|tickets?|book|cake|souvenirs?|"
              r"chocolates?|sake"),
    ("comm", r"e-?mails?|messages?|note|texts?|thank[- ]you|thanks|cards?|invit\w*|reminders?|"
             r"hello|congrat\w*|dm|ping"),
    # things shared or given in company, not handed over: "shared a cab", "gave him a ride"
    ("together", r"lunch|dinner|breakfast|coffee|drinks?|meals?|cab|taxi|ride|car|table|stage|"
                 r"booth|room|office|desk|laughs?|moments?|stor(?:y|ies)|experiences?|panel|"
                 r"flight|talk|speech|presentation"),
)
_EN_NOUN = re.compile("|".join(rf"\b(?P<{kind}>{words})\b" for kind, words in _EN_NOUNS), re.I)


@dataclass(frozen=True)
class _Verb:
    pattern: re.Pattern
    kind: str | None          # None: from the object noun
    default: str | None = None  # the kind when the object names nothing (None: no entry)
    receive: bool = False     # the verb itself is the user's receiving ("got", "borrowed")
    needs_person: bool = False  # only with a person after it (reviewed her deck, not the agenda)
    thanks: bool = False      # "thanked her for…": received; "she thanked me for…": given


def _v(pattern: str, kind: str | None, **kw) -> _Verb:
    return _Verb(re.compile(pattern, re.I), kind, **kw)


_VERBS = (
    # introductions: "introduced her to Ken", "connected me with…", "put him in touch with…"
    _v(rf"\bintroduced\b(?=\s+(?:{_PERSON}|(?:[\w'-]+\s+){{0,5}}to\b))", "introduction"),
    _v(rf"\bintro'?d\b", "introduction"),
    _v(rf"\bconnected\s+(?={_PERSON}\s+(?:with|to)\b)", "introduction"),
    _v(rf"\bput\s+(?={_OBJ}\s+in\s+touch\b)", "introduction"),
    _v(rf"\breferred\s+(?={_PERSON}\s+to\b)", "introduction"),
    # "made an intro to…", "did a mock interview with him": the noun says which
    _v(r"\b(?:made|did)\b(?=\s+(?:an?\s+|the\s+|some\s+|a\s+few\s+)?(?:[\w-]+\s+)?"
       r"(?:intros?|introductions?|referrals?|mock\s+interviews?|reviews?)\b)", None),
    _v(rf"\blooped\s+(?={_PERSON}\s+in\b)", "introduction"),
    # information: "sent me the template", "shared the spreadsheet", "walked me through…"
    _v(r"\b(?:sent|shared|forwarded|passed\s+(?:along|on)|handed\s+over)\b", None,
       default="information"),
    _v(r"\b(?:e-?mailed|messaged|texted|dm'?d|gave|brought|showed)\b", None),
    _v(r"\b(?:got|received)\b", None, receive=True),
    _v(rf"\b(?:walked|talked)\s+(?={_OBJ}\s+through\b)", "information"),
    # not "told me about his new job": news of their own is not information handed over
    _v(rf"\btold\s+(?={_PERSON}\s+about\s+(?!(?:my|our|his|her|their)\b))", "information"),
    _v(rf"\bexplained\b(?=\s+(?:{_OBJ}|how|what|why|where|the)\b)", "information"),
    _v(rf"\bshowed\s+(?:{_OBJ}\s+)?(?=how|what|why|where)\b", "information"),
    _v(rf"\bpointed\s+(?={_OBJ}\s+to\b)", "information"),
    _v(r"\blearned\b(?=.*\bfrom\b)", "information", receive=True),
    # help: "helped him prepare", "reviewed my deck", "wrote him a recommendation"
    _v(rf"\bhelped\b(?=\s+(?:{_PERSON}|out\s+with|with\s+(?:my|our|his|her|their)))", "help"),
    _v(r"\b(?:reviewed|edited|proofread|fixed|debugged|looked\s+over|critiqued|"
       r"rehearsed|prepped)\b", "help", needs_person=True),
    _v(r"\b(?:mentored|coached|advised|vouched\s+for|"
       r"covered\s+(?:for|(?:my|our|his|her|their)\s+\w+)|recommended\s+"
       rf"(?={_PERSON}\s+for\b))", "help"),
    _v(rf"\bwrote\s+(?={_PERSON}\s+an?\s+(?:recommendation|reference|letter|testimonial))",
       "help"),
    # other: "bought him lunch", "lent me her camera", "treated me to dinner"
    _v(rf"\b(?:bought|treated)\s+(?={_OBJ}\b)", "other"),
    _v(r"\b(?:lent|loaned|gifted)\b", "other"),
    _v(r"\bborrowed\b", "other", receive=True),
    _v(r"\b(?:picked\s+up\s+the\s+(?:tab|check|bill)|insisted\s+on\s+paying|"
       rf"paid\s+for\s+(?:{_OBJ}|(?:my|our|his|her|their|the)\s+(?:lunch|dinner|drinks|"
       r"coffee|meal|tickets?)))\b", "other"),
    # "thanked her for the intro": it happened, and it came from her
    _v(rf"\bthanked\s+(?={_PERSON}\s+for\b)", None, thanks=True),
)

# Before the verb in its clause: a plan, a wish, a negation, a condition or hearsay.
_NOT_DONE_EN = re.compile(
    r"\b(?:will|would|shall|should|could|can|might|may|must|going\s+to|gonna|plan\w*|"
    r"want\w*|hope\w*|need\w*|intend\w*|try\w*|tried|about\s+to|let'?s|if|unless|"
    r"never|not|no|didn't|don't|doesn't|haven't|hasn't|hadn't|wasn't|weren't|isn't|aren't|"
    r"said|says|say|mentioned|claims?|ask\w*|offered|promised|supposed|almost|nearly)\b|"
    r"'ll\b|'d\b|n't\b", re.I)
# Subject words: the last before the verb decides whose deed it is.
_SUBJECT = re.compile(r"\b(?P<me>I|[Ww]e)\b|\b(?P<them>[Hh]e|[Ss]he|[Tt]hey)\b|"
                      r"\b(?P<name>[A-Z][a-z][\w'-]*)\b")
_ADVERB_AND_TIME = re.compile(
    r"^(?:(?:also|finally|just|already|kindly|then|even|actually|generously|quickly|"
    r"has|have|had|"
    r"yesterday|today|recently|earlier|last\s+\w+|this\s+\w+|in\s+return|on\s+\w+day|"
    r"after\s+[\w\s]+?,|at\s+[\w\s]+?,|over\s+[\w\s]+?,)[\s,]*)*$", re.I)
_TIME_WORDS = {"Yesterday", "Today", "Recently", "Earlier", "Finally", "Also", "Last", "This",
               "In", "On", "After", "At", "Over", "Then", "Just", "Already", "Kindly",
               "Actually", "Mostly", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
               "Saturday", "Sunday"}


def _subject(before: str) -> str | None:
    """``me`` (I / we), ``them`` (he / she / they / a name), or None (note style: no subject)."""
    found = None
    for m in _SUBJECT.finditer(before):
        if m.group("name") and m.group("name") in _TIME_WORDS:
            continue
        found = m
    if found is None:
        return None
    tail = before[found.end():]
    if tail.strip(" ,") and not _ADVERB_AND_TIME.match(tail.strip()):
        return None     # the word is not the verb's subject ("In return she introduced…" is)
    return "me" if found.group("me") else "them"


def _noun_kind(after: str) -> str | None:
    m = _EN_NOUN.search(after)
    return m.lastgroup if m else None


def _read_en(sentence: Sentence) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for start, end in en_clauses(sentence):
        clause = sentence.text[start - sentence.start:end - sentence.start]
        hit = _clause_en(clause)
        if hit:
            found.append(hit)
    return found


def _clause_en(clause: str) -> tuple[str, str] | None:
    """The first deed of the clause that changed hands, in text order: (flow, kind)."""
    found = [(m, verb) for verb in _VERBS for m in verb.pattern.finditer(clause)]
    for m, verb in sorted(found, key=lambda pair: pair[0].start()):
        before, after = clause[:m.start()], clause[m.end():]
        if _NOT_DONE_EN.search(before):
            continue
        if re.match(r"\s*(?:myself|ourselves|yourself|himself|herself|themselves)\b", after,
                    re.I):
            continue                                     # "introduced myself"
        kind = verb.kind or _noun_kind(after) or verb.default
        if verb.kind is None and _noun_kind(after) in ("comm", "together"):
            continue                                     # "sent a thank-you card"
        if kind in (None, "comm", "together"):
            continue
        if verb.needs_person and not re.search(
                r"\b(?:me|my|us|our|him|his|her|them|their)\b", after, re.I):
            continue                                     # "reviewed the agenda"
        subject = _subject(before)
        to_me = re.search(r"\b(?:me|us|my|our)\b", after, re.I)
        to_other = re.match(rf"\s*(?:over\s+)?(?:him|her|them|[A-Z][\w'-]+)\b", after)
        if re.search(r"\b(?:was|were|been|got|get)\s+$", before, re.I):
            return "received", kind                      # "got introduced to their CTO"
        if verb.thanks:
            if subject == "them":
                return ("given", kind) if re.match(r"\s*(?:me|us)\b", after, re.I) else None
            return "received", kind
        if verb.receive:
            if subject == "them":
                continue                                 # "he got an intro": not from me
            return "received", kind
        if subject == "them":
            if to_other and not to_me:
                continue                                 # "she introduced him to Marco"
            return "received", kind                      # "She sent me…", "He sent over…"
        if subject is None and re.match(r"\s*(?:me|us)\b", after, re.I):
            return "received", kind                      # "Introduced me to Ken" (the person)
        return "given", kind
    return None
