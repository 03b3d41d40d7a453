"""Blocking: candidate pairs by shared keys, never all pairs; common-name blocks capped without
losing the pairs that have other evidence; propose() keeps same and likely pairs."""

from __future__ import annotations

from companion.services.matching import blocking
from companion.services.matching.blocking import (BlockingStats, candidate_pairs, propose,
                                                  record_keys)
from companion.services.matching.compare import Side, prepare


def distractors(n: int) -> list[Side]:
    """n people with distinct made-up names (no shared key with the pairs under test)."""
    syllables = ["ka", "ri", "mo", "to", "su", "ne", "ha", "yu", "mi", "ro", "ki", "na"]
    out = []
    for i in range(n):
        given = "b" + syllables[i % 12] + syllables[(i // 12) % 12] + syllables[i // 144 % 12]
        family = "v" + syllables[(i * 7) % 12] + syllables[i % 12] + syllables[i // 12 % 12]
        out.append(Side(f"{given.title()} {family.title()}", organisation=f"Firm {given}"))
    return out


def test_a_pair_sharing_no_exact_key_is_found_through_romaji():
    a = Side("山田太郎", organisation="株式会社あおぞらテック", emails=("taro@example.jp",))
    b = Side("YAMADA Tarou", organisation="Blue Sky Tech", emails=("t.yamada@example.com",))
    shared = ({k for k, _, _ in record_keys(prepare(a))}
              & {k for k, _, _ in record_keys(prepare(b))})
    assert shared and all(k.startswith(("r:", "i:")) for k in shared), shared
    records = distractors(300) + [a, b]
    pairs = set(candidate_pairs(records))
    assert (300, 301) in pairs
    assert len(pairs) < 1000          # far from all 45,451 pairs


def test_kana_and_romaji_in_either_order_share_a_block():
    records = [Side("やまだ たろう"), Side("Taro Yamada"), Side("ﾔﾏﾀﾞ ﾀﾛｳ"), Side("T. Yamada")]
    pairs = set(candidate_pairs(records))
    assert {(0, 1), (0, 2), (1, 2), (1, 3)} <= pairs


def test_a_common_name_block_is_capped_but_email_and_org_pairs_survive():
    people = [Side("佐藤 健", organisation=f"会社{i}") for i in range(500)]
    people[17] = Side("佐藤 健", organisation="会社17", emails=("ken.sato@example.jp",))
    people[403] = Side("佐藤 健", organisation="会社403", emails=("Ken.Sato@example.jp",))
    people[250] = Side("佐藤 健", organisation="株式会社ひかり")
    people[251] = Side("さとう けん", organisation="ひかり株式会社")
    stats = BlockingStats()
    pairs = set(candidate_pairs(people, stats))
    assert (17, 403) in pairs                     # the shared e-mail
    assert (250, 251) in pairs                    # name + organisation
    assert len(pairs) < 100                       # not the 124,750 pairs of the name block
    assert stats.capped and all(size > blocking.MAX_NAME_BLOCK for _, size in stats.capped)
    assert any(key.startswith("r:") for key, _ in stats.capped)
    proposals = {(i, j): c for i, j, c in propose(people)}
    assert proposals[(17, 403)].verdict == "same"
    assert proposals[(250, 251)].verdict == "likely"


def test_a_block_at_the_cap_is_kept():
    people = [Side("Olumide Bankole", organisation=f"Org {i}")
              for i in range(blocking.MAX_NAME_BLOCK)]
    stats = BlockingStats()
    pairs = set(candidate_pairs(people, stats))
    n = blocking.MAX_NAME_BLOCK
    assert len(pairs) == n * (n - 1) // 2 and not stats.capped


def test_each_pair_once_and_ordered():
    records = [Side("Taro Yamada", emails=("t@example.jp",), organisation="Acme"),
               Side("山田 太郎", emails=("t@example.jp",), organisation="Acme"),
               Side("Jane Doe")]
    pairs = list(candidate_pairs(records))
    assert pairs == [(0, 1)]


def test_propose_keeps_same_and_likely_best_first():
    records = [
        Side("Maya Okafor", emails=("maya@kestrel.io",)),
        Side("M. Okafor", emails=("maya@kestrel.io",)),
        Side("Robert Kessler", organisation="Brightline Studio"),
        Side("Bob Kessler", organisation="Brightline Studio LLC"),
        Side("John Smith", organisation="Acme"),
        Side("John Smith", organisation="Zenith"),
    ]
    proposals = propose(records)
    assert [(i, j, c.verdict) for i, j, c in proposals] == [(0, 1, "same"), (2, 3, "likely")]
