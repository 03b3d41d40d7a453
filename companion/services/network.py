"""The user's network as a graph (issue 7): people, the links between them, communities, a layout
the browser can draw at once, and warm paths to someone the user wants to meet.

**Tie strength** (``tie_strength``): how strong the user's own tie with a contact is, 0..1, from
their interactions::

    recency    r = 0.5 ** (days since the last interaction / 90)        (half-life 90 days)
    frequency  f = 1 - exp(-interactions in the last 365 days / 24)     (24 a year → 0.63)
    two-way    t = (2 · min(in, out) + both) / (in + out + both)        (0: one-way, 1: even)
    strength     = (0.5 f + 0.5 r) · (0.2 + 0.8 t)

``in`` and ``out`` count messages they sent and the user sent, ``both`` meetings, calls and
events. A one-way tie (only the user writes, or only they do) is worth at most 0.2: a frequent
two-way tie always beats it. No interactions: 0.

**Links between two contacts** (``GraphEdge.kind``), where the data says they know each other:

* ``introduced_by``: an introduction. From ``contact_links`` (kind ``introduced_by``, entered by
  hand, imported, or generated), and from the ledger: an ``introduction`` entry on contact A
  whose text names exactly one other contact B by full name ("佐藤翔太さんを紹介してもらった") links
  A and B. Received, A introduced B to the user (``introducer`` A); given, the user introduced
  them to each other.
* ``mutual``: a mutual connection a site showed (``contact_links`` kind ``mutual``). No adapter
  keeps mutual connections from captures yet; ``contact_links`` is their place.
* ``same_event``: both were met at the same event (``event_people``).
* ``same_org``: the same organisation (``contacts.organisation``, compared without legal forms
  such as 株式会社 / Inc. and without case or spaces).

A group (an organisation, an event) of up to ``CLIQUE_MAX`` people is linked pairwise; in a
larger one each member is linked to the ``HUBS`` members the user is closest to (strongest
ties), so a 300-person conference adds about 900 links, not 45,000, and paths still go through
the people the user knows best there. A group's links weigh less as it grows (sqrt(8 / size)).
Two contacts linked in several ways get one edge: ``kind`` the most telling of them
(introduced_by > mutual > same_event > same_org), ``weight`` 1 - Π(1 - w) of them all.

**Communities**: Louvain (networkx, fixed seed) on the link weights; numbered by size, largest
first; a person with no link has community -1.

**Layout**: computed here so the browser draws at once. Communities are placed on a golden-angle
spiral (largest in the middle), each a disc whose area follows its size; within a disc people
are placed on a sunflower pattern, the strongest ties in the middle. O(n), deterministic;
spring layouts take tens of seconds at 10,000 people and 50,000 links.

**Caching**: the full graph (links, communities, layout) is built once per data version (a stamp
of the tables it reads, and today's date for recency) and kept as flat arrays; filters (tier,
kinds, min_strength) are applied to the kept graph, so positions stay put when filters change.
From ``WORKER_MIN_CONTACTS`` on, the build runs in a worker process (network_build.py), so its
~100 MB peak is never the companion's.

**Warm paths** (``warm_paths``): the best chains of people from the user to a target, each first
hop a contact the user has a real two-way tie with; the cost of a hop is -log(its strength) (the
user's tie strength for the first, the link weight after), so the best path has the largest
product of strengths. The direct tie to the target is left out: the point is an introduction.
A path names at most ``MAX_PEOPLE`` people (the one asked, up to two between, the target), so
only the target's neighbourhood within three links is searched.
"""

from __future__ import annotations

import bisect
import json
import logging
import math
import subprocess
import sys
import threading
from array import array
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from companion.db import Database
from companion.errors import bad_request, not_found
from companion.services.network_build import (  # noqa: F401 (tie_strength, org_key: the API)
    FIRST_HOP_MIN, KINDS, MAX_K, ONE_WAY_FLOOR, TIERS, USER, Tie, build_payload, org_key,
    tie_strength, tie_strengths, _communities, _layout)

log = logging.getLogger(__name__)

# From this many contacts on the graph is built in a worker process (network_build.py): the
# build's peak (~100 MB at 10,000 contacts) then never counts in the companion's memory.
WORKER_MIN_CONTACTS = 2000
WORKER_TIMEOUT_S = 300
# A warm path asks one person for an introduction and goes through at most two more before the
# target: longer chains are no warm introduction. The best paths come first; at most
# MAX_TRIED are looked at before giving up on finding k.
MAX_PEOPLE = 4
MAX_TRIED = 200


# -- the graph ----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class GraphNode:
    id: int
    label: str
    tier: str | None
    strength: float
    community: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class GraphEdge:
    source: int
    target: int
    kind: str                          # the most telling of kinds
    weight: float
    kinds: tuple[str, ...] = ()        # every way the two are linked


@dataclass(frozen=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    stamp: str = ""                    # the data version it was built from
    communities: int = 0


@dataclass
class _Full:
    """The whole graph, kept per data version as flat arrays (a few MB at 10,000 people and
    50,000 links; as one object per link it was ~50 MB). Links are sorted by (a, b), a < b;
    ``link_mask`` bit i is KINDS[i], ``link_w[i]`` that kind's weight (network_build.py)."""
    stamp: str
    ids: list[int]
    labels: list[str]
    tiers: list[str | None]
    strength: list[float]
    community: list[int]
    x: list[float]
    y: list[float]
    communities: int
    two_way: bytes
    last_at: list[str | None]
    link_a: array
    link_b: array
    link_mask: bytes
    link_w: list[array]
    link_event: array
    link_introducer: array
    index: dict[int, int] = field(default_factory=dict)
    link_keys: array = field(default_factory=lambda: array("q"))
    _json: bytes | None = None          # the unfiltered graph as JSON, the common request
    _adjacency: tuple | None = None     # (offsets, neighbours, links) by node position
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_payload(cls, p: dict) -> "_Full":
        full = cls(p["stamp"], p["ids"], p["labels"], p["tiers"], p["strength"],
                   p["community"], p["x"], p["y"], p["communities"], bytes(p["two_way"]),
                   p["last_at"], array("i", p["link_a"]), array("i", p["link_b"]),
                   bytes(p["link_mask"]), [array("d", w) for w in p["link_w"]],
                   array("i", p["link_event"]), array("i", p["link_introducer"]))
        full.index = {cid: i for i, cid in enumerate(full.ids)}
        full.link_keys = array("q", ((a << 32) | b for a, b in zip(full.link_a, full.link_b)))
        return full

    def link(self, a: int, b: int) -> int | None:
        """The position of the pair's link, or None."""
        a, b = (a, b) if a < b else (b, a)
        key = (a << 32) | b
        at = bisect.bisect_left(self.link_keys, key)
        return at if at < len(self.link_keys) and self.link_keys[at] == key else None

    def adjacency(self) -> tuple[array, array, array]:
        """Each node position's neighbours (positions) and the links to them, compressed:
        node p's are ``neighbours[offsets[p]:offsets[p + 1]]``."""
        with self._lock:
            if self._adjacency is None:
                n = len(self.ids)
                degree = [0] * (n + 1)
                ends = [(self.index[a], self.index[b]) for a, b in zip(self.link_a, self.link_b)]
                for pa, pb in ends:
                    degree[pa + 1] += 1
                    degree[pb + 1] += 1
                for p in range(n):
                    degree[p + 1] += degree[p]
                offsets = array("i", degree)
                fill = list(degree[:n])
                neighbours = array("i", bytes(4 * len(ends) * 2))
                links = array("i", bytes(4 * len(ends) * 2))
                for j, (pa, pb) in enumerate(ends):
                    neighbours[fill[pa]], links[fill[pa]] = pb, j
                    fill[pa] += 1
                    neighbours[fill[pb]], links[fill[pb]] = pa, j
                    fill[pb] += 1
                self._adjacency = (offsets, neighbours, links)
            return self._adjacency

    def kind(self, j: int, allowed: int = 0xF) -> str | None:
        """The most telling kind of link j among ``allowed`` (a mask)."""
        mask = self.link_mask[j] & allowed
        return KINDS[(mask & -mask).bit_length() - 1] if mask else None

    def weight(self, j: int, allowed: int = 0xF) -> float:
        """1 - Π(1 - w) over link j's kinds among ``allowed``."""
        keep = 1.0
        mask = self.link_mask[j] & allowed
        for i, w in enumerate(self.link_w):
            if mask >> i & 1:
                keep *= 1.0 - w[j]
        return 1.0 - keep


def data_stamp(db: Database, today: date | None = None) -> str:
    """A cheap fingerprint of everything the graph reads; it changes when any of it does."""
    row = db.query_one(
        "SELECT (SELECT MAX(id) FROM interactions),"
        " (SELECT COUNT(*) FROM contacts), (SELECT MAX(updated_at) FROM contacts),"
        " (SELECT total(id * coalesce(instr('icawd', substr(tier, 1, 1)), 0)) FROM contacts),"
        " (SELECT COUNT(*) FROM contact_links), (SELECT MAX(created_at) FROM contact_links),"
        " (SELECT COUNT(*) FROM event_people), (SELECT MAX(added_at) FROM event_people),"
        " (SELECT COUNT(*) FROM events),"
        " (SELECT MAX(id) FROM ledger), (SELECT COUNT(*) FROM ledger WHERE hidden_at IS NULL)")
    return "|".join(str(v) for v in row) + f"|{today or date.today()}"


_cache: dict[str, _Full] = {}
_cache_lock = threading.Lock()


_building: set[str] = set()     # databases whose newer graph is being built in the background


def _full(db: Database, now: datetime | None = None) -> _Full:
    """The graph of the data as it is now. On a large network whose data changed since the
    kept graph (a capture, a note), the kept one is answered at once while the new one is
    built in the background: a build takes seconds there, and a capture moves a person's tie
    a little, not the picture."""
    today = (now or datetime.now(timezone.utc)).date()
    stamp = data_stamp(db, today)
    key = str(db.path)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit.stamp == stamp:
            return hit
        count = db.query_one("SELECT COUNT(*) FROM contacts")[0]
        if hit is not None and now is None and count >= WORKER_MIN_CONTACTS \
                and hit.stamp.rsplit("|", 1)[-1] == str(today):
            if key not in _building:
                _building.add(key)
                threading.Thread(target=_rebuild, args=(db, stamp, key), daemon=True,
                                 name="goen-network-graph").start()
            return hit
        _cache.pop(key, None)      # the old version's arrays go before the new ones come
        built = _Full.from_payload(_build(db, stamp, now, count))
        _cache[key] = built        # one per database: the newest version only
        return built


def _rebuild(db: Database, stamp: str, key: str) -> None:
    try:
        built = _Full.from_payload(_build(db, stamp, None))
        with _cache_lock:
            _cache[key] = built
    except Exception:   # noqa: BLE001 - the kept graph stays; the next request tries again
        log.exception("building the network graph in the background failed")
    finally:
        with _cache_lock:
            _building.discard(key)


def _build(db: Database, stamp: str, now: datetime | None, count: int | None = None) -> dict:
    """The graph's payload: built here for a small network, in a worker process for a large
    one (network_build.py says why)."""
    if count is None:
        count = db.query_one("SELECT COUNT(*) FROM contacts")[0]
    if count < WORKER_MIN_CONTACTS:
        return build_payload(db, stamp, now)
    done = subprocess.run(
        [sys.executable, "-m", "companion.services.network_build", str(db.path), stamp,
         now.isoformat() if now else ""],
        capture_output=True, timeout=WORKER_TIMEOUT_S, check=False)
    if done.returncode != 0:
        raise RuntimeError("building the network graph failed: "
                           + done.stderr.decode("utf-8", "replace")[-2000:])
    return json.loads(done.stdout)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _check_filters(tier, kinds, min_strength) -> tuple[set | None, set | None, float]:
    tiers = None
    if tier is not None:
        tiers = {tier} if isinstance(tier, str) else set(tier)
        if not tiers or not tiers <= set(TIERS):
            raise bad_request(f"tier must be one or more of {', '.join(TIERS)}.", "tier")
    allowed = None
    if kinds is not None:
        allowed = {kinds} if isinstance(kinds, str) else set(kinds)
        if not allowed or not allowed <= set(KINDS):
            raise bad_request(f"kinds must be one or more of {', '.join(KINDS)}.", "kinds")
    if isinstance(min_strength, bool) or not isinstance(min_strength, (int, float)) \
            or not 0.0 <= min_strength <= 1.0:
        raise bad_request("min_strength must be a number from 0 to 1.", "min_strength")
    return tiers, allowed, float(min_strength)


def _mask(kinds: set | None) -> int:
    return 0xF if kinds is None else sum(1 << i for i, k in enumerate(KINDS) if k in kinds)


def filters_from_args(args) -> dict:
    """``build_graph``'s filters from request arguments (a MultiDict): ``tier`` and ``kinds``
    repeated or comma-separated, ``min_strength`` a number; checked by build_graph."""
    def choices(name: str) -> list[str] | None:
        values = [v.strip() for raw in args.getlist(name) for v in raw.split(",") if v.strip()]
        return values or None
    return {"tier": choices("tier"), "kinds": choices("kinds"),
            "min_strength": number_arg(args, "min_strength", 0.0)}


def number_arg(args, name: str, default, kind=float):
    """A number from request arguments; 400 naming the field when it is not one."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise bad_request(f"{name} must be a number.", name) from None


def target_from_args(args) -> tuple[int, int]:
    """``warm_paths``' target and k from request arguments (``to`` required, ``k`` 3)."""
    if args.get("to") in (None, ""):
        raise bad_request("to is required: the contact to reach.", "to")
    return number_arg(args, "to", None, int), number_arg(args, "k", 3, int)


def build_graph(db: Database, *, tier=None, kinds=None, min_strength: float = 0.0,
                now: datetime | None = None) -> Graph:
    """The network, filtered: people of ``tier`` (a tier or a list of them) with at least
    ``min_strength``, and their links of ``kinds`` (a kind or a list; all by default)."""
    tiers, allowed, floor = _check_filters(tier, kinds, min_strength)
    full = _full(db, now)
    keep = [(tiers is None or full.tiers[i] in tiers) and full.strength[i] >= floor
            for i in range(len(full.ids))]
    nodes = tuple(GraphNode(full.ids[i], full.labels[i], full.tiers[i], full.strength[i],
                            full.community[i], full.x[i], full.y[i])
                  for i in range(len(full.ids)) if keep[i])
    index, allow = full.index, _mask(allowed)
    edges = []
    for j, (a, b) in enumerate(zip(full.link_a, full.link_b)):
        mask = full.link_mask[j] & allow
        if not mask or not (keep[index[a]] and keep[index[b]]):
            continue
        edges.append(GraphEdge(a, b, full.kind(j, allow), round(full.weight(j, allow), 3),
                               tuple(k for i, k in enumerate(KINDS) if mask >> i & 1)))
    return Graph(nodes, tuple(edges), full.stamp, full.communities)


def network_json(db: Database, *, tier=None, kinds=None, min_strength: float = 0.0) -> bytes:
    """``graph_json`` of ``build_graph``, serialised (compact separators: a few MB at 10,000
    people); the unfiltered graph, what the network page asks for, is kept once made."""
    plain = tier is None and kinds is None and not min_strength
    if plain:
        full = _full(db)
        if full._json is not None:
            return full._json
    graph = build_graph(db, tier=tier, kinds=kinds, min_strength=min_strength)
    body = json.dumps(graph_json(graph), ensure_ascii=False, separators=(",", ":")).encode()
    if plain:
        with full._lock:
            if full.stamp == graph.stamp:
                full._json = body
    return body


def graph_json(graph: Graph) -> dict:
    """The graph as parallel arrays (one list per field), not one object per node: 10,000
    people and 50,000 links stay a few MB and serialise in tens of milliseconds.

    Edges name their ends by position in ``nodes`` (not by contact id); ``tier`` and ``kind``
    are positions in ``tiers`` and ``kinds`` (-1: no tier); ``also`` is a bit mask of every
    kind linking the pair (bit i = ``kinds[i]``)."""
    nodes = graph.nodes
    pos = {n.id: i for i, n in enumerate(nodes)}
    tier_pos = {t: i for i, t in enumerate(TIERS)}
    kind_pos = {k: i for i, k in enumerate(KINDS)}
    edges = graph.edges
    return {
        "version": 1,
        "stamp": graph.stamp,
        "tiers": list(TIERS),
        "kinds": list(KINDS),
        "communities": graph.communities,
        "nodes": {
            "id": [n.id for n in nodes],
            "label": [n.label for n in nodes],
            "tier": [tier_pos.get(n.tier, -1) for n in nodes],
            "strength": [n.strength for n in nodes],
            "community": [n.community for n in nodes],
            "x": [n.x for n in nodes],
            "y": [n.y for n in nodes],
        },
        "edges": {
            "source": [pos[e.source] for e in edges],
            "target": [pos[e.target] for e in edges],
            "kind": [kind_pos[e.kind] for e in edges],
            "weight": [e.weight for e in edges],
            "also": [sum(1 << kind_pos[k] for k in e.kinds) for e in edges],
        },
    }


def graph_from_json(data: dict) -> Graph:
    """The inverse of ``graph_json`` (for tests and tools)."""
    n, e = data["nodes"], data["edges"]
    tiers, kinds = data["tiers"], data["kinds"]
    nodes = tuple(GraphNode(n["id"][i], n["label"][i],
                            tiers[n["tier"][i]] if n["tier"][i] >= 0 else None,
                            n["strength"][i], n["community"][i], n["x"][i], n["y"][i])
                  for i in range(len(n["id"])))
    ids = n["id"]
    edges = tuple(GraphEdge(ids[e["source"][j]], ids[e["target"][j]], kinds[e["kind"][j]],
                            e["weight"][j],
                            tuple(k for b, k in enumerate(kinds) if e["also"][j] >> b & 1))
                  for j in range(len(e["source"])))
    return Graph(nodes, edges, data.get("stamp", ""), data.get("communities", 0))


# -- warm paths ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class WarmPath:
    people: tuple[int, ...]          # the user's contact first … the target last
    strength: float                  # the product of every hop's strength, 0..1
    reasons: tuple[dict, ...]        # {"ja", "en"} per hop: user → people[0], then each link
    draft: dict                      # {"lang", "text"} to people[0], asking for the introduction
    names: tuple[str, ...] = ()      # their display names, in the same order as people
    hops: tuple[str, ...] = ()       # "tie", then each link's kind


def _near(full: _Full, target: int, hops: int) -> set[int]:
    """Node positions within ``hops`` links of the target."""
    offsets, neighbours, _ = full.adjacency()
    start = full.index[target]
    seen, frontier = {start}, [start]
    for _ in range(hops):
        ahead = []
        for p in frontier:
            for q in neighbours[offsets[p]:offsets[p + 1]]:
                if q not in seen:
                    seen.add(q)
                    ahead.append(q)
        frontier = ahead
    return seen


def _path_graph(full: _Full, target: int):
    """The part of the network a warm path to ``target`` can use, as a networkx graph made
    for one request: people within MAX_PEOPLE - 1 links of the target, their links, and the
    user's two-way ties among them (a few hundred people at 10,000; the whole network as one
    networkx graph took ~20 MB and 0.3 s a request)."""
    import networkx as nx
    near = _near(full, target, MAX_PEOPLE - 1)
    offsets, neighbours, links = full.adjacency()
    ids = full.ids
    g = nx.Graph()
    for p in near:
        for k in range(offsets[p], offsets[p + 1]):
            q = neighbours[k]
            if q > p and q in near:
                g.add_edge(ids[p], ids[q], cost=-math.log(max(full.weight(links[k]), 1e-6)))
        if full.two_way[p] and full.strength[p] >= FIRST_HOP_MIN:
            g.add_edge(USER, ids[p], cost=-math.log(full.strength[p]))
    return g


def warm_paths(db: Database, target_id: int, k: int = 3, *, user_lang: str = "ja",
               now: datetime | None = None) -> list[WarmPath]:
    """Up to ``k`` distinct best paths from the user to ``target_id`` (module docstring); none
    when the target cannot be reached through anyone the user knows. 404 for an unknown
    contact."""
    import networkx as nx
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise bad_request(f"k must be 1–{MAX_K}.", "k")
    if db.query_one("SELECT 1 FROM contacts WHERE id = ?", (target_id,)) is None:
        raise not_found(f"No contact with id {target_id}.")
    full = _full(db, now)
    if target_id not in full.index:
        return []
    g = _path_graph(full, target_id)
    if target_id not in g or USER not in g:
        return []
    direct = g.get_edge_data(USER, target_id)
    view = nx.restricted_view(g, [], [(USER, target_id)]) if direct else g
    out: list[WarmPath] = []
    try:
        for tried, path in enumerate(nx.shortest_simple_paths(view, USER, target_id,
                                                              weight="cost")):
            people = tuple(path[1:])
            if 2 <= len(people) <= MAX_PEOPLE:
                out.append(_describe(db, full, people, user_lang))
            if len(out) >= k or tried >= MAX_TRIED:
                break
    except nx.NetworkXNoPath:
        return out
    return out


def _event_info(db: Database, event_id: int) -> tuple[str, str | None]:
    row = db.query_one("SELECT name, starts_on FROM events WHERE id = ?", (event_id,))
    return (row[0], row[1]) if row else ("", None)


def _ja_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso[:10])
    return f"{d.year}年{d.month}月{d.day}日"


def _en_date(iso: str | None) -> str:
    if not iso:
        return ""
    d = date.fromisoformat(iso[:10])
    return f"{d.day} {d.strftime('%b')} {d.year}"


def _organisation(db: Database, contact_id: int) -> str:
    row = db.query_one("SELECT organisation FROM contacts WHERE id = ?", (contact_id,))
    return (row[0] if row else None) or ""


def _hop_reason(db: Database, full: _Full, a: int, b: int, name: dict[int, str]
                ) -> tuple[str, dict, tuple]:
    j = full.link(a, b)
    kind = full.kind(j)
    na, nb = name[a], name[b]
    if kind == "same_org":
        org = _organisation(db, a) or _organisation(db, b)
        return kind, {"ja": f"{na}さんと{nb}さんは同じ{org}にお勤めです。",
                      "en": f"{na} and {nb} both work at {org}."}, (org,)
    if kind == "same_event":
        event, day = _event_info(db, full.link_event[j])
        return kind, {"ja": f"{na}さんと{nb}さんは{_ja_date(day) + 'の' if day else ''}"
                            f"{event}に参加していました。",
                      "en": f"{na} and {nb} were both at {event}"
                            f"{' on ' + _en_date(day) if day else ''}."}, (event, day)
    if kind == "introduced_by":
        detail = full.link_introducer[j] or None      # 0: the user introduced them
        if detail in (a, b):
            who = name[detail]
            other = nb if detail == a else na
            return kind, {"ja": f"{who}さんが{other}さんを紹介してくれました。",
                          "en": f"{who} introduced you to {other}."}, (detail,)
        return kind, {"ja": f"{na}さんと{nb}さんは紹介でつながっています。",
                      "en": f"{na} and {nb} know each other through an introduction."}, (None,)
    return kind, {"ja": f"{na}さんと{nb}さんは共通のつながりです。",
                  "en": f"{na} and {nb} are connected with each other."}, ()


def _describe(db: Database, full: _Full, people: tuple[int, ...], user_lang: str) -> WarmPath:
    name = {c: full.labels[full.index[c]] for c in people}
    first = people[0]
    strength = full.strength[full.index[first]]
    last_at = full.last_at[full.index[first]]
    reasons = [{"ja": f"{name[first]}さんとはやりとりがあります（最後は{_ja_date(last_at)}）。",
                "en": f"You and {name[first]} write to each other (last on "
                      f"{_en_date(last_at)})."}]
    hops = ["tie"]
    first_link = None
    for a, b in zip(people, people[1:]):
        strength *= full.weight(full.link(a, b))
        kind, reason, detail = _hop_reason(db, full, a, b, name)
        reasons.append(reason)
        hops.append(kind)
        if first_link is None:
            first_link = (kind, detail)
    draft = _draft(db, full, people, name, first_link, user_lang)
    return WarmPath(people, round(strength, 4), tuple(reasons), draft,
                    tuple(name[c] for c in people), tuple(hops))


def _draft(db: Database, full: _Full, people: tuple[int, ...], name: dict[int, str],
           first_link: tuple, user_lang: str) -> dict:
    """A message to the first person asking them to introduce the user to the next one, naming
    both, the link that makes them the right person to ask, and the target when further on."""
    from companion.services.followup.drafts import address, contact_lang
    from companion.services.followup.suggest_load import memory_facts, profile
    first, nxt, target = people[0], people[1], people[-1]
    me = profile(db, first)
    lang = contact_lang(db, me, memory_facts(db, first, limit=20), user_lang)
    them = profile(db, nxt)
    goal = profile(db, target)
    to = address(me, lang)
    kind, detail = first_link
    nxt_name, goal_name = name[nxt], name[target]
    nxt_role = them.headline or them.title if them else None
    goal_role = (goal.headline or goal.title) if goal else None
    own_org = me.organisation
    if lang == "ja":
        if kind == "same_org":
            why = f"{nxt_name}さんが{to}さんと同じ{detail[0]}にいらっしゃると知り、"
        elif kind == "same_event":
            event, day = detail
            when = f"{_ja_date(day)}の" if day else ""
            why = f"{when}{event}で{to}さんが{nxt_name}さんとご一緒だったと伺い、"
        elif kind == "introduced_by":
            why = (f"以前{to}さんがつないでくださった{nxt_name}さんと改めてお話ししたく、"
                   if detail[0] == first else f"{to}さんが{nxt_name}さんとお知り合いと伺い、")
        else:
            why = f"{to}さんが{nxt_name}さんとつながっていらっしゃると知り、"
        role = f"（{nxt_role}）" if nxt_role else ""
        ask = f"{nxt_name}さん{role}にご紹介いただけないでしょうか。"
        goal_line = ""
        if target != nxt:
            goal_line = (f"{goal_name}さん" + (f"（{goal_role}）" if goal_role else "")
                         + "にお話を伺いたく、その橋渡しをお願いできる方を探しています。")
        about = f"{own_org}でお忙しいところ恐縮ですが、" if own_org and kind != "same_org" else ""
        text = (f"{to}さん\n{why}ご相談です。{goal_line}{about}{ask}"
                f"{nxt_name}さんのご都合がよろしければで構いません。")
    else:
        if kind == "same_org":
            why = f"I noticed that {nxt_name} is at {detail[0]} with you"
        elif kind == "same_event":
            event, day = detail
            why = f"I heard you met {nxt_name} at {event}" + (f" on {_en_date(day)}" if day
                                                                 else "")
        elif kind == "introduced_by":
            why = (f"You once put me in touch with {nxt_name}, and I'd like to reconnect"
                   if detail[0] == first else f"I understand you know {nxt_name}")
        else:
            why = f"I see that you are connected with {nxt_name}"
        role = f" ({nxt_role})" if nxt_role else ""
        goal_line = ""
        if target != nxt:
            goal_line = (f" I'd like to talk with {goal_name}"
                         + (f" ({goal_role})" if goal_role else "")
                         + f", and {nxt_name} could connect us.")
        about = (f" I know things are busy at {own_org}, so only if it is easy."
                 if own_org and kind != "same_org" else "")
        text = (f"Hi {to},\n{why}.{goal_line} Would you be willing to introduce me to "
                f"{nxt_name}{role}?{about} Only if {nxt_name} is open to it, of course.")
    return {"lang": lang, "text": text}
