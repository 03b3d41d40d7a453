"""Building the network graph (services/network.py explains what it is): tie strengths, the
links between contacts, communities (Louvain) and the layout, as plain lists.

At 10,000 contacts and ~50,000 links this takes about 3 s and, while Louvain runs on a
networkx graph, ~100 MB; kept as Python objects the result was another ~50 MB. The companion
has to stay under 200 MB (DESIGN.md), so on a large network the build runs in a worker process
(``python -m companion.services.network_build DB STAMP [NOW]``, JSON on stdout) that exits
when done, and the companion keeps only the compact arrays it sends (network.py).
"""

from __future__ import annotations

import json
import math
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from companion.db import Database

KINDS = ("introduced_by", "mutual", "same_event", "same_org")   # most telling first
TIERS = ("inner", "close", "active", "wide", "dormant")
KIND_WEIGHT = {"introduced_by": 0.9, "mutual": 0.7, "same_event": 0.6, "same_org": 0.45}
CLIQUE_MAX = 8          # a group this small is linked pairwise
HUBS = 3                # in a larger group, each member links to the group's 3 closest people
MIN_GROUP_WEIGHT = 0.1
RECENCY_HALF_LIFE_DAYS = 90
FREQUENCY_SCALE = 24     # interactions a year for f = 1 - 1/e
ONE_WAY_FLOOR = 0.2      # the share of strength a one-way tie keeps
FIRST_HOP_MIN = 0.02     # the weakest two-way tie a warm path may start from
MIN_NAME_CHARS = 3       # names shorter than this (林蓮) are too ambiguous to find in a text
LOUVAIN_SEED = 7
MAX_K = 10
USER = 0                 # the user's node in the path graph (contact ids start at 1)

_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|一般社団法人|（株）|\(株\)|"
    r"\b(?:inc|llc|ltd|co|corp|corporation|gmbh|plc|kk|limited)\b\.?", re.IGNORECASE)
_SPACES = re.compile(r"[\s\u3000,.・]+")


# -- tie strength -------------------------------------------------------------------------------

def tie_strength(*, days_since_last: float | None, year_count: int, n_in: int, n_out: int,
                 n_both: int) -> float:
    """The user's tie with one contact, 0..1 (formula in the module docstring)."""
    total = n_in + n_out + n_both
    if total == 0 or days_since_last is None:
        return 0.0
    recency = 0.5 ** (max(0.0, days_since_last) / RECENCY_HALF_LIFE_DAYS)
    frequency = 1.0 - math.exp(-year_count / FREQUENCY_SCALE)
    two_way = (2 * min(n_in, n_out) + n_both) / total
    return (0.5 * frequency + 0.5 * recency) * (ONE_WAY_FLOOR + (1 - ONE_WAY_FLOOR) * two_way)


@dataclass(frozen=True, slots=True)
class Tie:
    strength: float
    two_way: bool          # they wrote and the user wrote, or they met
    last_at: str | None


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def tie_strengths(db: Database, now: datetime | None = None) -> dict[int, Tie]:
    """Every contact's tie with the user, from one pass over the interactions."""
    now = now or datetime.now(timezone.utc)
    year_ago = (now - timedelta(days=365)).isoformat(timespec="milliseconds").replace(
        "+00:00", "Z")
    rows = db.query_all(
        "SELECT contact_id, SUM(direction = 'in'), SUM(direction = 'out'),"
        " SUM(direction = 'both'), SUM(occurred_at >= ?), MAX(occurred_at)"
        " FROM interactions GROUP BY contact_id", (year_ago,))
    ties = {}
    for contact_id, n_in, n_out, n_both, recent, last in rows:
        days = (now - _parse(last)).total_seconds() / 86400 if last else None
        s = tie_strength(days_since_last=days, year_count=recent, n_in=n_in, n_out=n_out,
                         n_both=n_both)
        ties[contact_id] = Tie(round(s, 4), bool(n_both or (n_in and n_out)), last)
    return ties


@dataclass(slots=True)
class _Link:
    """One pair's links: kind → (weight, detail). detail: the organisation's name, the event's
    id, or for an introduction the introducer's id (None: the user)."""
    kinds: dict = field(default_factory=dict)

    def add(self, kind: str, weight: float, detail) -> None:
        old = self.kinds.get(kind)
        if old is None or weight > old[0]:
            self.kinds[kind] = (weight, detail)

    def best(self, allowed=None) -> str | None:
        for kind in KINDS:
            if kind in self.kinds and (allowed is None or kind in allowed):
                return kind
        return None

    def weight(self, allowed=None) -> float:
        keep = 1.0
        for kind, (w, _) in self.kinds.items():
            if allowed is None or kind in allowed:
                keep *= 1.0 - w
        return 1.0 - keep


def org_key(name: str | None) -> str | None:
    """An organisation's name for comparison: no legal form, case, width or spaces."""
    if not name:
        return None
    key = unicodedata.normalize("NFKC", name)
    key = _SPACES.sub("", _LEGAL_FORMS.sub(" ", key)).casefold()
    return key or None


def _name_key(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _group_links(links: dict, members: list[int], strength: dict[int, float], kind: str,
                 detail) -> None:
    n = len(members)
    if n < 2:
        return
    weight = max(MIN_GROUP_WEIGHT, KIND_WEIGHT[kind] * min(1.0, math.sqrt(CLIQUE_MAX / n)))
    ordered = sorted(members, key=lambda c: (-strength.get(c, 0.0), c))
    if n <= CLIQUE_MAX:
        pairs = ((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    else:
        hubs = ordered[:HUBS]
        pairs = [(a, b) for i, a in enumerate(hubs) for b in hubs[i + 1:]]
        pairs += [(h, m) for m in ordered[HUBS:] for h in hubs]
    for a, b in pairs:
        key = (a, b) if a < b else (b, a)
        link = links.get(key)
        if link is None:
            link = links[key] = _Link()
        link.add(kind, weight, detail)


def _ledger_introductions(db: Database, names: dict[str, list[int]]) -> list[tuple]:
    """(a, b, introducer) from the ledger's introduction entries that name one other contact."""
    rows = db.query_all("SELECT contact_id, flow, text FROM ledger WHERE kind = 'introduction'"
                        " AND hidden_at IS NULL AND text IS NOT NULL")
    if not rows:
        return []
    longest = max((len(k) for k in names), default=0)
    found = []
    for contact_id, flow, text in rows:
        key = _name_key(text)
        named: set[int] = set()
        i = 0
        while i < len(key):
            hit = None
            for length in range(min(longest, len(key) - i), MIN_NAME_CHARS - 1, -1):
                ids = names.get(key[i:i + length])
                if ids is not None:
                    hit = (length, ids)
                    break
            if hit:
                length, ids = hit
                if len(ids) == 1 and ids[0] != contact_id:
                    named.add(ids[0])
                i += length
            else:
                i += 1
        if len(named) == 1:
            other = named.pop()
            found.append((contact_id, other, contact_id if flow == "received" else None))
    return found


def build_payload(db: Database, stamp: str, now: datetime | None) -> dict:
    """Everything the graph needs, as plain lists (JSON: the worker process sends it)."""
    ties = tie_strengths(db, now)
    strength = {c: t.strength for c, t in ties.items()}
    rows = db.query_all("SELECT id, display_name, tier, organisation FROM contacts ORDER BY id")
    ids = [r[0] for r in rows]
    labels = [r[1] for r in rows]
    tiers = [r[2] for r in rows]
    orgs = {r[0]: r[3] for r in rows if r[3]}
    links: dict[tuple[int, int], _Link] = {}

    by_org: dict[str, list[int]] = defaultdict(list)
    for cid, name in orgs.items():
        key = org_key(name)
        if key:
            by_org[key].append(cid)
    for members in by_org.values():
        _group_links(links, members, strength, "same_org", orgs[members[0]])

    by_event: dict[int, list[int]] = defaultdict(list)
    for event_id, contact_id in db.query_all(
            "SELECT event_id, contact_id FROM event_people ORDER BY event_id, contact_id"):
        by_event[event_id].append(contact_id)
    for event_id, members in by_event.items():
        _group_links(links, members, strength, "same_event", event_id)

    def add(a: int, b: int, kind: str, detail) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        link = links.get(key)
        if link is None:
            link = links[key] = _Link()
        link.add(kind, KIND_WEIGHT[kind], detail)

    for a, b, kind, introducer in db.query_all(
            "SELECT a, b, kind, introducer FROM contact_links"):
        add(a, b, kind, introducer)
    names: dict[str, list[int]] = defaultdict(list)
    for cid, label in zip(ids, labels):
        key = _name_key(label)
        if len(key) >= MIN_NAME_CHARS:
            names[key].append(cid)
    for a, b, introducer in _ledger_introductions(db, names):
        add(a, b, "introduced_by", introducer)

    index = {cid: i for i, cid in enumerate(ids)}
    community, count = _communities(ids, index, links)
    sv = [strength.get(c, 0.0) for c in ids]
    x, y = _layout(ids, sv, community, count)
    payload = {"stamp": stamp, "ids": ids, "labels": labels, "tiers": tiers, "strength": sv,
               "community": community, "x": x, "y": y, "communities": count,
               "two_way": [int(bool(ties[c].two_way)) if c in ties else 0 for c in ids],
               "last_at": [ties[c].last_at if c in ties else None for c in ids]}
    payload.update(_link_arrays(links))
    return payload


def _link_arrays(links: dict[tuple[int, int], _Link]) -> dict:
    """The links as parallel lists sorted by pair: ``mask`` bit i for KINDS[i], ``w<i>`` that
    kind's weight (0: none), ``event`` the same_event's event id (0: none), ``introducer``
    the introduction's introducer (0: the user, -1: no introduction). The organisation of a
    same_org link is the contacts' own, so it is not kept."""
    keys = sorted(links)
    out = {"link_a": [a for a, _ in keys], "link_b": [b for _, b in keys], "link_mask": [],
           "link_event": [], "link_introducer": []}
    weights = [[] for _ in KINDS]
    for key in keys:
        kinds = links[key].kinds
        out["link_mask"].append(sum(1 << i for i, k in enumerate(KINDS) if k in kinds))
        for i, k in enumerate(KINDS):
            weights[i].append(kinds[k][0] if k in kinds else 0.0)
        out["link_event"].append(kinds["same_event"][1] if "same_event" in kinds else 0)
        intro = kinds.get("introduced_by")
        out["link_introducer"].append(-1 if intro is None else (intro[1] or 0))
    out["link_w"] = weights
    return out


def _communities(ids: list[int], index: dict[int, int], links: dict) -> tuple[list[int], int]:
    import networkx as nx
    g = nx.Graph()
    g.add_weighted_edges_from((a, b, link.weight()) for (a, b), link in links.items())
    community = [-1] * len(ids)
    if g.number_of_edges() == 0:
        return community, 0
    found = nx.community.louvain_communities(g, weight="weight", seed=LOUVAIN_SEED)
    found = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    for number, members in enumerate(found):
        for cid in members:
            community[index[cid]] = number
    return community, len(found)


_GOLDEN = math.pi * (3 - math.sqrt(5))


def _layout(ids: list[int], strength: list[float], community: list[int], count: int
            ) -> tuple[list[float], list[float]]:
    """Positions in about [-1000, 1000]² (module docstring). People without any link form the
    outermost group."""
    groups: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(community):
        groups[c].append(i)
    order = sorted(groups, key=lambda c: (c < 0, -len(groups[c]), c))
    x = [0.0] * len(ids)
    y = [0.0] * len(ids)
    placed = 0.0
    spacing = 1.0   # one unit of area per person; scaled at the end
    for n_group, c in enumerate(order):
        members = sorted(groups[c], key=lambda i: (-strength[i], ids[i]))
        size = len(members)
        radius = math.sqrt(size / math.pi) * spacing
        # the group's centre: a golden-angle spiral over the area placed so far, so discs of
        # all sizes pack without a search
        dist = math.sqrt((placed + size / 2) / math.pi) * 1.6 if n_group else 0.0
        angle = n_group * _GOLDEN
        cx, cy = dist * math.cos(angle), dist * math.sin(angle)
        for j, i in enumerate(members):
            r = radius * math.sqrt((j + 0.5) / size)
            a = j * _GOLDEN + n_group
            x[i] = cx + r * math.cos(a)
            y[i] = cy + r * math.sin(a)
        placed += size
    extent = max((max(abs(v) for v in x), max(abs(v) for v in y)), default=1.0) if ids else 1.0
    scale = 1000.0 / (extent or 1.0)
    return [round(v * scale, 1) for v in x], [round(v * scale, 1) for v in y]


def main(argv: list[str] | None = None) -> int:
    """The worker: build the payload of the database at argv[0] and write it as JSON."""
    args = sys.argv[1:] if argv is None else argv
    path, stamp = args[0], args[1]
    now = datetime.fromisoformat(args[2]) if len(args) > 2 and args[2] else None
    db = Database(path)
    try:
        payload = build_payload(db, stamp, now)
    finally:
        db.close()
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
