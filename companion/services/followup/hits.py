"""What a rule family reports before it becomes a Fact: where it is and what it is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    start: int              # the span the fact rests on (offsets into the whole text)
    end: int
    anchor: int             # where the trigger is; the date nearest it in scope is the fact's
    label: str
    scope: tuple[int, int]  # where to look for its date
    other: bool = False     # the fact is about the reader, not the writer ("your new book")
