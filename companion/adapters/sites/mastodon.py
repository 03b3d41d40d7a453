"""Mastodon profiles, on any server, and ActivityPub actor documents.

Mastodon runs on thousands of hosts, so the page is recognised by its markup, never by its host
name (``PRIORITY`` 200: host-specific adapters are tried first):

* the web app (Mastodon 4.x, logged in or out): ``<div id="mastodon" data-props=…>`` and the
  React profile header: ``.account__header``, ``.account__header__tabs__name h1`` (display name,
  then ``<small><span>@user<span class="invisible">@server</span></span>``),
  ``.account__avatar img``, ``.account__header__content`` (the note), and
  ``.account__header__fields dl`` (``dt`` name, ``dd`` value; ``dl.verified`` for a verified
  link, with ``.verified__mark``);
* the server-rendered public profile of Mastodon 3.x: ``.public-account-header`` with
  ``.public-account-header__tabs__name h1 small`` and the same ``.account__header__fields`` /
  ``.account__header__content`` (``dd.verified`` there);
* the ``<head>`` every profile page has, which alone is enough when the app had not rendered:
  ``og:title`` "Name (@user@server)", ``profile:username`` "user@server", ``og:image`` (the
  avatar), ``og:description`` ("12 Posts, 3 Following, 4 Followers · note", localised), and
  ``<link rel="alternate" type="application/activity+json">``;
* an ActivityPub actor (``application/activity+json``, as saved from ``https://server/users/x``):
  the capture's HTML is the JSON itself, or Chrome's JSON view of it (``<body><pre>{…}</pre>``).

Sources of the markup: Mastodon's own views and React components (app/views/accounts,
app/javascript/mastodon/features/account_timeline) and public userscripts that select
``.account__header__tabs__name > h1 > small`` (4.x) and ``.public-account-header__tabs__name >
h1 > small`` (3.x); see tests/fixtures/sites/mastodon/.

Output: ``url`` and ``handle`` are the account's canonical ones (``companion.urls``:
``https://server/@user`` and ``user@server``, also for a remote account shown by another server).
Profile fields: links go to ``links``; verified links (the server checked the rel=me link back)
also to ``me_links``; a "Location"/「場所」 field to ``location``; an e-mail address to
``emails``. The ``<link rel="me">`` tags in the head are not me_links: Mastodon writes one for
every URL field, verified or not: they go to ``links``.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from .. import generic
from ..base import Page, Profile
from ...urls import InvalidUrl, canonical_profile_url


id = "mastodon"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Mastodon profiles (any server) and ActivityPub actors"
version = "1"
kinds = ("profile",)
url_patterns = (r"^https?://",)
PRIORITY = 200  # recognised by markup on any host: host-specific adapters go first

# Fields Mastodon profiles never have: their absence is not worth a warning.
_NOT_ON_SITE = ("no headline", "no organisation", "no job title")

_ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})

# Field names that hold a place (compared case-folded, without a trailing colon).
_LOCATION_NAMES = frozenset({
    "location", "place", "based in", "lives in", "where", "city", "home", "living in",
    "場所", "居住地", "住んでいる場所", "所在地", "拠点", "地域", "在住", "住まい", "活動場所",
    "活動拠点", "地元",
})

_ACCT = re.compile(r"@?([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
                   r"(?:@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+))?")
_TITLE_ACCT = re.compile(r"^(.*?)\s*\((@[^()\s]+)\)(?:\s+-\s+.*)?$")
# "120 Posts, 85 Following, 240 Followers · note": the stats come first, in the page's language
_OG_STATS = re.compile(r"^\s*\d[\d.,]*\S*\s+\S+(?:,\s*\d[\d.,]*\S*\s+\S+){1,2}\s*·\s*")

_BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
                         "h5", "h6", "blockquote", "pre", "table", "tr", "td", "th"})


_xp = generic.xpath  # el.xpath(expr), the expression compiled once


def _has_class(name: str) -> str:
    return generic.has_class(name)


# Speed: every class this adapter looks for on the whole page contains "account"
# (account__header…, public-account-header…, account__avatar), so one document-wide query finds
# them all (~4 ms on a 1 MB page, where each ``//*[has_class(…)]`` costs 4-12 ms) and the
# lookups below pick from that short list in Python. Testing the ``@class`` attribute nodes
# rather than ``//*[…]`` skips the elements without a class.
_MARKED_XPATH = "/descendant::*/@class[contains(., 'account')]/.."
_XML_SPACE = str.maketrans("\t\n\r", "   ")


def _has_class_attr(name: str) -> str:
    """``generic.has_class(name)`` for a predicate on the ``@class`` attribute node itself."""
    return generic.has_class(name).replace("@class", ".")


def _tokens(el) -> set[str]:
    """The element's class tokens, split as XPath's normalize-space() splits them."""
    return set((el.get("class") or "").translate(_XML_SPACE).split(" ")) - {""}


class _Marked:
    """The page's elements whose class contains "account", in document order (read once)."""

    def __init__(self, tree):
        self._tree = tree
        self._elements: list | None = None

    def with_class(self, *names: str, within=None) -> list:
        """Those with any of the class tokens ``names`` (as ``//*[has_class(…)]``), in document
        order; with ``within``, only its descendants (as ``within.xpath('.//*[…]')``)."""
        if self._elements is None:
            self._elements = [(el, _tokens(el)) for el in _xp(self._tree, _MARKED_XPATH)]
        wanted = set(names)
        found = [el for el, tokens in self._elements if tokens & wanted]
        if within is not None:
            found = [el for el in found if any(a is within for a in el.iterancestors())]
        return found


# -- text helpers -----------------------------------------------------------------------------

def _text(el, skip: tuple[str, ...] = ()) -> str:
    """The element's text, with a space at block and <br> boundaries; ``skip`` tags left out."""
    parts: list[str] = []
    _walk_text(el, skip, parts)
    return "".join(parts)


def _walk_text(node, skip: tuple[str, ...], parts: list[str]) -> None:
    # a module function: a nested recursive one is a reference cycle left for the collector
    tag = node.tag if isinstance(node.tag, str) else ""
    if tag in ("script", "style", "template") or tag in skip:
        return
    block = tag in _BLOCK_TAGS or tag == "br"
    if block:
        parts.append(" ")
    if node.text and isinstance(node.tag, str):
        parts.append(node.text)
    for child in node:
        _walk_text(child, skip, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def _fragment(html: Any):
    """An lxml element holding an HTML fragment (an actor's summary, a field value), or None."""
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None


def _anchor_links(el, base: str | None) -> list[str]:
    """http(s) links in an element, without mentions and hashtags (other people, topics)."""
    links: list[str] = []
    for a in _xp(el, ".//a[@href]"):
        classes = (a.get("class") or "").split()
        rel = (a.get("rel") or "").lower().split()
        if "mention" in classes or "hashtag" in classes or "tag" in rel:
            continue
        url = generic.clean_url(a.get("href"), base)
        if url and url not in links:
            links.append(url)
    return links


def _is_location_name(name: str | None) -> bool:
    return bool(name) and name.strip().rstrip(":：").strip().casefold() in _LOCATION_NAMES


# -- accounts and URLs ------------------------------------------------------------------------

def _host(url: str | None) -> str | None:
    try:
        host = urlsplit(url or "").hostname
    except ValueError:
        return None
    return host or None


def _account(user: str | None, server: str | None):
    """The CanonicalUrl of user@server, or None."""
    if not user or not server:
        return None
    try:
        found = canonical_profile_url(f"@{user}@{server}")
    except InvalidUrl:
        return None
    return found if found.platform == "mastodon" else None


@functools.lru_cache(maxsize=2048)  # a pure function of the text; each link is tested twice
def _mastodon_url(url: str | None):
    """The CanonicalUrl of a URL when it names a Mastodon account, else None."""
    if not url:
        return None
    try:
        found = canonical_profile_url(url, mastodon_hint=True)
    except InvalidUrl:
        return None
    return found if found.platform == "mastodon" and found.handle else None


def _parse_acct(text: str | None, default_server: str | None) -> tuple[str, str | None] | None:
    text = re.sub(r"\s+", "", text or "")
    match = _ACCT.search(text)
    if not match or ("@" not in text):
        return None
    return match.group(1), match.group(2) or default_server


# -- recognising the page ---------------------------------------------------------------------

@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    """(profile or None, warnings, why-not message); computed once per Page."""
    html = page.html if isinstance(page.html, str) else ""
    page_url = page.url if isinstance(page.url, str) else ""
    stripped = html.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _read_actor_text(stripped, page_url)
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    # Chrome shows a JSON response as <body><pre>{…}</pre></body>
    for pre in _xp(tree, "/html/body/pre")[:1]:
        text = pre.text_content().lstrip()
        if text.startswith("{"):
            return _read_actor_text(text, page_url)
    marked = _Marked(tree)
    if not _looks_like_mastodon(html, tree, marked):
        return None, [], "not a Mastodon page: no Mastodon markup and no ActivityPub actor"
    return _read_html(page, tree, marked)


def _looks_like_mastodon(html: str, tree, marked: _Marked | None = None) -> bool:
    # cheap substring tests first: most pages have none of these
    if not any(marker in html for marker in ("account__header", "public-account-header",
                                             "mastodon", "Mastodon", "activity+json")):
        return False
    if _xp(tree, "//div[@id='mastodon'][@data-props]"):
        return True
    marked = marked if marked is not None else _Marked(tree)
    if marked.with_class("account__header", "public-account-header"):
        return True
    for content in _xp(tree, "//meta[@name='application-name']/@content"):
        if content.strip().lower() == "mastodon":
            return True
    # the head alone: an ActivityPub alternate and an OpenGraph profile of user@server
    has_actor_link = any(
        (href or "").strip() and "alternate" in (link.get("rel") or "").lower().split()
        for link in _xp(tree, "//link[@type='application/activity+json']")
        for href in [link.get("href")])
    if not has_actor_link:
        return False
    username = _xp(tree, "//meta[@property='profile:username']/@content")
    title = _xp(tree, "//meta[@property='og:title']/@content")
    return bool(username and "@" in username[0] and title and _TITLE_ACCT.match(title[0].strip()))


# -- the HTML profile -------------------------------------------------------------------------

def _first(tree, xpath: str):
    found = _xp(tree, xpath)
    return found[0] if found else None


def _read_html(page: Page, tree, marked: _Marked | None = None
               ) -> tuple[Profile | None, list[str], str]:
    # without h-cards: nothing below reads them (the profile is the header's and the head's),
    # and mf2py parsing Mastodon's h-card again was most of this adapter's time
    standards = generic.read_standards(page, hcards=False)
    base = standards.base_url or None
    page_url = page.url if isinstance(page.url, str) else ""
    marked = marked if marked is not None else _Marked(tree)

    header = next(iter(marked.with_class("account__header")), None)
    if header is None:
        header = next(iter(marked.with_class("public-account-header")), None)
    scope = header if header is not None else tree

    # name and account from the header
    name_box = next(iter(marked.with_class("account__header__tabs__name",
                                           "public-account-header__tabs__name", within=scope)),
                    None)
    display_name = acct_text = None
    if name_box is not None:
        h1 = _first(name_box, ".//h1")
        if h1 is not None:
            display_name = generic.clean_text(_text(h1, skip=("small",)))
            small = _first(h1, ".//small")
            if small is not None:
                span = _first(small, "./span")
                acct_text = _text(span if span is not None else small)
            else:  # the 2025 redesign: <h1>name</h1><p>user@<domain pill></p>
                p = _first(h1, "following-sibling::p")
                if p is not None:
                    acct_text = "@" + _text(p).strip().lstrip("@")

    # the head
    og_title = standards.og("og:title")
    title_match = _TITLE_ACCT.match(og_title or "") or _TITLE_ACCT.match(
        generic.clean_text(" ".join(_xp(tree, "//title//text()"))) or "")
    if not display_name and title_match:
        display_name = generic.clean_text(title_match.group(1))
    og_username = standards.og("profile:username")

    # the account: the header's, else the head's, else the URL's
    url_account = _mastodon_url(page_url)
    url_server = url_account.handle.split("@", 1)[1] if url_account else None
    default_server = url_server or _host(page_url)
    account = None
    for text in (acct_text, og_username and "@" + og_username.lstrip("@"),
                 title_match.group(2) if title_match else None):
        parsed = _parse_acct(text, default_server)
        if parsed:
            account = _account(*parsed)
            if account:
                break
    if account is None:
        for link in _xp(tree, "//link[@rel='canonical']/@href"):
            account = _mastodon_url(generic.clean_url(link, base))
            if account:
                break
    if account is None:
        account = url_account

    if not display_name and account is not None and name_box is not None:
        display_name = account.handle.split("@", 1)[0]  # Mastodon shows the user name then
    if not display_name:
        return None, [], "no name on this Mastodon page (no profile header, no og:title)"

    # avatar: the header's, else og:image (Mastodon's og:image is the avatar)
    avatar = None
    # (as ".//*[has_class('account__avatar')]//img/@src | .//a[has_class('avatar')]//img/@src")
    for src in _xp(scope, f"descendant::*/@class[{_has_class_attr('account__avatar')}]"
                           f"/..//img/@src"
                           f" | descendant::a/@class[{_has_class_attr('avatar')}]/..//img/@src"):
        avatar = generic.clean_url(src, base)
        if avatar:
            break
    if avatar is None and standards.og_is_profile:  # else og:image is the server's picture
        avatar = generic.opengraph_fields(standards).avatar_url

    # bio: the note, else og:description without its stats
    bio = None
    links: list[str] = []
    note = next(iter(marked.with_class("account__header__content")), None)
    if note is not None:
        bio = generic.clean_text(_text(note), generic.BIO_LIMIT)
        links.extend(_anchor_links(note, base))
    if bio is None and standards.og_is_profile:  # else og:description is the server's
        description = standards.og("og:description")
        if description:
            description = _OG_STATS.sub("", description, count=1)
            fragment = _fragment(description) if "<" in description else None
            bio = generic.clean_text(_text(fragment) if fragment is not None else description,
                                     generic.BIO_LIMIT)

    # profile fields
    location = None
    me_links: list[str] = []
    emails: list[str] = []
    for box in marked.with_class("account__header__fields"):
        for row in _xp(box, ".//dl | .//tr"):
            name_el = _first(row, "./dt | ./th")
            value_el = _first(row, "./dd | ./td")
            if value_el is None:
                continue
            verified = (any("verified" in (el.get("class") or "").split()
                            for el in (row, value_el))
                        or bool(_xp(value_el, f".//*[{_has_class('verified__mark')}]")))
            found = _field(generic.clean_text(_text(name_el)) if name_el is not None else None,
                           value_el, base)
            links.extend(found["links"])
            if verified:
                me_links.extend(found["links"])
            emails.extend(found["emails"])
            location = location or found["location"]

    # the head's rel=me links: one per URL field, verified or not, so links but not me_links
    links.extend(standards.me_links)

    profile = Profile(
        display_name=display_name,
        url=account.url if account else None,
        handle=account.handle if account else None,
        location=location,
        bio=bio,
        avatar_url=avatar,
        links=generic.unique(u for u in links if not _is_self(u, account, page_url)),
        me_links=generic.unique(u for u in me_links if not _is_self(u, account, page_url)),
        emails=generic.unique(emails),
    )
    return profile, list(standards.warnings), ""


def _field(name: str | None, value_el, base: str | None) -> dict:
    """What one profile field (name, value element) gives: links, e-mails, a location."""
    links = _anchor_links(value_el, base)
    emails = []
    for a in _xp(value_el, ".//a[@href]"):
        if (a.get("href") or "").lower().startswith("mailto:"):
            email = generic.clean_email(a.get("href"))
            if email:
                emails.append(email)
    text = generic.clean_text(_text(value_el))
    if text and not links and not emails:
        email = generic.clean_email(text)
        if email:
            emails.append(email)
    location = text if _is_location_name(name) and text and not links else None
    return {"links": links, "emails": emails, "location": location}


def _is_self(url: str, account, page_url: str) -> bool:
    if generic.same_url(url, page_url) or (account and generic.same_url(url, account.url)):
        return True
    other = _mastodon_url(url)
    return bool(account and other and other.url == account.url)


# -- the ActivityPub actor --------------------------------------------------------------------

def _read_actor_text(text: str, page_url: str) -> tuple[Profile | None, list[str], str]:
    try:
        data = json.loads(text)
    except ValueError:
        return None, [], "the page is not valid JSON"
    if not isinstance(data, dict):
        return None, [], "the JSON is not an ActivityPub actor"
    types = data.get("type")
    types = types if isinstance(types, list) else [types]
    if not any(isinstance(t, str) and t in _ACTOR_TYPES for t in types):
        return None, [], "the JSON is not an ActivityPub actor (no actor type)"
    context = json.dumps(data.get("@context"))
    if "activitystreams" not in context and "inbox" not in data:
        return None, [], "the JSON is not an ActivityPub actor (no ActivityStreams context)"
    return _read_actor(data, page_url)


def _url_values(value: Any) -> list[str]:
    """URLs of an AS2 url/icon value: a string, a Link/Image object, or a list of them."""
    out: list[str] = []
    for member in value if isinstance(value, list) else [value]:
        if isinstance(member, str):
            out.append(member)
        elif isinstance(member, dict):
            for key in ("href", "url"):
                inner = member.get(key)
                if isinstance(inner, (str, list, dict)):
                    out.extend(_url_values(inner))
    return out


def _read_actor(data: dict, page_url: str) -> tuple[Profile | None, list[str], str]:
    base = page_url or None
    actor_id = generic.clean_url(data.get("id") if isinstance(data.get("id"), str) else None)
    urls = [u for u in (generic.clean_url(v, base) for v in _url_values(data.get("url"))) if u]
    user = generic.clean_text(data.get("preferredUsername"))
    server = _host(actor_id) or (_host(urls[0]) if urls else None) or _host(page_url)
    account = _account(user, server) if user else None

    url = None
    for candidate in urls + ([actor_id] if actor_id else []):
        found = _mastodon_url(candidate)
        url = found.url if found else candidate
        break
    if url is None and account is not None:
        url = account.url
    handle = account.handle if account else (f"{user}@{server}" if user and server else user)

    display_name = generic.clean_text(data.get("name")) or user
    if not display_name:
        return None, [], "the ActivityPub actor has no name and no preferredUsername"

    bio = None
    links: list[str] = []
    summary = _fragment(data.get("summary"))
    if summary is not None:
        bio = generic.clean_text(_text(summary), generic.BIO_LIMIT)
        links.extend(_anchor_links(summary, base))
    avatar = next((u for u in (generic.clean_url(v, base) for v in _url_values(data.get("icon")))
                   if u), None)

    location = None
    emails: list[str] = []
    attachments = data.get("attachment")
    for item in attachments if isinstance(attachments, list) else [attachments]:
        if not isinstance(item, dict) or item.get("type") != "PropertyValue":
            continue
        value = item.get("value")
        value_el = _fragment(value)
        if value_el is None:
            continue
        found = _field(generic.clean_text(item.get("name")), value_el, base)
        links.extend(found["links"])
        emails.extend(found["emails"])
        location = location or found["location"]
    links.extend(u for u in urls[1:])

    profile = Profile(
        display_name=display_name,
        url=url,
        handle=handle,
        location=location,
        bio=bio,
        avatar_url=avatar,
        links=generic.unique(u for u in links if not generic.same_url(u, url)
                      and not _is_self(u, account, page_url)),
        emails=generic.unique(emails),
    )
    return profile, [], ""


# -- the adapter ------------------------------------------------------------------------------

detect, extract = generic.profile_reader(
    id, "Mastodon", _read, _NOT_ON_SITE,
    detect_doc="A Mastodon profile page (by its markup) or an ActivityPub actor with a name.")
