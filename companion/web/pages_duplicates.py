"""The same person twice (``/duplicates``, issue 9): the proposals the matching found
(services/matching/proposals.py), each with both people side by side, its confidence and its
reasons, to accept (merge), put off ("not now") or refuse ("not the same person", remembered);
and the merges made, by the user or on certain evidence, each with an undo (services/merge.py).

    GET  /duplicates                         open proposals, then recent merges
    POST /duplicates/<id>/accept             keep=<contact id> (which one stays)
    POST /duplicates/<id>/reject             not now
    POST /duplicates/<id>/not-same           never propose these two again
    POST /duplicates/refresh                 match the whole network now
    POST /merges/<id>/undo                   both people back as they were

Forms are sent by app.js with fetch like every other page's (pages_common.go).
"""

from __future__ import annotations

from flask import request, url_for

from companion.errors import bad_request
from companion.services import merge as merges
from companion.services.matching import proposals, proposals_worker
from companion.web.pages_common import bp, db, go, page, render

PAGE_SIZE = 50
MERGES_SHOWN = 20


@bp.get("/duplicates", endpoint="duplicates_page")
@page
def duplicates_page():
    found = proposals.list_proposals(db(), "open", request.args.get("cursor") or None,
                                     PAGE_SIZE)
    recent = merges.list_merges(db(), MERGES_SHOWN)
    return render("duplicates.html", nav="duplicates", found=found, merges=recent.merges)


def _decide(proposal_id: int, action: str):
    keep = None
    if action == "accept":
        raw = (request.form.get("keep") or "").strip()
        if raw:
            if not raw.isdigit():
                raise bad_request("keep must be one of the two contacts.", "keep")
            keep = int(raw)
    decision = proposals.decide(db(), proposal_id, action, keep=keep)
    if action == "accept" and decision.kept_id is not None:
        return go(url_for("web_pages.person", contact_id=decision.kept_id))
    return go(url_for("web_pages.duplicates_page"))


@bp.post("/duplicates/<int:proposal_id>/accept")
@page
def accept_duplicate(proposal_id: int):
    return _decide(proposal_id, "accept")


@bp.post("/duplicates/<int:proposal_id>/reject")
@page
def reject_duplicate(proposal_id: int):
    return _decide(proposal_id, "reject")


@bp.post("/duplicates/<int:proposal_id>/not-same")
@page
def not_same_duplicate(proposal_id: int):
    return _decide(proposal_id, "not_same")


@bp.post("/duplicates/refresh")
@page
def refresh_duplicates():
    # in a worker process on a large network, as the daily pass (the server's memory)
    proposals_worker.refresh(db())
    return go(url_for("web_pages.duplicates_page"))


@bp.post("/merges/<int:merge_id>/undo")
@page
def undo_merge(merge_id: int):
    result = merges.undo(db(), merge_id)
    return go(url_for("web_pages.person", contact_id=result.restored_id))
