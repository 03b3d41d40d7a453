"""Contacts (``/contacts``): search by name, reading, organisation, tag and notes, with filters
(tier, site, not contacted since, tag), sorting and paging that stay quick at 10,000 contacts
(services/search.py: FTS5 with the trigram tokenizer, keyset pages). And the JSON endpoint the
page's script calls while the user types:

    GET /web/contacts.json?q=&tier=&site=&tag=&not_contacted_since=&sort=&cursor=&limit=
        → {"total", "next_cursor", "rows": [...]}  (the API's contact rows)

The page itself works without its script: the form is a plain GET form and the next page is a
link, so a search can be bookmarked and the browser's back button goes back a page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from companion.errors import ApiError
from companion.model import to_dict
from companion.services import search
from companion.web.pages_common import bp, db, json_answer, page, render

PAGE_SIZE = 50
_FORM_FIELDS = ("q", "tier", "site", "tag", "not_contacted_since", "sort")


def _choices(database) -> dict[str, list[str]]:
    """What the filters offer: the sites and tags the user's contacts have."""
    return {
        "sites": [r[0] for r in database.query_all(
            "SELECT DISTINCT platform FROM identities ORDER BY platform")],
        "tags": [r[0] for r in database.query_all("SELECT name FROM tags ORDER BY name")],
    }


def _form(args) -> dict[str, str]:
    return {name: (args.get(name) or "").strip() for name in _FORM_FIELDS}


def _url(form: dict[str, str], cursor: str | None = None) -> str:
    params = {k: v for k, v in form.items() if v}
    if cursor:
        params["cursor"] = cursor
    return "/contacts" + ("?" + urlencode(params) if params else "")


@bp.get("/contacts")
@page
def contacts():
    database = db()
    form = _form(request.args)
    error = None
    try:
        query = search.parse_query({**request.args, "limit": str(PAGE_SIZE)})
        found = search.search_contacts(database, query)
    except ApiError as problem:
        # a hand-edited URL: say which field is wrong and show the first page unfiltered
        error = (problem.details or {}).get("field") or "q"
        found = search.search_contacts(database, search.ContactQuery(limit=PAGE_SIZE))
    return render("contacts.html", nav="contacts", found=found, form=form, error=error,
                  next_url=_url(form, found.next_cursor) if found.next_cursor else None,
                  first_url=_url(form) if request.args.get("cursor") else None,
                  tiers=search.TIERS, sorts=search.SORTS, **_choices(database))


@bp.get("/web/contacts.json")
@page
def contacts_json():
    found = search.search_contacts(db(), search.parse_query(request.args))
    return json_answer({"total": found.total, "next_cursor": found.next_cursor,
                        "rows": [to_dict(r) for r in found.rows]})
