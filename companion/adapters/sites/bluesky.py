"""Bluesky profiles: ``https://bsky.app/profile/<handle or DID>``.

bsky.app is a React Native web app. What a capture holds, from the app's source
(bluesky-social/social-app: ``src/screens/Profile/Header/*.tsx`` and ``bskyweb/templates/
profile.html``) and from public extensions that read it:

* the rendered header: ``data-testid="profileHeaderDisplayName"`` (the display name, or the
  handle when there is none), the handle "@alice.bsky.social" (``data-testid=
  "profileHeaderHandle"`` in older builds; a plain text element next to the name now),
  ``data-testid="profileHeaderDescription"`` (the bio, links as ``<a href>``), and the avatar
  ``<img>`` inside ``data-testid="profileHeaderAviButton"`` (``userAvatarImage``), served from
  ``https://cdn.bsky.app/img/avatar/plain/<DID>/<cid>@jpeg``;
* the server's ``<head>`` for every visitor: ``og:title`` "Name (@handle)" (just the handle
  without a display name), ``og:description`` (the bio), ``profile:username`` (the handle),
  ``twitter:label1`` "Account DID" / ``twitter:value1`` (the DID), and ``<link rel="alternate"
  href="at://<DID>/app.bsky.actor.profile/self">``. Its ``og:image`` is the *banner*, never the
  avatar. The ``<noscript>`` summary (``#bsky_display_name``, ``#bsky_handle``, ``#bsky_did``,
  ``#bsky_profile_description``) is read when present (trimming removes it).

The profile's ``url`` is the handle URL (``https://bsky.app/profile/<handle>``, as
``companion.urls`` writes it); when the page shows the DID, ``https://bsky.app/profile/<DID>``
goes to ``me_links``: it is certainly the same account, and it survives handle changes.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from .. import generic
from ..base import Page, Profile
from ...urls import InvalidUrl, canonical_profile_url



_xp = generic.xpath  # el.xpath(expr), the expression compiled once per process

id = "bluesky"  # noqa: A001 - the Adapter protocol names this attribute "id"
label = "Bluesky profiles (bsky.app)"
version = "1"
kinds = ("profile",)
url_patterns = (r"^https?://(www\.)?bsky\.app/profile/[^/?#]+\/?([?#].*)?$",)

# Bluesky profiles have no headline, employer, job title or location fields.
_NOT_ON_SITE = ("no headline", "no organisation", "no job title", "no location")

_URL = re.compile(url_patterns[0])
_DID = re.compile(r"did:[a-z0-9]+:[A-Za-z0-9._:%-]*[A-Za-z0-9._-]")
_HANDLE = re.compile(r"^@?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                     r"[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)$")
_TITLE_HANDLE = re.compile(r"^(.*?)\s*\(@([^()\s]+)\)$")
_DOC_TITLE = re.compile(r"^@(\S+) on Bluesky$")


def _meta_contents(tags: generic.PageTags, name: str) -> list[str]:
    """As ``//meta[@name=name]/@content``."""
    return [m.get("content") for m in tags.of("meta")
            if m.get("name") == name and m.get("content") is not None]


class _Marked:
    """The page's elements with a ``data-testid``, and those with an id starting "bsky_" (the
    <noscript> summary), from two walks of those attributes rather than a document-wide query
    for each name (each one a walk of every element)."""

    def __init__(self, tree):
        self._tree = tree
        self._testids: dict = {}
        for el in _xp(tree, "//@data-testid/.."):
            self._testids.setdefault(el.get("data-testid"), el)
        self._noscript: dict = {}
        for el in _xp(tree, "//@id[starts-with(., 'bsky_')]/.."):
            self._noscript.setdefault(el.get("id"), []).append(el)

    def testid(self, name: str):
        """The first element with ``data-testid=name`` (as ``//*[@data-testid=name]``)."""
        return self._testids.get(name)

    def noscript_text(self, key: str) -> str:
        """The text nodes of the element with ``id="bsky_<key>"`` joined by spaces (as
        ``//*[@id='bsky_<key>']//text()``)."""
        elements = self._noscript.get("bsky_" + key, [])
        if len(elements) > 1:  # several, maybe nested (their texts count once): the query
            return " ".join(_xp(self._tree, f"//*[@id='bsky_{key}']//text()"))
        return " ".join(_xp(elements[0], ".//text()")) if elements else ""


def _text(el) -> str:
    return generic.joined_text(el, "") if el is not None else ""


def _did(text: str | None) -> str | None:
    match = _DID.search(unquote(text or ""))
    return match.group(0) if match else None


def _canonical(actor: str):
    try:
        found = canonical_profile_url(f"https://bsky.app/profile/{actor}")
    except InvalidUrl:
        return None
    return found if found.platform == "bluesky" and found.handle else None


def _external_links(el, base: str | None) -> list[str]:
    """Links a bio states: external http(s) links, not mentions, hashtags or app pages."""
    links: list[str] = []
    for a in _xp(el, ".//a[@href]"):
        url = generic.clean_url(a.get("href"), base)
        if not url:
            continue
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host == "go.bsky.app" and parts.path.startswith("/redirect"):
            target = parse_qs(parts.query).get("u", [None])[0]
            url = generic.clean_url(target)
            if not url:
                continue
            host = (urlsplit(url).hostname or "").lower()
        if host in ("bsky.app", "www.bsky.app"):
            continue  # a mention (/profile/…), a hashtag (/hashtag/…), a search
        if url not in links:
            links.append(url)
    return links


@generic.per_page
def _read(page: Page) -> tuple[Profile | None, list[str], str]:
    page_url = page.url if isinstance(page.url, str) else ""
    if not _URL.search(page_url):
        return None, [], "not a bsky.app profile URL"
    tree = generic.page_tree(page)
    if tree is None:
        return None, [], "the page has no HTML elements"
    standards = generic.read_standards(page, hcards=False)  # h-cards are never read here
    base = standards.base_url or None
    marked = _Marked(tree)
    tags = generic.page_tags(page)  # the head's elements, from the page's one walk for them

    name_el = marked.testid("profileHeaderDisplayName")
    alternates = [el.get("href") for el in tags.of("link")  # //link[@rel='alternate']/@href
                  if el.get("rel") == "alternate" and el.get("href") is not None]
    profile_link = next((h for h in alternates
                         if h.startswith("at://") and "/app.bsky.actor.profile/" in h), None)
    labels = [m.get("content") for m in tags.of("meta") if m.get("name") == "twitter:label1"]
    did_meta = _meta_contents(tags, "twitter:value1")
    head_says_profile = bool(profile_link) or ("Account DID" in labels and did_meta)
    if name_el is None and not head_says_profile:
        return None, [], "no Bluesky profile header and no profile metadata on this page"

    # the actor in the URL: a handle or a DID
    url_actor = unquote(urlsplit(page_url).path.split("/")[2]).removeprefix("@")

    # display name
    og_title = standards.og("og:title")
    title_match = _TITLE_HANDLE.match(og_title or "")
    display_name = generic.clean_text(_text(name_el)) if name_el is not None else None
    if not display_name and title_match:
        display_name = generic.clean_text(title_match.group(1))
    noscript = {key: generic.clean_text(marked.noscript_text(key), generic.BIO_LIMIT)
                for key in ("display_name", "handle", "did", "profile_description")}
    display_name = display_name or noscript["display_name"]

    # handle
    handle_texts: list[str | None] = []
    handle_el = marked.testid("profileHeaderHandle")
    if handle_el is not None:
        handle_texts.append(_text(handle_el))
    elif name_el is not None:
        # the handle is a text element in the same column as the name (two or three levels up)
        column = name_el
        for _ in range(3):
            parent = column.getparent()
            if parent is None:
                break
            column = parent
            leaves = [el for el in column.iter() if isinstance(el.tag, str) and len(el) == 0]
            texts = [t.strip() for t in (_text(el) for el in leaves)
                     if t.strip().startswith("@") and _HANDLE.match(t.strip())]
            if texts:
                handle_texts.append(texts[0])
                break
    handle_texts += [standards.og("profile:username"),
                     title_match.group(2) if title_match else None,
                     noscript["handle"]]
    title_texts = [t for title in tags.of("title") for t in _xp(title, ".//text()")]
    doc_title = _DOC_TITLE.match(generic.clean_text(" ".join(title_texts)) or "")
    if doc_title:
        handle_texts.append(doc_title.group(1))
    if og_title and not title_match and _HANDLE.match(og_title):
        handle_texts.append(og_title)  # og:title is the bare handle when there is no name
    if not _DID.fullmatch(url_actor):
        handle_texts.append(url_actor)
    account = None
    for text in handle_texts:
        match = _HANDLE.match((text or "").strip())
        if match and match.group(1).lower() != "handle.invalid":
            account = _canonical(match.group(1))
            if account:
                break

    # DID
    avatar = None
    avi = marked.testid("profileHeaderAviButton")
    for src in (_xp(avi, ".//img/@src") if avi is not None else []):
        avatar = generic.clean_url(src, base)
        if avatar:
            break
    did = None
    for candidate in ([profile_link[5:].split("/", 1)[0]] if profile_link else []) + \
            [d for d in did_meta if "Account DID" in labels] + [noscript["did"], url_actor,
                                                                 avatar]:
        candidate = _did(candidate)
        if candidate:
            did = candidate
            break
    if avatar is None:
        # an avatar image of this account (by its DID), not one of a post below
        for src in _xp(tree, "//img[@data-testid='userAvatarImage']/@src | "
                              "//img[contains(@src, '/img/avatar/')]/@src"):
            if did and did in unquote(src) and "/img/avatar/" in src:
                avatar = generic.clean_url(src, base)
                if avatar:
                    break

    if not display_name and account is not None:
        display_name = account.handle  # the app shows the handle when there is no name
    if not display_name:
        return None, [], "no name on this Bluesky profile page"

    did_account = _canonical(did) if did else None
    if account is None:
        account_url, handle = (did_account.url, None) if did_account else (None, None)
    else:
        account_url, handle = account.url, account.handle

    # bio and the links it states
    bio = None
    links: list[str] = []
    description = marked.testid("profileHeaderDescription")
    if description is not None:
        bio = generic.clean_text(_text(description), generic.BIO_LIMIT)
        links = _external_links(description, base)
    bio = bio or standards.og("og:description") or noscript["profile_description"]
    if bio is None:
        for content in _meta_contents(tags, "description"):
            bio = generic.clean_text(content, generic.BIO_LIMIT)
            if bio:
                break

    me_links = []
    if did_account is not None and did_account.url != account_url:
        me_links.append(did_account.url)

    profile = Profile(
        display_name=display_name,
        url=account_url,
        handle=handle,
        bio=bio,
        avatar_url=avatar,
        links=[u for u in links if not generic.same_url(u, account_url)],
        me_links=me_links,
    )
    return profile, list(standards.warnings), ""


detect, extract = generic.profile_reader(
    id, "Bluesky", _read, _NOT_ON_SITE,
    detect_doc="A bsky.app profile page with a profile header or the server's profile metadata.")
