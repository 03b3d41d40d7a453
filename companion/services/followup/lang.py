"""Which rule set reads a text: Japanese when it has kana or kanji, English otherwise."""

from __future__ import annotations

import re

LANGS = ("ja", "en")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


def detect_lang(text: str) -> str:
    """``ja`` if the text has any kana, or more kanji than Latin letters; else ``en``.

    Any kana is decisive: Japanese business text often quotes English product names, while
    English text almost never contains kana.
    """
    if _KANA.search(text):
        return "ja"
    kanji = len(_KANJI.findall(text))
    return "ja" if kanji and kanji >= len(_LATIN.findall(text)) else "en"
