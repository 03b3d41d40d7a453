"""Network (``/network``): the whole network drawn with WebGL (sigma.js on graphology, vendored
in static/vendor/; static/graph.js), people sized by tie strength and coloured by tier or
community, links for introductions, the same organisation, the same event and mutual
connections; filters; a click opens the person. "How can I reach …?" shows the best warm paths
through people who know the user, with a draft asking for the introduction
(services/network.py). The JSON endpoints the page's script calls:

    GET /web/network.json?tier=&kinds=&min_strength=   the graph (network.graph_json)
    GET /web/network/paths?to=<contact id>&k=3         {"to", "paths": [...]}, in the page's
                                                       language
"""

from __future__ import annotations

from flask import current_app, request

from companion.errors import JSON_TYPE, bad_request
from companion.model import to_dict
from companion.services import network
from companion.web.pages_common import bp, db, json_answer, language, page, render


def _choices(name: str) -> list[str] | None:
    values = [v.strip() for raw in request.args.getlist(name) for v in raw.split(",")
              if v.strip()]
    return values or None


def _number(name: str, default, kind=float):
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise bad_request(f"{name} must be a number.", name) from None


@bp.get("/network", endpoint="network")
@page
def network_page():
    return render("network.html", nav="network", tiers=network.TIERS, kinds=network.KINDS)


@bp.get("/web/network.json")
@page
def network_json():
    body = network.network_json(db(), tier=_choices("tier"), kinds=_choices("kinds"),
                                min_strength=_number("min_strength", 0.0))
    return current_app.response_class(body, 200, content_type=JSON_TYPE)


@bp.get("/web/network/paths")
@page
def network_paths():
    if request.args.get("to") in (None, ""):
        raise bad_request("to is required: the contact to reach.", "to")
    target = _number("to", None, int)
    paths = network.warm_paths(db(), target, _number("k", 3, int), user_lang=language())
    return json_answer({"to": target, "paths": [to_dict(p) for p in paths]})
