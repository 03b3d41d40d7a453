"""Candidate pairs of many records by shared keys (blocking), and the proposals among them.

Comparing every pair of a 10,000-contact network is 50 million comparisons; instead each record
gets a few keys and only records sharing a key are compared:

* strong keys — an e-mail address, a canonical profile URL, a website, a photo: every pair that
  could be certain shares one of these;
* name keys — the folded romaji of the name in either order (so 山田太郎, やまだ たろう and
  YAMADA Taro share ``yamadataro``), a kanji name's next-best readings against the romaji of
  kana and Latin names, the name as written, and family name + given initial for names written
  with an initial (``yamada t``: T. Yamada against Taro Yamada);
* context keys — organisation + each romaji word of the name (Bob and Robert Jones at Acme share
  ``acme|jones``), name + organisation, name + each place word.

Capping: a common name (500 people called 佐藤 in one network) makes a block whose pairs are
all the same weak evidence. A block over its cap is skipped whole and counted in
``BlockingStats.capped``; no pair is lost that could be proposed, because a proposal needs a name
match *and* corroboration, and the context keys (name or family + organisation, name + place)
and the strong keys pair those records in their own, smaller blocks. Strong keys have a higher
cap: hundreds of records sharing one address or URL are a shared mailbox or a site's home page,
not one person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from companion.services.matching import names
from companion.services.matching.compare import (Comparison, Prepared, Side, compare, prepare)

# Caps chosen on an import of 30,000 LinkedIn connections with only 356 distinct names at 8
# companies (bench/bench_import.py: the worst case for blocking): at 100 / 200 the pass compared
# 4.2 million pairs in 50 s; at 30 / 50, 0.16 million in 3.5 s, with the same proposals (none:
# namesakes are not proposed on a name alone), and the labelled set unchanged.
MAX_NAME_BLOCK = 30       # records sharing a name key; more is a common name, skipped
MAX_CONTEXT_BLOCK = 50    # records sharing name/family + organisation or place
MAX_STRONG_BLOCK = 1000   # records sharing an e-mail, URL, website or photo


@dataclass
class BlockingStats:
    records: int = 0
    blocks: int = 0                      # keys shared by two records or more
    pairs: int = 0                       # distinct candidate pairs given out
    capped: list[tuple[str, int]] = field(default_factory=list)   # (key, records) skipped


def _initial_keys(words: tuple[str, ...]) -> set[str]:
    """Family name + given initial, each word taken as the family name in turn."""
    folded = [names.fold_romaji(w) for w in words if w]
    if len(folded) < 2:
        return set()
    out = set()
    for i, family in enumerate(folded):
        rest = folded[:i] + folded[i + 1:]
        if len(family) >= 2 and rest and rest[0]:
            out.add(f"{family} {rest[0][0]}")
    return out


def record_keys(p: Prepared) -> list[tuple[str, int, bool]]:
    """The keys of one record: (key, cap, limited). A *limited* member of a block is paired
    only with the block's full members, never with another limited one:

    * a kanji name's next-best readings (``a:``) are worth comparing with kana and Latin
      names only (compare() ignores them between two kanji names);
    * family + given initial (``i:``) pairs an initial (T. Yamada) with full names, not two
      full names that merely share a first letter (Taro and Takeshi Yamada)."""
    keys: list[tuple[str, int, bool]] = []
    keys += [(f"e:{e}", MAX_STRONG_BLOCK, False) for e in p.emails]
    keys += [(f"m:{e}", MAX_CONTEXT_BLOCK, False) for e in p.role_emails]
    keys += [(f"p:{url}", MAX_STRONG_BLOCK, False) for _, url in p.profiles]
    keys += [(f"w:{url}", MAX_STRONG_BLOCK, False) for url in p.websites]
    if p.photo:
        keys.append((f"ph:{p.photo}", MAX_STRONG_BLOCK, False))
    n = p.name
    forms = {f for f in n.romaji if f}
    keys += [(f"r:{f}", MAX_NAME_BLOCK, False) for f in forms]
    if n.script in ("kanji", "mixed"):
        keys += [(f"a:{f}", MAX_NAME_BLOCK, True) for f in n.alt_romaji if f]
    else:
        keys += [(f"a:{f}", MAX_NAME_BLOCK, False) for f in forms]
    keys += [(f"c:{c}", MAX_NAME_BLOCK, False) for c in n.compact if c]
    for words, _latin in n.word_lists:
        has_initial = any(len(w) == 1 for w in words)
        keys += [(f"i:{k}", MAX_NAME_BLOCK, not has_initial) for k in _initial_keys(words)]
    if p.organisation:
        org = p.organisation
        keys += [(f"of:{org}|{t}", MAX_CONTEXT_BLOCK, False)
                 for t in n.romaji_tokens if len(t) >= 2]
        keys += [(f"on:{org}|{f}", MAX_CONTEXT_BLOCK, False) for f in forms]
    for place in p.location:
        keys += [(f"ln:{place}|{f}", MAX_CONTEXT_BLOCK, False) for f in forms]
    return keys


def candidate_pairs(records: Sequence[Side | Prepared],
                    stats: BlockingStats | None = None) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, of records sharing a key, each pair once."""
    prepared = [prepare(r) for r in records]
    full: dict[str, list[int]] = defaultdict(list)
    limited: dict[str, list[int]] = defaultdict(list)
    caps: dict[str, int] = {}
    for index, p in enumerate(prepared):
        seen_keys: set[str] = set()
        for key, cap, is_limited in record_keys(p):
            if key in seen_keys:
                continue
            seen_keys.add(key)
            (limited if is_limited else full)[key].append(index)
            caps[key] = cap
    stats = stats if stats is not None else BlockingStats()
    stats.records = len(prepared)
    seen: set[int] = set()
    n = len(prepared)
    for key, members in full.items():
        others = limited.get(key, ())
        size = len(members) + len(others)
        if size < 2 or not members:
            continue
        stats.blocks += 1
        if size > caps[key]:
            stats.capped.append((key, size))
            continue
        for x, i in enumerate(members):
            for j in (*members[x + 1:], *others):
                code = i * n + j if i < j else j * n + i
                if code not in seen:
                    seen.add(code)
                    stats.pairs += 1
                    yield (i, j) if i < j else (j, i)


def propose(records: Sequence[Side | Prepared], stats: BlockingStats | None = None,
            ) -> list[tuple[int, int, Comparison]]:
    """The candidate pairs whose verdict is ``same`` or ``likely``, best first."""
    prepared = prepare_all(records)
    out = []
    for i, j in candidate_pairs(prepared, stats):
        result = compare(prepared[i], prepared[j])
        if result.verdict != "different":
            out.append((i, j, result))
    out.sort(key=lambda t: (-t[2].score, t[0], t[1]))
    return out


def prepare_all(records: Iterable[Side | Prepared]) -> list[Prepared]:
    """Prepared records, giving the tagger's dictionary pages back after the batch."""
    out = [prepare(r) for r in records]
    names.release_tagger_pages()
    return out
