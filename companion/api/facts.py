"""Facts and the give-and-take ledger (issue 6): thin routes over services/followup.

* ``GET /api/v1/contacts/<id>/facts?status=&kind=`` → ``{"facts": [...]}``, each with its source
* ``PATCH /api/v1/facts/<id>`` ``{"status": "done" | "open" | "dismissed"}`` → the fact
* ``GET /api/v1/contacts/<id>/ledger`` → ``{"entries": [...], "given", "received"}``
* ``POST /api/v1/contacts/<id>/ledger`` ``{flow, kind, text, occurred_at?, note_id?}`` → 201
* ``DELETE /api/v1/ledger/<id>`` → 204
"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from companion.api.v1 import read_json
from companion.errors import ApiError
from companion.model import to_dict
from companion.services.followup import ledger, queries

bp = Blueprint("api_facts", __name__, url_prefix="/api/v1")


def _db():
    return current_app.extensions["goen.db"]


@bp.get("/contacts/<int:contact_id>/facts")
def list_facts(contact_id: int):
    facts = queries.list_facts(_db(), contact_id, request.args.getlist("status"),
                               request.args.getlist("kind"))
    return jsonify(facts=[to_dict(f) for f in facts])


@bp.patch("/facts/<int:fact_id>")
def patch_fact(fact_id: int):
    return jsonify(to_dict(queries.set_status(_db(), fact_id, read_json())))


@bp.get("/contacts/<int:contact_id>/ledger")
def get_ledger(contact_id: int):
    return jsonify(to_dict(ledger.list_entries(_db(), contact_id)))


@bp.post("/contacts/<int:contact_id>/ledger")
def post_ledger(contact_id: int):
    return jsonify(to_dict(ledger.add_entry(_db(), contact_id, read_json()))), 201


@bp.delete("/ledger/<int:entry_id>")
def delete_ledger(entry_id: int):
    ledger.delete_entry(_db(), entry_id)
    return "", 204


@bp.errorhandler(ApiError)
def api_error(error: ApiError):
    return error.body(), error.status, error.headers
