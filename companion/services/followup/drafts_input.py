"""What a draft is written from, and how a wording is picked among several.

Wordings are picked by a hash of the suggestion key and a slot name, so the same suggestion
reads the same every time it is computed, while two people with the same kind of suggestion
seldom get the same sentence frame.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date

from companion.services.followup.suggest_model import FactRef


@dataclass
class IntroSide:
    """An introduction as seen by the person the draft is to."""

    role: str                     # need: they asked for it; offer: they may help
    need: str                     # what the one side is looking for, as a phrase in the draft's
                                  # language ("a designer", 「副業に詳しい方」)
    offer: str                    # what the side who may help does (a title, a skill, …)
    offer_source: str             # title | headline | skill | position | interest | bio
    other_name: str               # the other person's full name
    other_title: str | None
    other_org: str | None
    said: str                     # when the need was stated


@dataclass
class Touch:
    """A further specific thing a draft mentions: an interest of theirs, a matter from another
    fact (the project a promise was about, the conference they spoke at), each with the fact it
    comes from, which the draft then cites; or their organisation."""

    kind: str                     # interest | thing | org
    value: str
    fact: FactRef | None = None


@dataclass
class DraftInput:
    key: str
    reason: str
    action: str
    lang: str
    today: date
    name: str                     # how to address the person in this language
    fact: FactRef | None = None   # the fact the suggestion rests on
    memory: FactRef | None = None  # a recalled fact (met recently, cadence, dormant)
    touches: list[Touch] = field(default_factory=list)
    last: str | None = None       # last two-way exchange
    met: tuple[str, str] | None = None     # (date, kind) of a recent meeting
    intro: IntroSide | None = None
    variant: int = 0              # bumped when a wording fails the guard
    stock: frozenset[str] = frozenset()   # sentences said to many people (common.py)

    def is_stock(self, fact: FactRef | None) -> bool:
        """Said in the same words to many people: not to be quoted as a memory of this one."""
        return fact is not None and bool(fact.span) and fact.span in self.stock

    def pick(self, slot: str, options: list[str]) -> str:
        seed = zlib.crc32(f"{self.key}|{slot}|{self.variant}".encode("utf-8"))
        return options[seed % len(options)]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def join_en(*parts: str | None) -> str:
    """Sentences joined by a space; a greeting ending in a line break keeps it."""
    out = ""
    for part in parts:
        if not part or not part.strip():
            continue
        if out and not out.endswith("\n"):
            out += " "
        out += part.strip(" ")
    return out.strip()


def join_ja(*parts: str | None) -> str:
    return "".join(p.strip(" ") for p in parts if p and p.strip()).strip()
