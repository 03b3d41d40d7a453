"""Proposals of one person kept as two contacts (issue 9), over the whole network.

``refresh_proposals`` reads every contact as a ``Side`` (``records_for``: four queries, none per
contact), finds candidate pairs by blocking and compares them (``blocking.propose``), then:

* verdict ``same`` (certain evidence: the same personal e-mail address, the same canonical
  profile URL — a rel=me link the capture recorded is an identity of the contact, so it counts —
  or the same personal website): the two are merged without asking (``merge.merge_contacts``,
  the older contact kept, reason ``certain:<reason codes>``), each merge in its own transaction,
  and the whole pass is run again on the merged network (a merge can make or break matches);
* verdict ``likely``: kept as an open proposal with its score and reasons (updated when it is
  open already);
* an open proposal whose pair no longer matches is deleted: nothing was decided about it.

The user decides (``decide``): *accept* merges the two; *reject* means "not now": the proposal
is hidden and comes back only when the pair gains evidence it did not have (a reason code not in
the rejected reasons, e.g. a shared e-mail address appears), and such a pair is never merged
automatically, even on certain evidence: it is proposed again instead; *not the same person* is
final: never proposed, never merged automatically, also after either contact is merged with a
third. That last decision is kept by the sides' anchors (migration 0018 says why): the contact
id, its profile URLs and its personal e-mail addresses, so it follows them through a merge,
whoever asks for the merge. A merge deletes the merged contact's proposals (a "not now" about it
included: the contact changed); the kept contact's stay.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from companion.db import Database, utc_now
from companion.errors import ApiError, bad_request, not_found
from companion.model import IdentityInfo
from companion.services.matching.blocking import BlockingStats, prepare_all, propose
from companion.services.matching.compare import Comparison, Prepared, Side, compare

log = logging.getLogger(__name__)

STATUSES = ("open", "accepted", "rejected", "not_same")
ACTIONS = ("accept", "reject", "not_same")
MAX_ROUNDS = 3          # passes when merges keep making new certain pairs (a chain A-B-C)
DEFAULT_LIMIT = 50
MAX_LIMIT = 200


# -- records ------------------------------------------------------------------------------------

def records_for(conn: sqlite3.Connection, ids: Iterable[int] | None = None,
                ) -> list[tuple[int, Side]]:
    """Every contact (or those of ``ids``) as matching sees it, oldest first: names and work
    from ``contacts``, profile URLs from ``identities``, e-mail addresses and web pages from
    ``contact_details`` (import keys are bookkeeping and left out). Three queries in all."""
    where, params = "", ()
    if ids is not None:
        wanted = sorted(set(ids))
        where = f" WHERE {{col}} IN ({','.join('?' * len(wanted))})"
        params = tuple(wanted)
    urls: dict[int, list[str]] = {}
    for cid, url in conn.execute(
            "SELECT contact_id, url FROM identities" + where.format(col="contact_id")
            + " ORDER BY id", params):
        urls.setdefault(cid, []).append(url)
    emails: dict[int, list[str]] = {}
    for cid, kind, value in conn.execute(
            "SELECT contact_id, kind, value_norm FROM contact_details"
            + (where.format(col="contact_id") + " AND" if where else " WHERE")
            + " kind IN ('email', 'url') ORDER BY id", params):
        (emails if kind == "email" else urls).setdefault(cid, []).append(value)
    return [
        (cid, Side(name=name or "", reading=reading, organisation=org, title=title,
                   location=location, urls=tuple(urls.get(cid, ())),
                   emails=tuple(emails.get(cid, ())), photo=avatar))
        for cid, name, reading, org, title, location, avatar in conn.execute(
            "SELECT id, display_name, reading, organisation, title, location, avatar_url"
            " FROM contacts" + where.format(col="id") + " ORDER BY id", params)]


def anchors_of(contact_id: int, p: Prepared) -> frozenset[str]:
    """What a "not the same person" decision about this contact is kept by (migration 0018):
    its id, its profile URLs (one person's each) and its personal e-mail addresses."""
    return frozenset({f"c:{contact_id}", *(f"p:{url}" for _, url in p.profiles),
                      *(f"e:{e}" for e in p.emails)})


def _not_same_keys(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(a, b) for a, b in conn.execute("SELECT a_key, b_key FROM identity_not_same")}


def _decided(keys: set[tuple[str, str]], x: frozenset[str], y: frozenset[str]) -> str | None:
    """Did the user say these two are two people? ``direct``: a decision between the two
    contacts themselves (their 'c:' anchors, carried through merges); ``indirect``: one of them
    holds a profile or address of a contact the other was said not to be (a card with both
    people's addresses), so certain evidence between them contradicts the user; else None."""
    if not keys:
        return None
    found = None
    for kx in x:
        for ky in y:
            if (kx, ky) in keys or (ky, kx) in keys:
                if kx.startswith("c:") and ky.startswith("c:"):
                    return "direct"
                found = "indirect"
    return found


def _anchor_rows(x: frozenset[str], y: frozenset[str]) -> set[tuple[str, str]]:
    """The rows that remember "x is not y": every anchor of one side with every anchor of the
    other; an anchor both share (a shared address the user still says is two people) proves
    nothing either way and is left out."""
    shared = x & y
    return {tuple(sorted((kx, ky))) for kx in x - shared for ky in y - shared}


# -- merging (services/merge.py, written alongside) ------------------------------------------------

def _merge_contacts():
    """``merge.merge_contacts``, or None while that module is not there: certain pairs are then
    proposed instead of merged."""
    try:
        from companion.services.merge import merge_contacts
    except ImportError:
        return None
    return merge_contacts


def _merge(db: Database, keep_id: int, other_id: int, reason: str, now: str,
           unless_decided: bool = False):
    """Merge in one transaction. ``unless_decided``: an automatic merge, not made (None) when
    the user decided about the pair since the refresh read the network."""
    merge_contacts = _merge_contacts()
    if merge_contacts is None:
        raise ApiError(503, "merge_unavailable",
                       "連絡先の統合はまだ使えません / Merging contacts is not available yet.")
    # the merge's row in ``merges`` carries the other's "not the same" decisions over to the
    # kept contact (a trigger, migration 0018), whoever asks for the merge
    with db.transaction() as conn:
        if unless_decided:
            a, b = sorted((keep_id, other_id))
            ka, kb = sorted((f"c:{keep_id}", f"c:{other_id}"))
            if conn.execute(
                    "SELECT 1 FROM identity_proposals WHERE a_id = ? AND b_id = ?"
                    " AND status IN ('rejected', 'not_same') UNION ALL SELECT 1 FROM"
                    " identity_not_same WHERE a_key = ? AND b_key = ?",
                    (a, b, ka, kb)).fetchone():
                return None
        return merge_contacts(conn, keep_id, other_id, reason, now)


# -- refreshing -----------------------------------------------------------------------------------

@dataclass
class RefreshSummary:
    auto_merged: int = 0        # pairs merged on certain evidence
    proposed: int = 0           # open proposals new in this refresh (or re-opened)
    kept_open: int = 0          # open proposals still matching, score and reasons updated
    removed: int = 0            # open proposals deleted: the pair no longer matches
    skipped_not_same: int = 0   # matching pairs the user said are two people
    merge_failures: int = 0     # certain pairs whose merge raised (logged, proposed instead)
    seconds: float = 0.0


def _reasons_json(result: Comparison) -> str:
    return json.dumps([{"code": r.code, "weight": r.weight, "en": r.en, "ja": r.ja}
                       for r in result.reasons], ensure_ascii=False)


def remember_undone(conn: sqlite3.Connection, a: int, b: int, now: str) -> None:
    """An undone merge is the user's "not now" on the pair: it is never merged by itself again
    (otherwise the next pass would merge a pair the user just took apart), and is proposed
    again only with evidence it did not have now. Also ends an "accepted" proposal, which the
    undo put back as it was."""
    a, b = sorted((a, b))
    found = dict(records_for(conn, (a, b)))
    result = compare(found[a], found[b]) if a in found and b in found else None
    reasons = _reasons_json(result) if result is not None else "[]"
    score = result.score if result is not None else 0.0
    conn.execute(
        "INSERT INTO identity_proposals (a_id, b_id, score, verdict, reasons, status, created_at,"
        " updated_at, decided_at) VALUES (?, ?, ?, 'likely', ?, 'rejected', ?, ?, ?)"
        " ON CONFLICT (a_id, b_id) DO UPDATE SET status = 'rejected', reasons = excluded.reasons,"
        " score = excluded.score, updated_at = excluded.updated_at,"
        " decided_at = excluded.decided_at", (a, b, score, reasons, now, now, now))


def _codes(reasons_json: str) -> set[str]:
    try:
        return {r["code"] for r in json.loads(reasons_json or "[]")}
    except (ValueError, TypeError, KeyError):
        return set()


class _Groups:
    """Union-find over contact ids merged in one pass: a chain A-B, B-C ends in one contact."""

    def __init__(self, anchors: dict[int, frozenset[str]]):
        self.parent: dict[int, int] = {}
        self.anchors = anchors

    def find(self, x: int) -> int:
        while self.parent.get(x, x) != x:
            x = self.parent[x]
        return x

    def join(self, keep: int, other: int) -> None:
        self.parent[other] = keep
        self.anchors[keep] = self.anchors.get(keep, frozenset()) | self.anchors.get(
            other, frozenset())


def _one_pass(db: Database, now: str, summary: RefreshSummary, write: bool) -> int:
    """Compare everyone; merge certain pairs; write proposals when ``write`` or nothing was
    merged. Returns how many merges were made."""
    conn = db.connect()
    records = records_for(conn)
    ids = [cid for cid, _ in records]
    prepared = prepare_all(side for _, side in records)
    found = propose(prepared, BlockingStats())
    anchors = {ids[k]: anchors_of(ids[k], p) for k, p in enumerate(prepared)}
    not_same = _not_same_keys(conn)
    decided = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        "SELECT a_id, b_id, status, reasons FROM identity_proposals WHERE status != 'open'")}
    merge_contacts = _merge_contacts()

    certain: list[tuple[int, int, Comparison]] = []
    wanted: dict[tuple[int, int], Comparison] = {}
    reopen: set[tuple[int, int]] = set()   # rejected, with new evidence since
    summary.skipped_not_same = 0     # counted afresh each pass: the last pass's count stands
    for i, j, result in found:
        a, b = sorted((ids[i], ids[j]))
        blocked = _decided(not_same, anchors[a], anchors[b])
        if blocked == "direct" or (blocked and result.verdict != "same"):
            summary.skipped_not_same += 1
            continue
        status, old_reasons = decided.get((a, b), (None, None))
        if status == "not_same" or status == "accepted":
            continue    # accepted: the merge is done or under way; never proposed twice
        if status == "rejected":
            # "not now": back only with evidence the user has not seen, and only as a proposal
            if {r.code for r in result.reasons} <= _codes(old_reasons):
                continue
            wanted[(a, b)] = result
            reopen.add((a, b))
        elif result.verdict == "same" and merge_contacts is not None and not blocked:
            certain.append((a, b, result))
        else:
            wanted[(a, b)] = result

    merged = 0
    groups = _Groups(anchors)
    for a, b, result in certain:
        keep, other = sorted((groups.find(a), groups.find(b)))
        if keep == other:
            continue
        blocked = _decided(not_same, groups.anchors[keep], groups.anchors[other])
        if blocked:
            # a chain of certain pairs would join two people the user kept apart: the pair is
            # asked about instead (or left alone when it is the user's own pair)
            if blocked == "direct":
                summary.skipped_not_same += 1
            else:
                wanted[(a, b)] = result
            continue
        codes = sorted({r.code for r in result.reasons if r.weight >= 1.0})
        try:
            done = _merge(db, keep, other, "certain:" + ",".join(codes), now,
                          unless_decided=True)
        except Exception:   # noqa: BLE001 - one failed merge must not stop the others
            log.exception("merging contact %s into %s failed", other, keep)
            summary.merge_failures += 1
            wanted[(a, b)] = result
            continue
        if done is None:
            continue    # decided by the user meanwhile
        groups.join(keep, other)
        merged += 1
    summary.auto_merged += merged
    if merged and not write:
        return merged   # the caller runs another pass on the merged network

    gone = set(groups.parent)   # merged away in this pass
    with db.transaction() as conn:
        existing = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
            "SELECT a_id, b_id, id, status FROM identity_proposals")}
        keep_open: set[int] = set()
        for (a, b), result in wanted.items():
            if a in gone or b in gone:
                continue
            row = existing.get((a, b))
            values = (round(result.score, 3), result.verdict, _reasons_json(result), now)
            if row is None:
                # both may have been deleted or merged by the user since the read
                summary.proposed += conn.execute(
                    "INSERT INTO identity_proposals (a_id, b_id, score, verdict, reasons,"
                    " status, created_at, updated_at) SELECT ?, ?, ?, ?, ?, 'open', ?, ?"
                    " WHERE (SELECT COUNT(*) FROM contacts WHERE id IN (?, ?)) = 2",
                    (a, b, *values[:3], now, now, a, b)).rowcount
            elif row[1] == "open" or (row[1] == "rejected" and (a, b) in reopen):
                # a proposal the user rejects while this refresh runs stays rejected
                conn.execute(
                    "UPDATE identity_proposals SET score = ?, verdict = ?, reasons = ?,"
                    " updated_at = ?, status = 'open', decided_at = NULL WHERE id = ?",
                    (*values, row[0]))
                keep_open.add(row[0])
                if row[1] == "open":
                    summary.kept_open += 1
                else:
                    summary.proposed += 1
        stale = [row[0] for row in existing.values()
                 if row[1] == "open" and row[0] not in keep_open]
        for start in range(0, len(stale), 500):
            chunk = stale[start:start + 500]
            conn.execute(f"DELETE FROM identity_proposals WHERE id IN"
                         f" ({','.join('?' * len(chunk))})", chunk)
        summary.removed += len(stale)
    return merged


def refresh_proposals(db: Database, now: str | None = None) -> RefreshSummary:
    """Match the whole network: merge what is certain, propose what is likely (module doc)."""
    started = time.perf_counter()
    now = now or utc_now()
    summary = RefreshSummary()
    for round_no in range(1, MAX_ROUNDS + 1):
        if not _one_pass(db, now, summary, write=round_no == MAX_ROUNDS):
            break
    summary.seconds = round(time.perf_counter() - started, 3)
    return summary


def refresh_after_import(db: Database, imported=None) -> RefreshSummary | None:
    """The hook at the end of an import (``imported``: its ImportSummary): a failure is logged
    and never fails the import, which has already been saved. An import that created and
    changed nobody (the same export again) changes no match, so nothing runs."""
    if imported is not None and not (getattr(imported, "created", 1)
                                     or getattr(imported, "updated", 1)
                                     or getattr(imported, "merged", 1)):
        return None
    try:
        # in a worker process on a large network, so that an upload or the inbox does not lift
        # the companion's memory (proposals_worker.py)
        from companion.services.matching import proposals_worker
        summary = proposals_worker.refresh(db)
    except Exception:   # noqa: BLE001 - the import succeeded; matching runs again daily
        log.exception("identity proposals after the import failed")
        return None
    log.info("identity proposals after the import: %s", summary)
    return summary


# -- listing --------------------------------------------------------------------------------------

@dataclass
class ProposalContact:
    """One side of a proposal, enough to tell the two apart."""

    id: int
    display_name: str
    reading: str | None
    organisation: str | None
    title: str | None
    location: str | None
    avatar_url: str | None
    identities: list[IdentityInfo] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)


@dataclass
class Proposal:
    id: int
    a: ProposalContact
    b: ProposalContact
    score: float
    verdict: str
    reasons: list[dict]          # {code, weight, en, ja}, as compare() gave them
    status: str
    created_at: str
    updated_at: str
    decided_at: str | None


@dataclass
class ProposalPage:
    proposals: list[Proposal]
    next_cursor: str | None      # pass back as ``cursor`` for the next page


@dataclass
class Decision:
    proposal: Proposal
    merge_id: int | None = None  # accept: the merge (services/merge.py), to undo it
    kept_id: int | None = None
    merged_id: int | None = None


def _contacts(conn: sqlite3.Connection, ids: set[int]) -> dict[int, ProposalContact]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    params = tuple(sorted(ids))
    out = {r["id"]: ProposalContact(r["id"], r["display_name"], r["reading"], r["organisation"],
                                    r["title"], r["location"], r["avatar_url"])
           for r in conn.execute(
               "SELECT id, display_name, reading, organisation, title, location, avatar_url"
               f" FROM contacts WHERE id IN ({marks})", params)}
    for r in conn.execute("SELECT contact_id, platform, url, handle FROM identities"
                          f" WHERE contact_id IN ({marks}) ORDER BY id", params):
        out[r[0]].identities.append(IdentityInfo(r[1], r[2], r[3]))
    for r in conn.execute("SELECT contact_id, value FROM contact_details WHERE kind = 'email'"
                          f" AND contact_id IN ({marks}) ORDER BY id", params):
        out[r[0]].emails.append(r[1])
    return out


def _proposals(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[Proposal]:
    people = _contacts(conn, {r["a_id"] for r in rows} | {r["b_id"] for r in rows})
    return [Proposal(r["id"], people[r["a_id"]], people[r["b_id"]], r["score"], r["verdict"],
                     json.loads(r["reasons"] or "[]"), r["status"], r["created_at"],
                     r["updated_at"], r["decided_at"]) for r in rows]


_CURSOR = re.compile(r"(\d{1,4})\|(\d{1,18})")


def list_proposals(db: Database, status: str = "open", cursor: str | None = None,
                   limit: int = DEFAULT_LIMIT) -> ProposalPage:
    """Proposals of one status, the most likely first; ``cursor`` is the ``next_cursor`` of the
    previous page (keyset: the score in thousandths and the id)."""
    if status not in STATUSES:
        raise bad_request(f"status must be one of {', '.join(STATUSES)}.", "status")
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f"limit must be a whole number from 1 to {MAX_LIMIT}.", "limit")
    where, params = "status = ?", [status]
    if cursor is not None:
        match = _CURSOR.fullmatch(cursor)
        if not match:
            raise bad_request("cursor must be the next_cursor of an earlier page.", "cursor")
        milli, last_id = int(match[1]), int(match[2])
        where += (" AND (CAST(ROUND(score * 1000) AS INTEGER) < ? OR"
                  " (CAST(ROUND(score * 1000) AS INTEGER) = ? AND id > ?))")
        params += [milli, milli, last_id]
    conn = db.connect()
    rows = conn.execute(
        f"SELECT * FROM identity_proposals WHERE {where}"
        " ORDER BY CAST(ROUND(score * 1000) AS INTEGER) DESC, id LIMIT ?",
        (*params, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = (f"{round(rows[-1]['score'] * 1000)}|{rows[-1]['id']}"
                   if more and rows else None)
    return ProposalPage(_proposals(conn, rows), next_cursor)


def get_proposal(db: Database, proposal_id: int) -> Proposal:
    conn = db.connect()
    row = conn.execute("SELECT * FROM identity_proposals WHERE id = ?",
                       (proposal_id,)).fetchone()
    if row is None:
        raise not_found(f"No identity proposal with id {proposal_id}.")
    return _proposals(conn, [row])[0]


# -- deciding -------------------------------------------------------------------------------------

def decide(db: Database, proposal_id: int, action: str, now: str | None = None,
           keep: int | None = None) -> Decision:
    """The user's answer to one proposal.

    * ``accept``: the two are merged (``keep``: which contact stays, the older by default);
    * ``reject``: "not now" (the module's doc);
    * ``not_same``: never proposed again, also after either is merged with a third.

    A proposal already accepted cannot be decided again (409); a rejected or not-same one can be
    accepted after all, which is the user's own word overriding the earlier one."""
    now = now or utc_now()
    if action not in ACTIONS:
        raise bad_request(f"action must be one of {', '.join(ACTIONS)}.", "action")
    proposal = get_proposal(db, proposal_id)
    if proposal.status == "accepted":
        raise ApiError(409, "conflict", "この提案はすでに統合済みです / This proposal was already"
                       " accepted: the two contacts were merged.")
    a, b = proposal.a.id, proposal.b.id
    if keep is not None and (isinstance(keep, bool) or keep not in (a, b)):
        raise bad_request("keep must be the id of one of the proposal's two contacts.", "keep")
    if action == "accept":
        keep_id = keep if keep is not None else min(a, b)
        other_id = b if keep_id == a else a
        with db.transaction() as conn:
            conn.execute("UPDATE identity_proposals SET status = 'accepted', decided_at = ?,"
                         " updated_at = ? WHERE id = ?", (now, now, proposal_id))
            # the user's merge overrules an earlier "not the same" between these two
            _forget_not_same(conn, a, b)
            result = _merge(db, keep_id, other_id, f"proposal:{proposal_id}", now)
        proposal.status, proposal.decided_at, proposal.updated_at = "accepted", now, now
        return Decision(proposal, getattr(result, "merge_id", None),
                        getattr(result, "kept_id", keep_id),
                        getattr(result, "merged_id", other_id))
    status = "rejected" if action == "reject" else "not_same"
    with db.transaction() as conn:
        conn.execute("UPDATE identity_proposals SET status = ?, decided_at = ?, updated_at = ?"
                     " WHERE id = ?", (status, now, now, proposal_id))
        if status == "not_same":
            remember_not_same(conn, a, b, now)
        else:
            _forget_not_same(conn, a, b)   # "not now" after "never" softens it
    proposal.status, proposal.decided_at, proposal.updated_at = status, now, now
    return Decision(proposal)


def _pair_anchors(conn: sqlite3.Connection, a: int, b: int,
                  ) -> tuple[frozenset[str], frozenset[str]]:
    records = dict(records_for(conn, (a, b)))
    pa, pb = prepare_all([records[a], records[b]])
    return anchors_of(a, pa), anchors_of(b, pb)


def remember_not_same(conn: sqlite3.Connection, a: int, b: int, now: str) -> None:
    """Keep "``a`` and ``b`` are two people" by both sides' anchors (migration 0018)."""
    x, y = _pair_anchors(conn, a, b)
    conn.executemany("INSERT INTO identity_not_same (a_key, b_key, decided_at) VALUES (?, ?, ?)"
                     " ON CONFLICT DO NOTHING", [(k1, k2, now) for k1, k2 in _anchor_rows(x, y)])


def _forget_not_same(conn: sqlite3.Connection, a: int, b: int) -> None:
    x, y = _pair_anchors(conn, a, b)
    conn.executemany("DELETE FROM identity_not_same WHERE a_key = ? AND b_key = ?",
                     list(_anchor_rows(x, y)))
