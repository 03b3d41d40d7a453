"""Questions: a sentence that asks something of the reader.

Japanese: a ? / ？, or a sentence that ends (after punctuation, emoji and ね/よ) with the final
particle か / かな / かね / かしら — which covers ですか, ますか, でしょうか, ませんか (ませんか is
often an invitation: promises.py also reads it as a proposal); and requests for an answer
(教えてください, お聞かせください, ご教示ください) unless they are the closing formula
"何かあればご連絡ください".
English: a ?, or in chat style without one a sentence that opens like a question (what / when /
how…, do you / can we…, any thoughts, wondering if, just checking whether) — not an exclamation
("What a year!", "How nice") — and "let me know what / when / whether / your …" (but not the
closing "let me know if you have any questions").
"""

from __future__ import annotations

import re

from companion.services.followup.morph import Token

_FINAL_KA = ("か", "かな", "かね", "かしら", "の")
_SOFT_ENDINGS = ("ね", "よ", "な", "ー", "〜", "~", "w", "笑")
_JA_ANSWER_REQUEST = re.compile(
    r"(?:教えて|お聞かせ|ご教示|お知らせ|ご返信|ご回答|お返事)"
    r"(?:ください|下さい|いただけ(?:ます|れ)[とば]?(?:幸い|助かり)|願います|いただきたく)")
_JA_BOILERPLATE = re.compile(r"何か|ご不明|ご質問|お気軽|不明点|あれば|ありましたら|場合は|際は")


def ja_question(text: str, toks: list[Token]) -> str | None:
    """``question`` or ``request`` if the Japanese sentence asks something, else None."""
    if "?" in text:
        return "question"
    words = [t for t in toks if t.pos1 not in ("補助記号", "空白", "記号")
             and t.surface not in _SOFT_ENDINGS]
    if words and words[-1].pos2 == "終助詞" and words[-1].surface in _FINAL_KA[:-1]:
        return "question"
    if len(words) >= 2 and words[-2].surface == "か" and words[-2].pos2 == "終助詞" \
            and words[-1].pos2 == "終助詞":
        return "question"
    if _JA_ANSWER_REQUEST.search(text) and not _JA_BOILERPLATE.search(text):
        return "request"
    return None


_EN_OPENER = re.compile(
    r"^(?:(?:also|so|and|but|btw|by\s+the\s+way|quick\s+question|one\s+more\s+thing|ps|p\.s\.|"
    r"hey|hi|ok|okay)\s*[,:\-—]?\s+)*"
    r"(?:(?:what|when|where|who|whom|whose|which|why|how)\b"
    r"(?!\s+(?:a|an)\b)(?!\s+(?:nice|great|exciting|cool|lovely|kind|wonderful|fun|amazing|"
    r"awesome|sweet|generous|thoughtful|fantastic|exciting)\b)"
    r"|(?:do|does|did|are|is|was|were|can|could|would|will|should|have|has|shall|may|might)\s+"
    r"(?:you|we|they|it|this|that|there|i|he|she|your|the)\b"
    r"|any\s+(?:chance|thoughts|update|updates|news|idea|ideas|word|luck|feedback)\b"
    r"|(?:i'm\s+|i\s+am\s+|just\s+)?(?:wondering|curious)\s+(?:if|whether|what|when|how|who)\b"
    r"|just\s+checking\s+(?:if|whether|in\s+on)\b)", re.I)
_EN_FEEDBACK = re.compile(
    r"\b(?:would|i'd|we'd)\s+love\s+(?:to\s+(?:hear|get|know)\s+)?your\s+"
    r"(?:thoughts|feedback|take|input|opinion|view|views)\b"
    r"|\b(?:thoughts|feedback)\s+(?:welcome|appreciated)\b"
    r"|\blet\s+me\s+know\s+your\s+thoughts\b", re.I)
_EN_LET_ME_KNOW = re.compile(
    r"\b(?:let\s+me\s+know|tell\s+me|please\s+confirm)\s+(?:what|when|which|whether|how|who|where|"
    r"your|by\b|if\s+(?:you're|you\s+are|you'd|you\s+would|you\s+can|that|this|it|the)\s+"
    r"(?:free|available|able|interested|ok|okay|around|in|works?|still|be|like|make|prefer)"
    r"|if\s+[\w/-]+(?:\s+[\w/-]+)?\s+(?:works?|suits?)\b)"
    # an imperative asking for something back: "Please confirm the billing address"
    r"|(?:^|[.,;:]\s*)\s*(?:could\s+you\s+)?please\s+(?:confirm|advise|send|share|provide|review"
    r"|sign|return|fill\s+(?:in|out)|forward|approve|check\s+and|reply|respond|get\s+back)\b",
    re.I)


def en_question(text: str) -> str | None:
    """``question`` or ``request`` if the English sentence asks something, else None."""
    if "?" in text:
        return "question"
    if _EN_OPENER.search(text):
        return "question"
    if _EN_LET_ME_KNOW.search(text) or _EN_FEEDBACK.search(text):
        return "request"
    return None
