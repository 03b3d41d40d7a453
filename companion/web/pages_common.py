"""What every page of the web view shares: the blueprint, the session check, the CSRF token, the
security headers, the language, and rendering.

* A page needs the session cookie the launch link set (launch.py); without it the answer is a
  403 page that explains how to open the web view, and holds no data.
* A state change (POST, PATCH, DELETE: forms and the pages' fetch calls) needs, besides the
  cookie, the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``) and
  an ``Origin`` that is this server. The request guard (security.py) already refuses any other
  Origin; here a missing one is refused too, because browsers send it on every POST and a
  state change without it did not come from our page.
* The CSRF token is an HMAC of the session id under a key made when the app starts, so it is
  bound to the session, needs no storage, and dies with the session (a restart forgets both).
* Every HTML answer carries the Content-Security-Policy of SECURITY.md (and a few stricter
  directives), nosniff and no-referrer. Templates are autoescaped; nothing is marked safe.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from typing import Callable
from urllib.parse import urlsplit

from flask import (Blueprint, Response, current_app, g, jsonify, redirect, render_template,
                   request, url_for)

from companion.errors import ApiError, bad_request
from companion.services import preferences
from companion.web import i18n
from companion.web.launch import bound_port, web_sessions
from companion.web.sessions import session_cookie_name

bp = Blueprint("web_pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")

# SECURITY.md's policy, then directives that only narrow it: styles from our files only,
# images from our files or data: URLs (a photo kept inline), no <base>, forms post to us only.
CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
       "style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
CSRF_KEY = "goen.web_csrf_key"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@bp.record_once
def _setup(state) -> None:
    app = state.app
    app.extensions.setdefault(CSRF_KEY, secrets.token_bytes(32))
    app.jinja_env.autoescape = True   # every template, whatever its file name
    app.jinja_env.filters["http_url"] = http_url
    app.jinja_env.filters["day"] = day


# -- helpers the templates use ------------------------------------------------------------------

def http_url(url: object) -> str | None:
    """The URL when it is http(s), else None: scraped links are never javascript: or data:."""
    if not isinstance(url, str):
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def day(value: object) -> str:
    """An ISO timestamp shown as its date (YYYY-MM-DD)."""
    return str(value)[:10] if value else ""


# -- the session -------------------------------------------------------------------------------

def session_id() -> str | None:
    value = request.cookies.get(session_cookie_name(bound_port()))
    return value if web_sessions().session_valid(value) else None


def csrf_token(session: str) -> str:
    key = current_app.extensions[CSRF_KEY]
    return hmac.new(key, session.encode("utf-8"), hashlib.sha256).hexdigest()


def db():
    return current_app.extensions["goen.db"]


def settings() -> preferences.EffectiveSettings:
    return preferences.effective(current_app.extensions["goen.settings"], db())


def language() -> str:
    """The web view's language: the preference, default ja."""
    lang = getattr(g, "lang", None)
    if lang is None:
        try:
            lang = settings().language
        except Exception:  # noqa: BLE001 (no preferences table yet: the default)
            lang = preferences.DEFAULT_LANGUAGE
        g.lang = lang
    return lang


def _same_origin() -> bool:
    origin = request.headers.get("Origin")
    return origin is not None and origin == f"http://{request.host.lower()}"


def _csrf_ok(session: str) -> bool:
    presented = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
    return hmac.compare_digest(presented.encode("utf-8", "replace"),
                               csrf_token(session).encode("ascii"))


def wants_json() -> bool:
    return request.path.startswith("/web/")


def refuse(status: int, key: str, detail: str | None = None) -> Response:
    """An error answer in the page's own form: JSON for /web/ endpoints, HTML otherwise.
    ``detail``: what exactly was wrong (a service's message), shown under the general one."""
    lang = language()
    if wants_json():
        code = {403: "forbidden", 404: "not_found"}.get(status, "bad_request")
        body = ApiError(status, code, i18n.t(key, "en") + " / " + i18n.t(key, "ja")).body()
        return current_app.response_class(json.dumps(body, ensure_ascii=False), status,
                                          content_type="application/json")
    return Response(render_template("error.html", status=status, message_key=key, t=i18n.t,
                                    lang=lang, csrf=None, nav=None, nav_items=[],
                                    here=request.path, detail=detail),
                    status, content_type="text/html; charset=utf-8")


def page(view: Callable) -> Callable:
    """A page or page endpoint: needs the session; a state change also needs the CSRF token
    and a same-origin Origin."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        session = session_id()
        if session is None:
            return refuse(403, "error.no_session")
        if request.method in STATE_CHANGING:
            if not _same_origin():
                return refuse(403, "error.origin")
            if not _csrf_ok(session):
                return refuse(403, "error.csrf")
        g.csrf = csrf_token(session)
        return view(*args, **kwargs)
    return wrapper


# The menu: an entry appears once its page exists (the contacts and network pages come in
# their own modules, registering these endpoints on this blueprint).
NAV = (("web_pages.today", "nav.today"), ("web_pages.contacts", "nav.contacts"),
       ("web_pages.network", "nav.network"), ("web_pages.events", "nav.events"),
       ("web_pages.duplicates_page", "nav.duplicates"), ("web_pages.import_page", "nav.import"),
       ("web_pages.settings_page", "nav.settings"))


def nav_items() -> list[tuple[str, str, str]]:
    """(url, label key, endpoint) of each page in the menu."""
    return [(url_for(endpoint), key, endpoint) for endpoint, key in NAV
            if endpoint in current_app.view_functions]


def render(template: str, nav: str | None = None, status: int = 200, **context) -> Response:
    lang = language()
    html = render_template(template, t=i18n.t, lang=lang, csrf=g.get("csrf"), nav=nav,
                           nav_items=nav_items(), here=request.path, **context)
    return Response(html, status, content_type="text/html; charset=utf-8")


def read_json() -> dict:
    """A /web/ endpoint's JSON body (an object)."""
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json.")
    try:
        body = json.loads(request.get_data(cache=False) or b"{}")
    except (ValueError, RecursionError):
        raise bad_request("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object.")
    return body


def json_answer(value) -> Response:
    return jsonify(value)


def go(location: str) -> Response:
    """Where a form leads after a change. The pages' script sends every form with fetch (see
    app.js: a form posted by the browser itself would carry ``Origin: null`` under our
    ``Referrer-Policy: no-referrer``, and the guard refuses that); it asks for JSON and then
    goes there itself. A plain form post gets the usual 303."""
    if request.headers.get("Accept", "").startswith("application/json"):
        return jsonify(location=location)
    return redirect(location, code=303)


@bp.after_request
def _security_headers(response: Response) -> Response:
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    return response


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    if wants_json():
        return error.body(), error.status, error.headers
    key = "error.not_found" if error.status == 404 else "error.bad_request"
    # a form's mistake says which (the page's script shows the error page's first paragraph)
    response = refuse(error.status, key, error.message if error.status == 400 else None)
    return response
