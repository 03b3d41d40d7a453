"""The working copy of a message and its sentences, with offsets into the original text.

Rules read a *working copy* of the same length as the original, so every offset they find is an
offset into the original:

* characters that cannot be encoded or that tokenisers choke on (surrogates, controls) become
  spaces; full-width ASCII (``？``, ``１２``) becomes ASCII; curly apostrophes become ``'``;
* URLs are blanked (a ``?`` in a query string is not a question);
* quoted text is blanked: lines of an e-mail quote (``> …``) and the inside of ``"…"``, ``“…”``,
  ``「…」``, ``『…』``. A commitment someone else made, repeated in quotes, is not the writer's
  (``She said "I'll send it tomorrow"``, ``「資料を送ります」とだけ返信が来て``). Single quotes are
  left alone: they are apostrophes far more often than quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from companion.services.followup.lang import detect_lang

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"「」]+", re.I)
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.M)
_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_MAX_QUOTE = 400   # an opening mark with no close within this many characters is not a quote


def _clean_char(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:        # full-width ASCII → ASCII
        return chr(code - 0xFEE0)
    if code == 0x3000:
        return " "
    if 0xD800 <= code <= 0xDFFF or (code < 32 and ch not in "\n\t") or 0x7F <= code < 0xA0:
        return " "
    return ch


# _clean_char and the apostrophes as one table for str.translate: each character maps to one
# character, so offsets stay those of the original text. (Per character in Python, cleaning was
# a fifth of reading an imported inbox.)
_CLEAN = {cp: _clean_char(chr(cp)) for cp in [*range(0, 32), *range(0x7F, 0xA0), 0x3000,
                                              *range(0xFF01, 0xFF5F), *range(0xD800, 0xE000)]
          if _clean_char(chr(cp)) != chr(cp)}
_CLEAN.update({ord(k): v for k, v in {"’": "'", "‘": "'", "＇": "'"}.items()})
_CLEAN_TABLE = str.maketrans(_CLEAN)
_QUOTE_OPEN = re.compile("[" + re.escape("".join(_QUOTES)) + "]")


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


# A message is read by several rules (facts, then "does it report something done?"), each
# starting from its working copy and sentences: the last few are kept, so each is made once.
# Both are pure functions of their arguments and return values nobody changes (a str, and a
# tuple of frozen Sentences).
RECENT_KEPT = 64


@lru_cache(maxsize=RECENT_KEPT)
def working_copy(text: str, *, mask_quotes: bool = True) -> str:
    """The text as rules read it; always ``len(text)`` characters long."""
    cleaned = text.translate(_CLEAN_TABLE)
    spans = [(m.start(), m.end()) for m in _URL.finditer(cleaned)]
    if mask_quotes:
        spans += [(m.start(), m.end()) for m in _QUOTED_LINE.finditer(cleaned)]
        forwarded = _forwarded_from(cleaned)
        if forwarded is not None:   # what follows a forward's separator is someone else's text
            spans.append((forwarded, len(cleaned)))
    if not spans and not (mask_quotes and _QUOTE_OPEN.search(cleaned)):
        return cleaned              # most messages: nothing to blank
    chars = list(cleaned)
    for start, end in spans:
        _blank(chars, start, end)
    if mask_quotes:
        # Quotes are looked for in the text as blanked so far; a quote's inside is blanked and
        # the search goes on after its closing mark, so what lies ahead is never changed yet.
        blanked = "".join(chars)
        found = _QUOTE_OPEN.search(blanked)
        while found is not None:
            i = found.start()
            j = blanked.find(_QUOTES[blanked[i]], i + 1, i + 1 + _MAX_QUOTE)
            if j >= 0:
                _blank(chars, i + 1, j)
                found = _QUOTE_OPEN.search(blanked, j + 1)
            else:
                found = _QUOTE_OPEN.search(blanked, i + 1)
    return "".join(chars)


# A forwarded message: a separator line ("---", "-----Original Message-----", "---------- Forwarded
# message ----------", 「以下転送」) within a few lines after the writer said they forward
# something. Read line by line: one regular expression spanning lines took cubic time on a
# note of many short lines (48 s for 4,800 characters).
_FORWARD_CUE = re.compile(r"転送|forward|fwd|fw:|ご参考|fyi", re.I)
_FORWARD_SEPARATOR = re.compile(r"[ \t]*(?:-{3,}.*|_{3,}.*|={3,}.*|[-─]*[ \t]*(?:以下)?転送.*|>+[ \t]*)$")
FORWARD_LINES = 20     # how far after the cue a separator still counts


def _forwarded_from(text: str) -> int | None:
    """Where a forwarded message's text starts (after its separator line), or None."""
    cue_line = None
    offset = 0
    for n, line in enumerate(text.split("\n")):
        end = offset + len(line) + 1
        if cue_line is not None and n > cue_line and _FORWARD_SEPARATOR.match(line):
            return min(end, len(text))
        if cue_line is not None and n - cue_line > FORWARD_LINES:
            cue_line = None
        if cue_line is None and _FORWARD_CUE.search(line):
            cue_line = n
        offset = end
    return None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str       # the working copy's slice [start:end]
    lang: str


# A sentence ends at 。！？!? (with closing brackets after them), at a line break, or at a full
# stop followed by a space, unless the word before it is a common abbreviation.
_BOUNDARY = re.compile(r"[。！？!?]+[」』）)\"”']*|\n+|\.(?=\s|$)")
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "e.g", "i.e", "etc", "vs", "inc", "ltd",
                  "co", "st", "jr", "sr", "no", "approx", "dept", "a.m", "p.m", "jan", "feb",
                  "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", text[:dot])
    return bool(word) and word.group(1).lower().rstrip(".") in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(work: str, lang: str | None = None) -> tuple[Sentence, ...]:
    """Sentences of the working copy; ``lang`` forces a rule set, else each is detected."""
    return _sentences(work, lang)   # one cache key however it is called


@lru_cache(maxsize=RECENT_KEPT)
def _sentences(work: str, lang: str | None) -> tuple[Sentence, ...]:
    out: list[Sentence] = []
    start = 0
    for match in _BOUNDARY.finditer(work):
        if match.group(0) == "." and _is_abbreviation(work, match.start()):
            continue
        end = match.start() if match.group(0).startswith("\n") else match.end()
        _add(out, work, start, end, lang)
        start = match.end()
    _add(out, work, start, len(work), lang)
    return tuple(out)


def _add(out: list[Sentence], work: str, start: int, end: int, lang: str | None) -> None:
    start, end = _trimmed(work, start, end)
    body = work[start:end]
    if body and re.search(r"\w", body):
        out.append(Sentence(start, end, body, lang or detect_lang(body)))


# English clauses: a commitment's date is looked for in its own clause ("We're relocating in
# January, so let's meet before then" promises nothing for January).
_EN_CLAUSE = re.compile(r";|\s[—–]\s|\s-\s|,\s*(?=(?:but|so|and|or|because|since|although|"
                        r"though|while|which|then)\b)", re.I)


_LEADING_CONJUNCTION = re.compile(r"(?:but|so|and|or|then)\s+", re.I)


def en_clauses(sentence: Sentence) -> list[tuple[int, int]]:
    """(start, end) offsets, in the whole text, of the clauses of an English sentence."""
    spans, start = [], 0
    for match in _EN_CLAUSE.finditer(sentence.text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence.text)))
    out = []
    for a, b in spans:
        a, b = _trimmed(sentence.text, a, b)
        lead = _LEADING_CONJUNCTION.match(sentence.text, a, b)
        if lead and lead.end() < b:
            a = lead.end()
        if a < b:
            out.append((sentence.start + a, sentence.start + b))
    return out
