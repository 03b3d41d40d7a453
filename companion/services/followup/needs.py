"""Needs: what someone says they are looking for — "looking for a designer", "do you know
anyone who is good at Rust", "we're hiring a data scientist", 「エンジニアを探しています」,
「副業に詳しい方」 — as the short phrase an introduction is built on.

The analyzer (facts.py) stores a need stated outright as an ``interest`` fact labelled ``need``
with the phrase as its term; introductions (suggest_intro.py) read needs from that and from
questions ("Do you know anyone…?") and events of theirs.
"""

from __future__ import annotations

import functools
import re

from companion.services.followup.interests import topic_terms

_EN_LEAD = (r"(?:(?:who|that)(?:'s|\s+is|\s+are)?\s+(?:(?:really\s+)?good\s+at|great\s+at|"
            r"experienced\s+(?:in|with)|strong\s+in|into|works?\s+(?:on|in)|knows?|does|can\s+do)"
            r"\s+|(?:with|in)\s+)?")
_EN_NEED = [re.compile(p, re.I) for p in (
    r"\blooking\s+for\s+(?:a|an|some|someone|somebody|people|folks)?\s*" + _EN_LEAD +
    r"(?P<need>[^.?!,;:()—–]+)",
    r"\b(?:know|recommend|suggest)\s+(?:of\s+)?(?:anyone|someone|somebody|any|a\s+good|an?)\s+"
    + _EN_LEAD + r"(?P<need>[^.?!,;:()—–]+)",
    r"\b(?:we(?:'re|\s+are)\s+hiring|hiring|searching\s+for|seeking)\s+(?:a|an|some)?\s*"
    r"(?P<need>[^.?!,;:()—–]+)",
    r"\bintro(?:duction)?\s+to\s+(?:a|an|someone\s+(?:in|at|who\s+does))\s+"
    r"(?P<need>[^.?!,;:()—–]+)",
)]
_EN_CUT = re.compile(r"\s+(?:for|to|who|that|which|with|in\s+(?:our|the|my|your)|at|by|on|this|"
                     r"next|asap|soon|please|any|and\s+(?:would|could|can)|an\s+intro)\b.*$",
                     re.I)
_EN_DROP = re.compile(r"^(?:a|an|the|some|good|great|solid|strong|experienced|reliable)\s+", re.I)
_JA_NEED = [re.compile(p) for p in (
    r"(?P<need>[^、。！？!?「」\s]{1,30}?)(?:を|が)(?:探して|募集して|求めて|必要として)",
    r"(?P<need>[^、。！？!?「」\s]{1,30}?)に(?:詳しい|強い|明るい)(?:方|人|かた)",
    r"(?P<need>[^、。！？!?「」\s]{1,30}?)(?:が|の)(?:できる|得意な|分かる|わかる)(?:方|人|かた)",
    r"(?P<need>[^、。！？!?「」\s]{1,30}?)(?:の方|の人)を(?:ご)?紹介",
)]
# words every need pattern above contains: most facts are ruled out by one search
_NEED_HINT = re.compile(r"looking\s+for|know|recommend|suggest|hiring|searching|seeking|intro|"
                        r"探して|募集して|求めて|必要として|詳しい|強い|明るい|できる|得意な|分かる|わかる|紹介",
                        re.I)
_EN_STOP = frozenset("a an the of and or in on at for to with good great anyone someone".split())
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


# Remembered by text: every list of suggestions asks again for each open interest fact, and a
# Japanese need is found by tagging it (morph.py), which maps dictionary pages into memory each
# time; a need is a short phrase, so thousands fit in little memory.
@functools.lru_cache(maxsize=8192)
def need_in(text: str) -> str | None:
    """The need a sentence states, as a short phrase, or None."""
    if not text or not _NEED_HINT.search(text):
        return None
    if _CJK.search(text):
        for pattern in _JA_NEED:
            found = pattern.search(text)
            if found:
                terms = topic_terms(found.group("need"), "ja")
                if terms:
                    return terms[-1]
        return None
    for pattern in _EN_NEED:
        found = pattern.search(text)
        if found:
            need = _EN_CUT.sub("", found.group("need").strip())
            while _EN_DROP.match(need):
                need = _EN_DROP.sub("", need, count=1)
            words = need.split()
            if 1 <= len(words) <= 4 and any(w.lower() not in _EN_STOP for w in words):
                return need
    return None
