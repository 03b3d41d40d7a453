"""The network graph (services/network.py): tie strength, links of each kind, communities,
layout, the compact JSON and warm paths with their drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest

from companion.db import utc_now
from companion.errors import ApiError
from companion.services import events, network
from companion.services.followup import guard

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def _at(days_ago: float) -> str:
    return (NOW - timedelta(days=days_ago)).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")


def add_contact(db, name: str, *, family: str | None = None, given: str | None = None,
                organisation: str | None = None, headline: str | None = None,
                tier: str | None = None) -> int:
    now = utc_now()
    with db.transaction() as conn:
        cur = conn.execute(
            "INSERT INTO contacts (display_name, family_name, given_name, sort_key, organisation,"
            " headline, tier, tier_source, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, family, given, name.casefold(), organisation, headline, tier,
             "user" if tier else None, now, now))
    return cur.lastrowid


def add_messages(db, contact_id: int, pattern: list[tuple[str, float, str]]) -> None:
    """(direction, days ago, text) rows."""
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO interactions (contact_id, platform, kind, direction, occurred_at, text,"
            " created_at) VALUES (?, 'linkedin', 'message', ?, ?, ?, ?)",
            [(contact_id, d, _at(ago), text, utc_now()) for d, ago, text in pattern])


@dataclass
class World:
    a: int      # 佐藤 一郎: frequent, recent, two-way; same organisation as c
    b: int      # 鈴木 花子: many messages, all mine (one-way); introduced e to the user
    c: int      # 高橋 健太: no messages; same organisation as a; met e at an event
    d: int      # Mary Smith: two-way, months ago; mutual connection of e; same org as g
    e: int      # 山田 太郎: the target
    f: int      # 小林 誠: no link to anyone
    g: int      # Grace Lee: same organisation as d
    event: int


def build_world(db) -> World:
    a = add_contact(db, "佐藤 一郎", family="佐藤", given="一郎", organisation="株式会社ひかり商事",
                    headline="株式会社ひかり商事 営業部長", tier="inner")
    b = add_contact(db, "鈴木 花子", family="鈴木", given="花子", organisation="株式会社青葉ラボ",
                    tier="active")
    c = add_contact(db, "高橋 健太", family="高橋", given="健太", organisation="ひかり商事株式会社",
                    headline="ひかり商事 データサイエンティスト", tier="wide")
    d = add_contact(db, "Mary Smith", family="Smith", given="Mary", organisation="Acme Labs",
                    headline="Product Manager at Acme Labs", tier="active")
    e = add_contact(db, "山田 太郎", family="山田", given="太郎", organisation="富士物産",
                    headline="富士物産 事業開発", tier="wide")
    f = add_contact(db, "小林 誠", family="小林", given="誠", organisation="北斗システムズ",
                    tier="dormant")
    g = add_contact(db, "Grace Lee", family="Lee", given="Grace", organisation="ACME LABS Inc.",
                    tier="wide")
    add_messages(db, a, [(("in", "out")[i % 2], 3 + 4 * i, "物流の需要予測モデルの件、資料を拝見しました。")
                         for i in range(30)])
    add_messages(db, b, [("out", 2 + 3 * i, "採用サイトの件でご連絡しました。") for i in range(40)])
    add_messages(db, d, [("in", 200, "Great to see you at the Berlin data summit."),
                         ("out", 201, "Thanks for the slides on the pricing page."),
                         ("in", 205, "Here are the slides."), ("out", 206, "Could you send them?")])
    add_messages(db, f, [("in", 10, "新規事業の件でご相談です。"), ("out", 9, "承知しました。")])
    ev = events.create_event(db, {"name": "Rust勉強会 #12", "kind": "study_group",
                                  "starts_on": "2026-10-03", "people": [c, e]})
    now = utc_now()
    with db.transaction() as conn:
        conn.execute("INSERT INTO contact_links (a, b, kind, source, created_at)"
                     " VALUES (?, ?, 'mutual', 'user', ?)", (min(d, e), max(d, e), now))
        conn.execute("INSERT INTO ledger (contact_id, flow, kind, text, occurred_at, created_at,"
                     " source) VALUES (?, 'received', 'introduction', ?, ?, ?, 'user')",
                     (b, "鈴木さんに山田 太郎さんを紹介してもらった。", now, now))
    network.clear_cache()
    return World(a, b, c, d, e, f, g, ev.id)


@pytest.fixture
def world(db) -> World:
    return build_world(db)


def _pairs(graph: network.Graph) -> dict[tuple[int, int], network.GraphEdge]:
    return {(min(e.source, e.target), max(e.source, e.target)): e for e in graph.edges}


def _pair(x: int, y: int) -> tuple[int, int]:
    return (min(x, y), max(x, y))


# -- tie strength ---------------------------------------------------------------------------------

def test_tie_strength_formula_bounds_and_one_way_cap():
    assert network.tie_strength(days_since_last=None, year_count=0, n_in=0, n_out=0,
                                n_both=0) == 0.0
    best = network.tie_strength(days_since_last=0, year_count=10_000, n_in=500, n_out=500,
                                n_both=0)
    assert 0.99 < best <= 1.0
    one_way = network.tie_strength(days_since_last=0, year_count=10_000, n_in=0, n_out=1000,
                                   n_both=0)
    assert one_way == pytest.approx(network.ONE_WAY_FLOOR, abs=0.01)
    # meetings count as two-way
    met = network.tie_strength(days_since_last=0, year_count=10_000, n_in=0, n_out=0,
                               n_both=3)
    assert met > 0.99
    # older is weaker, everything else equal
    assert network.tie_strength(days_since_last=10, year_count=5, n_in=3, n_out=2, n_both=0) > \
        network.tie_strength(days_since_last=100, year_count=5, n_in=3, n_out=2, n_both=0)


def test_frequent_two_way_tie_beats_a_one_way_one(db, world):
    ties = network.tie_strengths(db, NOW)
    # b has more messages (40 against 30), all one-way
    assert ties[world.a].strength > ties[world.b].strength
    assert ties[world.a].two_way and not ties[world.b].two_way
    assert ties[world.d].two_way and ties[world.a].strength > ties[world.d].strength
    assert world.c not in ties          # no interactions at all


# -- links ----------------------------------------------------------------------------------------

def test_edges_of_each_kind_for_the_right_pairs_only(db, world):
    graph = network.build_graph(db, now=NOW)
    pairs = _pairs(graph)
    w = world
    expected = {_pair(w.a, w.c): "same_org", _pair(w.d, w.g): "same_org",
                _pair(w.c, w.e): "same_event", _pair(w.d, w.e): "mutual",
                _pair(w.b, w.e): "introduced_by"}
    assert {p: e.kind for p, e in pairs.items()} == expected
    assert len(graph.nodes) == 7
    for edge in graph.edges:
        assert 0 < edge.weight <= 1
        assert edge.kinds == (edge.kind,)


def test_same_org_ignores_legal_form_case_and_spaces():
    assert network.org_key("株式会社ひかり商事") == network.org_key("ひかり商事株式会社")
    assert network.org_key("Acme Labs") == network.org_key("ACME LABS Inc.")
    assert network.org_key("Acme Labs") != network.org_key("Acme Lab Partners")
    assert network.org_key("株式会社") is None


def test_ledger_introduction_needs_an_unambiguous_full_name(db, world):
    # a second 山田 太郎 makes the ledger's name ambiguous: the link goes
    add_contact(db, "山田 太郎", family="山田", given="太郎", organisation="別会社")
    network.clear_cache()
    pairs = _pairs(network.build_graph(db, now=NOW))
    assert _pair(world.b, world.e) not in pairs
    assert _pair(world.d, world.e) in pairs


def test_a_pair_linked_twice_gets_one_edge_with_both_kinds(db, world):
    with db.transaction() as conn:
        conn.execute("INSERT INTO contact_links (a, b, kind, introducer, source, created_at)"
                     " VALUES (?, ?, 'introduced_by', ?, 'user', ?)",
                     (min(world.a, world.c), max(world.a, world.c), world.a, utc_now()))
    edge = _pairs(network.build_graph(db, now=NOW))[_pair(world.a, world.c)]
    assert edge.kind == "introduced_by"
    assert edge.kinds == ("introduced_by", "same_org")
    org_only = _pairs(network.build_graph(db, kinds=["same_org"], now=NOW))
    assert org_only[_pair(world.a, world.c)].kind == "same_org"
    assert org_only[_pair(world.a, world.c)].weight < edge.weight


def test_large_groups_link_members_to_the_closest_people_only(db):
    ids = [add_contact(db, f"Person {i:02d}", organisation="Bigco") for i in range(20)]
    # the user writes back and forth with three of them: they become the group's hubs
    for hub in ids[5:8]:
        add_messages(db, hub, [("in", 1, "Re: the Lisbon pilot"), ("out", 2, "the Lisbon pilot")])
    network.clear_cache()
    edges = network.build_graph(db, now=NOW).edges
    hubs = set(ids[5:8])
    assert len(edges) == 3 + 17 * 3
    assert all(e.source in hubs or e.target in hubs for e in edges)


def test_filters_tier_kinds_and_min_strength(db, world):
    inner = network.build_graph(db, tier="inner", now=NOW)
    assert [n.id for n in inner.nodes] == [world.a] and inner.edges == ()
    some = network.build_graph(db, tier=["wide", "active"], now=NOW)
    assert {n.id for n in some.nodes} == {world.b, world.c, world.d, world.e, world.g}
    assert _pair(world.a, world.c) not in _pairs(some)
    mutual = network.build_graph(db, kinds="mutual", now=NOW)
    assert len(mutual.nodes) == 7 and [e.kind for e in mutual.edges] == ["mutual"]
    strong = network.build_graph(db, min_strength=0.6, now=NOW)   # f: two recent messages
    assert [n.id for n in strong.nodes] == [world.a]
    for bad in ({"tier": "friends"}, {"kinds": ["same_org", "likes"]}, {"min_strength": 2},
                {"min_strength": True}, {"tier": []}):
        with pytest.raises(ApiError) as err:
            network.build_graph(db, **bad)
        assert err.value.status == 400
        assert err.value.details["field"] == next(iter(bad))


# -- communities and layout -----------------------------------------------------------------------

def test_communities_are_deterministic_and_isolated_people_have_none(db, world):
    first = network.build_graph(db, now=NOW)
    network.clear_cache()
    again = network.build_graph(db, now=NOW)
    assert [(n.id, n.community, n.x, n.y) for n in first.nodes] == \
        [(n.id, n.community, n.x, n.y) for n in again.nodes]
    by_id = {n.id: n for n in first.nodes}
    assert by_id[world.f].community == -1
    assert all(by_id[c].community >= 0 for c in (world.a, world.c, world.d, world.e))
    assert first.communities == len({n.community for n in first.nodes if n.community >= 0})


def test_two_clusters_fall_into_two_communities_placed_apart(db):
    left = [add_contact(db, f"Left {i}", organisation="Leftco") for i in range(6)]
    right = [add_contact(db, f"Right {i}", organisation="Rightco") for i in range(6)]
    with db.transaction() as conn:   # one weak bridge
        conn.execute("INSERT INTO contact_links (a, b, kind, source, created_at)"
                     " VALUES (?, ?, 'mutual', 'user', ?)", (left[0], right[0], utc_now()))
    network.clear_cache()
    nodes = {n.id: n for n in network.build_graph(db, now=NOW).nodes}
    assert len({nodes[c].community for c in left}) == 1
    assert len({nodes[c].community for c in right}) == 1
    assert nodes[left[0]].community != nodes[right[0]].community

    def centre(ids):
        return (sum(nodes[c].x for c in ids) / 6, sum(nodes[c].y for c in ids) / 6)

    (lx, ly), (rx, ry) = centre(left), centre(right)
    spread = max(abs(nodes[c].x - lx) + abs(nodes[c].y - ly) for c in left)
    assert abs(lx - rx) + abs(ly - ry) > spread
    assert all(-1000.0 <= n.x <= 1000.0 and -1000.0 <= n.y <= 1000.0 for n in nodes.values())


def test_cache_follows_the_data(db, world):
    first = network.build_graph(db, now=NOW)
    assert network.build_graph(db, now=NOW).stamp == first.stamp
    events.add_person(db, world.event, world.f)
    after = network.build_graph(db, now=NOW)
    assert after.stamp != first.stamp
    assert _pair(world.e, world.f) in _pairs(after)


def test_a_large_network_is_built_in_a_worker_process_with_the_same_result(db, world,
                                                                            monkeypatch):
    """From WORKER_MIN_CONTACTS on the build runs in `python -m companion.services.
    network_build` (its memory peak is not the companion's): the same graph and paths."""
    here = network.build_graph(db, now=NOW)
    here_paths = network.warm_paths(db, world.e, 3, now=NOW)
    network.clear_cache()
    runs = []
    real = network.subprocess.run
    monkeypatch.setattr(network.subprocess, "run",
                        lambda *a, **k: runs.append(a[0]) or real(*a, **k))
    monkeypatch.setattr(network, "WORKER_MIN_CONTACTS", 1)
    there = network.build_graph(db, now=NOW)
    assert len(runs) == 1 and "companion.services.network_build" in runs[0]
    assert there == here
    assert network.warm_paths(db, world.e, 3, now=NOW) == here_paths
    assert len(runs) == 1                     # kept: the paths used the same build


def test_a_failing_worker_is_a_clear_error(db, world, monkeypatch):
    network.clear_cache()
    monkeypatch.setattr(network, "WORKER_MIN_CONTACTS", 1)
    monkeypatch.setattr(network.sys, "executable", "/bin/false")
    with pytest.raises(RuntimeError, match="building the network graph failed"):
        network.build_graph(db, now=NOW)


def test_network_json_keeps_the_unfiltered_answer_until_the_data_changes(db, world):
    network.clear_cache()
    first = network.network_json(db)
    assert network.network_json(db) is first                    # kept
    assert json.loads(first) == network.graph_json(network.build_graph(db))
    filtered = json.loads(network.network_json(db, kinds=["same_org"]))
    assert set(filtered["edges"]["kind"]) == {network.KINDS.index("same_org")}
    events.add_person(db, world.event, world.f)
    assert network.network_json(db) != first                    # a new version


# -- JSON -----------------------------------------------------------------------------------------

def test_graph_json_round_trip_and_shape(db, world):
    graph = network.build_graph(db, now=NOW)
    data = json.loads(json.dumps(network.graph_json(graph)))
    assert network.graph_from_json(data) == graph
    assert set(data["nodes"]) == {"id", "label", "tier", "strength", "community", "x", "y"}
    assert all(len(v) == len(graph.nodes) for v in data["nodes"].values())
    assert all(len(v) == len(graph.edges) for v in data["edges"].values())
    # edges point into the node arrays by position
    ids = data["nodes"]["id"]
    first = graph.edges[0]
    assert (ids[data["edges"]["source"][0]], ids[data["edges"]["target"][0]]) == \
        (first.source, first.target)


# -- warm paths -----------------------------------------------------------------------------------

def test_paths_prefer_strong_ties_and_start_with_a_two_way_contact(db, world):
    paths = network.warm_paths(db, world.e, 3, now=NOW)
    assert [p.people for p in paths] == [(world.a, world.c, world.e), (world.d, world.e)]
    assert paths[0].strength > paths[1].strength
    assert paths[0].hops == ("tie", "same_org", "same_event")
    ties = network.tie_strengths(db, NOW)
    for path in paths:
        assert ties[path.people[0]].two_way
        assert world.b not in path.people    # one-way: never a first hop, here never at all
        assert len(path.reasons) == len(path.people)
        assert all(set(r) == {"ja", "en"} and r["ja"] and r["en"] for r in path.reasons)
    assert "Rust勉強会 #12" in paths[0].reasons[2]["ja"]
    assert "株式会社ひかり商事" in paths[0].reasons[1]["ja"]


def test_k_limits_the_number_of_distinct_paths(db, world):
    one = network.warm_paths(db, world.e, 1, now=NOW)
    assert len(one) == 1
    three = network.warm_paths(db, world.e, 3, now=NOW)
    assert len({p.people for p in three}) == len(three) == 2
    with pytest.raises(ApiError) as err:
        network.warm_paths(db, world.e, 0)
    assert err.value.details["field"] == "k"


def test_no_path_when_unreachable_and_never_the_direct_tie(db, world):
    assert network.warm_paths(db, world.f, 3, now=NOW) == []     # no links at all
    # a is the user's own strong tie: the direct tie is no introduction; the one way left
    # goes round through d, e and c
    assert [p.people for p in network.warm_paths(db, world.a, 3, now=NOW)] == \
        [(world.d, world.e, world.c, world.a)]
    with pytest.raises(ApiError) as err:
        network.warm_paths(db, 99_999, 3)
    assert err.value.status == 404


def test_drafts_are_specific_in_the_first_persons_language(db, world):
    best, second = network.warm_paths(db, world.e, 3, now=NOW)
    ja = best.draft
    assert ja["lang"] == "ja"
    for piece in ("佐藤さん", "高橋 健太さん", "山田 太郎さん", "株式会社ひかり商事"):
        assert piece in ja["text"]
    assert guard.check_draft(db, world.a, ja["text"]).ok, \
        guard.check_draft(db, world.a, ja["text"]).flags
    en = second.draft
    assert en["lang"] == "en"
    for piece in ("Mary", "山田 太郎", "introduce", "Acme Labs"):
        assert piece in en["text"]
    assert guard.check_draft(db, world.d, en["text"]).ok, \
        guard.check_draft(db, world.d, en["text"]).flags
    # two different targets through the same person get different drafts
    other = network.warm_paths(db, world.c, 1, now=NOW)[0]
    assert other.people == (world.a, world.c)
    assert other.draft["text"] != ja["text"]


def test_the_guard_flags_a_generic_request_so_the_check_can_fail(db, world):
    generic = "佐藤さん\nご無沙汰しております。お元気ですか？よろしくお願いいたします。"
    assert not guard.check_draft(db, world.a, generic).ok


def test_a_warm_path_names_at_most_four_people(db):
    """user → friend → p2 → p3 → target is an introduction chain; one more link is not."""
    friend = add_contact(db, "Friend One")
    add_messages(db, friend, [("in", 3, "hi"), ("out", 2, "hello"), ("in", 1, "thanks")])
    chain = [friend] + [add_contact(db, f"Link Person {n}") for n in range(5)]
    with db.transaction() as conn:
        for a, b in zip(chain, chain[1:]):
            conn.execute("INSERT INTO contact_links (a, b, kind, created_at)"
                         " VALUES (?, ?, 'mutual', ?)", (min(a, b), max(a, b), utc_now()))
    network.clear_cache()
    reachable = network.warm_paths(db, chain[3], 3, now=NOW)
    assert [p.people for p in reachable] == [tuple(chain[:4])]
    assert network.warm_paths(db, chain[4], 3, now=NOW) == []     # five people: too long
