"""Promises: first-person commitments and joint proposals.

Japanese is read through its morphology (fugashi): a commitment is a verb group ending in
ます / ましょう / ませんか / させてください / ておく / てみる, or a plain non-past verb at the end
of a casual sentence, whose content word is one of the doing words below (送る, 連絡, 確認, 伺う…).
English is read with patterns: I'll / I will / we'll, I'm going to, let me, I plan to, I can … by
<date>, "Will do", let's, we should <meet>.

Deliberately *not* promises:

* past tense (お送りしました, "I sent"), negation (伺えません, "I won't", "I will never"), the
  progressive or a state (お待ちしております, "I'll be in Singapore");
* an offer that waits on the other's wish (必要でしたら…お送りします, "if it helps, I'm happy to");
  a condition on time or events is still a promise (落ち着いたらご連絡します, "once it's signed");
* requests (送っていただけますか, "Will you send…?", "let me know") — those are questions;
* quoted text (the working copy blanks it, see text.py).

"I'll be there" *is* a promise (to attend), as are 参加します / 伺います; "I'll be in touch" too.

Joint proposals ("let's get coffee next month", 来月飲みに行きましょう, 飲みに行きませんか,
"Would you like to grab lunch?") are promises of the person who proposed them (label
``proposal``): the writer offered the plan, so following it up is theirs first.
"""

from __future__ import annotations

import re

from companion.services.followup.morph import Token
from companion.services.followup.text import Sentence

# -- Japanese -------------------------------------------------------------------------------------

# Content words of a commitment (dictionary form as written, or the dictionary's kanji form).
COMMIT_JA = frozenset("""
送る 送れる 届ける 渡す 返す 持つ 伺う 参る 書く まとめる 纏める 調べる 聞く 尋ねる 探す 見る 読む
払う 支払う 振り込む 振込む 手伝う 貸す 話す 伝える 知らせる 教える 作る 直す 決める 考える つなぐ
繋ぐ 会う 折り返す 出す 押さえる 空ける 入れる 進める 試す 確かめる 揃える 頼む 誘う 呼ぶ 見直す 返る
見積もる 見積もり 見積 請求 返金 納品 入稿 提供 振込 振り込み
連絡 返信 返事 回答 確認 調整 紹介 用意 準備 作成 手配 相談 検討 報告 提出 訪問 送付 送信 発送 共有
対応 修正 更新 予約 招待 案内 参加 出席 提案 電話 記入 登録 設定 対処 整理 反映 入金 振込 確保 依頼
検証 チェック レビュー フォロー 連携 打診 返却 持参 同席 挨拶 説明 展開 送金 調査 お知らせ メール
処理 手続き 申請 申し込み 申込 拝見 拝読 見直し 添削 翻訳 署名 返送 再送 精査 折り返し
発行 再発行 段取り 段取る 取り次ぐ 取次 アレンジ セッティング 根回し
""".split())
# Words that make a verb group a request to the reader, not the writer's own doing.
REQUEST_JA = frozenset("いただく 頂く いただける 頂ける くれる 呉れる もらう 貰う もらえる 貰える "
                       "くださる 下さる".split())
# …but させていただきます is the writer's own humble "I will": only the others rule a ます out.
_NOT_MINE = REQUEST_JA - {"いただく", "頂く"}
# Verbs that are never a plan, even as ましょう / ませんか.
NOT_PLAN_JA = frozenset("思う 存じる 頑張る 成る なる 有る ある 居る いる おる 願う 祈る 知る 分かる "
                        "わかる 困る 助かる".split())
_PROGRESSIVE = frozenset("居る いる おる".split())
_NEGATIVE = frozenset("ない 無い ぬ ず ん".split())
_OFFER_CONDITION_JA = re.compile(
    r"必要(?:でし|であれ|があれ|がありまし|な)(?:たら|ば|ら)|必要な場合|(?:よろし|宜し|よ|良)ければ|"
    r"(?:よ|良)かったら|ご希望(?:でし|であれ|があれ|がありまし)?(?:たら|ば)|ご希望の(?:方|場合)|"
    r"ご興味(?:があれば|がありましたら|のある)|差し支えなければ|ご入用(?:でし)?(?:たら|の際)")


def _group_before(toks: list[Token], index: int) -> list[Token]:
    """The verb group that ends just before ``index``: verbs, auxiliaries, て/で, お/ご and the
    サ変 noun they attach to (お送りいたし / ご連絡し / 確認して折り返し)."""
    group: list[Token] = []
    j = index - 1
    while j >= 0:
        t = toks[j]
        in_group = (t.pos1 in ("動詞", "助動詞", "接頭辞")
                    or (t.pos1 == "助詞" and t.pos2 == "接続助詞" and t.surface in ("て", "で"))
                    or (t.pos1 == "名詞" and (t.pos3 == "サ変可能" or _commit(t))))
        if not in_group or (t.pos1 == "助動詞" and t.base in ("た", "だ")):
            break
        group.insert(0, t)
        j -= 1
    return group


def _commit(t: Token) -> bool:
    return t.base in COMMIT_JA or t.lemma in COMMIT_JA


def _words(group: list[Token]) -> set[str]:
    return {t.base for t in group} | {t.lemma for t in group}


def _is_progressive(group: list[Token]) -> bool:
    return any(t.base in _PROGRESSIVE and i and group[i - 1].surface in ("て", "で")
               for i, t in enumerate(group))


def _prepares(group: list[Token]) -> bool:
    """…ておく / …てみる / …とく: a commitment whatever the verb."""
    return any((t.base in ("おく", "置く", "みる", "見る") and i and group[i - 1].surface in ("て", "で"))
               or t.base == "とく" for i, t in enumerate(group))


def _commitment(group: list[Token]) -> bool:
    if not group or _is_progressive(group) or _words(group) & (_NEGATIVE | _NOT_MINE):
        return False
    if any(t.base in ("出来る", "できる") or t.lemma == "出来る" for t in group):
        return False   # お貸しできます: an ability, offered
    return _prepares(group) or any(_commit(t) for t in group)


def _plan(group: list[Token]) -> bool:
    words = _words(group)
    return not (words & REQUEST_JA or words & NOT_PLAN_JA or words & _NEGATIVE)


def _next(toks: list[Token], i: int) -> Token | None:
    return toks[i + 1] if i + 1 < len(toks) else None


def ja_promises(sentence: Sentence, toks: list[Token]) -> list[tuple[int, str]]:
    """(offset in the sentence, label) of each commitment or proposal."""
    found: list[tuple[int, str]] = []
    offer = _OFFER_CONDITION_JA.search(sentence.text)
    for i, t in enumerate(toks):
        nxt = _next(toks, i)
        if t.pos1 == "助動詞" and t.base == "ます":
            group = _group_before(toks, i)
            if t.cform.startswith("意志推量形"):                 # ～ましょう
                if not (nxt and nxt.surface == "か") and _plan(group):
                    found.append((t.start, "proposal"))
            elif t.cform.startswith(("終止形", "連体形")):       # ～ます
                if nxt and nxt.surface in ("か", "と"):
                    continue
                if _commitment(group) and not (offer and offer.start() < t.start):
                    found.append((t.start, "commitment"))
                elif _hedged(toks, i):
                    found.append((t.start, "commitment"))
            elif t.cform.startswith("未然形") and nxt and nxt.base in ("ぬ", "ん") \
                    and i + 2 < len(toks) and toks[i + 2].surface == "か":   # ～ませんか
                if _plan(group) and group:
                    found.append((t.start, "proposal"))
        elif t.base in ("くださる", "下さる") and t.cform.startswith("命令形"):
            # 検討させてください / 参加させてください: "let me …"
            group = _group_before(toks, i)
            # お聞かせください / 聞かせてください: "let me hear" asks the reader to tell
            if any(g.base in ("せる", "させる") for g in group) and any(_commit(g) for g in group) \
                    and not any(g.lemma == "聞く" for g in group):
                found.append((t.start, "commitment"))
        elif t.base in ("予定", "つもり", "見込み", "見込む") and i \
                and toks[i - 1].cform.startswith("連体形"):
            group = _group_before(toks, i)
            # お渡しできる見込み / 送れる予定: an ability expected by a time is a commitment
            expected = [g for g in group if not (g.base in ("出来る", "できる")
                                                 or g.lemma == "出来る")]
            if _commitment(group) or (len(expected) < len(group) and _commitment(expected)):
                found.append((t.start, "commitment"))
        elif (t.pos1 == "動詞" or t.base == "とく") and t.cform.startswith("終止形") \
                and _casual_end(toks, i):                      # あとで送るね / また連絡する！
            group = _group_before(toks, i + 1)
            if group and group[-1] is t and _commitment(group) and not offer:
                found.append((t.start, "commitment"))
    return found


def _casual_end(toks: list[Token], i: int) -> bool:
    rest = toks[i + 1:]
    return all(r.pos1 in ("補助記号", "空白") or (r.pos2 == "終助詞" and r.surface in ("ね", "よ", "わ", "な"))
               for r in rest)


def _hedged(toks: list[Token], i: int) -> bool:
    """お返事できるかと思います / お出しできればと思います / 伺いたいと思います /
    ご連絡しようと思います: a commitment, hedged."""
    group = _group_before(toks, i)
    if not group or group[-1].lemma != "思う":
        return False
    k = toks.index(group[0])
    if k < 1 or toks[k - 1].surface != "と":
        return False
    end = k - 1
    if end >= 1 and toks[end - 1].surface in ("か", "ば"):
        end -= 1
    before = _group_before(toks, end)
    return bool(before) and any(_commit(t) for t in before) and not _words(before) & _NEGATIVE


# -- English --------------------------------------------------------------------------------------

_ADVERBS = (r"(?:\s+(?:also|definitely|certainly|just|quickly|happily|gladly|then|personally"
            r"|probably|likely|still|absolutely|def|surely|now|first|try\s+and|try\s+to"
            r"|make\s+sure\s+to))*")
_WILL = re.compile(rf"\b(?:i|we)\s*(?:'ll|\s+will|\s+shall){_ADVERBS}\s+(?P<verb>[a-z]+)"
                   r"(?P<rest>(?:\s+[a-z']+){0,2})", re.I)
_GOING_TO = re.compile(rf"\b(?:i'm|i\s+am|we're|we\s+are)(?:\s+also)?\s+(?:going\s+to|gonna)"
                       rf"{_ADVERBS}\s+(?P<verb>[A-Za-z]+)", re.I)
_PLAN_TO = re.compile(r"\b(?:i|we)(?:'m|\s+am|'re|\s+are)?\s+(?:plan(?:ning)?|intend(?:ing)?)"
                      r"\s+to\s+(?P<verb>[a-z]+)", re.I)
_LET_ME = re.compile(r"\blet\s+me(?:\s+just)?\s+(?P<verb>[a-z]+)", re.I)
_I_CAN = re.compile(r"\b(?:i|we)\s+(?:can|could)\s+(?P<verb>[a-z]+)", re.I)
# "Will do", "On it", and a will without its subject where a sentence or clause starts:
# "Will circle back with pricing tomorrow", "I owe you the deck, will send by Wednesday"
_WILL_DO = re.compile(r"(?:^|[,;]\s*|\band\s+)\s*(?:will\s+(?:do|send|share|check|follow|get|call"
                      r"|email|ping|review|circle\s+back|loop|update|confirm|forward|reach\s+out"
                      r"|revert|dig|look|come\s+back|touch\s+base|sort|draft|write|fix|book"
                      r"|set\s+up|send\s+over|get\s+back)|on\s+it)\b", re.I)
# "You'll have the revised quote tomorrow": the writer delivering, with a date
_YOU_WILL_HAVE = re.compile(r"\byou(?:'ll|\s+will)\s+(?:have|get|receive|see)\s+"
                            r"(?:the|my|our|it|them|a|an)\b", re.I)
_PROMISE = re.compile(r"\bi\s+promise\b", re.I)
_LETS = re.compile(r"\blet's(?:\s+(?:definitely|try\s+to|plan\s+to|also))*\s+(?P<verb>[a-z]+)",
                   re.I)
_WE_SHOULD = re.compile(r"\bwe\s+should\s+(?:definitely\s+|really\s+|totally\s+|def\s+)?"
                        r"(?:get|grab|meet|catch\s+up|have|do|talk|chat|set\s+up|find|plan|schedule"
                        r"|connect|hop|go|sync)\b", re.I)
_WOULD_LOVE_TO_MEET = re.compile(
    r"\b(?:i'd|i\s+would|we'd|we\s+would|would)\s+love\s+to\s+(?:meet(?:\s+up)?|grab|catch\s+up"
    r"|get\s+together|have\s+(?:coffee|lunch|dinner|drinks)|see\s+you|host\s+you)\b", re.I)
_INVITE_Q = re.compile(
    r"\b(?:would|do)\s+you\s+(?:like|want|be\s+(?:open|up|interested|free|available))\b"
    r"|\b(?:want|wanna)\s+to\s+(?:grab|get|meet|chat|catch|hop|jump|talk|have)\b"
    r"|\bshall\s+we\b"
    r"|\bhow\s+about\s+(?:we\s+)?(?:grab|get|meet|lunch|coffee|dinner|drinks|a\s+call|a\s+chat)"
    r"|\bwhy\s+don't\s+we\b"
    r"|\blet\s+me\s+know\s+if\s+[\w/-]+(?:\s+[\w/-]+)?\s+(?:works?|suits?)\b"
    r"|\bdo\s+you\s+have\s+(?:time|a\s+few\s+minutes|\d+\s+min|some\s+time|a\s+moment)"
    r"|\bare\s+you\s+(?:free|available)\s+(?:to|for)\b|\bwhen\s+are\s+you\s+(?:free|available)\b"
    r"|\b(?:can|could)\s+we\s+(?:meet|grab|set\s+up|hop|get\s+together"
    r"|find\s+(?:a\s+|some\s+)?(?:time|slot|\d+\s+min(?:ute)?s?|half\s+an\s+hour|an\s+hour)"
    r"|catch\s+up"
    r"|schedule)\b", re.I)
_MEETING_WORD = re.compile(r"\b(?:\d+\s+min(?:ute)?s|half\s+an\s+hour|call|chat|coffee|lunch|dinner|"
                           r"drinks?|breakfast|meet(?:ing)?|"
                           r"catch\s+up|get\s+together|sync|talk|visit|zoom|hop\s+on)\b", re.I)
_OFFER_CONDITION_EN = re.compile(
    r"\bif\s+(?:you|it)\s*(?:'d|\s+would)?\s*(?:like|want|need|prefer|helps?|'s\s+helpful"
    r"|is\s+helpful"
    r"|are\s+interested|wish|'re\s+interested)\b|\b(?:happy|glad)\s+to\b", re.I)

_NOT_AFTER_WILL = frozenset("not never be have miss need see wait guess bet admit leave probably "
                            "always remember forget hear know find".split())
_BE_PROMISES = re.compile(r"^\s+(?:there|in\s+touch|back\s+(?:to|with)|in\s+contact)\b", re.I)
_NOT_AFTER_LET_ME = frozenset("know be say explain introduce add start begin clarify tell guess "
                              "put".split())
_NOT_AFTER_LETS = frozenset("see hope say not be face just keep".split())
_DETERMINERS = frozenset("the a an my our your this that his her their".split())


def _will_ok(match: re.Match) -> bool:
    verb, rest = match.group("verb").lower(), match.group("rest") or ""
    if verb == "be":
        return bool(_BE_PROMISES.match(rest))
    if verb == "have":
        return not re.match(r"^\s+to\b", rest)
    if verb == "find" and re.match(r"^\s+(?:time|a\s+time|out)\b", rest, re.I):
        return True
    if verb == "see" and re.match(r"^\s+(?:you|if|what|whether|about)\b", rest, re.I):
        return bool(re.match(r"^\s+(?:if|what|whether|about)\b", rest, re.I))   # I'll see if I can
    return verb not in _NOT_AFTER_WILL


def en_promises(clause: str, has_date: bool, question: bool) -> list[tuple[int, str]]:
    """(offset in the clause, label) of each commitment or proposal in an English clause."""
    if _OFFER_CONDITION_EN.search(clause):
        return []
    found: list[tuple[int, str]] = []
    if not question:
        for m in _WILL.finditer(clause):
            if _will_ok(m):
                found.append((m.start(), "commitment"))
        for m in _GOING_TO.finditer(clause):
            verb = m.group("verb")
            if verb.lower() not in ("be", *_DETERMINERS) and not verb[0].isupper():
                found.append((m.start(), "commitment"))
        for m in _PLAN_TO.finditer(clause):
            found.append((m.start(), "commitment"))
        for m in _LET_ME.finditer(clause):
            if m.group("verb").lower() not in _NOT_AFTER_LET_ME:
                found.append((m.start(), "commitment"))
        if has_date:
            for m in (*_I_CAN.finditer(clause), *_YOU_WILL_HAVE.finditer(clause)):
                found.append((m.start(), "commitment"))
        for m in (*_WILL_DO.finditer(clause), *_PROMISE.finditer(clause)):
            found.append((m.start(), "commitment"))
    for m in _LETS.finditer(clause):
        if m.group("verb").lower() not in _NOT_AFTER_LETS:
            found.append((m.start(), "proposal"))
    for m in (*_WE_SHOULD.finditer(clause), *_WOULD_LOVE_TO_MEET.finditer(clause)):
        found.append((m.start(), "proposal"))
    if question:
        m = _INVITE_Q.search(clause)
        if m and _MEETING_WORD.search(clause):
            found.append((m.start(), "proposal"))
    return found


def ja_invitation_by_noun(text: str) -> int | None:
    """ランチでもいかがですか / 飲みはどうですか: an invitation without a verb."""
    m = re.search(r"(?:ランチ|食事|飲み|お茶|コーヒー|ご飯|ごはん|一杯|ディナー|夕食|昼食|朝食|カフェ|"
                  r"懇親会|飲み会|会食)(?:でも|など|は|とか)?(?:\s*)(?:いかが|どう)", text)
    return m.start() if m else None
