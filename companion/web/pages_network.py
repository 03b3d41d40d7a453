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

from companion.errors import JSON_TYPE
from companion.model import to_dict
from companion.services import network
from companion.web.pages_common import bp, db, json_answer, language, page, render


@bp.get("/network", endpoint="network")
@page
def network_page():
    return render("network.html", nav="network", tiers=network.TIERS, kinds=network.KINDS)


@bp.get("/web/network.json")
@page
def network_json():
    body = network.network_json(db(), **network.filters_from_args(request.args))
    return current_app.response_class(body, 200, content_type=JSON_TYPE)


@bp.get("/web/network/paths")
@page
def network_paths():
    target, k = network.target_from_args(request.args)
    paths = network.warm_paths(db(), target, k, user_lang=language())
    return json_answer({"to": target, "paths": [to_dict(p) for p in paths]})
